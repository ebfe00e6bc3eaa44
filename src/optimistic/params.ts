/**
 * Default parameters of the optimistic rollup, in one place. Scenarios may
 * override challengePeriod, bond, batchSize and forceInclusionDelay.
 */
import { parseEther } from "ethers";

export interface OptimisticParams {
  /** Seconds a batch stays challengeable; exits wait this long. */
  challengePeriod: number;
  /** Wei the operator bonds; half goes to a successful challenger, half is burnt. */
  bond: bigint;
  /** Max L2 txs the operator puts in one batch. */
  batchSize: number;
  /** Seconds the operator has to process a forced withdrawal before anyone may freeze the rollup. */
  forceInclusionDelay: number;
  /** Seconds a deposit may wait unconsumed before anyone may freeze the rollup (its depositor then takes it back). */
  depositDeadline: number;
  /** Txs per chunk: a fraud proof re-executes one chunk (a power of two up to 256). */
  chunkSize: number;
}

export const DEFAULT_PARAMS: Readonly<OptimisticParams> = {
  challengePeriod: 7 * 24 * 3600,
  bond: parseEther("1"),
  batchSize: 512,
  forceInclusionDelay: 24 * 3600,
  depositDeadline: 24 * 3600,
  chunkSize: 32,
};

/** Depth of the account tree: one leaf per 4-byte account index. Matches ChunkExecutor.ACCOUNT_TREE_DEPTH. */
export const ACCOUNT_TREE_DEPTH = 32;
/** Depth of the tree over a batch's chunk commitments. Matches OptimisticRollup.CHUNK_TREE_DEPTH. */
export const CHUNK_TREE_DEPTH = 8;
/** Largest tx in bytes (a withdrawal): a chunk holds at most chunkSize of them. */
export const MAX_TX_BYTES = 101;

/** log2 of the chunk size: the depth of each chunk's exit tree. */
export function exitTreeDepth(chunkSize: number): number {
  return Math.log2(chunkSize);
}
