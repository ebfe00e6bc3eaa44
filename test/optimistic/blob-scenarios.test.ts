/**
 * Every optimistic fault and attack scenario again with `"posting": "blob"`: the operator posts its batches in
 * blobs through the archive, watchers read them from it and open chunks before proving. Long (each scenario runs
 * again, and every challenge of a blob batch computes KZG openings), so only `npm run test:deep` runs it;
 * scenarios/optimistic-blob-fraud-caught.json runs under `npm test`.
 */
import { expect } from "chai";
import hre from "hardhat";
import { readFileSync, readdirSync } from "fs";
import { join, resolve } from "path";
import { parseScenario } from "../../src/scenario/validate";
import { runScenario } from "../../src/scenario/runner";
import { failureOf } from "../../src/scenario/result";
import { describeDeep } from "../support/deep";

const FOLDER = resolve(__dirname, "..", "..", "scenarios");

describeDeep("optimistic scenarios with blob posting", function () {
  const files = readdirSync(FOLDER).filter((f) => /^optimistic-(fault|attack|fraud|forced|escape)-.*\.json$/.test(f));
  for (const file of files.sort()) {
    it(`should run ${file} with posting "blob"`, async function () {
      this.timeout(30 * 60_000);
      const scenario = parseScenario(readFileSync(join(FOLDER, file), "utf8"), file);
      scenario.params = { ...scenario.params, posting: "blob" };
      const lines: string[] = [];
      const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
      try {
        const result = await runScenario(hre, scenario, { source: file, print: (l) => lines.push(l), color: false });
        expect(result.ok, `${failureOf(result)}\n${lines.join("\n")}`).to.equal(true);
      } finally {
        await hre.network.provider.send("evm_revert", [snapshot]);
      }
    });
  }
});
