/**
 * Small fixed-depth keccak trees over 32-byte leaves (a batch's chunk tree and
 * each chunk's exit tree), mirrored from contracts/optimistic/BatchMerkle.sol:
 * node = keccak256(left<32>|right<32>), empty leaf = 32 zero bytes, leaf i's
 * bit l says whether its level-l ancestor is a right child.
 */
import { keccakBytes } from "../encoding/keccak";

const ZERO = Buffer.alloc(32);

function hashPair(left: Buffer, right: Buffer): Buffer {
  return keccakBytes(Buffer.concat([left, right]));
}

/** Every level of the tree, level 0 = the given leaves; missing nodes are empty subtrees. */
export function treeLevels(leaves: readonly Buffer[], depth: number): { levels: Buffer[][]; zeros: Buffer[] } {
  const zeros: Buffer[] = [ZERO];
  for (let i = 0; i < depth; i++) zeros.push(hashPair(zeros[i], zeros[i]));
  const levels: Buffer[][] = [leaves.slice()];
  for (let level = 0; level < depth; level++) {
    const below = levels[level];
    const above: Buffer[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(hashPair(below[i], below[i + 1] ?? zeros[level]));
    levels.push(above);
  }
  return { levels, zeros };
}

/** The root of a `depth`-level tree whose first leaves are `leaves` and the rest empty. */
export function rootOf(leaves: readonly Buffer[], depth: number): Buffer {
  const { levels, zeros } = treeLevels(leaves, depth);
  return levels[depth][0] ?? zeros[depth];
}

/** The bottom-up siblings of leaf `index`, as KeccakMerkle.verify takes them. */
export function proofOf(leaves: readonly Buffer[], depth: number, index: number): Buffer[] {
  const { levels, zeros } = treeLevels(leaves, depth);
  const siblings: Buffer[] = [];
  let position = index;
  for (let level = 0; level < depth; level++) {
    siblings.push(levels[level][position % 2 === 0 ? position + 1 : position - 1] ?? zeros[level]);
    position >>= 1;
  }
  return siblings;
}
