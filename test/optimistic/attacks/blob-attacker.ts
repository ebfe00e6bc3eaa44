/**
 * A hostile operator's blob batches, written straight against the ABI: submitBlobBatch's calldata in the standard
 * encoding and a type-3 transaction signed with the operator's own key, carrying whatever blobs the attacker picks.
 * Nothing here goes through src/optimistic/operator.ts.
 */
import { ethers } from "hardhat";
import type { HDNodeWallet, TransactionReceipt } from "ethers";
import type { OptimisticRollup } from "../../../typechain-types";
import { ethersKzg, type Kzg } from "../../../src/encoding/kzg";
import { BYTES_PER_BLOB } from "../../../src/encoding/blob";
import { RawChunkState, emptyExitRoot } from "./attacker";

/** A chunk state that keeps the tip's state: only the chunk's bytes can be wrong. */
export async function tipState(rollup: OptimisticRollup): Promise<RawChunkState> {
  const tip = await rollup.getBatch(await rollup.tipId());
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
  return rollup.interface.encodeFunctionData("submitBlobBatch", [lengths, states, feeRecipient, feeAccount]);
}

/** A blob of `byte` repeated (element high bytes kept zero so the blob is valid). */
export function filledBlob(byte: number): Uint8Array {
  const blob = new Uint8Array(BYTES_PER_BLOB).fill(byte);
  for (let at = 0; at < BYTES_PER_BLOB; at += 32) blob[at] = 0;
  return blob;
}

/**
 * Sends `data` to `to` from `wallet` as a type-3 transaction with `blobs` (type 2 when there are none), straight to
 * `send` (the archive, or the node itself). Returns the receipt, or the error it caused.
 */
export async function sendBlobTx(
  wallet: HDNodeWallet,
  kzg: Kzg,
  to: string,
  data: string,
  blobs: Uint8Array[],
  send: (raw: string) => Promise<string>,
): Promise<TransactionReceipt | Error> {
  try {
    const request =
      blobs.length === 0
        ? { to, data, gasLimit: 2_000_000n }
        : { type: 3, to, data, blobs, kzg: ethersKzg(kzg), gasLimit: 2_000_000n, maxFeePerBlobGas: 10n ** 12n };
    const hash = await send(await wallet.signTransaction(await wallet.populateTransaction(request)));
    return (await (await ethers.provider.getTransaction(hash))!.wait())!;
  } catch (error) {
    return error as Error;
  }
}

/** The custom error a failed send reverted with, by name. */
export function revertName(rollup: OptimisticRollup, outcome: TransactionReceipt | Error): string {
  if (!(outcome instanceof Error)) return "accepted";
  const data = (outcome as { data?: string }).data ?? /data="(0x[0-9a-f]*)"/.exec(outcome.message)?.[1];
  const parsed = data ? rollup.interface.parseError(data) : null;
  return parsed?.name ?? outcome.message;
}
