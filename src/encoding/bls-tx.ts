/**
 * The compact transfer and chunk layout of the optimistic rollup's BLS variant,
 * mirrored from contracts/libraries/BlsCodec.sol.
 *
 *   chunk                [signature<96>|txs...]   the aggregate of the chunk's BLS transfers (x<48>|y<48>, zeros: none)
 *   bls transfer (0x06)  [type<1>|from<4>|to<4>|amount<2>|fee<1>]                                      12 bytes
 *
 * amount<2> = [exponent<5 bits>|mantissa<11 bits>], fee<1> = [exponent<5 bits>|mantissa<3 bits>], value =
 * mantissa * 10^exponent. The other txs of a chunk keep their ./tx.ts layouts. The nonce is not carried: the
 * sender signs the message [from<4>|to<4>|amount<32>|fee<32>|nonce<4>] at its nonce in the state the transfer
 * applies to.
 */
import { AmountEncodingError } from "./amount";
import { L2Tx, TxDecodeError, TxEncodeError, decodeTxAt, encodeTx } from "./tx";
import { SIGNATURE_BYTES } from "./bls";

export const BLS_TRANSFER_TYPE = 0x06;
export const BLS_TRANSFER_BYTES = 12;
export const BLS_AMOUNT_MANTISSA_BITS = 11n;
export const BLS_FEE_MANTISSA_BITS = 3n;
const EXPONENT_MAX = 31n;

/** A transfer whose signature is part of its chunk's aggregate. */
export interface BlsTransferTx {
  type: "bls-transfer";
  from: number;
  to: number;
  amount: bigint;
  fee: bigint;
}

/** A BLS transfer as its sender hands it to the operator: with its own signature (compact G1, 96 bytes). */
export interface SignedBlsTransfer extends BlsTransferTx {
  signature: Uint8Array;
}

/** A tx of a BLS chunk. */
export type BlsChunkTx = L2Tx | BlsTransferTx;

function encodeFloat(what: string, value: bigint, mantissaBits: bigint): number {
  if (value < 0n) throw new AmountEncodingError(`${what} ${value} wei is negative`);
  let mantissa = value;
  let exponent = 0n;
  while (mantissa !== 0n && mantissa % 10n === 0n && exponent < EXPONENT_MAX) {
    mantissa /= 10n;
    exponent += 1n;
  }
  if (mantissa >> mantissaBits !== 0n) {
    throw new AmountEncodingError(
      `${what} ${value} wei cannot be encoded exactly in the BLS layout: mantissa ${mantissa} exceeds ` +
        `${(1n << mantissaBits) - 1n}; round it to fewer significant digits`,
    );
  }
  return Number((exponent << mantissaBits) | mantissa);
}

function decodeFloat(packed: number, mantissaBits: bigint): bigint {
  const p = BigInt(packed);
  return (p & ((1n << mantissaBits) - 1n)) * 10n ** (p >> mantissaBits);
}

/** The 16-bit packed form of a BLS transfer's amount. */
export function encodeBlsAmount(value: bigint): number {
  return encodeFloat("amount", value, BLS_AMOUNT_MANTISSA_BITS);
}

/** The wei value of a 16-bit packed BLS amount. */
export function decodeBlsAmount(packed: number): bigint {
  return decodeFloat(packed, BLS_AMOUNT_MANTISSA_BITS);
}

/** The 8-bit packed form of a BLS transfer's fee. */
export function encodeBlsFee(value: bigint): number {
  return encodeFloat("fee", value, BLS_FEE_MANTISSA_BITS);
}

/** The wei value of an 8-bit packed BLS fee. */
export function decodeBlsFee(packed: number): bigint {
  return decodeFloat(packed, BLS_FEE_MANTISSA_BITS);
}

/** True when `amount` and `fee` both have exact BLS encodings. */
export function isBlsEncodable(amount: bigint, fee: bigint): boolean {
  try {
    encodeBlsAmount(amount);
    encodeBlsFee(fee);
    return true;
  } catch {
    return false;
  }
}

