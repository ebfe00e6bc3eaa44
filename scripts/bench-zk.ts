/**
 * zk rollup benchmark: `npx hardhat run scripts/bench-zk.ts` (ZK_BENCH_SIZES="4,8,16,32", default "2,4,8,16").
 *
 * For each batch size N it builds the circuit from source (circom2 + the development ceremony; cached in
 * .zk-cache/, so a second run reports setup as cached), then on the in-process Hardhat chain:
 *   - N people deposit and one batch of N deposits is proven and posted,
 *   - one batch of N signed transfers (each with a fee) is proven and posted: the measured batch.
 * It reports constraints (total and per slot), setup, witness and proving time, and the L1 gas of the
 * transfer batch split into verification (the verifier's pairing check, as eth_estimateGas of verifyProof
 * minus the 21,000 base), data (calldata of the packed ops) and the rest (base cost, proof calldata, sha256,
 * deposit and exit bookkeeping, storage, events), and per operation against a 21,000-gas ETH transfer.
 *
 * Progress on stderr; a table on stdout; JSON with the git revision in bench/out/zk.json. Nothing here
 * asserts a time: it measures. Importing this file runs nothing (`benchZk` is the entry point).
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployZkRollup } from "./deploy-zk";
import { circuitForBatchSize, loadCircuit } from "../src/zk/circuit";
import { ZkKey } from "../src/zk/keys";
import { ZkOperator } from "../src/zk/operator";
import { terminateProver } from "../src/zk/prover";
import { ZkState, signTransfer } from "../src/zk/state";

export interface ZkBenchRow {
  batchSize: number;
  treeDepth: number;
  constraints: number;
  constraintsPerSlot: number;
  ptauPower: number;
  setupSeconds: number;
  setupCached: boolean;
  witnessMs: number;
  provingMs: number;
  batchGas: number;
  verificationGas: number;
  dataGas: number;
  otherGas: number;
  gasPerOp: number;
  belowPlainTransfer: boolean;
}

const ETH = 10n ** 18n;
const PLAIN_TRANSFER_GAS = 21_000;

/** Calldata gas of `bytes` at the standard rate (EIP-2028: 4 per zero byte, 16 per non-zero byte). */
function calldataGas(bytes: Uint8Array): number {
  let gas = 0;
  for (const b of bytes) gas += b === 0 ? 4 : 16;
  return gas;
}

export async function benchBatchSize(hre: HardhatRuntimeEnvironment, batchSize: number): Promise<ZkBenchRow> {
  const config = circuitForBatchSize(batchSize);
  const log = (m: string) => process.stderr.write(`[zk bench N=${batchSize}] ${m}\n`);
  let built = false;
  const t0 = Date.now();
  const circuit = await loadCircuit(config, (m) => {
    // The constraint count is reported on every run; anything else means something was built.
    if (!/constraints, powers of tau/.test(m)) built = true;
    log(m);
  });
  const setupSeconds = (Date.now() - t0) / 1000;

  const signers = await hre.ethers.getSigners();
  if (signers.length < batchSize + 1)
    throw new Error(`bench: N = ${batchSize} needs ${batchSize + 1} Hardhat accounts`);
  const operatorKey = await ZkKey.fromSeed(new Uint8Array(32).fill(0xee));
  const keys = await Promise.all(
    Array.from({ length: batchSize }, (_, i) => ZkKey.fromSeed(new Uint8Array(32).fill(i + 1))),
  );
  const deployment = await deployZkRollup(hre, {
    circuit: config,
    operator: signers[0],
    operatorKey: operatorKey.publicKey,
  });
  const { rollup } = deployment;
  const genesis = await ZkState.genesis(config.treeDepth, operatorKey.publicKey, await rollup.domain());
  const operator = new ZkOperator(rollup, circuit, genesis);

  log(`${batchSize} deposits`);
  for (let i = 0; i < batchSize; i++) {
    await (
      await rollup.connect(signers[i + 1]).deposit(keys[i].publicKey.ax, keys[i].publicKey.ay, { value: ETH })
    ).wait();
  }
  await operator.sync();
  await operator.postNext(log);

  log(`${batchSize} transfers`);
  const state = operator.pendingState;
  for (let i = 0; i < batchSize; i++) {
    const to = ((i + 1) % batchSize) + 1;
    operator.submit(signTransfer(state, keys[i], { from: i + 1, to, amount: ETH / 10n, fee: ETH / 1000n, nonce: 0n }));
  }
  const prepared = await operator.prepareNext(log);
  const posted = await operator.post(prepared);
  const batchGas = Number(posted.receipt.gasUsed);

  const verifier = await hre.ethers.getContractAt("IZkBatchVerifier", deployment.addresses.verifier);
  const { a, b, c } = prepared.proof.proof;
  const verifyTx = await verifier.verifyProof.populateTransaction(a, b, c, [
    prepared.built.commitment,
    await rollup.domain(),
  ]);
  const verifyEstimate = Number(await hre.ethers.provider.estimateGas(verifyTx));
  const verificationGas = verifyEstimate - PLAIN_TRANSFER_GAS;
  const dataGas = calldataGas(prepared.built.opsBytes);
  const r1csConstraints = circuit.artifacts.constraints;
  return {
    batchSize,
    treeDepth: config.treeDepth,
    constraints: r1csConstraints,
    constraintsPerSlot: Math.round(r1csConstraints / batchSize),
    ptauPower: circuit.artifacts.power,
    setupSeconds,
    setupCached: !built,
    witnessMs: prepared.proof.witnessMs,
    provingMs: prepared.proof.provingMs,
    batchGas,
    verificationGas,
    dataGas,
    otherGas: batchGas - verificationGas - dataGas,
    gasPerOp: Math.round(batchGas / batchSize),
    belowPlainTransfer: batchGas / batchSize < PLAIN_TRANSFER_GAS,
  };
}

