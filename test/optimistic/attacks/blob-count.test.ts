import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { blobFundedFixture } from "../blob-fixtures";
import { expectSolvent } from "./attacker";
import { filledBlob, revertName, sendBlobTx, submitBlobBatchData, tipState } from "./blob-attacker";

/**
 * The operator posts a blob batch whose blobs do not match its chunk lengths: none at all, fewer than the layout
 * needs (a chunk with no data behind it), or one more than it needs (data no chunk covers). L1 reads the blobs
 * itself (blobhash) and derives every chunk's place from the lengths, so each mismatch is refused.
 */
describe("attack: blob count", function () {
  it("should not accept a blob batch without blobs", async function () {
    const f = await loadFixture(blobFundedFixture);
    const data = submitBlobBatchData(f.rollup, [85], [await tipState(f.rollup)], f.operatorKey.address, 9);
    const send = (raw: string) => f.archive.sendRawTransaction(raw);
    const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, [], send);
    expect(revertName(f.rollup, outcome)).to.equal("NoBlobs");
    await expectSolvent(f.rollup, f.archive);
  });

  it("should not accept chunks laid out over more blobs than the transaction carries", async function () {
    const f = await loadFixture(blobFundedFixture);
    const state = await tipState(f.rollup);
    // 40 chunks of 3,232 bytes span 40 x 105 = 4,200 elements: the layout needs a second blob.
    const many = Array.from({ length: 40 }, () => 3232);
    const manyData = submitBlobBatchData(
      f.rollup,
      many,
      many.map(() => state),
      f.operatorKey.address,
      9,
    );
    const send = (raw: string) => f.archive.sendRawTransaction(raw);
    const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), manyData, [filledBlob(0)], send);
    expect(revertName(f.rollup, outcome)).to.equal("BlobMissing");
    await expectSolvent(f.rollup, f.archive);
  });

  it("should not accept a blob that no chunk covers", async function () {
    const f = await loadFixture(blobFundedFixture);
    const data = submitBlobBatchData(f.rollup, [0], [await tipState(f.rollup)], f.operatorKey.address, 9);
    const send = (raw: string) => f.archive.sendRawTransaction(raw);
    const blobs = [filledBlob(0), filledBlob(7)];
    const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, blobs, send);
    expect(revertName(f.rollup, outcome)).to.equal("UnusedBlob");
    await expectSolvent(f.rollup, f.archive);
  });
});
