/**
 * The `scenario` task as a shell over the runner: a refused file prints one
 * line, sets a failing exit status and sends nothing to the chain.
 */
import { expect } from "chai";
import hre from "hardhat";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { isImplemented } from "../../src/scenario/systems";
import type { SystemName } from "../../src/scenario/types";

const INVALID = join(__dirname, "..", "fixtures", "scenarios", "invalid");
const VALID = join(__dirname, "..", "fixtures", "scenarios", "valid");
const CLI = join(__dirname, "..", "fixtures", "scenarios", "cli");

/** Runs the task with console.error captured; restores the exit status the test run had. */
async function runTask(
  file: string,
  json?: string,
  check = false,
): Promise<{ errors: string[]; exitCode: number | undefined }> {
  const errors: string[] = [];
  const original = { error: console.error, write: process.stdout.write };
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  console.error = (...args: unknown[]) => errors.push(args.join(" "));
  // The step-by-step account goes to stdout; keep the test report readable.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  // Leave the chain as it was for the other test files.
  const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
  try {
    await hre.run("scenario", { file, json, check });
    return { errors, exitCode: process.exitCode as number | undefined };
  } finally {
    console.error = original.error;
    process.stdout.write = original.write;
    process.exitCode = exitCodeBefore;
    await hre.network.provider.send("evm_revert", [snapshot]);
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

  it("should only validate with --check, sending nothing", async function () {
    const blockBefore = await hre.ethers.provider.getBlockNumber();
    const logs: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logs.push(args.join(" "));
    try {
      const { exitCode } = await runTask(join(VALID, "channels-every-step.json"), undefined, true);
      expect(exitCode).to.equal(undefined);
    } finally {
      console.log = log;
    }
    expect(logs).to.deep.equal([
      `${join(VALID, "channels-every-step.json")}: valid channels scenario, 14 steps, people: alice, bob, carol, tower`,
    ]);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    const { exitCode } = await runTask(join(INVALID, "amount-negative.json"), undefined, true);
    expect(exitCode).to.equal(1);
  });

  it("should say in one line that a system is not implemented yet", async function () {
    const files: Record<SystemName, string> = {
      optimistic: "optimistic-every-step.json",
      zk: "zk-every-step.json",
      channels: "channels-every-step.json",
    };
    const missing = (Object.keys(files) as SystemName[]).find((s) => !isImplemented(s));
    if (!missing) {
      this.test!.title += " (pending: every system is implemented now)";
      this.skip();
    }
    const file = join(VALID, files[missing]);
    const blockBefore = await hre.ethers.provider.getBlockNumber();
    const { errors, exitCode } = await runTask(file);
    expect(exitCode).to.equal(1);
    expect(errors).to.deep.equal([`${file}: the ${missing} system is not implemented yet`]);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(blockBefore);
  });

  describe("with the channels system", function () {
    before(function () {
      if (!isImplemented("channels")) this.skip();
    });

    it("should exit 0 and write the result JSON when every step holds", async function () {
      const out = join(mkdtempSync(join(tmpdir(), "l2lab-")), "result.json");
      const { exitCode } = await runTask(join(CLI, "channels-pay.json"), out);
      expect(exitCode).to.equal(undefined);
      const result = JSON.parse(readFileSync(out, "utf8"));
      expect(result.ok).to.equal(true);
      expect(result.steps.map((s: { do: string }) => s.do)).to.deep.equal(["open", "pay", "expect"]);
      expect(result.steps[0].txs).to.have.length.greaterThan(0);
      expect(result.steps[0].l1Gas).to.be.greaterThan(21_000);
      expect(result.steps[1].l1Gas).to.equal(null);
    });

    it("should exit 1 at the first failed step and still write the result", async function () {
      const out = join(mkdtempSync(join(tmpdir(), "l2lab-")), "result.json");
      const { exitCode } = await runTask(join(CLI, "channels-wrong-expect.json"), out);
      expect(exitCode).to.equal(1);
      const result = JSON.parse(readFileSync(out, "utf8"));
      expect(result.ok).to.equal(false);
      expect(result.steps).to.have.length(3);
      expect(result.steps[2]).to.include({ index: 2, do: "expect", ok: false });
      expect(result.steps[2].error).to.be.a("string").and.not.equal("");
    });
  });
});
