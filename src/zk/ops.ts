/**
 * The packed operations a zk batch publishes on L1, mirrored by contracts/zk/ZkOps.sol and
 * circuits/lib/operation.circom. One slot is 14 bytes, big-endian:
 *
 *   [type<1>|from<3>|to<3>|amount<5>|fee<2>]   amount: Float40 code, fee: Float16 code (src/zk/float.ts)
 *
 * A batch of a circuit with N slots publishes exactly N slots; unused ones are no-ops (all zero).
 */
import { EncodingError } from "./errors";
import { FLOAT16, FLOAT40, decodeFloat, encodeFloat } from "./float";

export enum OpType {
  Noop = 0,
  Deposit = 1,
  Transfer = 2,
  Withdraw = 3,
  ForcedExit = 4,
  ForcedExitRefused = 5,
}

export const OP_BYTES = 14;
/** Account indices are 3 bytes in the layout; a tree deeper than 24 levels would not fit. */
export const INDEX_BITS = 24;

/** One slot as the layout carries it (amount and fee as their float codes). */
export interface PackedOp {
  type: OpType;
  from: number;
  to: number;
  amountCode: bigint;
  feeCode: bigint;
}

export const NOOP: PackedOp = { type: OpType.Noop, from: 0, to: 0, amountCode: 0n, feeCode: 0n };

function checkIndex(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 1 << INDEX_BITS) {
    throw new EncodingError(`${what} ${value} does not fit ${INDEX_BITS} bits`);
  }
}

/** The slot as one 112-bit number: what the sender signs (with the nonce) and the circuit rebuilds. */
export function packOp(op: PackedOp): bigint {
  if (!(op.type in OpType) || op.type < 0 || op.type > 5) throw new EncodingError(`op type ${op.type} is unknown`);
  checkIndex(op.from, "op from");
  checkIndex(op.to, "op to");
  decodeFloat(op.amountCode, FLOAT40);
  decodeFloat(op.feeCode, FLOAT16);
  return (
    (BigInt(op.type) << 104n) | (BigInt(op.from) << 80n) | (BigInt(op.to) << 56n) | (op.amountCode << 16n) | op.feeCode
  );
}

/** The 14 bytes of one slot. */
export function encodeOp(op: PackedOp): Uint8Array {
  let value = packOp(op);
  const out = new Uint8Array(OP_BYTES);
  for (let i = OP_BYTES - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** Reads one slot; throws on a wrong length or an unknown type. */
export function decodeOp(bytes: Uint8Array): PackedOp {
  if (bytes.length !== OP_BYTES) throw new EncodingError(`op: ${bytes.length} bytes, expected ${OP_BYTES}`);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const type = Number(value >> 104n);
  if (type > 5) throw new EncodingError(`op: type byte ${type} is not an op type (0 to 5)`);
  return {
    type: type as OpType,
    from: Number((value >> 80n) & 0xffffffn),
    to: Number((value >> 56n) & 0xffffffn),
    amountCode: (value >> 16n) & 0xffffffffffn,
    feeCode: value & 0xffffn,
  };
}

/** N slots: the ops, then no-ops up to `slots`. */
export function encodeOps(ops: readonly PackedOp[], slots: number): Uint8Array {
  if (ops.length > slots) throw new EncodingError(`batch: ${ops.length} ops do not fit ${slots} slots`);
  const out = new Uint8Array(slots * OP_BYTES);
  ops.forEach((op, i) => out.set(encodeOp(op), i * OP_BYTES));
  return out;
}

/** Every slot of a packed batch; throws if the length is not a whole number of slots. */
export function decodeOps(bytes: Uint8Array): PackedOp[] {
  if (bytes.length % OP_BYTES !== 0) {
    throw new EncodingError(`ops: ${bytes.length} bytes is not a whole number of ${OP_BYTES}-byte slots`);
  }
  const ops: PackedOp[] = [];
  for (let i = 0; i < bytes.length; i += OP_BYTES) ops.push(decodeOp(bytes.subarray(i, i + OP_BYTES)));
  return ops;
}

/** The wei amount and fee of a slot. */
export function opValues(op: PackedOp): { amount: bigint; fee: bigint } {
  return { amount: decodeFloat(op.amountCode, FLOAT40), fee: decodeFloat(op.feeCode, FLOAT16) };
}

/** Builds a slot from wei values (throws if they are not representable). */
export function makeOp(type: OpType, from: number, to: number, amount: bigint, fee: bigint): PackedOp {
  return {
    type,
    from,
    to,
    amountCode: encodeFloat(amount, FLOAT40, "amount"),
    feeCode: encodeFloat(fee, FLOAT16, "fee"),
  };
}
