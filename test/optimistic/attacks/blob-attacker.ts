/**
 * A hostile operator's blob batches, written straight against the ABI: submitBlobBatch's calldata in the standard
 * encoding and a type-3 transaction signed with the operator's own key, carrying whatever blobs the attacker picks
 * (src/optimistic/blob-attacker.ts, which the scenario driver's attack steps use too). Nothing here goes through
 * src/optimistic/operator.ts.
 */
import type { TransactionReceipt } from "ethers";
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

/** submitBlobBatch's calldata in the standard ABI encoding. */
export function submitBlobBatchData(
  rollup: OptimisticRollup,
  lengths: number[],
  states: RawChunkState[],
  feeRecipient: string,
  feeAccount: number,
): string {
  return standardBlobCalldata(rollup.interface, { lengths, states, feeRecipient, feeAccount });
}

export { filledBlob, sendBlobTx };

/** The custom error a failed send reverted with, by name. */
export function revertName(rollup: OptimisticRollup, outcome: TransactionReceipt | Error): string {
  if (!(outcome instanceof Error)) return "accepted";
  const data = (outcome as { data?: string }).data ?? /data="(0x[0-9a-f]*)"/.exec(outcome.message)?.[1];
  const parsed = data ? rollup.interface.parseError(data) : null;
  return parsed?.name ?? outcome.message;
}
