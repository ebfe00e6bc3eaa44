import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, hexlify, keccak256, toBeHex } from "ethers";
import {
  BYTES_PER_FIELD_ELEMENT,
  FIELD_ELEMENTS_PER_BLOB,
  BlobLayoutError,
  elementsFor,
  elementsOf,
  encodeBlobs,
  evaluationPoint,
  layoutChunks,
  locationHash,
  readChunk,
  versionedHash,
} from "../../src/encoding/blob";
import { Kzg, loadKzg } from "../../src/encoding/kzg";
import { describeDeep, runs } from "../support/deep";

const OPENING = "tuple(bytes32 versionedHash, uint32 firstElement, bytes commitment, bytes32[] elements, bytes proofs)";
const z = (i: number): Uint8Array => new Uint8Array(Buffer.from(toBeHex(evaluationPoint(i), 32).slice(2), "hex"));

async function deployed() {
  const harness = await (await hre.ethers.getContractFactory("BlobCodecHarness")).deploy();
  const chunks = await (await hre.ethers.getContractFactory("BlobChunks")).deploy();
  return { harness, chunks };
}

/** One blob holding `chunks`, its commitment and versioned hash, and the opening of chunk `k` (c-kzg proofs). */
function opened(kzg: Kzg, chunks: Uint8Array[], k: number) {
  const [blob] = encodeBlobs(chunks);
  const span = layoutChunks(chunks.map((c) => c.length))[k];
  const commitment = kzg.blobToKzgCommitment(blob);
  const elements = elementsOf(blob, span.firstElement, elementsFor(span.byteLength));
  const proofs = elements.map((_, j) => kzg.computeKzgProof!(blob, z(span.firstElement + j))[0]);
  return {
    blob,
    span,
    commitment,
    hash: versionedHash(commitment),
    opening: {
      versionedHash: hexlify(versionedHash(commitment)),
      firstElement: span.firstElement,
      commitment: hexlify(commitment),
      elements: elements.map((e) => hexlify(e)),
      proofs: hexlify(Buffer.concat(proofs)),
    },
  };
}

const hashOf = (opening: { versionedHash: string }): Buffer => Buffer.from(opening.versionedHash.slice(2), "hex");
const encodeOpening = (opening: object): string => AbiCoder.defaultAbiCoder().encode([OPENING], [opening]);

