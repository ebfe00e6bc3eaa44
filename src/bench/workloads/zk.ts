/**
 * zk rollup: one batch of N transfers per circuit the project builds (src/zk/circuit.ts), proven
 * with Groth16 by the project's operator and prover, with the proving time beside the gas; the
 * verifier called alone for the split; the same batches as blobs; and larger batch sizes computed
 * (never measured) from a least-squares line through the measured ones.
 */
import { existsSync, readdirSync } from "fs";
import { join } from "path";
import { keccak256, parseEther, toUtf8Bytes, getBytes } from "ethers";
import { round } from "../analyze";
import { hardforkHasFloor } from "../calldata";
import type { BenchContext, Workload } from "../context";
import type { BenchRow } from "../types";
import type { CircuitConfig } from "../../zk/circuit";

/** Two senders: their deposits fit one batch of the smallest circuit (one proof fewer). */
const USERS = 2;
/** Batch sizes the report extrapolates to (computed, labelled so). */
export const COMPUTED_ZK_SIZES = [64, 512, 2048];

const REQUIRED = [
  "scripts/deploy-zk.ts",
  "src/zk/operator.ts",
  "src/zk/circuit.ts",
  "src/zk/state.ts",
  "src/zk/keys.ts",
  "src/zk/prover.ts",
];

/** Circuits whose proving key the development ceremony has already written to .zk-cache/keys. */
function builtCircuitNames(): string[] {
  const keys = join(__dirname, "..", "..", "..", ".zk-cache", "keys");
  if (!existsSync(keys)) return [];
  const names = new Set<string>();
  for (const file of readdirSync(keys)) {
    const match = /^(zk_rollup_n\d+)_.*\.zkey$/.exec(file);
    if (match) names.add(match[1]);
  }
  return [...names];
}

/**
 * The circuits a run measures: the smallest always (on a fresh clone the benchmark builds it, about two
 * minutes on two idle cores, as `npm test` does) and every larger one whose keys already exist (their
 * setup takes 5 to 16 minutes each); `missing` are the others.
 */
function circuitsToMeasure(): { measure: CircuitConfig[]; missing: CircuitConfig[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ZK_CIRCUITS } = require("../../zk/circuit") as typeof import("../../zk/circuit");
  const built = new Set(builtCircuitNames());
  const measure = ZK_CIRCUITS.filter((c, i) => i === 0 || built.has(c.name));
  return { measure, missing: ZK_CIRCUITS.filter((c) => !measure.includes(c)) };
}

function seed(label: string): Uint8Array {
  return getBytes(keccak256(toUtf8Bytes(`l2lab bench zk key: ${label}`)));
}

/** Least-squares line y = a + b·x. */
export function fitLine(points: [number, number][]): { a: number; b: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}

