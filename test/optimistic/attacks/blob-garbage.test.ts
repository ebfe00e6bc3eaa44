import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { blobFundedFixture } from "../blob-fixtures";
import { expectSolvent } from "./attacker";
import { filledBlob, sendBlobTx, submitBlobBatchData, tipState } from "./blob-attacker";

/**
 * The operator posts a blob batch whose blob does not hold the txs the chunk claims: an empty (all-zero) blob, or
 * one full of bytes that decode to nothing, under chunk lengths and a state of its choice. L1 cannot see blob bytes,
 * so it takes the batch; the watcher reads the blob from the archive, opens the chunk against it and proves it
 * malformed.
 */
describe("attack: blob garbage", function () {
  for (const [name, byte] of [
    ["an empty blob", 0],
    ["a blob of bytes that are no txs", 0xee],
  ] as const) {
    it(`should roll back and slash a batch posted with ${name}`, async function () {
      const f = await loadFixture(blobFundedFixture);
      const data = submitBlobBatchData(f.rollup, [310], [await tipState(f.rollup)], f.operatorKey.address, 9);
      const send = (raw: string) => f.archive.sendRawTransaction(raw);
      const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, [filledBlob(byte)], send);
      expect(outcome instanceof Error, String(outcome)).to.equal(false);
      const bad = await f.rollup.tipId();
      const result = await f.watcher.challengeFirstInvalid();
      expect(result?.invalid).to.deep.include({ batchId: Number(bad), chunkIndex: 0, fault: "Malformed" });
      expect(await f.rollup.tipId()).to.equal(bad - 1n);
      expect(await f.rollup.bonded()).to.equal(false);
      await expectSolvent(f.rollup, f.archive);
    });
  }
});
