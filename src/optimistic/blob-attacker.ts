/**
 * A hostile operator's blob batches (params.posting "blob"), for attack tests and the scenario driver's `attack`
 * steps: submitBlobBatch's calldata encoded by hand (standard, or in an encoding only Solidity's decoder accepts)
 * and a type-3 transaction signed with the attacker's own key, carrying whatever blobs it picks, sent to whatever
 * endpoint it picks (the archive, or the node around it). Nothing here goes through ./operator.ts.
 */
import { AbiCoder, Interface, TransactionReceipt, concat, getBytes, hexlify } from "ethers";
import type { HDNodeWallet, Wallet } from "ethers";
import { BYTES_PER_BLOB, encodeBlobs } from "../encoding/blob";
import { ethersKzg, type Kzg } from "../encoding/kzg";
import { RawBatch, rawBatch } from "./attacker";
import type { BuiltBatch } from "./operator";

const STATE_TUPLE = "tuple(bytes32 stateRoot, bytes32 exitRoot, uint64 depositCursor, uint64 forcedCursor)[]";

/** The arguments of submitBlobBatch, and the blobs its transaction carries. */
export interface RawBlobBatch extends Omit<RawBatch, "chunks"> {
  lengths: number[];
  blobs: Uint8Array[];
}

/** A built batch as a blob batch: its chunks laid out in blobs (src/encoding/blob.ts), their lengths in calldata. */
export function rawBlobBatch(built: BuiltBatch, feeRecipient: string): RawBlobBatch {
  const { chunks: _chunks, ...rest } = rawBatch(built, feeRecipient);
  return { ...rest, lengths: built.chunks.map((c) => c.length), blobs: encodeBlobs(built.chunks) };
}

/** submitBlobBatch's calldata in the standard ABI encoding. */
export function standardBlobCalldata(iface: Interface, batch: Omit<RawBlobBatch, "blobs">): string {
  return iface.encodeFunctionData("submitBlobBatch", [
    batch.lengths,
    batch.states,
    batch.feeRecipient,
    batch.feeAccount,
  ]);
}

/**
 * submitBlobBatch's calldata in an encoding Solidity's decoder accepts but that is not the standard one: the tail of
 * `states` comes before the tail of `chunkLengths` (oddCalldata's reordering; a uint32[] has no padding to drop).
 */
export function oddBlobCalldata(iface: Interface, batch: Omit<RawBlobBatch, "blobs">): string {
  const coder = AbiCoder.defaultAbiCoder();
  const statesTail = getBytes(coder.encode([STATE_TUPLE], [batch.states])).slice(32);
  const lengthsTail = getBytes(coder.encode(["uint32[]"], [batch.lengths])).slice(32);
  const head = getBytes(
    coder.encode(
      ["uint256", "uint256", "address", "uint32"],
      [128 + statesTail.length, 128, batch.feeRecipient, batch.feeAccount],
    ),
  );
  return hexlify(concat([iface.getFunction("submitBlobBatch")!.selector, head, statesTail, lengthsTail]));
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
