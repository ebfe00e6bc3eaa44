import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { parseEther, solidityPacked } from "ethers";
import { blobFundedFixture, freshBlobOperator } from "../blob-fixtures";
import { expectSolvent } from "./attacker";
import { readL1 } from "../../../src/optimistic/l1-view";
import { buildFraudProof, fraudCommitment } from "../../../src/optimistic/watcher";
import { signTransfer } from "../../../src/optimistic/client";

/**
 * A challenger "proves" an honest blob batch invalid by sending, as the chunk's bytes, the preimage of what the
 * chunk's leaf commits to. Were the leaf keccak256(versionedHash|firstElement|length), those 40 bytes would pass
 * proveFraud's keccak check and execute as garbage (Malformed), rolling back a valid batch and taking half the bond.
 * The leaf holds a sha256 of the location, which no keccak256 of bytes matches, and BlobChunks records nothing
 * for those bytes, so the proof reverts.
 */
describe("attack: blob location preimage", function () {
  it("should not roll back an honest blob batch with the location's preimage as chunk bytes", async function () {
    const f = await loadFixture(blobFundedFixture);
    const operator = await freshBlobOperator(f);
    const from = f.accounts[0];
    operator.accept(
      signTransfer(f.domain, f.l2[0].signingKey, {
        from,
        to: f.accounts[1],
        amount: parseEther("0.1"),
        fee: 0n,
        nonce: 0,
      }),
    );
    const { batchIds } = await operator.postPending();
    const batchId = batchIds[0];
    const view = await readL1(f.rollup, f.archive);
    const chunk = view.batches[batchId].chunks[0];
    const preimage = solidityPacked(
      ["bytes32", "uint32", "uint32"],
      [chunk.blob!.versionedHash, chunk.blob!.firstElement, chunk.data.length],
    );
    const proof = { ...buildFraudProof(view, batchId, 0), chunkData: preimage, accounts: [] };
    const data = f.rollup.interface.encodeFunctionData("proveFraud", [proof]);
    const challenger = f.challenger;
    await (await f.rollup.connect(challenger).commitFraudProof(fraudCommitment(challenger.address, data))).wait();
    await expect(challenger.sendTransaction({ to: await f.rollup.getAddress(), data }))
      .to.be.revertedWithCustomError(f.rollup, "ChunkDataMismatch")
      .withArgs(batchId, 0, "0x" + chunk.dataHash.toString("hex"));
    expect(await f.rollup.tipId()).to.equal(BigInt(batchId));
    expect(await f.rollup.bonded()).to.equal(true);
    expect(await ethers.provider.getCode(await f.rollup.BLOB_CHUNKS())).to.not.equal("0x");
    await expectSolvent(f.rollup, f.archive);
  });
});
