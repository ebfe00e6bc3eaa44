/**
 * Optimistic rollup: every combination of its variants ({ecdsa, bls} signatures × {calldata, blob} posting,
 * src/bench/workloads/optimistic-batches.ts), one fraud proof per fault kind (run as scenarios), and what the
 * BLS code costs off-chain per signature.
 */
import { existsSync } from "fs";
import { join } from "path";
import type { BenchContext, Workload } from "../context";
import type { Profile } from "../profile";
import { timeBlsOffChain } from "../bls-timing";
import { COMBINATIONS, loadSignatureCache, measureCombination, saveSignatureCache } from "./optimistic-batches";
import { scenarioStep } from "./scenarioSteps";

/** One fraud proof per fault kind of FORMAT.md; each runs as a scenario whose last step is the challenge. */
const ALL_FAULTS: {
  kind: string;
  fault: Record<string, string>;
  extra?: object[];
  params?: Record<string, string>;
}[] = [
  { kind: "bad-state-root", fault: { kind: "bad-state-root" } },
  { kind: "mint", fault: { kind: "mint", to: "bob", amount: "1" } },
  { kind: "overdraft", fault: { kind: "overdraft", from: "bob", to: "alice", amount: "100" } },
  { kind: "forged-signature", fault: { kind: "forged-signature", from: "alice", to: "bob", amount: "1" } },
  { kind: "replay", fault: { kind: "replay", from: "alice" } },
  { kind: "skip-deposit", fault: { kind: "skip-deposit" }, extra: [{ do: "deposit", from: "dave", amount: "1" }] },
  { kind: "fake-exit", fault: { kind: "fake-exit", to: "bob", amount: "1" } },
  { kind: "malformed", fault: { kind: "malformed" } },
  {
    kind: "bad-aggregate",
    fault: { kind: "bad-aggregate", from: "alice", to: "bob", amount: "1" },
    params: { signatures: "bls" },
  },
];
/**
 * The quick profile's faults: a wrong root (state re-execution), a bad signature (transaction check) and a bad BLS
 * aggregate (the pairing check).
 */
const SOME_FAULTS = new Set(["bad-state-root", "forged-signature", "bad-aggregate"]);

function faultsOf(profile: Profile) {
  return profile.fraudProofs === "all" ? ALL_FAULTS : ALL_FAULTS.filter((f) => SOME_FAULTS.has(f.kind));
}

const REQUIRED = [
  "scripts/deploy-optimistic.ts",
  "src/optimistic/operator.ts",
  "src/optimistic/client.ts",
  "src/optimistic/l1-view.ts",
  "src/optimistic/scenario.ts",
];

async function measureFraudProofs(ctx: BenchContext): Promise<void> {
  const { hre } = ctx;
  for (const { kind, fault, extra, params } of faultsOf(ctx.profile)) {
    if (params?.signatures === "bls" && ctx.hardfork === "cancun") {
      ctx.gap("optimistic", `fraud proof for ${kind}`, "BLS keys need the EIP-2537 precompiles, which cancun lacks");
      ctx.progress.tick(`optimistic fraud proof ${kind}`);
      continue;
    }
    await hre.network.provider.send("hardhat_reset");
    ctx.chainReset();
    const steps = [
      { do: "deposit", from: "alice", amount: "5" },
      { do: "deposit", from: "bob", amount: "1" },
      { do: "batch" },
      { do: "transfer", from: "alice", to: "bob", amount: "1", fee: "0.01" },
      { do: "batch" },
      ...(extra ?? []),
      { do: "batch", fault },
      { do: "challenge", by: "carol" },
    ];
    try {
      const step = await scenarioStep(
        hre,
        {
          name: `bench-fraud-${kind}`,
          description: `fraud proof: ${kind}`,
          system: "optimistic",
          params: params ?? {},
          steps,
        },
        steps.length - 1,
      );
      await ctx.record({
        system: "optimistic",
        variant: `fraud-proof:${kind}`,
        posting: "calldata",
        batchSize: 1,
        txs: step.txs.map((hash) => ({ label: `challenge (${kind})`, hash })),
        // The proof carries the batch's record, whose finalAt is a block time, and the commitment hashes the
        // proof: their zero bytes, and so the calldata gas, change from run to run by a few gas.
        calldataVaries: true,
        note: params?.signatures === "bls" ? `BlsOptimisticRollup: ${step.outcome}` : step.outcome,
      });
    } catch (error) {
      ctx.gap("optimistic", `fraud proof for ${kind}`, (error as Error).message.split("\n")[0]);
    }
    ctx.progress.tick(`optimistic fraud proof ${kind}`);
  }
}

function measureBlsOffChain(ctx: BenchContext): void {
  const t = timeBlsOffChain();
  const note = `noble-curves BLS12-381 (src/encoding/bls.ts), ${t.signatures} keys and messages, wall-clock`;
  ctx.time({ system: "optimistic", what: "BLS sign", ms: t.signMs, per: "signature", note });
  ctx.time({ system: "optimistic", what: "BLS verify (one signature)", ms: t.verifyOneMs, per: "signature", note });
  ctx.time({ system: "optimistic", what: "BLS aggregate", ms: t.aggregatePerSignatureMs, per: "signature", note });
  ctx.time({
    system: "optimistic",
    what: "BLS aggregate verify",
    ms: t.aggregateVerifyPerMessageMs,
    per: "message",
    note: `${note}; one pairing per distinct message plus one`,
  });
}

export const optimisticWorkload: Workload = {
  system: "optimistic",
  title: "Optimistic rollup",
  unavailable() {
    const root = join(__dirname, "..", "..", "..");
    for (const file of REQUIRED) if (!existsSync(join(root, file))) return `${file} is not there yet`;
    return null;
  },
  plan: (profile) =>
    COMBINATIONS.reduce(
      (sum, c) =>
        sum +
        1 +
        profile.optimisticBatchSizes.length +
        (profile.optimisticMaxFit ? 1 : 0) +
        (c.posting === "blob" ? 1 : 0),
      0,
    ) +
    faultsOf(profile).length +
    1,
  async run(ctx: BenchContext) {
    const blsCache = loadSignatureCache();
    for (const combination of COMBINATIONS) {
      try {
        await measureCombination(ctx, combination, blsCache);
      } catch (error) {
        const { signatures, posting } = combination;
        ctx.gap("optimistic", `${signatures}/${posting} batches`, (error as Error).message.split("\n")[0]);
      }
    }
    saveSignatureCache(blsCache);
    await measureFraudProofs(ctx);
    measureBlsOffChain(ctx);
    ctx.progress.tick("optimistic BLS off-chain timing");
  },
};
