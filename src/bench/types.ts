/**
 * The shapes the benchmark passes around: what a workload measured, the row the report is built
 * from, and the assumptions behind every figure that is not a gas measurement.
 */
import type { ByteCounts, GasSplit } from "./calldata";

export type Posting = "calldata" | "blob";
/** `l1` is the baseline: ordinary L1 transactions with no L2 at all. */
export type BenchSystem = "l1" | "optimistic" | "zk" | "channels";
export type ProfileName = "quick" | "full";

/** One L1 transaction a measurement counts. */
export interface L1TxRecord {
  /** What the transaction did ("submitBatch", "open", ...). */
  label: string;
  hash: string;
  /** Gas of the proof verifier this transaction ran, measured by calling the verifier alone. */
  proofVerification?: bigint;
}

/** What a workload reports: L1 transactions that together carried `batchSize` L2 transactions. */
export interface Measurement {
  system: BenchSystem;
  /** The operation measured: "batch", "eth-transfer", "fraud-proof:mint", "lifetime", "open", ... */
  variant: string;
  posting: Posting;
  /** L2 transactions (payments, for channels) the L1 transactions account for; 1 for one operation. */
  batchSize: number;
  txs: L1TxRecord[];
  /** The batch's L2 data when it does not travel as calldata (blob posting): its byte counts. */
  payload?: ByteCounts;
  /** Wall time to build the validity proof(s), in milliseconds (zk only; a timing, never asserted). */
  provingMs?: number;
  /**
   * The calldata differs from run to run (a Groth16 proof is randomised; an optimistic fraud proof carries its
   * batch's record, whose finalAt is a block time), so its count of zero bytes varies: the snapshot then
   * compares gas without calldata.
   */
  calldataVaries?: boolean;
  note?: string;
}

/** The JSON-friendly form of a GasSplit (gas fits a JS number exactly: far below 2^53). */
export type SplitRecord = { [K in keyof GasSplit]: number };

/** One row of bench.json / bench.csv. */
export interface BenchRow {
  /** Stable key: system/variant/posting/batchSize (the snapshot keys rows by it with the hardfork). */
  id: string;
  system: BenchSystem;
  variant: string;
  posting: Posting;
  hardfork: string;
  batchSize: number;
  /** false for a figure computed from a formula over measured rows (see `formula`). */
  measured: boolean;
  formula?: string;
  l1Txs: number;
  l1Gas: number;
  gasPerTx: number;
  /** Calldata bytes of the L1 transactions. */
  calldataBytes: number;
  /** L2 data bytes per L2 transaction: calldata bytes, or blob payload bytes for blob posting. */
  bytesPerTx: number;
  /** The EIP-7623 floor (10 per zero byte, 40 per non-zero byte) for bytesPerTx, without the 21,000. */
  floorGasPerTx: number;
  /** Whether the EIP-7623 floor set the gas of any of the transactions. */
  floorApplied: boolean;
  split: SplitRecord;
  blobCount: number;
  blobGasUsed: number;
  blobGasPerTx: number;
  provingMs?: number;
  /** How `split.storage` was found: "traced" (SSTOREs in the opcode trace) or "not traced". */
  storageMethod: "traced" | "not traced";
  /** See Measurement.calldataVaries. */
  calldataVaries?: boolean;
  note?: string;
  gitRevision: string;
  /** The assumptions in force when the row was written (also at the top of bench.json). */
  assumptions: string;
}

/** An off-chain wall-clock figure (BLS signing, ...): reported beside the gas, never asserted or snapshotted. */
export interface Timing {
  system: BenchSystem;
  /** What was timed ("BLS sign", ...). */
  what: string;
  /** Milliseconds per `per`. */
  ms: number;
  per: string;
  hardfork: string;
  note?: string;
}

/** Prices and limits the economics model uses. Every one is stated in the report and configurable. */
export interface Assumptions {
  /** L1 base fee per gas, wei. */
  baseFeePerGas: bigint;
  /** L1 priority fee (tip) per gas, wei: what the block producer keeps. */
  priorityFeePerGas: bigint;
  /** EIP-4844 blob base fee per blob gas, wei (burnt; block producers earn no tip on blob gas). */
  blobBaseFeePerGas: bigint;
  /** L1 block gas limit. */
  blockGasLimit: bigint;
  /** Most blobs one L1 block may carry. */
  maxBlobsPerBlock: number;
  /** Fee the L2 operator charges per L2 transaction, wei. */
  l2FeePerTx: bigint;
}
