/**
 * BLS12-381 signatures of the optimistic rollup's BLS variant, on @noble/curves,
 * mirrored from contracts/libraries/Bls12381.sol.
 *
 * Scheme: "minimal signature size" (min-sig). Signatures and message hashes are
 * G1 points, public keys are G2 points. What goes on chain for every chunk is one
 * aggregate signature (96 bytes raw, 128 in the EIP-2537 encoding), while a key is
 * registered once per account owner; hashing a message to G1 takes two
 * MAP_FP_TO_G1 calls (5,500 gas each) where G2 would take two MAP_FP2_TO_G2 calls
 * (23,800 each), and a fraud proof hashes up to one message per transaction.
 *
 * Encodings (EIP-2537): an Fp element is 64 bytes, big-endian, its top 16 bytes
 * zero; a G1 point is x<64>|y<64> (128 bytes); an Fp2 element c0 + c1*u is
 * c0<64>|c1<64>; a G2 point is x<128>|y<128> (256 bytes); the point at infinity is
 * all zeros. The compact signature in a chunk drops the zero padding:
 * x<48>|y<48> (96 bytes).
 *
 * Hash to curve: RFC 9380 BLS12381G1_XMD:SHA-256_SSWU_RO_, with a domain
 * separation tag per use (transfers, proofs of possession) that names the chain
 * id and the rollup contract, so a signature is valid for one rollup on one chain
 * and a proof of possession can never be replayed as a transfer signature:
 *   DST = tag<ASCII> | chainId<32> | rollup<20>
 */
import { bls12_381 } from "@noble/curves/bls12-381";
import { getBytes, toBeHex, zeroPadValue, concat, getAddress } from "ethers";
import { keccakBytes } from "./keccak";

type G1Point = ReturnType<typeof bls12_381.G1.Point.fromAffine>;
type G2Point = ReturnType<typeof bls12_381.G2.Point.fromAffine>;
export type { G1Point, G2Point };

const sigs = bls12_381.shortSignatures;
export const G1 = bls12_381.G1.Point;
export const G2 = bls12_381.G2.Point;
/** The base field modulus p. */
export const FIELD_MODULUS = bls12_381.fields.Fp.ORDER;
/** The group order r: secret keys are in [1, r). */
export const GROUP_ORDER = bls12_381.params.r;

export const G1_BYTES = 128;
export const G2_BYTES = 256;
/** The compact (unpadded) signature carried in a chunk. */
export const SIGNATURE_BYTES = 96;

/** The tags of the two uses; the suite suffix follows RFC 9380 section 8.8.1. */
export const TX_TAG = "L2LAB-OPTIMISTIC-V1-TX_BLS12381G1_XMD:SHA-256_SSWU_RO_";
export const POP_TAG = "L2LAB-OPTIMISTIC-V1-POP_BLS12381G1_XMD:SHA-256_SSWU_RO_";

/** Bytes that are not a valid point (length, field range, curve, subgroup). */
export class BlsEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlsEncodingError";
  }
}

/** The domain separation tag for `tag` on rollup `rollup` of chain `chainId`. */
export function domainTag(tag: string, chainId: bigint, rollup: string): Uint8Array {
  return getBytes(concat([new TextEncoder().encode(tag), zeroPadValue(toBeHex(chainId), 32), getAddress(rollup)]));
}

function fpBytes(value: bigint, width: number): Uint8Array {
  return getBytes(zeroPadValue(toBeHex(value), width));
}

function readFp(bytes: Uint8Array, offset: number, width: number): bigint {
  const value = BigInt("0x" + Buffer.from(bytes.subarray(offset, offset + width)).toString("hex"));
  if (value >= FIELD_MODULUS) throw new BlsEncodingError(`field element at byte ${offset} is not below p`);
  return value;
}

function readPaddedFp(bytes: Uint8Array, offset: number): bigint {
  if (bytes.subarray(offset, offset + 16).some((b) => b !== 0)) {
    throw new BlsEncodingError(`field element at byte ${offset} has a non-zero top 16 bytes`);
  }
  return readFp(bytes, offset + 16, 48);
}

/** The EIP-2537 encoding of a G1 point (128 bytes). */
export function encodeG1(point: G1Point): Uint8Array {
  if (point.is0()) return new Uint8Array(G1_BYTES);
  const { x, y } = point.toAffine();
  return getBytes(concat([fpBytes(x, 64), fpBytes(y, 64)]));
}

/** The G1 point of an EIP-2537 encoding, checked on the curve and in the subgroup. */
export function decodeG1(bytes: Uint8Array): G1Point {
  if (bytes.length !== G1_BYTES) throw new BlsEncodingError(`a G1 point is ${G1_BYTES} bytes, got ${bytes.length}`);
  if (bytes.every((b) => b === 0)) return G1.ZERO;
  const point = G1.fromAffine({ x: readPaddedFp(bytes, 0), y: readPaddedFp(bytes, 64) });
  return checked(point, "G1");
}

/** The EIP-2537 encoding of a G2 point (256 bytes): x.c0|x.c1|y.c0|y.c1. */
export function encodeG2(point: G2Point): Uint8Array {
  if (point.is0()) return new Uint8Array(G2_BYTES);
  const { x, y } = point.toAffine();
  return getBytes(concat([fpBytes(x.c0, 64), fpBytes(x.c1, 64), fpBytes(y.c0, 64), fpBytes(y.c1, 64)]));
}

