import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import hre from "hardhat";
import { blobFundedFixture } from "../blob-fixtures";
import { ArchiveRefusal } from "../../../src/optimistic/blob-archive";
import { BlobUnavailable, readL1 } from "../../../src/optimistic/l1-view";
import { filledBlob, sendBlobTx, submitBlobBatchData, tipState } from "./blob-attacker";

/**
 * The operator keeps a batch's data from the watchers: it sends the blob transaction to the node around the
 * archive, or gives the archive a sidecar whose blob is not the one the transaction's versioned hash commits to.
 * The archive refuses the second. The first only works on this emulation (on Ethereum, blobs travel with their
 * block and the consensus layer keeps them for about 18 days); there the watcher cannot check the batch and says
 * so, naming the missing blob, instead of taking the batch as valid.
 */
describe("attack: blob bypass archive", function () {
  it("should not store or forward a blob whose commitment is not the blob's", async function () {
    const f = await loadFixture(blobFundedFixture);
    const data = submitBlobBatchData(f.rollup, 1, await tipState(f.rollup), f.operatorKey.address, 9);
    const other = filledBlob(3);
    // A KZG that commits to another blob: the sidecar's commitment and the signed versioned hash are the other's.
    const lying = {
      ...f.kzg,
      blobToKzgCommitment: () => f.kzg.blobToKzgCommitment(other),
      computeBlobKzgProof: () => f.kzg.computeBlobKzgProof(other, f.kzg.blobToKzgCommitment(other)),
    };
    const tipBefore = await f.rollup.tipId();
    const stored = f.archive.size;
    const send = (raw: string) => f.archive.sendRawTransaction(raw);
    const outcome = await sendBlobTx(f.wallet, lying, await f.rollup.getAddress(), data, [filledBlob(0)], send);
    expect(outcome).to.be.instanceOf(ArchiveRefusal);
    expect((outcome as Error).message).to.match(/blob 0 does not give its commitment/);
    expect(f.archive.size).to.equal(stored);
    expect(await f.rollup.tipId()).to.equal(tipBefore);
  });

  it("should not take a batch whose blobs are not in the archive as valid", async function () {
    const f = await loadFixture(blobFundedFixture);
    const data = submitBlobBatchData(f.rollup, 1, await tipState(f.rollup), f.operatorKey.address, 9);
    const node = (raw: string) => hre.network.provider.request({ method: "eth_sendRawTransaction", params: [raw] });
    const blob = filledBlob(1);
    const outcome = await sendBlobTx(f.wallet, f.kzg, await f.rollup.getAddress(), data, [blob], (raw) =>
      node(raw).then(String),
    );
    expect(outcome instanceof Error, String(outcome)).to.equal(false);
    let refused: unknown;
    await readL1(f.rollup, f.archive).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(BlobUnavailable);
    expect((refused as BlobUnavailable).batchId).to.equal(Number(await f.rollup.tipId()));
  });
});
