import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { blobFundedFixture } from "../blob-fixtures";
import { expectSolvent } from "./attacker";
import { filledBlob, laidOutBlobBatch, sendBlobTx, submitBlobBatchData, tipState, headerEntry } from "./blob-attacker";
import { encodeBlobs, locationHash, versionedHash } from "../../../src/encoding/blob";
import { blobChunkLeaf, chunkSpans, encodeHeader } from "../../../src/optimistic/blob-batch";
import { rootOf } from "../../../src/optimistic/batch-merkle";
import { CHUNK_TREE_DEPTH } from "../../../src/optimistic/params";

type Fixture = Awaited<ReturnType<typeof blobFundedFixture>>;

/** Posts `data` with `blobs`; the watcher must prove batch `fault` and the operator lose its bond. */
async function expectProven(f: Fixture, data: string, blobs: Uint8Array[], fault: string): Promise<void> {
  const send = (raw: string) => f.archive.sendRawTransaction(raw);
  const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, blobs, send);
  expect(outcome instanceof Error, String(outcome)).to.equal(false);
  const bad = await f.rollup.tipId();
  const result = await f.watcher.challengeFirstInvalid();
  expect(result?.invalid).to.deep.include({ batchId: Number(bad), chunkIndex: 0, fault });
  expect(await f.rollup.tipId()).to.equal(bad - 1n);
  expect(await f.rollup.bonded()).to.equal(false);
  await expectSolvent(f.rollup, f.archive);
}

/**
 * The operator posts a blob batch whose blob does not hold what it claims: an empty (all-zero) blob, or one full of
 * bytes, under a chunk root and a state of its choice; or a true header whose chunk holds bytes that are no txs. L1
 * cannot see blob bytes, so it takes each batch; the watcher reads the blob from the archive and proves the first
 * two from their header (proveBadBlobHeader), the third by opening its chunk (Malformed).
 */
describe("attack: blob garbage", function () {
  for (const [name, byte] of [
    ["an empty blob", 0],
    ["a blob of bytes that are no header", 0xee],
  ] as const) {
    it(`should roll back and slash a batch posted with ${name}`, async function () {
      const f = await loadFixture(blobFundedFixture);
      const data = submitBlobBatchData(f.rollup, 1, await tipState(f.rollup), f.operatorKey.address, 9);
      await expectProven(f, data, [filledBlob(byte)], "BadBlobHeader");
    });
  }

  it("should prove a bad chunk whose last element the operator filled past its end", async function () {
    const f = await loadFixture(blobFundedFixture);
    const state = await tipState(f.rollup);
    const entry = headerEntry(state, 40);
    const header = encodeHeader([entry]);
    // The header is 84 bytes (elements 0 to 2), the chunk 40 bytes of no txs (elements 3 and 4): the last 22 payload
    // bytes of element 4 are no part of it, and the operator leaves something there. Opening the chunk must not need
    // them, or its fraud could never be proven.
    const [blob] = encodeBlobs([header, Buffer.alloc(40, 0xee)]);
    blob.fill(0xab, 4 * 32 + 1 + 9, 5 * 32);
    const hash = versionedHash(f.kzg.blobToKzgCommitment(blob));
    const [span] = chunkSpans(header.length, [40]);
    const root = rootOf([blobChunkLeaf(entry, locationHash(hash, span.firstElement, 40))], CHUNK_TREE_DEPTH);
    const data = submitBlobBatchData(f.rollup, 1, state, f.operatorKey.address, 9, "0x" + root.toString("hex"));
    await expectProven(f, data, [blob], "Malformed");
  });

  it("should roll back and slash a batch whose true header places a chunk of bytes that are no txs", async function () {
    const f = await loadFixture(blobFundedFixture);
    const garbage = Buffer.alloc(310, 0xee);
    const state = await tipState(f.rollup);
    const { data, blobs } = laidOutBlobBatch(f.rollup, f.kzg, [garbage], state, f.operatorKey.address, 9);
    await expectProven(f, data, blobs, "Malformed");
  });
});
