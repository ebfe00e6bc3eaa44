/**
 * Turns a workload's measurement (L1 transaction hashes) into a benchmark row: receipts, calldata
 * bytes, the EIP-7623 floor, the opcode trace for storage and the gas split.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { addSplits, countBytes, emptySplit, floorCalldataGas, splitGas, splitTotal, type GasSplit } from "./calldata";
import { traceExecution } from "./trace";
import { BLOB_GAS_PER_BLOB } from "./blobs";
import type { BenchRow, Measurement, SplitRecord } from "./types";

/** Transactions whose execution exceeds this are not traced (their trace would take minutes). */
export const TRACE_EXECUTION_LIMIT = 8_000_000n;

export class MeasurementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MeasurementError";
  }
}

export function rowId(system: string, variant: string, posting: string, batchSize: number): string {
  return `${system}/${variant}/${posting}/${batchSize}`;
}

export function splitRecord(split: GasSplit): SplitRecord {
  return {
    intrinsic: Number(split.intrinsic),
    calldata: Number(split.calldata),
    floorTopUp: Number(split.floorTopUp),
    execution: Number(split.execution),
    storage: Number(split.storage),
    proofVerification: Number(split.proofVerification),
  };
}

interface RowContext {
  hre: HardhatRuntimeEnvironment;
  hardfork: string;
  gitRevision: string;
  assumptions: string;
}

export async function analyzeMeasurement(ctx: RowContext, m: Measurement): Promise<BenchRow> {
  const id = rowId(m.system, m.variant, m.posting, m.batchSize);
  if (m.txs.length === 0) throw new MeasurementError(`${id}: no L1 transactions to measure`);
  if (!(m.batchSize > 0)) throw new MeasurementError(`${id}: batchSize must be positive, got ${m.batchSize}`);
  const provider = ctx.hre.ethers.provider;
  let total = emptySplit();
  let l1Gas = 0n;
  let calldataBytes = 0;
  let floorGas = 0n;
  let floorApplied = false;
  let blobCount = 0;
  let blobGasUsed = 0;
  let traced = true;

  for (const record of m.txs) {
    const [tx, receipt] = await Promise.all([
      provider.getTransaction(record.hash),
      provider.getTransactionReceipt(record.hash),
    ]);
    if (!tx || !receipt) throw new MeasurementError(`${id}: transaction ${record.hash} (${record.label}) not found`);
    if (receipt.status !== 1)
      throw new MeasurementError(`${id}: transaction ${record.hash} (${record.label}) reverted`);
    const counts = countBytes(tx.data);
    calldataBytes += counts.zeroBytes + counts.nonZeroBytes;
    floorGas += floorCalldataGas(counts);
    l1Gas += receipt.gasUsed;

    const standardExecution = receipt.gasUsed - 21_000n - 4n * BigInt(counts.zeroBytes + 4 * counts.nonZeroBytes);
    let storage = 0n;
    let tracedExecution: bigint | undefined;
    // When gasUsed equals the floor for these bytes the floor may have set the price: only the trace
    // tells execution apart from the floor's top-up, so such a transaction is always traced.
    const floorCandidate = receipt.gasUsed === 21_000n + floorCalldataGas(counts);
    if (floorCandidate || standardExecution <= TRACE_EXECUTION_LIMIT) {
      const trace = await traceExecution(ctx.hre.network.provider, record.hash);
      storage = trace.storage;
      tracedExecution = trace.execution;
    } else traced = false;

    const proofVerification = record.proofVerification ?? 0n;
    const { split, floorApplied: applied } = splitGas({
      gasUsed: receipt.gasUsed,
      counts,
      hardfork: ctx.hardfork,
      tracedExecution,
      storage,
      proofVerification,
    });
    if (splitTotal(split) !== receipt.gasUsed) {
      throw new MeasurementError(
        `${id}: split of ${record.hash} adds to ${splitTotal(split)}, receipt says ${receipt.gasUsed}`,
      );
    }
    floorApplied ||= applied;
    total = addSplits(total, split);

    if (tx.type === 3) {
      const block = (await ctx.hre.network.provider.send("eth_getBlockByNumber", [
        "0x" + receipt.blockNumber.toString(16),
        false,
      ])) as { blobGasUsed?: string; transactions: string[] };
      if (block.transactions.length !== 1) {
        throw new MeasurementError(
          `${id}: blob transaction ${record.hash} shares its block; blobGasUsed would be ambiguous`,
        );
      }
      const used = Number(BigInt(block.blobGasUsed ?? "0x0"));
      blobGasUsed += used;
      // The node's transaction objects may omit blobVersionedHashes; the header's blob gas is exact.
      blobCount += used / BLOB_GAS_PER_BLOB;
    }
  }

  // Blob rows price their payload as if it were calldata: how far the blob's gas is from that floor.
  const bytesPerTx = m.payload
    ? (m.payload.zeroBytes + m.payload.nonZeroBytes) / m.batchSize
    : calldataBytes / m.batchSize;
  const floorGasPerTx = Number(m.payload ? floorCalldataGas(m.payload) : floorGas) / m.batchSize;
  return {
    id,
    system: m.system,
    variant: m.variant,
    posting: m.posting,
    hardfork: ctx.hardfork,
    batchSize: m.batchSize,
    measured: true,
    l1Txs: m.txs.length,
    l1Gas: Number(l1Gas),
    gasPerTx: round(Number(l1Gas) / m.batchSize),
    calldataBytes,
    bytesPerTx: round(bytesPerTx),
    floorGasPerTx: round(floorGasPerTx),
    floorApplied,
    split: splitRecord(total),
    blobCount,
    blobGasUsed,
    blobGasPerTx: round(blobGasUsed / m.batchSize),
    provingMs: m.provingMs,
    storageMethod: traced ? "traced" : "not traced",
    calldataVaries: m.calldataVaries,
    note: m.note,
    gitRevision: ctx.gitRevision,
    assumptions: ctx.assumptions,
  };
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
