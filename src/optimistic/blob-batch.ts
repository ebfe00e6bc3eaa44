/**
 * A blob batch as the rollup takes it (OptimisticRollup.submitBlobBatch, contracts/optimistic/BlobChunks.sol): all
 * of it in the blobs, the header first and the chunks after, and in calldata only the root of its chunk tree, its
 * chunk count and its last state.
 *
 *   blob 0   [header: entry<84> × chunkCount][chunk 0][chunk 1]...     each from a fresh element (BlobCodec)
 *   entry    [byteLength<4>|stateRoot<32>|exitRoot<32>|depositCursor<8>|forcedCursor<8>]
 *   leaf k   keccak256(stateRoot|exitRoot|location_k|depositCursor|forcedCursor), location_k = locationHash(...)
 *
 * The leaves are those of a calldata batch with each chunk's place in the blobs in place of the keccak of its bytes,
 * so fraud proofs and exit claims are the same for both. L1 cannot read the header: a header that breaks a rule
 * (headerFault) is proven with proveBadBlobHeader.
 */
import { CHUNK_TREE_DEPTH } from "./params";
import { rootOf } from "./batch-merkle";
import { keccakBytes } from "../encoding/keccak";
import {
  FIELD_ELEMENTS_PER_BLOB,
  elementsFor,
  encodeBlobs,
  layoutChunks,
  locationHash,
  versionedHash,
  type ChunkSpan,
} from "../encoding/blob";
import type { Kzg } from "../encoding/kzg";
import type { Interface } from "ethers";

/** Bytes of a header entry (BlobChunks.ENTRY_BYTES). */
export const ENTRY_BYTES = 84;
/** Elements of a header part opened in one transaction (BlobChunks.HEADER_PART_ELEMENTS). */
export const HEADER_PART_ELEMENTS = 96;

export interface HeaderEntry {
  byteLength: number;
  stateRoot: Buffer;
  exitRoot: Buffer;
  depositCursor: bigint;
  forcedCursor: bigint;
}

export function encodeHeader(entries: readonly HeaderEntry[]): Buffer {
  const out = Buffer.alloc(ENTRY_BYTES * entries.length);
  entries.forEach((e, k) => {
    const at = k * ENTRY_BYTES;
    out.writeUInt32BE(e.byteLength, at);
    e.stateRoot.copy(out, at + 4);
    e.exitRoot.copy(out, at + 36);
    out.writeBigUInt64BE(e.depositCursor, at + 68);
    out.writeBigUInt64BE(e.forcedCursor, at + 76);
  });
  return out;
}

export function decodeHeader(header: Uint8Array): HeaderEntry[] {
  const bytes = Buffer.from(header);
  if (bytes.length % ENTRY_BYTES !== 0) throw new Error(`a header of ${bytes.length} bytes is not whole entries`);
  return Array.from({ length: bytes.length / ENTRY_BYTES }, (_, k) => {
    const at = k * ENTRY_BYTES;
    return {
      byteLength: bytes.readUInt32BE(at),
      stateRoot: bytes.subarray(at + 4, at + 36),
      exitRoot: bytes.subarray(at + 36, at + 68),
      depositCursor: bytes.readBigUInt64BE(at + 68),
      forcedCursor: bytes.readBigUInt64BE(at + 76),
    };
  });
}

/** Where each chunk of a blob batch lies: after the header in the first blob, by BlobCodec's rule. */
export function chunkSpans(headerLength: number, lengths: readonly number[]): ChunkSpan[] {
  return layoutChunks([headerLength, ...lengths]).slice(1);
}

/** A chunk's leaf: keccak256(stateRoot|exitRoot|location|depositCursor|forcedCursor) (OptimisticRollup._chunkLeaf). */
export function blobChunkLeaf(entry: HeaderEntry, location: Buffer): Buffer {
  const packed = Buffer.alloc(112);
  entry.stateRoot.copy(packed, 0);
  entry.exitRoot.copy(packed, 32);
  location.copy(packed, 64);
  packed.writeBigUInt64BE(entry.depositCursor, 96);
  packed.writeBigUInt64BE(entry.forcedCursor, 104);
  return keccakBytes(packed);
}

/** The bytes of header part `part` (at most HEADER_PART_ELEMENTS elements), and its first element. */
export function headerParts(header: Uint8Array): { firstElement: number; bytes: Buffer }[] {
  const size = HEADER_PART_ELEMENTS * 31;
  const parts: { firstElement: number; bytes: Buffer }[] = [];
  for (let start = 0; start < header.length; start += size) {
    parts.push({
      firstElement: (start / size) * HEADER_PART_ELEMENTS,
      bytes: Buffer.from(header.subarray(start, start + size)),
    });
  }
  return parts;
}

export interface BuiltBlobBatch {
  blobs: Uint8Array[];
  versionedHashes: Buffer[];
  header: Buffer;
  chunksRoot: Buffer;
}

