import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SparseMerkleTree, keccakHasher } from "../../src/merkle";

const bytes32 = (value: bigint): string => ethers.toBeHex(value, 32);
const toBytes32 = (values: bigint[]): string[] => values.map(bytes32);

/** Random (index, leaf) writes for a tree of `depth`; 0n leaves clear an account. */
function writes(depth: number) {
  return fc.array(
    fc.record({
      index: fc.bigInt({ min: 0n, max: (1n << BigInt(depth)) - 1n }),
      leaf: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: (1n << 256n) - 1n })),
    }),
    { minLength: 1, maxLength: 5 },
  );
}

describe("KeccakMerkle", function () {
  async function deployHarness() {
    const harness = await ethers.deployContract("KeccakMerkleHarness");
    return { harness };
  }

  describe("# computeRoot", function () {
    it("should match the TypeScript tree's root after every insert (depths 4..32)", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 4, max: 32 }).chain((depth) => fc.tuple(fc.constant(depth), writes(depth))),
          async ([depth, ops]) => {
            const tree = new SparseMerkleTree(depth, keccakHasher);
            for (const { index, leaf } of ops) {
              const before = tree.proof(index);
              tree.setLeaf(index, leaf);
              // The membership proof from before the update, with the new leaf, gives the new root on L1.
              expect(await harness.computeRoot(bytes32(leaf), index, toBytes32(before.siblings))).to.equal(
                bytes32(tree.root),
              );
              const after = tree.proof(index);
              expect(await harness.computeRoot(bytes32(after.leaf), index, toBytes32(after.siblings))).to.equal(
                bytes32(tree.root),
              );
            }
          },
        ),
        { numRuns: 15 },
      );
    });

    it("should return the leaf itself for a proof of depth 0", async function () {
      const { harness } = await loadFixture(deployHarness);
      expect(await harness.computeRoot(bytes32(7n), 0n, [])).to.equal(bytes32(7n));
    });

    it("should revert with MerkleIndexOutOfRange when the index has bits above the depth", async function () {
      const { harness } = await loadFixture(deployHarness);
      const siblings = toBytes32(new SparseMerkleTree(4, keccakHasher).proof(0).siblings);
      await expect(harness.computeRoot(bytes32(1n), 16n, siblings))
        .to.be.revertedWithCustomError(harness, "MerkleIndexOutOfRange")
        .withArgs(16n, 4n);
      await expect(harness.computeRoot(bytes32(1n), ethers.MaxUint256, siblings))
        .to.be.revertedWithCustomError(harness, "MerkleIndexOutOfRange")
        .withArgs(ethers.MaxUint256, 4n);
    });
  });

  describe("# verify", function () {
    it("should accept membership and non-membership proofs and reject a wrong leaf, sibling or index", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 4, max: 32 }), fc.nat(), async (depth, seed) => {
          const tree = new SparseMerkleTree(depth, keccakHasher);
          const max = 1n << BigInt(depth);
          const index = (BigInt(seed) * 7919n) % max;
          tree.setLeaf(index, BigInt(seed) + 1n);
          tree.setLeaf((index + 3n) % max, 5n);
          const root = bytes32(tree.root);
          const proof = tree.proof(index);
          const siblings = toBytes32(proof.siblings);
          const leaf = bytes32(proof.leaf);
          expect(await harness.verify(root, leaf, index, siblings)).to.equal(true);
          const empty = tree.proof((index + max / 2n) % max);
          expect(await harness.verify(root, bytes32(0n), empty.index, toBytes32(empty.siblings))).to.equal(true);
          expect(await harness.verify(root, bytes32(proof.leaf + 1n), index, siblings)).to.equal(false);
          expect(await harness.verify(root, leaf, index ^ 1n, siblings)).to.equal(false);
          expect(await harness.verify(root, leaf, index + max, siblings)).to.equal(false);
          const tampered = [...siblings];
          tampered[seed % depth] = bytes32(proof.siblings[seed % depth] ^ 1n);
          expect(await harness.verify(root, leaf, index, tampered)).to.equal(false);
        }),
        { numRuns: 10 },
      );
    });
  });
});