export const zkWorkload: Workload = {
  system: "zk",
  title: "zk rollup",
  unavailable() {
    const root = join(__dirname, "..", "..", "..");
    for (const file of REQUIRED) if (!existsSync(join(root, file))) return `${file} is not there yet`;
    return null;
  },
  plan(profile) {
    if (profile.zkBatchSizes === "none") return 0;
    return circuitsToMeasure().measure.length * (profile.blobs ? 2 : 1);
  },
  async run(ctx: BenchContext) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { deployZkRollup } = require("../../../scripts/deploy-zk") as typeof import("../../../scripts/deploy-zk");
    const { loadCircuit } = require("../../zk/circuit") as typeof import("../../zk/circuit");
    const { ZkOperator } = require("../../zk/operator") as typeof import("../../zk/operator");
    const { ZkState, signTransfer } = require("../../zk/state") as typeof import("../../zk/state");
    const { ZkKey } = require("../../zk/keys") as typeof import("../../zk/keys");
    const { traceExecution } = require("../trace") as typeof import("../trace");
    /* eslint-enable @typescript-eslint/no-require-imports */

    const { hre } = ctx;
    if (ctx.profile.zkBatchSizes === "none") {
      ctx.gap(
        "zk",
        "everything (quick profile)",
        "the quick profile and the gas snapshot leave the zk rollup out: one proof takes tens of seconds",
      );
      return;
    }
    const { measure: circuits, missing } = circuitsToMeasure();
    for (const c of missing) {
      ctx.gap(
        "zk",
        `batch of ${c.batchSize}`,
        `circuit ${c.name} has no proving key yet (build it with \`npx hardhat zk:setup --circuit ${c.name}\`; the benchmark starts a ceremony only for the smallest circuit)`,
      );
    }
    const measured: BenchRow[] = [];
    const operatorKey = await ZkKey.fromSeed(seed("operator"));
    const users = await Promise.all(Array.from({ length: USERS }, (_, i) => ZkKey.fromSeed(seed(`user ${i}`))));
    const say = (m: string) => ctx.progress.log(`  zk: ${m}`);

    const started = Date.now();
    for (const config of circuits) {
      const spent = (Date.now() - started) / 1000;
      if (measured.length > 0 && spent > ctx.profile.zkBudgetSeconds) {
        ctx.gap(
          "zk",
          `batch of ${config.batchSize}`,
          `left out of this run: the zk workload had used ${Math.round(spent)} s of its ${ctx.profile.zkBudgetSeconds} s budget`,
        );
        continue;
      }
      await hre.network.provider.send("hardhat_reset");
      ctx.chainReset();
      const circuit = await loadCircuit(config, say);
      const signers = await hre.ethers.getSigners();
      const deployed = await deployZkRollup(hre, {
        circuit: config,
        operator: signers[0],
        operatorKey: operatorKey.publicKey,
      });
      const state = await ZkState.genesis(config.treeDepth, operatorKey.publicKey, await deployed.rollup.domain());
      const operator = new ZkOperator(deployed.rollup, circuit, state, say);

      // Users deposit on L1; the first batches credit them.
      for (let i = 0; i < USERS; i++) {
        const rollup = deployed.rollup.connect(signers[1 + i]);
        await (await rollup.deposit(users[i].publicKey.ax, users[i].publicKey.ay, { value: parseEther("100") })).wait();
      }
      await operator.sync();
      while (operator.hasPending) await operator.postNext();
      const indices: number[] = [];
      for (let i = 0; i < USERS; i++) {
        const [exists, index] = await deployed.rollup.accountOf(
          users[i].publicKey.ax,
          users[i].publicKey.ay,
          signers[1 + i].address,
        );
        if (!exists) throw new Error(`zk: user ${i}'s deposit was not credited`);
        indices.push(Number(index));
      }

      // A full batch of transfers.
      const n = config.batchSize;
      for (let i = 0; i < n; i++) {
        const u = i % USERS;
        const pending = operator.pendingState;
        const nonce = pending.account(indices[u])?.nonce ?? 0n;
        operator.submit(
          signTransfer(pending, users[u], {
            from: indices[u],
            to: indices[(u + 1) % USERS],
            amount: parseEther("0.001"),
            fee: parseEther("0.00001"),
            nonce,
          }),
        );
      }
      const posted = await operator.postNext((m) => say(`N=${n}: ${m}`));

      // The verifier alone, with the same proof, for the split.
      const verifier = await hre.ethers.getContractAt("IZkBatchVerifier", deployed.addresses.verifier);
      const { a, b, c } = posted.proof.proof;
      const verifyTx = await verifier.verifyProof.send(a, b, c, [
        posted.proof.publicSignals[0],
        posted.proof.publicSignals[1],
      ]);
      await verifyTx.wait();
      const verification = (await traceExecution(hre.network.provider, verifyTx.hash)).execution;

      const provingMs = posted.proof.witnessMs + posted.proof.provingMs;
      const row = await ctx.record({
        system: "zk",
        variant: "batch",
        posting: "calldata",
        batchSize: n,
        txs: [{ label: `submitBatch (${n} transfers)`, hash: posted.receipt.hash, proofVerification: verification }],
        provingMs,
        calldataVaries: true,
        note: `circuit ${config.name} (depth ${config.treeDepth}); witness ${posted.proof.witnessMs} ms + proof ${posted.proof.provingMs} ms`,
      });
      measured.push(row);
      ctx.progress.tick(`zk batch ${n}`);

      if (ctx.profile.blobs) {
        const sent = await hre.ethers.provider.getTransaction(posted.receipt.hash);
        const payload = Buffer.from(sent!.data.slice(10), "hex");
        await ctx.postBlobBatch({
          system: "zk",
          variant: "batch",
          batchSize: n,
          payload,
          postStateRoot: "0x" + posted.built.header.newRoot.toString(16).padStart(64, "0"),
          extraTxs: [{ label: "verifyProof (alone)", hash: verifyTx.hash, proofVerification: verification }],
          calldataVaries: true,
          note:
            "two L1 txs: BlobInbox records the blobs (stand-in) and the verifier checks the same proof; " +
            "a blob-native zk rollup would do both in one tx (21,000 less) plus a 50,000-gas point-evaluation precompile call",
        });
        ctx.progress.tick(`zk blob batch ${n}`);
      }
    }

    // Larger batches, computed from the measured ones (never shown as measured).
    if (measured.length >= 1) addComputedRows(ctx, measured);
  },
};

