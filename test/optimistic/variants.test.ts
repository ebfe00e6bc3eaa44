/**
 * The optimistic rollup's scenario files again on every variant: `signatures` {"ecdsa", "bls"} x `posting`
 * {"calldata", "blob"}. test/integration/scenarios.test.ts runs each file as written; this runs it on every other
 * combination that applies to it: a param the file sets itself is kept (a "bls"-only fault does not run on ECDSA,
 * a file that posts in blobs does not run again in calldata), the combination fills the rest. Every fault kind and
 * every attack must hold on every variant, read from the same files.
 *
 * A few runs, each with a line it must print (read from the chain by the driver), run under `npm test`; the whole
 * matrix under `npm run test:deep` (each scenario runs again, and every challenge of a blob batch computes KZG
 * openings).
 */
import { expect } from "chai";
import hre from "hardhat";
import { readFileSync, readdirSync } from "fs";
import { join, resolve } from "path";
import { parseScenario } from "../../src/scenario/validate";
import { runScenario } from "../../src/scenario/runner";
import { failureOf } from "../../src/scenario/result";
import { describeDeep } from "../support/deep";
import { POSTING_ATTACKS } from "../../src/optimistic/scenario";

const FOLDER = resolve(__dirname, "..", "..", "scenarios");

interface Variant {
  signatures: "ecdsa" | "bls";
  posting: "calldata" | "blob";
}

const VARIANTS: Variant[] = [
  { signatures: "bls", posting: "calldata" },
  { signatures: "ecdsa", posting: "blob" },
  { signatures: "bls", posting: "blob" },
];
const DEFAULTS: Variant = { signatures: "ecdsa", posting: "calldata" };

const label = (v: Variant): string => `${v.signatures}+${v.posting}`;

/** Run under `npm test`: file, variant, and a line the run must print. */
const QUICK: { file: string; variant: Variant; mustPrint: string }[] = [
  // A BLS transfer carries no nonce: replayed, it executes at the next nonce and its old signature breaks the aggregate.
  { file: "optimistic-fault-replay.json", variant: VARIANTS[0], mustPrint: "BadAggregate" },
  { file: "optimistic-attack-self-slash.json", variant: VARIANTS[0], mustPrint: "BlsOptimisticRollup at" },
  // A BLS chunk in a blob: the watcher reads it from the archive, opens it, and the pairing check fails.
  { file: "optimistic-bls-bad-aggregate.json", variant: VARIANTS[2], mustPrint: "against its blob" },
  // The hostile batch goes the blob path (submitBlobBatch in a type-3 transaction), and BlobChunks refuses its encoding.
  {
    file: "optimistic-attack-odd-calldata.json",
    variant: VARIANTS[1],
    mustPrint: "L1 refused it: NonStandardCalldata",
  },
];

/** The file's own params, or undefined when `variant` does not apply to it (or is how it runs as written). */
function onVariant(file: string, variant: Variant): ReturnType<typeof parseScenario> | undefined {
  const json = JSON.parse(readFileSync(join(FOLDER, file), "utf8")) as { params?: Record<string, unknown> };
  const own = json.params ?? {};
  const keys = ["signatures", "posting"] as const;
  if (keys.some((k) => own[k] !== undefined && own[k] !== variant[k])) return undefined;
  if (keys.every((k) => (own[k] ?? DEFAULTS[k]) === variant[k])) return undefined;
  json.params = { ...own, ...variant };
  return parseScenario(JSON.stringify(json), `${file} (${label(variant)})`);
}

async function runOn(file: string, variant: Variant, mustPrint?: string): Promise<void> {
  const scenario = onVariant(file, variant);
  if (!scenario) throw new Error(`${file}: variant ${label(variant)} does not apply to it`);
  const lines: string[] = [];
  const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
  try {
    const result = await runScenario(hre, scenario, { source: file, print: (l) => lines.push(l), color: false });
    const output = lines.join("\n");
    expect(result.ok, `${failureOf(result)}\n${output}`).to.equal(true);
    expect(output).to.contain(variant.signatures === "bls" ? "BlsOptimisticRollup at" : "OptimisticRollup at");
    if (variant.posting === "blob") {
      expect(output).to.contain("posts batches in blobs");
      // Every attack says which path it took: a blob batch of its own, or none at all (never calldata unsaid).
      for (const step of scenario.steps.filter((s) => s.do === "attack"))
        expect(output).to.contain(
          POSTING_ATTACKS.has(String(step.kind)) ? "(blob path" : `the ${step.kind} attack posts no batch`,
        );
      expect(output).to.not.contain("calldata path");
    }
    if (mustPrint) expect(output).to.contain(mustPrint);
  } finally {
    await hre.network.provider.send("evm_revert", [snapshot]);
  }
}

describe("# optimistic scenarios on every variant", function () {
  for (const { file, variant, mustPrint } of QUICK) {
    it(`should run ${file} on ${label(variant)} and every step should hold`, async function () {
      this.timeout(10 * 60_000);
      await runOn(file, variant, mustPrint);
    });
  }
});

describeDeep("optimistic scenarios on every variant", function () {
  const files = readdirSync(FOLDER)
    .filter((f) => f.startsWith("optimistic-") && f.endsWith(".json"))
    .sort();
  for (const variant of VARIANTS) {
    for (const file of files) {
      if (QUICK.some((q) => q.file === file && label(q.variant) === label(variant))) continue;
      if (!onVariant(file, variant)) continue;
      it(`should run ${file} on ${label(variant)} and every step should hold`, async function () {
        this.timeout(30 * 60_000);
        await runOn(file, variant);
      });
    }
  }
});
