/**
 * A hostile operator's blob batches (params.posting "blob"), for attack tests and the scenario driver's `attack`
 * steps: submitBlobBatch's calldata encoded by hand (standard, or with bytes Solidity's decoder ignores)
 * and a type-3 transaction signed with the attacker's own key, carrying whatever blobs it picks, sent to whatever
 * endpoint it picks (the archive, or the node around it). Nothing here goes through ./operator.ts.
 */
import { Interface, TransactionReceipt, concat, getBytes, hexlify } from "ethers";
import type { HDNodeWallet, Wallet } from "ethers";
import { BYTES_PER_BLOB } from "../encoding/blob";
import { ethersKzg, type Kzg } from "../encoding/kzg";
import { blobBatchCalldata, blobBatchOf, type BlobBatchArgs } from "./blob-batch";
import type { BuiltBatch } from "./operator";

/** submitBlobBatch's arguments, and the blobs its transaction carries. */
export interface RawBlobBatch extends BlobBatchArgs {
  blobs: Uint8Array[];
}

/** A built batch as a blob batch: its header and chunks laid out in blobs (./blob-batch.ts), its root in calldata. */
export function rawBlobBatch(kzg: Kzg, built: BuiltBatch, feeRecipient: string): RawBlobBatch {
  const { args, built: laidOut } = blobBatchOf(kzg, built.chunks, built.states, feeRecipient, built.feeAccount);
  return { ...args, blobs: laidOut.blobs };
}

/** submitBlobBatch's calldata in the standard ABI encoding. */
export function standardBlobCalldata(iface: Interface, batch: BlobBatchArgs): string {
  return blobBatchCalldata(iface, batch);
}

/**
 * submitBlobBatch's calldata in an encoding Solidity's decoder accepts but that is not the standard one: every
 * argument is static, so the only freedom left is bytes after the arguments (a word of zeros here).
 */
export function oddBlobCalldata(iface: Interface, batch: BlobBatchArgs): string {
  return hexlify(concat([getBytes(blobBatchCalldata(iface, batch)), new Uint8Array(32)]));
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
  wallet: HDNodeWallet | Wallet,
  kzg: Kzg,
  to: string,
  data: string,
  blobs: Uint8Array[],
  send: (raw: string) => Promise<string>,
  gasLimit = 2_000_000n,
): Promise<TransactionReceipt | Error> {
  try {
    const request =
      blobs.length === 0
        ? { to, data, gasLimit }
        : { type: 3, to, data, blobs, kzg: ethersKzg(kzg), gasLimit, maxFeePerBlobGas: 10n ** 12n };
    const hash = await send(await wallet.signTransaction(await wallet.populateTransaction(request)));
    const receipt = await (await wallet.provider!.getTransaction(hash))!.wait();
    if (!receipt) throw new Error(`blob transaction ${hash}: no receipt`);
    return receipt;
  } catch (error) {
    return error as Error;
  }
}
