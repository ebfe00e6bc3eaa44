import { expect } from "chai";
import fc from "fast-check";
import { SparseMerkleTree, keccakHasher } from "../../src/merkle";
import { AccountTree } from "../../src/optimistic/account-tree";
import { proofOf, rootOf } from "../../src/optimistic/batch-merkle";

const toBig = (b: Buffer): bigint => BigInt("0x" + b.toString("hex"));

describe("# AccountTree", function () {
  it("should give the same roots and proofs as the shared SparseMerkleTree", function () {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ minLength: 32, maxLength: 32 })), {
          maxLength: 12,
        }),
        (writes) => {
          const fast = new AccountTree(32);
          const reference = new SparseMerkleTree(32, keccakHasher);
          for (const [index, bytes] of writes) {
            fast.setLeaf(index, Buffer.from(bytes));
            reference.setLeaf(index, toBig(Buffer.from(bytes)));
          }
          expect(toBig(fast.root)).to.equal(reference.root);
          if (writes.length > 0) {
            expect(fast.proof(writes[0][0]).map(toBig)).to.deep.equal(reference.proof(writes[0][0]).siblings);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it("should prove leaves at indices of 2^31 and above next to a non-empty sibling", function () {
    // JavaScript's `^` works on signed 32-bit integers: 2^31 ^ 1 is negative, and the sibling would be lost.
    for (const left of [2 ** 31, 0xfffffffe, 2 ** 31 + 6]) {
      const fast = new AccountTree(32);
      const reference = new SparseMerkleTree(32, keccakHasher);
      for (const [index, fill] of [
        [left, 1],
        [left + 1, 2],
        [left + 2 < 2 ** 32 ? left + 2 : 0, 3],
      ]) {
        fast.setLeaf(index, Buffer.alloc(32, fill));
        reference.setLeaf(index, toBig(Buffer.alloc(32, fill)));
      }
      expect(toBig(fast.root)).to.equal(reference.root);
      for (const index of [left, left + 1]) {
        expect(fast.proof(index).map(toBig)).to.deep.equal(reference.proof(index).siblings);
      }
    }
  });

  it("should build small batch trees whose proofs the shared verifier accepts", function () {
    const leaves = [1, 2, 3].map((i) => Buffer.alloc(32, i));
    const tree = new SparseMerkleTree(8, keccakHasher);
    leaves.forEach((leaf, i) => tree.setLeaf(i, toBig(leaf)));
    expect(toBig(rootOf(leaves, 8))).to.equal(tree.root);
    expect(proofOf(leaves, 8, 2).map(toBig)).to.deep.equal(tree.proof(2).siblings);
  });
});