describe("BlobCodec", function () {
  let kzg: Kzg;
  before(async function () {
    kzg = await loadKzg();
    if (!kzg.computeKzgProof) this.skip(); // point openings need c-kzg
  });

  describe("# layout (TypeScript)", function () {
    it("should recover every chunk's bytes from the elements it spans", function () {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 3232 }), { minLength: 1, maxLength: 6 }), (chunks) => {
          const blobs = encodeBlobs(chunks);
          const spans = layoutChunks(chunks.map((c) => c.length));
          spans.forEach((span, k) => {
            expect(hexlify(readChunk(blobs[span.blobIndex], span))).to.equal(hexlify(chunks[k]));
            for (const e of elementsOf(blobs[span.blobIndex], span.firstElement, elementsFor(span.byteLength)))
              expect(e[0]).to.equal(0);
          });
        }),
        { numRuns: runs(10, 200) },
      );
    });

    it("should start a chunk in the next blob when it would not fit", function () {
      const spans = layoutChunks([31 * (FIELD_ELEMENTS_PER_BLOB - 10), 31 * 11, 0]);
      expect(spans).to.deep.equal([
        { blobIndex: 0, firstElement: 0, byteLength: 31 * (FIELD_ELEMENTS_PER_BLOB - 10) },
        { blobIndex: 1, firstElement: 0, byteLength: 341 },
        { blobIndex: 1, firstElement: 11, byteLength: 0 },
      ]);
      expect(() => layoutChunks([31 * FIELD_ELEMENTS_PER_BLOB + 1])).to.throw(BlobLayoutError, /exceed one blob/);
    });

    it("should place element i at the i-th root of unity in bit-reversed order (c-kzg agrees)", function () {
      const chunk = new Uint8Array(31 * 40).map((_, i) => (i * 7 + 3) & 0xff);
      const [blob] = encodeBlobs([chunk]);
      for (const i of [0, 1, 2, 3, 17, 39, 40, 4095]) {
        const [, y] = kzg.computeKzgProof!(blob, z(i));
        expect(hexlify(y)).to.equal(hexlify(elementsOf(blob, i, 1)[0]), `element ${i}`);
      }
    });
  });

  describe("# differential (Solidity = TypeScript)", function () {
    it("should compute the same evaluation points, element counts and location hashes", async function () {
      const { harness } = await loadFixture(deployed);
      for (const i of [0, 1, 2, 5, 1000, 2048, 4095])
        expect(await harness.evaluationPoint(i)).to.equal(evaluationPoint(i));
      for (const n of [0, 1, 30, 31, 32, 62, 63, 3232]) expect(await harness.elementsFor(n)).to.equal(elementsFor(n));
      const hash = versionedHash(new Uint8Array(48).fill(9));
      expect(await harness.locationHash(hash, 77, 3232)).to.equal(hexlify(locationHash(hash, 77, 3232)));
    });

    it("should recover a chunk's bytes from its elements in Solidity", async function () {
      const { harness } = await loadFixture(deployed);
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), async (chunk) => {
          const [blob] = encodeBlobs([new Uint8Array(5), chunk]);
          const span = layoutChunks([5, chunk.length])[1];
          const elements = elementsOf(blob, span.firstElement, elementsFor(chunk.length)).map((e) => hexlify(e));
          expect(await harness.payloadOf(elements, chunk.length)).to.equal(hexlify(chunk));
          for (let j = 0; j < elements.length; j++)
            expect(await harness.carries(elements[j], chunk, j * 31)).to.equal(true);
        }),
        { numRuns: runs(8, 200) },
      );
    });
  });

  describe("# BlobChunks.openChunk", function () {
    it("should open a chunk against its blob and record its bytes", async function () {
      const { chunks: blobChunks } = await loadFixture(deployed);
      const chunks = [new Uint8Array(100).fill(1), new Uint8Array(310).map((_, i) => i & 0xff)];
      const { opening, span } = opened(kzg, chunks, 1);
      const first = opened(kzg, chunks, 0);
      expect(await blobChunks.openChunk.staticCall(chunks[0], encodeOpening(first.opening))).to.equal(
        hexlify(locationHash(first.hash, 0, 100)),
      );
      // As a transaction (eth_call and estimateGas of a large opening ask for more than the EIP-7825 cap).
      const [sender] = await hre.ethers.getSigners();
      const tx = await blobChunks
        .connect(sender)
        .openChunk(chunks[1], encodeOpening(opening), { gasLimit: 16_777_216n });
      const location = hexlify(locationHash(hashOf(opening), span.firstElement, span.byteLength));
      await expect(tx)
        .to.emit(blobChunks, "ChunkOpened")
        .withArgs(location, keccak256(chunks[1]), sender.address, opening.elements.length);
      expect(await blobChunks.chunkHashOf(location)).to.equal(keccak256(chunks[1]));
      const receipt = await tx.wait();
      const gas = receipt!.gasUsed;
      expect(span.firstElement).to.equal(elementsFor(100));
      console.log(`      opening 310 bytes (${opening.elements.length} elements): ${gas} gas`);
    });

    it("should not open bytes the blob does not hold", async function () {
      const { chunks: blobChunks } = await loadFixture(deployed);
      const chunk = new Uint8Array(200).fill(5);
      const { opening } = opened(kzg, [chunk], 0);
      const forged = chunk.slice();
      forged[70] ^= 1;
      await expect(blobChunks.openChunk.staticCall(forged, encodeOpening(opening)))
        .to.be.revertedWithCustomError(blobChunks, "BlobElementMismatch")
        .withArgs(2);
      const elements = opening.elements.slice();
      // The element rewritten to carry the forged bytes: the payload matches, the precompile refuses it.
      elements[2] = hexlify(Buffer.concat([Buffer.alloc(1), Buffer.from(forged.subarray(62, 93))]));
      await expect(blobChunks.openChunk.staticCall(forged, encodeOpening({ ...opening, elements })))
        .to.be.revertedWithCustomError(blobChunks, "InvalidBlobOpening")
        .withArgs(2, opening.versionedHash);
    });

    it("should not take an element whose ignored high byte differs from the blob's", async function () {
      const { chunks: blobChunks } = await loadFixture(deployed);
      const chunk = new Uint8Array(40).fill(3);
      const { opening } = opened(kzg, [chunk], 0);
      const elements = opening.elements.slice();
      elements[1] = "0x01" + elements[1].slice(4);
      await expect(blobChunks.openChunk.staticCall(chunk, encodeOpening({ ...opening, elements })))
        .to.be.revertedWithCustomError(blobChunks, "InvalidBlobOpening")
        .withArgs(1, opening.versionedHash);
    });

    it("should not open against another blob's commitment or with a missing proof", async function () {
      const { chunks: blobChunks } = await loadFixture(deployed);
      const chunk = new Uint8Array(90).fill(8);
      const { opening } = opened(kzg, [chunk], 0);
      const other = opened(kzg, [new Uint8Array(90).fill(9)], 0);
      await expect(
        blobChunks.openChunk.staticCall(chunk, encodeOpening({ ...opening, commitment: other.opening.commitment })),
      )
        .to.be.revertedWithCustomError(blobChunks, "InvalidBlobOpening")
        .withArgs(0, opening.versionedHash);
      await expect(
        blobChunks.openChunk.staticCall(chunk, encodeOpening({ ...opening, proofs: opening.proofs.slice(0, -96) })),
      )
        .to.be.revertedWithCustomError(blobChunks, "BlobOpeningLength")
        .withArgs(3, 96, 3);
      expect(BYTES_PER_FIELD_ELEMENT).to.equal(32);
    });
  });
});

