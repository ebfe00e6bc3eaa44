/** Lesson 1, reference solution: the same functions as exercise.ts, completed. */
import { solidityPackedKeccak256 } from "ethers";
import type { Hash2 } from "./exercise";

export type { Hash2 } from "./exercise";

export function computeRoot(hash2: Hash2, index: bigint, leaf: bigint, siblings: readonly bigint[]): bigint {
  const depth = siblings.length;
  // INVARIANT: one index names one leaf; index and index + 2^depth would otherwise share every proof.
  if (index < 0n || index >> BigInt(depth) !== 0n) {
    throw new Error(`computeRoot: index ${index} does not fit a tree of depth ${depth}`);
  }
  let node = leaf;
  for (let level = 0; level < depth; level++) {
    const isRight = (index >> BigInt(level)) & 1n;
    node = isRight ? hash2(siblings[level], node) : hash2(node, siblings[level]);
  }
  return node;
}

export function nextChainHash(prev: string, sender: string, recipient: string, amount: bigint): string {
  // [prev<32>|sender<20>|recipient<32>|amount<32>], 116 bytes
  return solidityPackedKeccak256(["bytes32", "address", "bytes32", "uint256"], [prev, sender, recipient, amount]);
}
