/**
 * Lesson 1 exercises: fill in the bodies, then run `npx hardhat test test/lessons/01-rollup-state.test.ts`.
 * The checks compare your results with the project's SparseMerkleTree, with KeccakMerkle on L1 (through
 * contracts/test/KeccakMerkleHarness.sol) and with DepositQueue on L1 (contracts/test/DepositQueueHarness.sol).
 */
import { NotYetImplemented } from "../exercise";

/** A node hash: `hash2(left, right)`, over 256-bit values. */
export type Hash2 = (left: bigint, right: bigint) => bigint;

/**
 * Exercise 1.1: the root a Merkle proof leads to.
 *
 * `siblings` run bottom-up (`siblings[0]` is the leaf's neighbour). Bit `i` of `index` says whether the
 * node on level `i` is a right child (1) or a left child (0). Throw an Error naming the index when it has a
 * bit at or above `siblings.length` (it would name no leaf of this tree).
 */
export function computeRoot(hash2: Hash2, index: bigint, leaf: bigint, siblings: readonly bigint[]): bigint {
  (void hash2, index, leaf, siblings);
  throw new NotYetImplemented("computeRoot");
}

/**
 * Exercise 1.2: the deposit queue's next chain value.
 *
 * `chain[n] = keccak256(prev<32>|sender<20>|recipient<32>|amount<32>)`, all hex strings 0x-prefixed,
 * amount in wei. Return the 0x-prefixed 32-byte hash.
 */
export function nextChainHash(prev: string, sender: string, recipient: string, amount: bigint): string {
  (void prev, sender, recipient, amount);
  throw new NotYetImplemented("nextChainHash");
}