/** Lays out a batch's header and chunks in blobs and computes the root of its chunk tree. */
export function buildBlobBatch(
  kzg: Kzg,
  chunks: readonly Buffer[],
  states: readonly Omit<HeaderEntry, "byteLength">[],
): BuiltBlobBatch {
  const header = encodeHeader(states.map((s, k) => ({ ...s, byteLength: chunks[k].length })));
  const blobs = encodeBlobs([header, ...chunks]);
  const versionedHashes = blobs.map((blob) => versionedHash(kzg.blobToKzgCommitment(blob)));
  const spans = chunkSpans(
    header.length,
    chunks.map((c) => c.length),
  );
  const leaves = spans.map((span, k) =>
    blobChunkLeaf(
      { ...states[k], byteLength: span.byteLength },
      locationHash(versionedHashes[span.blobIndex], span.firstElement, span.byteLength),
    ),
  );
  return { blobs, versionedHashes, header, chunksRoot: rootOf(leaves, CHUNK_TREE_DEPTH) };
}

/** What the header must agree with (BlobChunks.HeaderCheck). */
export interface HeaderCheck {
  chunksRoot: Buffer;
  chunkCount: number;
  maxLength: number;
  parentDepositEnd: bigint;
  parentForcedEnd: bigint;
  stateRoot: Buffer;
  depositEnd: bigint;
  forcedEnd: bigint;
}

/**
 * Why the header of a blob batch is not valid (BlobChunks.headerIsValid), or undefined when it is; with the spans
 * of its chunks when it is. Mirrors the contract rule for rule.
 */
export function headerFault(
  header: Uint8Array,
  versionedHashes: readonly Uint8Array[],
  c: HeaderCheck,
): { fault: string } | { entries: HeaderEntry[]; spans: ChunkSpan[] } {
  const entries = decodeHeader(header);
  let deposits = c.parentDepositEnd;
  let forced = c.parentForcedEnd;
  const spans: ChunkSpan[] = [];
  let blobIndex = 0;
  let element = elementsFor(header.length);
  const leaves: Buffer[] = [];
  for (const [k, e] of entries.entries()) {
    if (
      e.depositCursor < deposits ||
      e.depositCursor > c.depositEnd ||
      e.forcedCursor < forced ||
      e.forcedCursor > c.forcedEnd
    ) {
      return { fault: `entry ${k}: cursors ${e.depositCursor}/${e.forcedCursor} go back or pass the batch's` };
    }
    deposits = e.depositCursor;
    forced = e.forcedCursor;
    if (e.byteLength > c.maxLength)
      return { fault: `entry ${k}: a chunk of ${e.byteLength} bytes, over ${c.maxLength}` };
    const elements = elementsFor(e.byteLength);
    if (element + elements > FIELD_ELEMENTS_PER_BLOB) {
      blobIndex++;
      element = 0;
      if (blobIndex === versionedHashes.length) return { fault: `entry ${k}: its chunk lies beyond the batch's blobs` };
    }
    const span = { blobIndex, firstElement: element, byteLength: e.byteLength };
    spans.push(span);
    leaves.push(blobChunkLeaf(e, locationHash(versionedHashes[blobIndex], element, e.byteLength)));
    element += elements;
  }
  if (blobIndex + 1 !== versionedHashes.length) return { fault: `blob ${blobIndex + 1} holds no chunk` };
  const last = entries[entries.length - 1];
  if (!last || !last.stateRoot.equals(c.stateRoot) || deposits !== c.depositEnd || forced !== c.forcedEnd) {
    return { fault: "its last entry is not the state the batch stored" };
  }
  if (!rootOf(leaves, CHUNK_TREE_DEPTH).equals(c.chunksRoot))
    return { fault: "its entries do not give the posted chunk root" };
  return { entries, spans };
}

/** submitBlobBatch's arguments. */
export interface BlobBatchArgs {
  chunksRoot: string;
  chunkCount: number;
  last: { stateRoot: string; exitRoot: string; depositCursor: bigint; forcedCursor: bigint };
  feeRecipient: string;
  feeAccount: number;
}

/** A batch's chunks and states as a blob batch: its blobs and submitBlobBatch's arguments. */
export function blobBatchOf(
  kzg: Kzg,
  chunks: readonly Buffer[],
  states: readonly {
    stateRoot: Buffer;
    exitRoot: Buffer;
    depositCursor: number | bigint;
    forcedCursor: number | bigint;
  }[],
  feeRecipient: string,
  feeAccount: number,
): { args: BlobBatchArgs; built: BuiltBlobBatch } {
  const entries = states.map((s) => ({
    ...s,
    depositCursor: BigInt(s.depositCursor),
    forcedCursor: BigInt(s.forcedCursor),
  }));
  const built = buildBlobBatch(kzg, chunks, entries);
  const last = entries[entries.length - 1];
  return {
    built,
    args: {
      chunksRoot: "0x" + built.chunksRoot.toString("hex"),
      chunkCount: chunks.length,
      last: {
        stateRoot: "0x" + last.stateRoot.toString("hex"),
        exitRoot: "0x" + last.exitRoot.toString("hex"),
        depositCursor: last.depositCursor,
        forcedCursor: last.forcedCursor,
      },
      feeRecipient,
      feeAccount,
    },
  };
}

/** submitBlobBatch's calldata, in the standard encoding. */
export function blobBatchCalldata(iface: Interface, args: BlobBatchArgs): string {
  return iface.encodeFunctionData("submitBlobBatch", [
    args.chunksRoot,
    args.chunkCount,
    args.last,
    args.feeRecipient,
    args.feeAccount,
  ]);
}