/** Runs the benchmark for each size in turn; `onRow` sees each row as soon as it is measured. */
export async function benchZk(
  hre: HardhatRuntimeEnvironment,
  sizes: number[],
  onRow: (row: ZkBenchRow, rows: ZkBenchRow[]) => void = () => {},
): Promise<ZkBenchRow[]> {
  const rows: ZkBenchRow[] = [];
  try {
    for (const n of sizes) {
      rows.push(await benchBatchSize(hre, n));
      onRow(rows[rows.length - 1], rows);
    }
  } finally {
    await terminateProver();
  }
  return rows;
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hre = require("hardhat") as HardhatRuntimeEnvironment;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Table = require("cli-table3") as typeof import("cli-table3");
  const { gitRevision } = await import("../src/bench/git");
  const sizes = (process.env.ZK_BENCH_SIZES ?? "2,4,8,16").split(",").map((s) => Number(s.trim()));
  const out = join(__dirname, "..", "bench", "out");
  mkdirSync(out, { recursive: true });
  const assumptions = {
    network: "Hardhat in-process (osaka), optimizer on",
    batch: "N signed transfers with a fee, after a batch of N deposits",
    verification: "eth_estimateGas(verifyProof) - 21,000",
    data: "calldata of the packed ops (14 bytes per slot) at 4/16 gas per byte",
    setup: "development ceremony (INSECURE: public toxic waste)",
  };
  const revision = gitRevision(join(__dirname, ".."));
  // Written after every size, so a long run keeps what it measured.
  const rows = await benchZk(hre, sizes, (row, all) => {
    process.stderr.write(`[zk bench] ${JSON.stringify(row)}\n`);
    writeFileSync(join(out, "zk.json"), `${JSON.stringify({ revision, assumptions, rows: all }, null, 2)}\n`);
  });
  const table = new Table({
    head: [
      "N",
      "constraints",
      "per slot",
      "2^K",
      "setup s",
      "witness ms",
      "prove ms",
      "batch gas",
      "verify",
      "data",
      "other",
      "gas/op",
    ],
  });
  for (const r of rows) {
    table.push([
      r.batchSize,
      r.constraints,
      r.constraintsPerSlot,
      r.ptauPower,
      r.setupCached ? "cached" : r.setupSeconds.toFixed(0),
      r.witnessMs,
      r.provingMs,
      r.batchGas,
      r.verificationGas,
      r.dataGas,
      r.otherGas,
      `${r.gasPerOp}${r.belowPlainTransfer ? " (< 21,000)" : ""}`,
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
  process.stderr.write(`wrote bench/out/zk.json\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exitCode = 1;
  });
}
