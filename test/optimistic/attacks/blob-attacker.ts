/**
 * A hostile operator's blob batches, written straight against the ABI: submitBlobBatch's calldata in the standard
 * encoding (a chunk root of its choosing) and a type-3 transaction signed with the operator's own key, carrying
 * whatever blobs the attacker picks
 * (src/optimistic/blob-attacker.ts, which the scenario driver's attack steps use too). Nothing here goes through
 * src/optimistic/operator.ts.
 */
import { keccak256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import type { Kzg } from "../../../src/encoding/kzg";
import { blobBatchOf, type HeaderEntry } from "../../../src/optimistic/blob-batch";
import type { OptimisticRollup } from "../../../typechain-types";
import { filledBlob, sendBlobTx, standardBlobCalldata } from "../../../src/optimistic/blob-attacker";
import { RawChunkState, emptyExitRoot } from "./attacker";
import { tipRecord } from "../../../src/optimistic/records";

/** A chunk state that keeps the tip's state: only the chunk's bytes can be wrong. */
export async function tipState(rollup: OptimisticRollup): Promise<RawChunkState> {
  const tip = await tipRecord(rollup);
  return {
    stateRoot: tip.stateRoot,
    exitRoot: emptyExitRoot(Number(await rollup.CHUNK_SIZE())),
    depositCursor: tip.depositEnd,
    forcedCursor: tip.forcedEnd,
  };
}

/**
 * submitBlobBatch's calldata for a batch of `chunkCount` chunks ending in `last`, under chunk root `root` (one
 * nobody can open, unless given): what an operator posts whatever its blobs hold.
 */
export function submitBlobBatchData(
  rollup: OptimisticRollup,
  chunkCount: number,
  last: RawChunkState,
  feeRecipient: string,
  feeAccount: number,
  root = keccak256(toUtf8Bytes("a chunk root of nothing")),
): string {
  return standardBlobCalldata(rollup.interface, { chunksRoot: root, chunkCount, last, feeRecipient, feeAccount });
}

/** A header entry with `state` for a chunk of `byteLength` bytes (./blob-batch.ts layout). */
export function headerEntry(state: RawChunkState, byteLength: number): HeaderEntry {
  return {
    byteLength,
    stateRoot: Buffer.from(state.stateRoot.slice(2), "hex"),
    exitRoot: Buffer.from(state.exitRoot.slice(2), "hex"),
    depositCursor: state.depositCursor,
    forcedCursor: state.forcedCursor,
  };
}

/** An honest layout of `chunks` (the header, the blobs, the root they give), each chunk ending in `state`. */
export function laidOutBlobBatch(
  rollup: OptimisticRollup,
  kzg: Kzg,
  chunks: Buffer[],
  state: RawChunkState,
  feeRecipient: string,
  feeAccount: number,
): { data: string; blobs: Uint8Array[] } {
  const entry = headerEntry(state, 0);
  const { args, built } = blobBatchOf(
    kzg,
    chunks,
    chunks.map(() => entry),
    feeRecipient,
    feeAccount,
  );
  return { data: standardBlobCalldata(rollup.interface, args), blobs: built.blobs };
}

export { filledBlob, sendBlobTx };

/** The custom error a failed send reverted with, by name. */
export function revertName(rollup: OptimisticRollup, outcome: TransactionReceipt | Error): string {
  if (!(outcome instanceof Error)) return "accepted";
  const data = (outcome as { data?: string }).data ?? /data="(0x[0-9a-f]*)"/.exec(outcome.message)?.[1];
  const parsed = data ? rollup.interface.parseError(data) : null;
  return parsed?.name ?? outcome.message;
}
