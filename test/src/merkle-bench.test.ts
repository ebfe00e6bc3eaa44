import { expect } from "chai";
import { SparseMerkleTree, keccakHasher, verifyProof } from "../../src/merkle";
import { measureUpdateSpeed, randomTree, splitMix64 } from "../../src/merkle/bench";

describe("merkle benchmark helpers", function () {
  describe("# splitMix64", function () {
    it("should repeat its sequence for a seed and differ between seeds", function () {
      const a = splitMix64(7n);
      const b = splitMix64(7n);
      const c = splitMix64(8n);
      const first = [a(), a(), a()];
      expect([b(), b(), b()]).to.deep.equal(first);
      expect(c()).to.not.equal(first[0]);
      for (const value of first) expect(value >> 64n).to.equal(0n);
    });
  });

  describe("# randomTree", function () {
    it("should place the asked number of distinct accounts, each provable", function () {
      const { tree, indexes } = randomTree(keccakHasher, 10, 50, 3n);
      expect(new Set(indexes).size).to.equal(50);
      expect(tree.size).to.equal(50);
      expect(verifyProof(keccakHasher, tree.root, tree.proof(indexes[17]))).to.equal(true);
    });
  });

  describe("# measureUpdateSpeed", function () {
    it("should report the accounts it inserted and the nodes a same-sized tree stores", function () {
      const labels: string[] = [];
      const speed = measureUpdateSpeed(keccakHasher, 12, 40, 20, (label) => labels.push(label));
      expect(speed).to.include({ hasher: "keccak", depth: 12, accounts: 40 });
      for (const rate of [speed.insertsPerSecond, speed.updatesPerSecond, speed.bulkLoadPerSecond]) {
        expect(rate).to.be.greaterThan(0);
      }
      // 40 leaves at depth 12 store at least 40 leaves + 12 levels of one path, at most 40 full paths.
      expect(speed.storedNodes).to.be.within(40 + 12, 40 * 13);
      expect(labels.at(-1)).to.match(/bulk-loaded/);
      expect(new SparseMerkleTree(12, keccakHasher).storedNodes).to.equal(0);
    });
  });
});
