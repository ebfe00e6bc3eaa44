/** Lesson 3, reference solution: the same functions as exercise.ts, completed. */
import { createHash } from "crypto";
import type { Header } from "./exercise";

export type { Header } from "./exercise";

const MANTISSA_BITS = 35n;
const EXPONENT_LIMIT = 32n;

export function encodeFloat40(value: bigint): bigint {
  if (value < 0n) throw new Error(`encodeFloat40: ${value} is negative`);
  let mantissa = value;
  let exponent = 0n;
  while (mantissa >= 1n << MANTISSA_BITS) {
    if (mantissa % 10n !== 0n || exponent + 1n >= EXPONENT_LIMIT) {
      throw new Error(`encodeFloat40: ${value} wei has no exact Float40 code`);
    }
    mantissa /= 10n;
    exponent += 1n;
  }
  return (exponent << MANTISSA_BITS) | mantissa;
}

const word = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(64, "0"), "hex");

export function publicInput(header: Header, ops: Uint8Array): bigint {
  // [oldRoot<32>|newRoot<32>|chainBefore<32>|chainAfter<32>|ops<14N>]
  const data = Buffer.concat([
    word(header.oldRoot),
    word(header.newRoot),
    word(header.chainBefore),
    word(header.chainAfter),
    Buffer.from(ops),
  ]);
  const digest = BigInt("0x" + createHash("sha256").update(data).digest("hex"));
  // The top 3 bits are dropped so the value is always below r.
  return digest & ((1n << 253n) - 1n);
}