/** The G2 point of an EIP-2537 encoding, checked on the curve and in the subgroup. */
export function decodeG2(bytes: Uint8Array): G2Point {
  if (bytes.length !== G2_BYTES) throw new BlsEncodingError(`a G2 point is ${G2_BYTES} bytes, got ${bytes.length}`);
  if (bytes.every((b) => b === 0)) return G2.ZERO;
  const Fp2 = bls12_381.fields.Fp2;
  const x = Fp2.create({ c0: readPaddedFp(bytes, 0), c1: readPaddedFp(bytes, 64) });
  const y = Fp2.create({ c0: readPaddedFp(bytes, 128), c1: readPaddedFp(bytes, 192) });
  return checked(G2.fromAffine({ x, y }), "G2");
}

function checked<P extends { assertValidity(): void }>(point: P, group: string): P {
  try {
    point.assertValidity();
  } catch (e) {
    throw new BlsEncodingError(`not a ${group} point of the subgroup: ${(e as Error).message}`);
  }
  return point;
}

/** The compact chunk form of a signature: x<48>|y<48>, all zeros for the point at infinity. */
export function encodeSignature(point: G1Point): Uint8Array {
  if (point.is0()) return new Uint8Array(SIGNATURE_BYTES);
  const { x, y } = point.toAffine();
  return getBytes(concat([fpBytes(x, 48), fpBytes(y, 48)]));
}

/** The signature point of its compact form (throws BlsEncodingError for bytes that are not one). */
export function decodeSignature(bytes: Uint8Array): G1Point {
  if (bytes.length !== SIGNATURE_BYTES) {
    throw new BlsEncodingError(`a signature is ${SIGNATURE_BYTES} bytes, got ${bytes.length}`);
  }
  if (bytes.every((b) => b === 0)) return G1.ZERO;
  return checked(G1.fromAffine({ x: readFp(bytes, 0, 48), y: readFp(bytes, 48, 48) }), "G1");
}

/** The EIP-2537 encoding of a compact signature: each coordinate padded to 64 bytes. */
export function padSignature(compact: Uint8Array): Uint8Array {
  const out = new Uint8Array(G1_BYTES);
  out.set(compact.subarray(0, 48), 16);
  out.set(compact.subarray(48, 96), 80);
  return out;
}

/** A BLS secret key derived from `seed` (for example an L2 ECDSA key): 64 hashed bytes reduced mod r, never 0. */
export function secretKeyFromSeed(seed: Uint8Array | string): bigint {
  const bytes = typeof seed === "string" ? getBytes(seed) : seed;
  const tag = new TextEncoder().encode("l2lab bls secret key");
  const high = keccakBytes(Buffer.concat([tag, bytes, Buffer.from([0])]));
  const low = keccakBytes(Buffer.concat([tag, bytes, Buffer.from([1])]));
  const wide = BigInt("0x" + Buffer.concat([high, low]).toString("hex"));
  return (wide % (GROUP_ORDER - 1n)) + 1n;
}

/** The G2 public key of secret key `secretKey`. */
export function publicKey(secretKey: bigint): G2Point {
  return G2.BASE.multiply(secretKey);
}

/** RFC 9380 hash_to_curve to G1 under `dst`. */
export function hashToG1(message: Uint8Array, dst: Uint8Array): G1Point {
  return sigs.hash(message, dst);
}

/** The signature of `message` under `dst`. */
export function sign(secretKey: bigint, message: Uint8Array, dst: Uint8Array): G1Point {
  return hashToG1(message, dst).multiply(secretKey);
}

/** The sum of `signatures` (the point at infinity for none). */
export function aggregate(signatures: G1Point[]): G1Point {
  return signatures.reduce((sum, s) => sum.add(s), G1.ZERO);
}

/**
 * Aggregate verification, as L1 checks it in one pairing call:
 *   e(signature, -g2) * prod_i e(H(m_i), pk_i) == 1
 * (no distinct-message rule: every message names its sender's account and nonce, and keys carry a proof of
 * possession, which is what defeats rogue keys).
 */
export function verifyAggregate(
  signature: G1Point,
  messages: Uint8Array[],
  publicKeys: G2Point[],
  dst: Uint8Array,
): boolean {
  if (messages.length !== publicKeys.length) return false;
  const pairs = [{ g1: signature, g2: G2.BASE.negate() }];
  messages.forEach((m, i) => pairs.push({ g1: hashToG1(m, dst), g2: publicKeys[i] }));
  const nonZero = pairs.filter((p) => !p.g1.is0() && !p.g2.is0());
  if (nonZero.length === 0) return true;
  return bls12_381.fields.Fp12.eql(bls12_381.pairingBatch(nonZero), bls12_381.fields.Fp12.ONE);
}

/** The message a proof of possession signs: the EIP-2537 key and the L2 owner it is registered for. */
export function possessionMessage(key: G2Point, owner: string): Uint8Array {
  return getBytes(concat([encodeG2(key), getAddress(owner)]));
}

/** A proof of possession of `secretKey` for `owner` on the rollup of `popDst`. */
export function proveKeyPossession(secretKey: bigint, owner: string, popDst: Uint8Array): G1Point {
  return sign(secretKey, possessionMessage(publicKey(secretKey), owner), popDst);
}
