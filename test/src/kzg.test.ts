import { expect } from "chai";
import { hexlify } from "ethers";
import { loadKzg } from "../../src/encoding/kzg";
import { encodeBlobs } from "../../src/encoding/blob";
import { describeDeep } from "../support/deep";

// kzg-wasm takes about 18 s to load its trusted setup: the fallback is checked in the deep suite.
describeDeep("KZG loader", function () {
  it("should give the same commitments and blob proofs from kzg-wasm as from the default backend", async function () {
    this.timeout(120_000);
    const wasm = await loadKzg({ prefer: "kzg-wasm" });
    const main = await loadKzg();
    expect(wasm.backend).to.equal("kzg-wasm");
    expect(wasm.computeKzgProof).to.equal(undefined);
    const [blob] = encodeBlobs([new Uint8Array(500).map((_, i) => i & 0xff)]);
    const commitment = wasm.blobToKzgCommitment(blob);
    expect(hexlify(commitment)).to.equal(hexlify(main.blobToKzgCommitment(blob)));
    const proof = wasm.computeBlobKzgProof(blob, commitment);
    expect(hexlify(proof)).to.equal(hexlify(main.computeBlobKzgProof(blob, commitment)));
    expect(wasm.verifyBlobKzgProof(blob, commitment, proof)).to.equal(true);
  });
});
