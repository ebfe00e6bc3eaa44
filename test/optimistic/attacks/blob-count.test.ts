import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { blobFundedFixture } from "../blob-fixtures";
import { expectSolvent } from "./attacker";
import {
  filledBlob,
  laidOutBlobBatch,
  revertName,
  sendBlobTx,
  submitBlobBatchData,
  tipState,
  headerEntry,
} from "./blob-attacker";
import { encodeBlobs } from "../../../src/encoding/blob";
import { encodeHeader } from "../../../src/optimistic/blob-batch";

type Fixture = Awaited<ReturnType<typeof blobFundedFixture>>;

/** Posts `data` with `blobs` through the archive; the watcher must prove the batch's header bad. */
async function expectBadHeader(f: Fixture, data: string, blobs: Uint8Array[]): Promise<void> {
  const send = (raw: string) => f.archive.sendRawTransaction(raw);
  const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, blobs, send);
  expect(outcome instanceof Error, String(outcome)).to.equal(false);
  const bad = await f.rollup.tipId();
  const result = await f.watcher.challengeFirstInvalid();
  expect(result?.invalid).to.deep.include({ batchId: Number(bad), fault: "BadBlobHeader" });
  const blobChunks = await ethers.getContractAt("BlobChunks", await f.rollup.BLOB_CHUNKS());
  const opened = await blobChunks.queryFilter(blobChunks.filters.ChunkOpened());
  const openGas = await Promise.all(opened.map(async (e) => (await e.getTransactionReceipt()).gasUsed));
  console.log(
    `      proveBadBlobHeader: ${result!.receipt.gasUsed} gas, after opening the header in ${opened.length} part(s): ${openGas.join(", ")} gas`,
  );
  expect(await f.rollup.tipId()).to.equal(bad - 1n);
  expect(await f.rollup.bonded()).to.equal(false);
  await expectSolvent(f.rollup, f.archive);
}

/**
 * The operator posts a blob batch whose blobs do not match its header: none at all, fewer than the header's layout
 * needs (a chunk with no data behind it), or one more than it needs (data no chunk covers). L1 reads the versioned
 * hashes itself (blobhash) and refuses a batch without blobs; it cannot read the header, so the other two are taken
 * and proven invalid from the header (proveBadBlobHeader), the operator slashed.
 */
describe("attack: blob count", function () {
  it("should not accept a blob batch without blobs", async function () {
    const f = await loadFixture(blobFundedFixture);
    const data = submitBlobBatchData(f.rollup, 1, await tipState(f.rollup), f.operatorKey.address, 9);
    const send = (raw: string) => f.archive.sendRawTransaction(raw);
    const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, [], send);
    expect(revertName(f.rollup, outcome)).to.equal("NoBlobs");
    await expectSolvent(f.rollup, f.archive);
  });

  it("should prove invalid a header that lays chunks out over more blobs than the transaction carries", async function () {
    this.timeout(120_000);
    const f = await loadFixture(blobFundedFixture);
    const state = await tipState(f.rollup);
    // 40 chunks of 3,232 bytes span 40 x 105 = 4,200 elements after the header: the layout needs a second blob.
    const entry = headerEntry(state, 3232);
    const header = encodeHeader(Array.from({ length: 40 }, () => entry));
    const data = submitBlobBatchData(f.rollup, 40, state, f.operatorKey.address, 9);
    await expectBadHeader(f, data, encodeBlobs([header]));
  });

  it("should prove invalid a batch with a blob that no chunk covers", async function () {
    const f = await loadFixture(blobFundedFixture);
    const { data, blobs } = laidOutBlobBatch(
      f.rollup,
      f.kzg,
      [Buffer.alloc(0)],
      await tipState(f.rollup),
      f.operatorKey.address,
      9,
    );
    await expectBadHeader(f, data, [...blobs, filledBlob(7)]);
  });
});
