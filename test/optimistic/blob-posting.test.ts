import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { parseEther } from "ethers";
import { blobFundedFixture, freshBlobOperator } from "./blob-fixtures";
import { expectSolvent } from "./attacks/attacker";
import { readL1 } from "../../src/optimistic/l1-view";
import { buildOpening, rebuild } from "../../src/optimistic/watcher";
import { headerParts } from "../../src/optimistic/blob-batch";
import { signTransfer } from "../../src/optimistic/client";
import { FAULTS } from "../../src/optimistic/state";
import { batchRecord } from "../../src/optimistic/records";

type Fixture = Awaited<ReturnType<typeof blobFundedFixture>>;

async function fixture(): Promise<Fixture> {
  const f = await loadFixture(blobFundedFixture);
  return { ...f, operator: await freshBlobOperator(f) };
}

function transfer(f: Fixture, from: number, to: number, amount: bigint) {
  return signTransfer(f.domain, f.l2[from].signingKey, {
    from: f.accounts[from],
    to: f.accounts[to],
    amount,
    fee: 0n,
    nonce: f.operator.projected().account(f.accounts[from]).nonce,
  });
}

describe("# OptimisticRollup blob posting", function () {
  it("should post a batch in a blob that a watcher rebuilds from the archive alone", async function () {
    const f = await fixture();
    f.operator.accept(transfer(f, 0, 1, parseEther("0.25")));
    // The archive outlives loadFixture's chain reverts (it is a JS object), so earlier tests' blobs may be in it.
    const held = f.archive.size;
    const { batchIds, receipts } = await f.operator.postPending();
    const receipt = receipts[receipts.length - 1];
    const tx = (await ethers.provider.send("eth_getTransactionByHash", [receipt.hash])) as {
      type: string;
      blobVersionedHashes: string[];
    };
    expect(tx.type).to.equal("0x3");
    expect(tx.blobVersionedHashes).to.have.length(1);
    expect(f.archive.size).to.equal(held + 1);
    expect(await f.archive.getBlob(tx.blobVersionedHashes[0])).to.not.equal(undefined);
    const view = await readL1(f.rollup, f.archive);
    const batch = view.batches[batchIds[0]];
    expect(batch.chunks[0].blob?.versionedHash).to.equal(tx.blobVersionedHashes[0]);
    console.log(`      submitBlobBatch (1 transfer, 1 blob): ${receipt.gasUsed} gas`);
    const { invalid, state } = rebuild(view);
    expect(invalid).to.equal(undefined);
    expect(state.account(f.accounts[1]).balance).to.equal(parseEther("2.25"));
    expect(state.stateRoot.equals(f.operator.state.stateRoot)).to.equal(true);
    await expectSolvent(f.rollup, f.archive);
  });

  for (const kind of ["bad-state-root", "malformed"] as const) {
    it(`should prove a ${kind} blob batch by opening its chunk, roll it back and slash`, async function () {
      const f = await fixture();
      f.operator.accept(transfer(f, 0, 1, parseEther("0.5")));
      const { batchIds } = await f.operator.postPending({ kind });
      const bad = batchIds[batchIds.length - 1];
      const result = await f.watcher.challengeFirstInvalid();
      expect(result?.invalid.batchId).to.equal(bad);
      const proven = result!.receipt.logs
        .map((log) => f.rollup.interface.parseLog(log))
        .find((e) => e?.name === "FraudProven");
      expect(FAULTS[Number(proven!.args.fault)]).to.equal(result!.invalid.fault);
      expect(await f.rollup.isStanding(await batchRecord(f.rollup, bad))).to.equal(false); // RolledBack
      expect(await f.rollup.bonded()).to.equal(false);
      await expectSolvent(f.rollup, f.archive);
    });
  }

  it("should refuse a header proof against a valid header, or with other blobs than the batch's", async function () {
    const f = await fixture();
    f.operator.accept(transfer(f, 0, 1, parseEther("0.25")));
    const { batchIds } = await f.operator.postPending();
    const view = await readL1(f.rollup, f.archive);
    const batch = view.batches[batchIds[0]];
    const parent = view.batches[batch.parentId];
    const { header, versionedHashes, firstBlob } = batch.blobHeader!;
    // Open the header as a challenger would, then try to prove it bad.
    const chunks = await ethers.getContractAt("BlobChunks", await f.rollup.BLOB_CHUNKS(), f.challenger);
    const [part] = headerParts(header);
    const opening = buildOpening(f.kzg, firstBlob, versionedHashes[0], part.firstElement, part.bytes.length);
    await (await chunks.openChunk(part.bytes, opening)).wait();
    const as = f.rollup.connect(f.challenger);
    const hex = "0x" + header.toString("hex");
    await expect(as.proveBadBlobHeader(batch.record, parent.record, versionedHashes, hex))
      .to.be.revertedWithCustomError(f.rollup, "BlobHeaderIsValid")
      .withArgs(batch.id);
    await expect(as.proveBadBlobHeader(batch.record, parent.record, [ethers.ZeroHash], hex))
      .to.be.revertedWithCustomError(f.rollup, "NotTheBatchBlobs")
      .withArgs(batch.id);
    expect(await f.rollup.isStanding(batch.record)).to.equal(true);
    await expectSolvent(f.rollup, f.archive);
  });
});