function checkUint32(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new TxEncodeError(`${what} ${value} does not fit 4 bytes`);
  }
}

/** The 12 packed bytes of a BLS transfer. */
export function encodeBlsTransfer(t: BlsTransferTx): Buffer {
  checkUint32("bls transfer: from", t.from);
  checkUint32("bls transfer: to", t.to);
  const out = Buffer.alloc(BLS_TRANSFER_BYTES);
  out[0] = BLS_TRANSFER_TYPE;
  out.writeUInt32BE(t.from, 1);
  out.writeUInt32BE(t.to, 5);
  out.writeUInt16BE(encodeBlsAmount(t.amount), 9);
  out.writeUInt8(encodeBlsFee(t.fee), 11);
  return out;
}

/** The packed bytes of one tx of a BLS chunk. */
export function encodeBlsChunkTx(tx: BlsChunkTx): Buffer {
  return tx.type === "bls-transfer" ? encodeBlsTransfer(tx) : encodeTx(tx);
}

/** Decodes the tx of a BLS chunk at `offset` (throws TxDecodeError when it is unknown or truncated). */
export function decodeBlsChunkTxAt(data: Buffer, offset: number): { tx: BlsChunkTx; length: number } {
  if (data[offset] !== BLS_TRANSFER_TYPE) return decodeTxAt(data, offset);
  if (offset + BLS_TRANSFER_BYTES > data.length) {
    throw new TxDecodeError(
      `tx at byte ${offset}: bls-transfer needs 12 bytes, only ${data.length - offset} left`,
      offset,
    );
  }
  return {
    tx: {
      type: "bls-transfer",
      from: data.readUInt32BE(offset + 1),
      to: data.readUInt32BE(offset + 5),
      amount: decodeBlsAmount(data.readUInt16BE(offset + 9)),
      fee: decodeBlsFee(data[offset + 11]),
    },
    length: BLS_TRANSFER_BYTES,
  };
}

/** The bytes of a BLS chunk: its compact aggregate signature, then its txs. */
export function encodeBlsChunk(signature: Uint8Array, txs: readonly BlsChunkTx[]): Buffer {
  if (signature.length !== SIGNATURE_BYTES) {
    throw new TxEncodeError(`bls chunk: signature has ${signature.length} bytes, expected ${SIGNATURE_BYTES}`);
  }
  return Buffer.concat([Buffer.from(signature), ...txs.map(encodeBlsChunkTx)]);
}

/** The signature and txs of a BLS chunk (throws TxDecodeError naming the first byte that does not decode). */
export function decodeBlsChunk(bytes: Uint8Array): { signature: Buffer; txs: BlsChunkTx[] } {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < SIGNATURE_BYTES) {
    throw new TxDecodeError(`bls chunk of ${data.length} bytes has no ${SIGNATURE_BYTES}-byte signature`, 0);
  }
  const txs: BlsChunkTx[] = [];
  let offset = SIGNATURE_BYTES;
  while (offset < data.length) {
    const { tx, length } = decodeBlsChunkTxAt(data, offset);
    txs.push(tx);
    offset += length;
  }
  return { signature: data.subarray(0, SIGNATURE_BYTES), txs };
}

/** The message a BLS transfer's sender signs at nonce `nonce`: [from<4>|to<4>|amount<32>|fee<32>|nonce<4>]. */
export function blsTransferMessage(t: Omit<BlsTransferTx, "type">, nonce: number): Buffer {
  const out = Buffer.alloc(76);
  out.writeUInt32BE(t.from, 0);
  out.writeUInt32BE(t.to, 4);
  Buffer.from(t.amount.toString(16).padStart(64, "0"), "hex").copy(out, 8);
  Buffer.from(t.fee.toString(16).padStart(64, "0"), "hex").copy(out, 40);
  out.writeUInt32BE(nonce, 72);
  return out;
}
