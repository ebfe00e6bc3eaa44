/**
 * The optimistic rollup's scenario files, run again with `params.signatures: "bls"` (BlsOptimisticRollup): every
 * fault kind and attack that applies to the ECDSA variant must hold for the BLS one, read from the same files.
 * Two run under `npm test`; all of them under `npm run test:deep`.
 */
import { expect } from "chai";
import hre from "hardhat";
import { readFileSync, readdirSync } from "fs";
import { join, resolve } from "path";
import { parseScenario } from "../../../src/scenario/validate";
import { runScenario } from "../../../src/scenario/runner";
import { failureOf } from "../../../src/scenario/result";
import { describeDeep } from "../../support/deep";

const FOLDER = resolve(__dirname, "..", "..", "..", "scenarios");
/** Run under `npm test`, with a line the run must print (read from the chain by the driver). */
const QUICK: Record<string, string> = {
  // A BLS transfer carries no nonce: replayed, it executes at the next nonce and its old signature breaks the aggregate.
  "optimistic-fault-replay.json": "BadAggregate",
  "optimistic-attack-self-slash.json": "BlsOptimisticRollup at",
};

function asBls(file: string) {
  const json = JSON.parse(readFileSync(join(FOLDER, file), "utf8")) as { params?: Record<string, unknown> };
  json.params = { ...json.params, signatures: "bls" };
  return parseScenario(JSON.stringify(json), `${file} (bls)`);
}

async function runBls(file: string, mustPrint = "BlsOptimisticRollup at"): Promise<void> {
  const scenario = asBls(file);
  const lines: string[] = [];
  const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
  try {
    const result = await runScenario(hre, scenario, { source: file, print: (l) => lines.push(l), color: false });
    expect(result.ok, `${failureOf(result)}\n${lines.join("\n")}`).to.equal(true);
    expect(lines.join("\n")).to.contain("BlsOptimisticRollup at");
    expect(lines.join("\n")).to.contain(mustPrint);
  } finally {
    await hre.network.provider.send("evm_revert", [snapshot]);
  }
}

describe("# optimistic scenarios under signatures: bls", function () {
  for (const [file, line] of Object.entries(QUICK)) {
    it(`should run ${file} on the BLS rollup and every step should hold`, async function () {
      await runBls(file, line);
    });
  }
});

describeDeep("# every optimistic scenario under signatures: bls", function () {
  const files = readdirSync(FOLDER).filter(
    (f) => f.startsWith("optimistic-") && f.endsWith(".json") && !f.startsWith("optimistic-bls-") && !(f in QUICK),
  );
  for (const file of files) {
    it(`should run ${file} on the BLS rollup and every step should hold`, async function () {
      await runBls(file);
    });
  }
});
