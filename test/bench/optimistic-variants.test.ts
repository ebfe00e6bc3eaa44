/**
 * The optimistic rollup's variants in the benchmark: the committed snapshot pins a batch of every combination of
 * signatures and posting (so the snapshot test checks each path), and the BLS signatures the benchmark keeps
 * round-trip through their file.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import hre from "hardhat";
import { readSnapshot } from "../../src/bench/snapshot";
import {
  COMBINATIONS,
  SIGNATURE_CACHE_ENV,
  loadSignatureCache,
  saveSignatureCache,
  variantOf,
} from "../../src/bench/workloads/optimistic-batches";

describe("bench: optimistic variants", function () {
  describe("# bench/snapshot.json", function () {
    const snapshot = readSnapshot(join(hre.config.paths.root, "bench", "snapshot.json"));

    it("should pin a batch of every combination of signatures and posting", function () {
      for (const { signatures, posting } of COMBINATIONS) {
        const prefix = `optimistic/${variantOf(signatures, "batch")}/${posting}/`;
        const rows = Object.keys(snapshot.rows).filter((id) => id.startsWith(prefix));
        expect(rows, `${signatures}/${posting}`).to.not.be.empty;
      }
    });

    it("should pin blob gas on every blob batch and none on a calldata batch", function () {
      for (const [id, entry] of Object.entries(snapshot.rows)) {
        if (!/^optimistic\/(bls-)?batch\//.test(id)) continue;
        if (id.includes("/blob/")) expect(entry.blobGasUsed, id).to.be.greaterThan(0);
        else expect(entry.blobGasUsed, id).to.equal(0);
      }
    });

    it("should pin both worst blob openings and the bad-aggregate fraud proof", function () {
      for (const id of [
        "optimistic/blob-opening/blob/1",
        "optimistic/bls-blob-opening/blob/1",
        "optimistic/fraud-proof:bad-aggregate/calldata/1",
      ])
        expect(snapshot.rows, id).to.have.property(id);
    });
  });

  describe("# saveSignatureCache / loadSignatureCache", function () {
    it("should give back the signatures saved, byte for byte, through the file the environment names", function () {
      const dir = mkdtempSync(join(tmpdir(), "l2lab-signatures-"));
      const before = process.env[SIGNATURE_CACHE_ENV];
      try {
        process.env[SIGNATURE_CACHE_ENV] = join(dir, "bls-signatures.json");
        expect(loadSignatureCache().size, "no file yet").to.equal(0);
        const signature = Uint8Array.from({ length: 96 }, (_, i) => (i * 7) % 256);
        saveSignatureCache(new Map([["tag/0xabc/1/2/1000/10/0", signature]]));
        const loaded = loadSignatureCache();
        expect([...loaded.keys()]).to.deep.equal(["tag/0xabc/1/2/1000/10/0"]);
        expect(Buffer.from(loaded.get("tag/0xabc/1/2/1000/10/0")!).equals(Buffer.from(signature))).to.equal(true);
      } finally {
        if (before === undefined) delete process.env[SIGNATURE_CACHE_ENV];
        else process.env[SIGNATURE_CACHE_ENV] = before;
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
