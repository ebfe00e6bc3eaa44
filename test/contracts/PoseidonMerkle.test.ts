import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  MerkleHasher,
  SNARK_SCALAR_FIELD,
  SparseMerkleTree,
  buildPoseidon,
  buildPoseidonHasher,
} from "../../src/merkle";
import { PoseidonArity, deployPoseidon, poseidonAbi } from "../../scripts/deploy-poseidon";

/** Random (index, leaf) writes of field elements for a tree of `depth`; 0n leaves clear an account. */
function writes(depth: number) {
  return fc.array(
    fc.record({
      index: fc.bigInt({ min: 0n, max: (1n << BigInt(depth)) - 1n }),
      leaf: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: SNARK_SCALAR_FIELD - 1n })),
    }),
    { minLength: 1, maxLength: 3 },
  );
}

describe("PoseidonMerkle", function () {
  let hasher: MerkleHasher;

  before(async function () {
    hasher = await buildPoseidonHasher();
  });

  async function deployHarness() {
    const [deployer] = await ethers.getSigners();
    const poseidon2 = await deployPoseidon(deployer, 2);
    const harness = await ethers.deployContract("PoseidonMerkleHarness", [poseidon2]);
    return { harness, poseidon2 };
  }

  describe("# deployPoseidon", function () {
    it("should deploy contracts that hash like the TypeScript Poseidon for 2 to 5 inputs", async function () {
      const [deployer] = await ethers.getSigners();
      const poseidon = await buildPoseidon();
      for (const n of [2, 3, 4, 5] as PoseidonArity[]) {
        const contract = new ethers.Contract(await deployPoseidon(deployer, n), poseidonAbi(n), deployer);
        const inputs = Array.from({ length: n }, (_, i) => SNARK_SCALAR_FIELD - 1n - BigInt(i * 977));
        expect(await contract[`poseidon(uint256[${n}])`](inputs)).to.equal(poseidon(inputs));
      }
    });

    it("should not deploy an arity without an interface", async function () {
      const [deployer] = await ethers.getSigners();
      await expect(deployPoseidon(deployer, 6 as PoseidonArity)).to.be.rejectedWith(/nInputs = 6/);
    });
  });

  describe("# constructor (harness)", function () {
    it("should revert with HasherNotDeployed for an address without code", async function () {
      const { harness } = await loadFixture(deployHarness);
      const [, someone] = await ethers.getSigners();
      await expect(ethers.deployContract("PoseidonMerkleHarness", [someone.address]))
        .to.be.revertedWithCustomError(harness, "HasherNotDeployed")
        .withArgs(someone.address);
    });
  });

  describe("# computeRoot", function () {
    it("should match the TypeScript tree's root after every insert (depths 4..32)", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 4, max: 32 }).chain((depth) => fc.tuple(fc.constant(depth), writes(depth))),
          async ([depth, ops]) => {
            const tree = new SparseMerkleTree(depth, hasher);
            for (const { index, leaf } of ops) {
              const before = tree.proof(index);
              tree.setLeaf(index, leaf);
              // The membership proof from before the update, with the new leaf, gives the new root on L1.
              expect(await harness.computeRoot(leaf, index, before.siblings)).to.equal(tree.root);
            }
          },
        ),
        { numRuns: 6 },
      );
    });

    it("should revert with MerkleIndexOutOfRange when the index has bits above the depth", async function () {
      const { harness } = await loadFixture(deployHarness);
      const { siblings } = new SparseMerkleTree(4, hasher).proof(0);
      await expect(harness.computeRoot(1n, 16n, siblings))
        .to.be.revertedWithCustomError(harness, "MerkleIndexOutOfRange")
        .withArgs(16n, 4n);
    });

    it("should revert when the leaf or a sibling is not a field element", async function () {
      const { harness } = await loadFixture(deployHarness);
      const tree = new SparseMerkleTree(4, hasher);
      tree.setLeaf(2, 9n);
      const { siblings } = tree.proof(3);
      await expect(harness.computeRoot(SNARK_SCALAR_FIELD, 3n, siblings))
        .to.be.revertedWithCustomError(harness, "LeafNotInField")
        .withArgs(SNARK_SCALAR_FIELD);
      // x and x + Fr hash alike inside the Poseidon contract: the library must refuse the second encoding.
      const aliased = [siblings[0] + SNARK_SCALAR_FIELD, ...siblings.slice(1)];
      await expect(harness.computeRoot(0n, 3n, aliased))
        .to.be.revertedWithCustomError(harness, "SiblingNotInField")
        .withArgs(0n, aliased[0]);
    });
  });

  describe("# verify", function () {
    it("should accept membership and non-membership proofs and reject a wrong leaf, sibling or index", async function () {
      const { harness } = await loadFixture(deployHarness);
      const depth = 20;
      const tree = new SparseMerkleTree(depth, hasher);
      const index = 0xabcden;
      tree.setLeaf(index, 42n);
      tree.setLeaf(index ^ 1n, 43n);
      tree.setLeaf(7n, 44n);
      const { root } = tree;
      const { siblings } = tree.proof(index);
      expect(await harness.verify(root, 42n, index, siblings)).to.equal(true);
      const empty = tree.proof(8n);
      expect(await harness.verify(root, 0n, 8n, empty.siblings)).to.equal(true);
      expect(await harness.verify(root, 41n, index, siblings)).to.equal(false);
      expect(await harness.verify(root, 42n, index ^ 2n, siblings)).to.equal(false);
      expect(await harness.verify(root, 42n, index + (1n << 20n), siblings)).to.equal(false);
      const tampered = siblings.map((s, i) => (i === 5 ? (s + 1n) % SNARK_SCALAR_FIELD : s));
      expect(await harness.verify(root, 42n, index, tampered)).to.equal(false);
      const aliased = siblings.map((s, i) => (i === 0 ? s + SNARK_SCALAR_FIELD : s));
      expect(await harness.verify(root, 42n, index, aliased)).to.equal(false);
      expect(await harness.verify(root, 42n + SNARK_SCALAR_FIELD, index, siblings)).to.equal(false);
    });
  });
});