/**
 * Figures for batch sizes no circuit is built for. With two or more measured sizes each quantity
 * follows a least-squares line in N; with one, every extra operation adds its packed bytes
 * (OP_BYTES) at the calldata and floor prices per byte the measured batch paid, and nothing else:
 * a lower bound.
 */
function addComputedRows(ctx: BenchContext, measured: BenchRow[]): void {
  type Quantity = "bytes" | "floor" | "calldata" | "floorTopUp" | "execution" | "storage" | "proofVerification";
  const valueOf = (r: BenchRow, q: Quantity): number =>
    q === "bytes" ? r.calldataBytes : q === "floor" ? r.floorGasPerTx * r.batchSize : r.split[q];
  const last = measured[measured.length - 1];
  const sizes = measured.map((r) => r.batchSize).join(", ");
  let line: (q: Quantity) => { a: number; b: number };
  let formula: string;
  if (measured.length >= 2) {
    line = (q) => fitLine(measured.map((r) => [r.batchSize, valueOf(r, q)]));
    const g = fitLine(measured.map((r) => [r.batchSize, r.l1Gas]));
    formula = `l1Gas(N) ≈ ${Math.round(g.a)} + ${g.b.toFixed(1)}·N (each part of the split fitted the same way), least squares over measured N = ${sizes}`;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OP_BYTES } = require("../../zk/ops") as typeof import("../../zk/ops");
    const perByte = (q: Quantity) => valueOf(last, q) / last.calldataBytes;
    const slope: Partial<Record<Quantity, number>> = {
      bytes: OP_BYTES,
      floor: OP_BYTES * perByte("floor"),
      calldata: OP_BYTES * perByte("calldata"),
    };
    line = (q) => ({ a: valueOf(last, q) - (slope[q] ?? 0) * last.batchSize, b: slope[q] ?? 0 });
    formula =
      `l1Gas(N) = l1Gas(${last.batchSize}) + (N − ${last.batchSize}) × ${OP_BYTES} bytes × ${perByte("calldata").toFixed(2)} gas per calldata byte ` +
      `(as paid at N = ${last.batchSize}); a lower bound: only one circuit size is built, so per-operation execution is taken as zero; ` +
      `under a hardfork with EIP-7623 the floor (2.5× standard calldata gas) replaces calldata + execution when larger`;
  }
  const at = (q: Quantity, n: number) => {
    const { a, b } = line(q);
    return Math.max(0, Math.round(a + b * n));
  };
  for (const n of COMPUTED_ZK_SIZES) {
    const split = {
      intrinsic: 21_000,
      calldata: at("calldata", n),
      floorTopUp: 0,
      execution: at("execution", n),
      storage: at("storage", n),
      proofVerification: at("proofVerification", n),
    };
    // EIP-7623: calldata at the floor (10 per token, i.e. 2.5× the standard 4 per token) when that
    // exceeds standard calldata plus execution, which happens at large N.
    const standard = split.calldata + split.execution + split.storage + split.proofVerification;
    const floorApplied = hardforkHasFloor(ctx.hardfork) && 2.5 * split.calldata > standard;
    if (floorApplied) split.floorTopUp = Math.round(2.5 * split.calldata - standard);
    const gas = Object.values(split).reduce((x, y) => x + y, 0);
    ctx.addComputed({
      ...last,
      id: `zk/batch/calldata/${n}`,
      batchSize: n,
      measured: false,
      formula,
      l1Txs: 1,
      l1Gas: gas,
      gasPerTx: round(gas / n),
      calldataBytes: at("bytes", n),
      bytesPerTx: round(at("bytes", n) / n),
      floorGasPerTx: round(at("floor", n) / n),
      floorApplied,
      split,
      blobCount: 0,
      blobGasUsed: 0,
      blobGasPerTx: 0,
      provingMs: undefined,
      storageMethod: "not traced",
      note: "computed, not measured: no circuit of this size is built, so no proving time",
    });
  }
}
