import { expect } from "chai";
import fc from "fast-check";
import {
  HashInputError,
  MerkleHasher,
  MerkleIndexError,
  SNARK_SCALAR_FIELD,
  SparseMerkleTree,
  buildPoseidon,
  buildPoseidonHasher,
  computeRoot,
  emptySubtreeRoots,
  keccakHasher,
  verifyProof,
} from "../../src/merkle";
import { solidityPackedKeccak256 } from "ethers";

/** The reference: hash every level of a full tree from the list of all 2^depth leaves. */
function naiveRoot(hasher: MerkleHasher, leaves: bigint[]): bigint {
  let level = leaves;
  while (level.length > 1) {
    const up: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(hasher.hash2(level[i], level[i + 1]));
    level = up;
  }
  return level[0];
}

/** Random (index, leaf) writes for a tree of `depth`, leaves allowed to be 0n (a clear). */
function writes(depth: number, maxLeaf: bigint, maxLength = 12) {
  return fc.array(
    fc.record({
      index: fc.bigInt({ min: 0n, max: (1n << BigInt(depth)) - 1n }),
      leaf: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: maxLeaf - 1n })),
    }),
    { minLength: 1, maxLength },
  );
}

describe("merkle (TypeScript)", function () {
  let poseidonHasher: MerkleHasher;

  before(async function () {
    poseidonHasher = await buildPoseidonHasher();
  });

  describe("# keccakHasher.hash2", function () {
    it("should equal keccak256(abi.encodePacked(uint256, uint256))", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
          fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
          (a, b) => {
            expect(keccakHasher.hash2(a, b)).to.equal(BigInt(solidityPackedKeccak256(["uint256", "uint256"], [a, b])));
          },
        ),
        { numRuns: 200 },
      );
    });

    it("should not accept a value outside uint256", function () {
      expect(() => keccakHasher.hash2(1n << 256n, 0n)).to.throw(HashInputError, /left = 2\^?|left = 115792/);
      expect(() => keccakHasher.hash2(0n, -1n)).to.throw(HashInputError, /right = -1/);
    });
  });

  describe("# buildPoseidonHasher", function () {
    it("should match circomlib's Poseidon(2) test vector", function () {
      // poseidon([1, 2]) as published with circomlib's Poseidon template and circomlibjs.
      expect(poseidonHasher.hash2(1n, 2n)).to.equal(
        7853200120776062878684798364095072458815029376092732009249414926327459813530n,
      );
    });

    it("should be built once and cached", async function () {
      expect(await buildPoseidonHasher()).to.equal(poseidonHasher);
      expect(await buildPoseidon()).to.equal(await buildPoseidon());
    });

    it("should not accept a value outside the field", function () {
      expect(() => poseidonHasher.hash2(SNARK_SCALAR_FIELD, 0n)).to.throw(HashInputError, /inputs\[0\] = 2188/);
    });
  });

  describe("# buildPoseidon", function () {
    it("should hash 1 to 16 inputs and refuse other counts", async function () {
      const poseidon = await buildPoseidon();
      expect(poseidon([1n, 2n])).to.equal(poseidonHasher.hash2(1n, 2n));
      expect(poseidon([1n, 2n, 3n, 4n])).to.not.equal(poseidon([1n, 2n, 3n, 5n]));
      expect(() => poseidon([])).to.throw(HashInputError, /got 0 inputs/);
      expect(() => poseidon(new Array<bigint>(17).fill(1n))).to.throw(HashInputError, /got 17 inputs/);
      expect(() => poseidon([1n, SNARK_SCALAR_FIELD])).to.throw(HashInputError, /inputs\[1\]/);
    });
  });

  describe("# emptySubtreeRoots", function () {
    it("should hash each level from two copies of the one below", function () {
      const zeros = emptySubtreeRoots(keccakHasher, 32);
      expect(zeros).to.have.length(33);
      expect(zeros[0]).to.equal(0n);
      for (let h = 1; h <= 32; h++) expect(zeros[h]).to.equal(keccakHasher.hash2(zeros[h - 1], zeros[h - 1]));
      expect(new SparseMerkleTree(32, keccakHasher).root).to.equal(zeros[32]);
    });
  });

  describe("# SparseMerkleTree", function () {
    for (const name of ["keccak", "poseidon"] as const) {
      it(`should have the same root as a fully hashed tree (${name}, depth 4)`, function () {
        const hasher = name === "keccak" ? keccakHasher : poseidonHasher;
        fc.assert(
          fc.property(writes(4, SNARK_SCALAR_FIELD, 20), (ops) => {
            const tree = new SparseMerkleTree(4, hasher);
            const leaves = new Array<bigint>(16).fill(0n);
            for (const { index, leaf } of ops) {
              tree.setLeaf(index, leaf);
              leaves[Number(index)] = leaf;
              expect(tree.root).to.equal(naiveRoot(hasher, leaves));
            }
            expect(tree.size).to.equal(leaves.filter((l) => l !== 0n).length);
          }),
          { numRuns: name === "keccak" ? 60 : 15 },
        );
      });
    }

    it("should not store nodes of cleared leaves", function () {
      const tree = new SparseMerkleTree(32, keccakHasher);
      const empty = tree.root;
      tree.setLeaf(5, 9n);
      tree.setLeaf(2n ** 32n - 1n, 7n);
      expect(tree.size).to.equal(2);
      tree.setLeaf(5, 0n);
      tree.setLeaf(2n ** 32n - 1n, 0n);
      expect(tree.size).to.equal(0);
      expect(tree.root).to.equal(empty);
      expect([...tree.leaves()]).to.deep.equal([]);
    });

    it("should not accept an index outside the tree, naming index and depth", function () {
      const tree = new SparseMerkleTree(8, keccakHasher);
      expect(() => tree.setLeaf(256, 1n)).to.throw(MerkleIndexError, /leaf index 256 .* depth 8/);
      expect(() => tree.setLeaf(-1n, 1n)).to.throw(MerkleIndexError, /leaf index -1 .* depth 8/);
      expect(() => tree.getLeaf(1.5)).to.throw(MerkleIndexError, /1\.5 is not an integer/);
      expect(() => tree.proof(2n ** 8n)).to.throw(MerkleIndexError, /256/);
      expect(() => tree.getNode(9, 0)).to.throw(MerkleIndexError, /level 9/);
      expect(() => tree.getNode(8, 1)).to.throw(MerkleIndexError, /position on level 8/);
      expect(() => new SparseMerkleTree(0, keccakHasher)).to.throw(MerkleIndexError, /depth 0/);
    });

    it("should not accept a leaf outside the hash's domain and leave the tree unchanged", function () {
      const tree = new SparseMerkleTree(8, poseidonHasher);
      const root = tree.root;
      expect(() => tree.setLeaf(3, SNARK_SCALAR_FIELD)).to.throw(HashInputError, /leaf 3: value 2188/);
      expect(tree.root).to.equal(root);
    });

    it("should expose inner nodes: the root on top, empty-subtree roots elsewhere", function () {
      const tree = new SparseMerkleTree(8, keccakHasher);
      tree.setLeaf(6, 3n);
      expect(tree.getNode(8, 0)).to.equal(tree.root);
      expect(tree.getNode(0, 6)).to.equal(3n);
      expect(tree.getNode(1, 3)).to.equal(keccakHasher.hash2(3n, 0n));
      expect(tree.getNode(2, 0)).to.equal(emptySubtreeRoots(keccakHasher, 2)[2]);
    });
  });

  describe("# proof", function () {
    it("should verify membership and non-membership, and fail for a wrong leaf, sibling or index", function () {
      fc.assert(
        fc.property(fc.integer({ min: 4, max: 32 }), fc.nat(), (depth, seed) => {
          const tree = new SparseMerkleTree(depth, keccakHasher);
          const max = 1n << BigInt(depth);
          for (let i = 0n; i < 8n; i++) tree.setLeaf((BigInt(seed) * 7919n + i * 104729n) % max, i + 1n);
          const index = (BigInt(seed) * 7919n) % max;
          const proof = tree.proof(index);
          expect(proof.siblings).to.have.length(depth);
          expect(proof.leaf).to.equal(1n);
          expect(verifyProof(keccakHasher, tree.root, proof)).to.equal(true);
          const empty = tree.proof((index + max / 2n + 1n) % max);
          expect(verifyProof(keccakHasher, tree.root, empty)).to.equal(true);
          expect(verifyProof(keccakHasher, tree.root, { ...proof, leaf: 2n })).to.equal(false);
          expect(verifyProof(keccakHasher, tree.root, { ...proof, index: index ^ 1n })).to.equal(false);
          expect(verifyProof(keccakHasher, tree.root, { ...proof, index: index + max })).to.equal(false);
          const level = seed % depth;
          const siblings = proof.siblings.map((s, i) => (i === level ? s ^ 1n : s));
          expect(verifyProof(keccakHasher, tree.root, { ...proof, siblings })).to.equal(false);
        }),
        { numRuns: 40 },
      );
    });
  });

  describe("# computeRoot", function () {
    it("should give the root after an update from the proof taken before it", function () {
      fc.assert(
        fc.property(writes(32, 1n << 256n, 25), (ops) => {
          const tree = new SparseMerkleTree(32, keccakHasher);
          for (const { index, leaf } of ops) {
            const before = tree.proof(index);
            expect(computeRoot(keccakHasher, index, before.leaf, before.siblings)).to.equal(tree.root);
            const update = tree.update(index, leaf);
            expect(update.oldLeaf).to.equal(before.leaf);
            expect(computeRoot(keccakHasher, index, leaf, before.siblings)).to.equal(tree.root);
            expect(update.newRoot).to.equal(tree.root);
            expect(tree.getLeaf(index)).to.equal(leaf);
          }
        }),
        { numRuns: 30 },
      );
    });

    it("should not accept an index wider than the proof", function () {
      expect(() => computeRoot(keccakHasher, 16n, 1n, [0n, 0n, 0n, 0n])).to.throw(MerkleIndexError, /16 .* depth 4/);
    });
  });

  describe("# clone", function () {
    it("should give independent copies that share nothing observable", function () {
      fc.assert(
        fc.property(writes(16, 1n << 64n), writes(16, 1n << 64n), writes(16, 1n << 64n), (base, left, right) => {
          const original = new SparseMerkleTree(16, keccakHasher);
          for (const { index, leaf } of base) original.setLeaf(index, leaf);
          const copy = original.clone();
          const rebuilt = new SparseMerkleTree(16, keccakHasher);
          for (const { index, leaf } of [...base, ...right]) rebuilt.setLeaf(index, leaf);
          const reference = new SparseMerkleTree(16, keccakHasher);
          for (const { index, leaf } of [...base, ...left]) reference.setLeaf(index, leaf);
          for (const { index, leaf } of left) original.setLeaf(index, leaf);
          for (const { index, leaf } of right) copy.setLeaf(index, leaf);
          expect(original.root).to.equal(reference.root);
          expect(copy.root).to.equal(rebuilt.root);
          expect(copy.clone().root).to.equal(copy.root);
        }),
        { numRuns: 30 },
      );
    });
  });

  describe("# setLeaves", function () {
    it("should give the same tree as setting the leaves one by one", function () {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }),
          writes(40, 1n << 256n, 30),
          writes(40, 1n << 256n, 30),
          (depth, first, second) => {
            const mask = (1n << BigInt(depth)) - 1n;
            const entries = (ops: { index: bigint; leaf: bigint }[]) =>
              ops.map(({ index, leaf }) => [index & mask, leaf] as const);
            const oneByOne = new SparseMerkleTree(depth, keccakHasher);
            const bulk = new SparseMerkleTree(depth, keccakHasher);
            for (const ops of [first, second]) {
              for (const [index, leaf] of entries(ops)) oneByOne.setLeaf(index, leaf);
              bulk.setLeaves(entries(ops));
              expect(bulk.root).to.equal(oneByOne.root);
              expect(bulk.storedNodes).to.equal(oneByOne.storedNodes);
            }
            const probe = first[0].index & mask;
            expect(bulk.proof(probe)).to.deep.equal(oneByOne.proof(probe));
          },
        ),
        { numRuns: 40 },
      );
    });

    it("should change nothing when one entry is invalid", function () {
      const tree = new SparseMerkleTree(8, keccakHasher);
      tree.setLeaf(1, 5n);
      const root = tree.root;
      expect(() =>
        tree.setLeaves([
          [2, 7n],
          [256, 1n],
        ]),
      ).to.throw(MerkleIndexError, /leaf index 256/);
      expect(() =>
        tree.setLeaves([
          [2, 7n],
          [3, -1n],
        ]),
      ).to.throw(HashInputError, /leaf 3: value -1/);
      expect(tree.root).to.equal(root);
      expect(tree.getLeaf(2)).to.equal(0n);
    });
  });

  describe("# setLeaf (depth 32, Poseidon)", function () {
    it("should handle hundreds of accounts with proofs that verify", function () {
      const tree = new SparseMerkleTree(32, poseidonHasher);
      for (let i = 0; i < 200; i++) tree.setLeaf(BigInt(i) * 21_474_836n, BigInt(i + 1));
      expect(tree.size).to.equal(200);
      const proof = tree.proof(100n * 21_474_836n);
      expect(proof.leaf).to.equal(101n);
      expect(verifyProof(poseidonHasher, tree.root, proof)).to.equal(true);
    });
  });
});
