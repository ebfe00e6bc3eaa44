/**
 * The keccak tree of a batch's exits, mirrored by ZkRollup._merkleRoot: one leaf per slot,
 * keccak256(owner<20>|amount<32>) for a paying exit (withdraw, forced exit), 0 for every other slot.
 * A claim proves its leaf at its slot with KeccakMerkle.
 */
import { solidityPackedKeccak256 } from "ethers";
import { SparseMerkleTree, keccakHasher } from "../merkle";
import { EncodingError } from "./errors";

export interface ExitLeaf {
  slot: number;
  owner: string;
  amount: bigint;
}

export function exitLeaf(owner: string, amount: bigint): bigint {
  return BigInt(solidityPackedKeccak256(["address", "uint256"], [owner, amount]));
}

/** The exit tree of a batch of `batchSize` slots (a power of two). */
export function exitTree(batchSize: number, exits: readonly ExitLeaf[]): SparseMerkleTree {
  const depth = Math.log2(batchSize);
  if (!Number.isInteger(depth)) throw new EncodingError(`exit tree: batch size ${batchSize} is not a power of two`);
  // A batch of one slot has a tree of depth 0: its root is the leaf. The tree class needs depth >= 1.
  const tree = new SparseMerkleTree(Math.max(depth, 1), keccakHasher);
  for (const exit of exits) tree.setLeaf(exit.slot, exitLeaf(exit.owner, exit.amount));
  return tree;
}

/** bytes32 siblings of slot `slot`, as claimWithdrawal takes them. */
export function exitProof(batchSize: number, exits: readonly ExitLeaf[], slot: number): string[] {
  return exitTree(batchSize, exits)
    .proof(slot)
    .siblings.map((s) => "0x" + s.toString(16).padStart(64, "0"));
}