describeDeep("BlobCodec worst opening", function () {
  let kzg: Kzg;
  before(async function () {
    kzg = await loadKzg();
    if (!kzg.computeKzgProof) this.skip();
  });

  it("should open the largest chunk (32 withdrawals, 105 elements) under the EIP-7825 cap", async function () {
    const { chunks: blobChunks } = await loadFixture(deployed);
    const chunks = [new Uint8Array(100).fill(1), new Uint8Array(3232).map((_, i) => i & 0xff)];
    const { opening, span } = opened(kzg, chunks, 1);
    const first = opened(kzg, chunks, 0);
    expect(await blobChunks.openChunk.staticCall(chunks[0], encodeOpening(first.opening))).to.equal(
      hexlify(locationHash(first.hash, 0, 100)),
    );
    // The worst chunk as a transaction under the EIP-7825 cap (eth_call and estimateGas ask for more than the cap).
    const [sender] = await hre.ethers.getSigners();
    const tx = await blobChunks.connect(sender).openChunk(chunks[1], encodeOpening(opening), { gasLimit: 16_777_216n });
    const location = hexlify(locationHash(hashOf(opening), span.firstElement, span.byteLength));
    await expect(tx)
      .to.emit(blobChunks, "ChunkOpened")
      .withArgs(location, keccak256(chunks[1]), sender.address, opening.elements.length);
    expect(await blobChunks.chunkHashOf(location)).to.equal(keccak256(chunks[1]));
    const receipt = await tx.wait();
    const gas = receipt!.gasUsed;
    expect(span.firstElement).to.equal(elementsFor(100));
    // 105 elements: the worst chunk of 32 withdrawals (3,232 bytes).
    console.log(`      opening 3,232 bytes (${opening.elements.length} elements): ${gas} gas`);
  });
});
