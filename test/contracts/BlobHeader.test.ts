/**
 * The blob batch header (contracts/optimistic/BlobChunks.sol, src/optimistic/blob-batch.ts): the same bytes, the
 * same chunk tree, and the same verdict on every header, honest or hostile, in Solidity and in TypeScript.
 */
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { hexlify, keccak256, randomBytes } from "ethers";
import { locationHash } from "../../src/encoding/blob";
import {
  ENTRY_BYTES,
  HEADER_PART_ELEMENTS,
  decodeHeader,
  encodeHeader,
  headerFault,
  headerParts,
  type HeaderCheck,
  type HeaderEntry,
} from "../../src/optimistic/blob-batch";
import { rootOf } from "../../src/optimistic/batch-merkle";
import { blobChunkLeaf, chunkSpans } from "../../src/optimistic/blob-batch";
import { CHUNK_TREE_DEPTH } from "../../src/optimistic/params";
import { runs } from "../support/deep";

const MAX_LENGTH = 32 * 101;

async function deployed() {
  return { chunks: await (await hre.ethers.getContractFactory("BlobChunksHarness")).deploy() };
}

type Harness = Awaited<ReturnType<typeof deployed>>["chunks"];

/** Records every part of `header` as opened against `firstBlob`, as openChunk would. */
async function recordOpened(chunks: Harness, firstBlob: Buffer, header: Buffer): Promise<void> {
  for (const part of headerParts(header)) {
    await (
      await chunks.record(locationHash(firstBlob, part.firstElement, part.bytes.length), keccak256(part.bytes))
    ).wait();
  }
}

/** An honest header over chunks of `lengths`, its blobs' hashes and what its record says. */
function honest(
  lengths: number[],
  blobCount: number,
): { entries: HeaderEntry[]; hashes: Buffer[]; check: HeaderCheck } {
  const hashes = Array.from({ length: blobCount }, () => Buffer.from(randomBytes(32)));
  const entries = lengths.map((byteLength, k) => ({
    byteLength,
    stateRoot: Buffer.from(randomBytes(32)),
    exitRoot: Buffer.from(randomBytes(32)),
    depositCursor: 3n + BigInt(k),
    forcedCursor: 1n,
  }));
  const header = encodeHeader(entries);
  const spans = chunkSpans(header.length, lengths);
  const leaves = spans.map((s, k) =>
    blobChunkLeaf(entries[k], locationHash(hashes[s.blobIndex], s.firstElement, s.byteLength)),
  );
  const last = entries[entries.length - 1];
  return {
    entries,
    hashes,
    check: {
      chunksRoot: rootOf(leaves, CHUNK_TREE_DEPTH),
      chunkCount: entries.length,
      maxLength: MAX_LENGTH,
      parentDepositEnd: 3n,
      parentForcedEnd: 1n,
      stateRoot: last.stateRoot,
      depositEnd: last.depositCursor,
      forcedEnd: last.forcedCursor,
    },
  };
}

const solidityCheck = (c: HeaderCheck) => ({
  chunksRoot: hexlify(c.chunksRoot),
  chunkCount: c.chunkCount,
  maxLength: c.maxLength,
  parentDepositEnd: c.parentDepositEnd,
  parentForcedEnd: c.parentForcedEnd,
  stateRoot: hexlify(c.stateRoot),
  depositEnd: c.depositEnd,
  forcedEnd: c.forcedEnd,
});

describe("BlobChunks header", function () {
  it("should lay out and read back entries byte for byte (84 bytes each)", function () {
    const { entries } = honest([85, 0, 3232], 1);
    const header = encodeHeader(entries);
    expect(header.length).to.equal(3 * ENTRY_BYTES);
    expect(decodeHeader(header)).to.deep.equal(entries);
    // A header of 256 entries is opened in parts of 96 elements: 8 parts.
    expect(headerParts(Buffer.alloc(256 * ENTRY_BYTES)).map((p) => p.firstElement)).to.deep.equal(
      Array.from({ length: 8 }, (_, k) => k * HEADER_PART_ELEMENTS),
    );
  });

  it("should refuse to judge a header whose parts were not all opened, or of the wrong length", async function () {
    const { chunks } = await loadFixture(deployed);
    const { entries, hashes, check } = honest([85, 85], 1);
    const header = encodeHeader(entries);
    await expect(chunks.headerIsValid(hashes, header, solidityCheck(check))).to.be.revertedWithCustomError(
      chunks,
      "HeaderNotOpened",
    );
    await recordOpened(chunks, hashes[0], header);
    expect(await chunks.headerIsValid(hashes, header, solidityCheck(check))).to.equal(true);
    await expect(chunks.headerIsValid(hashes, header.subarray(0, ENTRY_BYTES), solidityCheck(check)))
      .to.be.revertedWithCustomError(chunks, "HeaderLength")
      .withArgs(ENTRY_BYTES, 2 * ENTRY_BYTES);
  });

  it("should give the same verdict as the TypeScript rule on honest and hostile headers (property)", async function () {
    const { chunks } = await loadFixture(deployed);
    type Change =
      | { kind: "none" }
      | { kind: "length"; entry: number; byteLength: number }
      | { kind: "cursor"; entry: number; deposit: number }
      | { kind: "root" }
      | { kind: "last-state" }
      | { kind: "blobs"; count: number };
    const change: fc.Arbitrary<Change> = fc.oneof(
      fc.constant({ kind: "none" as const }),
      fc.record({
        kind: fc.constant("length" as const),
        entry: fc.nat(7),
        byteLength: fc.constantFrom(0, 1, 3232, 3233, 100_000),
      }),
      fc.record({ kind: fc.constant("cursor" as const), entry: fc.nat(7), deposit: fc.nat(20) }),
      fc.constant({ kind: "root" as const }),
      fc.constant({ kind: "last-state" as const }),
      fc.record({ kind: fc.constant("blobs" as const), count: fc.integer({ min: 1, max: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(0, 1, 85, 1000, 3232), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 2 }),
        change,
        async (lengths, blobCount, c) => {
          const { entries, hashes, check } = honest(lengths, blobCount);
          let blobHashes = hashes;
          const e = entries[Math.min("entry" in c ? c.entry : 0, entries.length - 1)];
          if (c.kind === "length") e.byteLength = c.byteLength;
          if (c.kind === "cursor") e.depositCursor = BigInt(c.deposit);
          if (c.kind === "root") check.chunksRoot = Buffer.from(randomBytes(32));
          if (c.kind === "last-state") check.stateRoot = Buffer.from(randomBytes(32));
          if (c.kind === "blobs")
            blobHashes = Array.from({ length: c.count }, (_, i) => hashes[i] ?? Buffer.from(randomBytes(32)));
          const header = encodeHeader(entries);
          await recordOpened(chunks, blobHashes[0], header);
          const ts = headerFault(header, blobHashes, check);
          const sol = await chunks.headerIsValid(blobHashes, header, solidityCheck(check));
          expect(sol, JSON.stringify({ lengths, blobCount, c, ts: "fault" in ts ? ts.fault : "valid" })).to.equal(
            !("fault" in ts),
          );
          const total = lengths.reduce((a: number, b: number) => a + b, 0);
          if (c.kind === "none" && blobCount === 1 && total < 50_000) {
            expect(sol).to.equal(true);
          }
        },
      ),
      { numRuns: runs(40, 300) },
    );
  });
});
