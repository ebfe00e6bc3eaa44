import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { hexlify, randomBytes } from "ethers";
import {
  BYTES_PER_BLOB,
  BlobError,
  PAYLOAD_BYTES_PER_BLOB,
  blobBatchCommitment,
  blobsNeeded,
  hardhatWallet,
  kzgLibrary,
  packBlobs,
  unpackBlobs,
} from "../../src/bench/blobs";
import { deployBlobInbox } from "../../src/bench/deploy";

describe("bench: blobs", function () {
  describe("# packBlobs / unpackBlobs", function () {
    it("should round-trip any payload and keep every field element's high byte zero", function () {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 3000 }), (payload) => {
          const blobs = packBlobs(payload);
          expect(blobs.length).to.equal(blobsNeeded(payload.length));
          for (const blob of blobs) {
            expect(blob.length).to.equal(BYTES_PER_BLOB);
            let highBytes = 0;
            for (let at = 0; at < BYTES_PER_BLOB; at += 32) highBytes |= blob[at];
            expect(highBytes).to.equal(0);
          }
          expect(hexlify(unpackBlobs(blobs))).to.equal(hexlify(payload));
        }),
        { numRuns: 25 },
      );
    });

    it("should spill into a second blob exactly past one blob's capacity", function () {
      expect(packBlobs(new Uint8Array(PAYLOAD_BYTES_PER_BLOB - 4))).to.have.length(1);
      const two = new Uint8Array(PAYLOAD_BYTES_PER_BLOB - 3).fill(7);
      expect(packBlobs(two)).to.have.length(2);
      expect(hexlify(unpackBlobs(packBlobs(two)))).to.equal(hexlify(two));
    });

    it("should not unpack a blob whose field element is out of layout", function () {
      const [blob] = packBlobs(new Uint8Array([1, 2, 3]));
      blob[64] = 1;
      expect(() => unpackBlobs([blob])).to.throw(BlobError, /blob 0 element 2 has a non-zero high byte/);
    });
  });

  async function deployed() {
    const inbox = await deployBlobInbox(hre);
    return { inbox };
  }

  describe("# recordBlobBatch", function () {
    it("should not record a batch without blobs", async function () {
      const { inbox } = await loadFixture(deployed);
      await expect(inbox.recordBlobBatch(hexlify(randomBytes(32)), 5))
        .to.be.revertedWithCustomError(inbox, "NoBlobs")
        .withArgs(1);
    });

    it("should not record an empty batch", async function () {
      const { inbox } = await loadFixture(deployed);
      await expect(inbox.recordBlobBatch(hexlify(randomBytes(32)), 0))
        .to.be.revertedWithCustomError(inbox, "EmptyBatch")
        .withArgs(1);
    });

    it("should record the blobs' versioned hashes in the commitment the TypeScript side computes", async function () {
      const { inbox } = await loadFixture(deployed);
      const wallet = hardhatWallet(hre, 38, hre.ethers.provider);
      const root = hexlify(randomBytes(32));
      const blobs = packBlobs(randomBytes(PAYLOAD_BYTES_PER_BLOB + 100));
      const tx = await wallet.sendTransaction({
        type: 3,
        to: await inbox.getAddress(),
        data: inbox.interface.encodeFunctionData("recordBlobBatch", [root, 42]),
        blobs,
        kzg: await kzgLibrary(),
        gasLimit: 500_000n,
        maxFeePerBlobGas: 10n ** 12n,
      });
      const hashes = tx.blobVersionedHashes ?? [];
      expect(hashes).to.have.length(2);
      const commitment = blobBatchCommitment(hre.ethers.ZeroHash, hashes, root, 42n);
      await expect(tx).to.emit(inbox, "BlobBatchRecorded").withArgs(1, commitment, root, 2, 42);
      expect(await inbox.batchCommitment(1)).to.equal(commitment);
      expect(await inbox.batchCount()).to.equal(1n);
    });
  });
});
