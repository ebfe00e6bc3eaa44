/**
 * The `scenario` task as a shell over the runner: a refused file prints one
 * line, sets a failing exit status and sends nothing to the chain.
 */
import { expect } from "chai";
import hre from "hardhat";
import { join } from "path";
import { isImplemented } from "../../src/scenario/systems";
import type { SystemName } from "../../src/scenario/types";

const INVALID = join(__dirname, "..", "fixtures", "scenarios", "invalid");
const VALID = join(__dirname, "..", "fixtures", "scenarios", "valid");

/** Runs the task with console.error captured; restores the exit status the test run had. */
async function runTask(file: string): Promise<{ errors: string[]; exitCode: number | undefined }> {
  const errors: string[] = [];
  const original = console.error;
  const exitCodeBefore = process.exitCode;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  try {
    await hre.run("scenario", { file });
    return { errors, exitCode: process.exitCode as number | undefined };
  } finally {
    console.error = original;
    process.exitCode = exitCodeBefore;
  }
}

describe("# scenario task", function () {
  for (const fixture of ["expect-unknown-person.json", "malformed-json.txt", "wrong-type.json"]) {
    it(`should refuse invalid/${fixture} in one line, exit 1 and send no transaction`, async function () {
      const blockBefore = await hre.ethers.provider.getBlockNumber();
      const nonceBefore = await hre.ethers.provider.getTransactionCount((await hre.ethers.getSigners())[0].address);
      const { errors, exitCode } = await runTask(join(INVALID, fixture));
      expect(exitCode).to.equal(1);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(new RegExp(`^${join(INVALID, fixture).replace(/[.[\]]/g, "\\$&")}: `));
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect(await hre.ethers.provider.getTransactionCount((await hre.ethers.getSigners())[0].address)).to.equal(
        nonceBefore,
      );
    });
  }

  it("should say in one line that a system is not implemented yet", async function () {
    const files: Record<SystemName, string> = {
      optimistic: "optimistic-every-step.json",
      zk: "zk-every-step.json",
      channels: "channels-every-step.json",
    };
    const missing = (Object.keys(files) as SystemName[]).find((s) => !isImplemented(s));
    if (!missing) this.skip();
    const file = join(VALID, files[missing]);
    const blockBefore = await hre.ethers.provider.getBlockNumber();
    const { errors, exitCode } = await runTask(file);
    expect(exitCode).to.equal(1);
    expect(errors).to.deep.equal([`${file}: the ${missing} system is not implemented yet`]);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
  });
});
