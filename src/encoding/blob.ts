/**
 * The rollup's blob layout (EIP-4844): how a batch's chunks sit in the field elements of its blobs. Mirrors
 * contracts/libraries/BlobCodec.sol.
 *
 * A blob is 4,096 field elements of 32 bytes (big-endian scalars of BLS12-381, each below the modulus). Each
 * element carries 31 bytes of chunk data behind one high byte, which the operator sets to zero and which readers
 * ignore (whatever it holds, the element is still below the modulus only if the blob is valid, which the KZG
 * commitment guarantees):
 *   // element: [high<1, ignored>|payload<31>]
 * Chunks are laid out in order, each from a fresh element (so one opening never straddles two chunks), in the
 * first blob where the whole chunk still fits; the last element of a chunk is zero-padded:
 *   // chunk k: elements [first_k, first_k + ceil(length_k / 31)) of blob b_k
 * L1 derives (b_k, first_k) from the lengths alone, so the operator names no index or hash it could get wrong.
 * Element i of a blob is the polynomial's value at the i-th root of unity in bit-reversed order (the order of
 * EIP-4844's evaluation form): z_i = ω^bitreverse12(i), ω = 7^((r - 1) / 4096) mod r.
 */
import { createHash } from "node:crypto";

export const FIELD_ELEMENTS_PER_BLOB = 4096;
export const BYTES_PER_FIELD_ELEMENT = 32;
export const BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;
export const PAYLOAD_BYTES_PER_ELEMENT = 31;
/** The BLS12-381 scalar field's modulus r. */
export const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
/** A primitive 4,096th root of unity mod r: 7^((r - 1) / 4096). */
export const ROOT_OF_UNITY = modPow(7n, (BLS_MODULUS - 1n) / 4096n, BLS_MODULUS);
/** EIP-4844 VERSIONED_HASH_VERSION_KZG. */
export const VERSIONED_HASH_VERSION_KZG = 0x01;

export class BlobLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlobLayoutError";
  }
}

/** Where a chunk's bytes are: blob `blobIndex`, from element `firstElement`, `byteLength` bytes. */
export interface ChunkSpan {
  blobIndex: number;
  firstElement: number;
  byteLength: number;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** How many field elements `byteLength` bytes of chunk data span. */
export function elementsFor(byteLength: number): number {
  return Math.ceil(byteLength / PAYLOAD_BYTES_PER_ELEMENT);
}

/** The spans of chunks of these lengths (BlobCodec's rule: a chunk moves to the next blob when it would not fit). */
export function layoutChunks(lengths: readonly number[]): ChunkSpan[] {
  let blobIndex = 0;
  let element = 0;
  return lengths.map((byteLength, k) => {
    const count = elementsFor(byteLength);
    if (count > FIELD_ELEMENTS_PER_BLOB) throw new BlobLayoutError(`chunk ${k}: ${byteLength} bytes exceed one blob`);
    if (element + count > FIELD_ELEMENTS_PER_BLOB) {
      blobIndex++;
      element = 0;
    }
    const span = { blobIndex, firstElement: element, byteLength };
    element += count;
    return span;
  });
}

/** How many blobs chunks of these lengths need (at least one). */
export function blobCount(lengths: readonly number[]): number {
  const spans = layoutChunks(lengths);
  return spans.length === 0 ? 1 : spans[spans.length - 1].blobIndex + 1;
}

/** The blobs carrying `chunks` in this layout. */
export function encodeBlobs(chunks: readonly Uint8Array[]): Uint8Array[] {
  const spans = layoutChunks(chunks.map((c) => c.length));
  const blobs = Array.from({ length: blobCount(chunks.map((c) => c.length)) }, () => new Uint8Array(BYTES_PER_BLOB));
  chunks.forEach((data, k) => {
    const { blobIndex, firstElement } = spans[k];
    for (let j = 0; j * PAYLOAD_BYTES_PER_ELEMENT < data.length; j++) {
      const part = data.subarray(j * PAYLOAD_BYTES_PER_ELEMENT, (j + 1) * PAYLOAD_BYTES_PER_ELEMENT);
      blobs[blobIndex].set(part, (firstElement + j) * BYTES_PER_FIELD_ELEMENT + 1);
    }
  });
  return blobs;
}

/** The `count` field elements of `blob` from `first` (32 bytes each). */
export function elementsOf(blob: Uint8Array, first: number, count: number): Buffer[] {
  if (blob.length !== BYTES_PER_BLOB)
    throw new BlobLayoutError(`a blob has ${BYTES_PER_BLOB} bytes, not ${blob.length}`);
  if (first + count > FIELD_ELEMENTS_PER_BLOB)
    throw new BlobLayoutError(`elements ${first}..${first + count} are beyond the blob`);
  return Array.from({ length: count }, (_, j) =>
    Buffer.from(blob.subarray((first + j) * BYTES_PER_FIELD_ELEMENT, (first + j + 1) * BYTES_PER_FIELD_ELEMENT)),
  );
}

/** A chunk's bytes read back from its blob: the low 31 bytes of each element it spans, cut to its length. */
export function readChunk(blob: Uint8Array, span: ChunkSpan): Buffer {
  const elements = elementsOf(blob, span.firstElement, elementsFor(span.byteLength));
  return Buffer.concat(elements.map((e) => e.subarray(1))).subarray(0, span.byteLength);
}

/** Reverses the low 12 bits of `i` (log2 of the blob's 4,096 elements). */
export function bitReverse12(i: number): number {
  let reversed = 0;
  for (let bit = 0; bit < 12; bit++) reversed |= ((i >> bit) & 1) << (11 - bit);
  return reversed;
}

/** The evaluation point of element `i`: z_i = ω^bitreverse12(i) mod r. */
export function evaluationPoint(i: number): bigint {
  if (!Number.isInteger(i) || i < 0 || i >= FIELD_ELEMENTS_PER_BLOB)
    throw new BlobLayoutError(`element ${i} is not in a blob`);
  return modPow(ROOT_OF_UNITY, BigInt(bitReverse12(i)), BLS_MODULUS);
}

/** EIP-4844 kzg_to_versioned_hash: 0x01 followed by the last 31 bytes of sha256(commitment). */
export function versionedHash(commitment: Uint8Array): Buffer {
  const digest = createHash("sha256").update(commitment).digest();
  digest[0] = VERSIONED_HASH_VERSION_KZG;
  return digest;
}

/**
 * What a blob batch's chunk leaf commits to in place of the keccak of calldata (BlobCodec.locationHash):
 * sha256(versionedHash<32>|firstElement<4>|byteLength<4>). sha256 and not keccak256, so that no chunk bytes hash
 * (keccak256, as a calldata chunk's leaf holds) to a location: see BlobCodec.locationHash.
 */
export function locationHash(versioned: Uint8Array, firstElement: number, byteLength: number): Buffer {
  const packed = Buffer.alloc(40);
  Buffer.from(versioned).copy(packed, 0);
  packed.writeUInt32BE(firstElement, 32);
  packed.writeUInt32BE(byteLength, 36);
  return createHash("sha256").update(packed).digest();
}
