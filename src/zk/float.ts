/**
 * Decimal floats for amounts and fees in the packed operations, mirrored by circuits/lib/float.circom and
 * contracts/zk/ZkFloat.sol:
 *
 *   code = [exponent<5>|mantissa<M>]   value = mantissa * 10^exponent
 *
 * Float40 (M = 35) carries amounts: any value with up to 10 significant decimal digits (mantissa < 2^35 =
 * 34,359,738,368). Float16 (M = 11) carries fees: up to 3 significant digits (mantissa < 2048). A value
 * that is not exactly representable is refused, never rounded: rounding would move money.
 */
import { EncodingError } from "./errors";

export interface FloatFormat {
  readonly name: string;
  readonly mantissaBits: number;
  /** Bytes of the code in the packed layout. */
  readonly bytes: number;
}

export const FLOAT40: FloatFormat = { name: "Float40", mantissaBits: 35, bytes: 5 };
export const FLOAT16: FloatFormat = { name: "Float16", mantissaBits: 11, bytes: 2 };

const EXPONENT_LIMIT = 32n;

/** The code of `value` in `format`, with the smallest exponent; throws if `value` is not representable. */
export function encodeFloat(value: bigint, format: FloatFormat, what = "value"): bigint {
  if (value < 0n) throw new EncodingError(`${what} ${value} is negative: ${format.name} carries only amounts >= 0`);
  const limit = 1n << BigInt(format.mantissaBits);
  let mantissa = value;
  let exponent = 0n;
  while (mantissa >= limit) {
    if (mantissa % 10n !== 0n || exponent + 1n >= EXPONENT_LIMIT) {
      throw new EncodingError(
        `${what} ${value} wei is not representable as ${format.name} (mantissa < 2^${format.mantissaBits} ` +
          `times a power of ten): round it to fewer significant digits`,
      );
    }
    mantissa /= 10n;
    exponent += 1n;
  }
  return (exponent << BigInt(format.mantissaBits)) | mantissa;
}

/** The value a code stands for. */
export function decodeFloat(code: bigint, format: FloatFormat): bigint {
  const bits = BigInt(format.mantissaBits + 5);
  if (code < 0n || code >> bits !== 0n) {
    throw new EncodingError(`${format.name} code ${code} does not fit ${bits} bits`);
  }
  const mantissa = code & ((1n << BigInt(format.mantissaBits)) - 1n);
  const exponent = code >> BigInt(format.mantissaBits);
  return mantissa * 10n ** exponent;
}

/** True when `value` has an exact code in `format`. */
export function isRepresentable(value: bigint, format: FloatFormat): boolean {
  try {
    encodeFloat(value, format);
    return true;
  } catch (error) {
    if (error instanceof EncodingError) return false;
    throw error;
  }
}
