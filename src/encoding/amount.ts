/**
 * Decimal-float encodings of wei amounts inside packed rollup transactions,
 * mirrored from contracts/libraries/AmountCodec.sol.
 *
 *   amount<5> = [exponent<5 bits>|mantissa<35 bits>]   value = mantissa * 10^exponent
 *   fee<2>    = [exponent<4 bits>|mantissa<12 bits>]   value = mantissa * 10^exponent
 *
 * An amount keeps up to 10 significant digits (mantissa < 2^35 = 34,359,738,368),
 * a fee up to 4 (mantissa < 4096) and exponents up to 15, so fees reach 4.095 ETH.
 * The encoder picks the largest exponent (the canonical form); decoders accept
 * every form. A value that does not fit is refused with an error naming it.
 */

export const AMOUNT_MANTISSA_BITS = 35n;
export const AMOUNT_EXPONENT_MAX = 31n;
export const FEE_MANTISSA_BITS = 12n;
export const FEE_EXPONENT_MAX = 15n;

/** A wei value has no exact encoding in the compact layout. */
export class AmountEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AmountEncodingError";
  }
}

function encodeFloat(what: string, value: bigint, mantissaBits: bigint, exponentMax: bigint): bigint {
  if (value < 0n) throw new AmountEncodingError(`${what} ${value} wei is negative`);
  let mantissa = value;
  let exponent = 0n;
  while (mantissa !== 0n && mantissa % 10n === 0n && exponent < exponentMax) {
    mantissa /= 10n;
    exponent += 1n;
  }
  if (mantissa >> mantissaBits !== 0n) {
    throw new AmountEncodingError(
      `${what} ${value} wei cannot be encoded exactly: it needs a mantissa of ${mantissa} ` +
        `(at most ${(1n << mantissaBits) - 1n}) times 10^${exponent}; round it to fewer significant digits`,
    );
  }
  return (exponent << mantissaBits) | mantissa;
}

function decodeFloat(packed: bigint, mantissaBits: bigint): bigint {
  const mantissa = packed & ((1n << mantissaBits) - 1n);
  return mantissa * 10n ** (packed >> mantissaBits);
}

/** The 40-bit packed form of `value` wei (throws AmountEncodingError if it does not fit exactly). */
export function encodeAmount(value: bigint): bigint {
  return encodeFloat("amount", value, AMOUNT_MANTISSA_BITS, AMOUNT_EXPONENT_MAX);
}

/** The wei value of a 40-bit packed amount. */
export function decodeAmount(packed: bigint): bigint {
  if (packed < 0n || packed >> 40n !== 0n) throw new AmountEncodingError(`packed amount ${packed} is not 40 bits`);
  return decodeFloat(packed, AMOUNT_MANTISSA_BITS);
}

/** The 16-bit packed form of fee `value` wei (throws AmountEncodingError if it does not fit exactly). */
export function encodeFee(value: bigint): number {
  return Number(encodeFloat("fee", value, FEE_MANTISSA_BITS, FEE_EXPONENT_MAX));
}

/** The wei value of a 16-bit packed fee. */
export function decodeFee(packed: number): bigint {
  if (!Number.isInteger(packed) || packed < 0 || packed > 0xffff) {
    throw new AmountEncodingError(`packed fee ${packed} is not 16 bits`);
  }
  return decodeFloat(BigInt(packed), FEE_MANTISSA_BITS);
}

/** True when `value` wei has an exact amount encoding. */
export function isEncodableAmount(value: bigint): boolean {
  try {
    encodeAmount(value);
    return true;
  } catch {
    return false;
  }
}

/** True when `value` wei has an exact fee encoding. */
export function isEncodableFee(value: bigint): boolean {
  try {
    encodeFee(value);
    return true;
  } catch {
    return false;
  }
}
