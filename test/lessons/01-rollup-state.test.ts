/**
 * Lesson 1 checks (docs/lessons/01-rollup-state): the learner's Merkle root and deposit chain against the
 * project's SparseMerkleTree and DepositChain, and against the L1 libraries through their harnesses.
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, toBeHex } from "ethers";
import { SparseMerkleTree, keccakHasher } from "../../src/merkle";
import { addressToRecipient, DepositChain } from "../../src/encoding/deposit";
import * as exercise from "../../docs/lessons/01-rollup-state/exercise";
import * as solution from "../../docs/lessons/01-rollup-state/solution";
import { attempt, expectSameValue, implementations } from "./check";

const DEPTH = 16;
const hash2 = (left: bigint, right: bigint): bigint => keccakHasher.hash2(left, right);
const word = (value: bigint): string => toBeHex(value, 32);

async function harnessesFixture() {
  const merkle = await hre.ethers.deployContract("KeccakMerkleHarness");
  const queue = await hre.ethers.deployContract("DepositQueueHarness");
  return { merkle, queue, signers: await hre.ethers.getSigners() };
}

for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
  describe(`# lesson 01-rollup-state (${label})`, function () {
    describe("# computeRoot", function () {
      it("should give the root of the project's tree for every leaf, set or empty", async function () {
        const tree = new SparseMerkleTree(DEPTH, keccakHasher);
        tree.setLeaves([
          [3n, 0xaaaan],
          [4n, 0xbbbbn],
          [65_535n, 0xccccn],
        ]);
        const first = tree.proof(3n);
        const root = await attempt(this, () => impl.computeRoot(hash2, 3n, first.leaf, first.siblings));
        expectSameValue(root, tree.root, "root", { index: 3, leaf: first.leaf });
        // Every index of the tree, set or empty; a failure names the index, the leaf and both roots.
        fc.assert(
          fc.property(fc.bigInt({ min: 0n, max: (1n << BigInt(DEPTH)) - 1n }), (index) => {
            const proof = tree.proof(index);
            const got = impl.computeRoot(hash2, index, proof.leaf, proof.siblings);
            expectSameValue(got, tree.root, "root", { index, leaf: proof.leaf });
          }),
          { numRuns: 40 },
        );
      });

      it("should compute the root KeccakMerkle.verify accepts on L1, and no other", async function () {
        const { merkle } = await loadFixture(harnessesFixture);
        const tree = new SparseMerkleTree(DEPTH, keccakHasher);
        tree.setLeaves([
          [9n, 123n],
          [10n, 456n],
        ]);
        const proof = tree.proof(10n);
        const root = await attempt(this, () => impl.computeRoot(hash2, 10n, 456n, proof.siblings));
        const siblings = proof.siblings.map(word);
        expect(
          await merkle.verify(word(root), word(456n), 10n, siblings),
          `index 10, leaf ${word(456n)}: KeccakMerkle.verify refused your root ${word(root)} (the tree's is ${word(tree.root)})`,
        ).to.equal(true);
        const forged = impl.computeRoot(hash2, 10n, 457n, proof.siblings);
        expect(forged).to.not.equal(root);
        expect(await merkle.verify(word(forged), word(456n), 10n, siblings)).to.equal(false);
      });

      it("should refuse an index with bits above the depth, as L1 does", async function () {
        const { merkle } = await loadFixture(harnessesFixture);
        const siblings = new SparseMerkleTree(4, keccakHasher).proof(0n).siblings;
        await attempt(this, () => impl.computeRoot(hash2, 0n, 0n, siblings));
        expect(() => impl.computeRoot(hash2, 16n, 1n, siblings)).to.throw(/16/);
        await expect(merkle.computeRoot(word(1n), 16n, siblings.map(word)))
          .to.be.revertedWithCustomError(merkle, "MerkleIndexOutOfRange")
          .withArgs(16n, 4n);
      });
    });

    describe("# nextChainHash", function () {
      it("should follow DepositQueue's chain on L1 deposit after deposit", async function () {
        const { queue, signers } = await loadFixture(harnessesFixture);
        const amounts = [10n ** 18n, 1n, 123_456_789n];
        let chain = ZeroHash;
        for (const [i, amount] of amounts.entries()) {
          const sender = signers[i + 1];
          const recipient = addressToRecipient(signers[i + 5].address);
          await queue.connect(sender).deposit(recipient, { value: amount });
          const prev = chain;
          chain = await attempt(this, () => impl.nextChainHash(prev, sender.address, recipient, amount));
          expectSameValue(chain, await queue.depositChainHash(i + 1), `chain[${i + 1}] on L1`, {
            "deposit #": i + 1,
            prev,
            sender: sender.address,
            recipient,
            amount: `${amount} wei`,
          });
        }
      });

      it("should agree with the off-chain DepositChain on any deposit", async function () {
        const { signers } = await loadFixture(harnessesFixture);
        await attempt(this, () => impl.nextChainHash(ZeroHash, signers[0].address, ZeroHash, 1n));
        fc.assert(
          fc.property(
            fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
            fc.uint8Array({ minLength: 32, maxLength: 32 }),
            (amount, recipientBytes) => {
              const recipient = "0x" + Buffer.from(recipientBytes).toString("hex");
              const chain = new DepositChain();
              chain.push({ sender: signers[2].address, recipient, amount });
              const got = impl.nextChainHash(ZeroHash, signers[2].address, recipient, amount);
              expectSameValue(got, chain.head, "chain hash", {
                prev: ZeroHash,
                sender: signers[2].address,
                recipient,
                amount: `${amount} wei`,
              });
            },
          ),
          { numRuns: 30 },
        );
      });
    });
  });
}
