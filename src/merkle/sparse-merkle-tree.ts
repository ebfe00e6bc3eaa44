/**
 * A fixed-depth sparse Merkle tree over bigints, the state tree of both rollups.
 *
 * Indexing: level 0 holds the leaves, level `depth` the root. At level i the
 * node at position p has children 2p (left) and 2p+1 (right) on level i-1, so
 * bit i of a leaf's index says whether its ancestor on level i is a RIGHT
 * child (1) or a LEFT child (0). KeccakMerkle.sol and PoseidonMerkle.sol walk
 * the same bits.
 *
 * Every leaf starts as 0n. An empty subtree of height h has the root
 * zeros[h] (zeros[0] = 0n, zeros[h+1] = hash2(zeros[h], zeros[h])), computed
 * once per hasher, so a depth-32 tree with 2^32 leaves costs only the nodes
 * that differ from empty: each level keeps a Map of its non-empty nodes.
 */
import { HashInputError, MerkleHasher, SNARK_SCALAR_FIELD, UINT256_LIMIT } from "./hasher";

/** A Merkle path: `siblings[i]` is the sibling of the leaf's ancestor on level i (bottom-up, length = depth). */
export interface MerkleProof {
  index: bigint;
  leaf: bigint;
  siblings: bigint[];
}

/** One leaf update as a verifier checks it: the membership proof before, and the roots either side. */
export interface MerkleUpdate {
  index: bigint;
  oldLeaf: bigint;
  newLeaf: bigint;
  /** Siblings are the same before and after: only the path to the leaf changes. */
  siblings: bigint[];
  oldRoot: bigint;
  newRoot: bigint;
}

/** A tree was asked for a leaf or level it does not have. */
export class MerkleIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MerkleIndexError";
  }
}

/** Depths a tree supports: an index must fit a uint256 on L1. */
export const MAX_TREE_DEPTH = 256;

/** The largest value (exclusive) a node of a tree built with `hasher` may hold. */
export function nodeValueLimit(hasher: MerkleHasher): bigint {
  return hasher.name === "poseidon" ? SNARK_SCALAR_FIELD : UINT256_LIMIT;
}

const emptyRootsCache = new WeakMap<MerkleHasher, bigint[]>();

/**
 * zeros[h] for h = 0..depth: the root of an all-empty subtree of height h.
 * Cached per hasher and extended on demand, so every tree shares one list.
 */
export function emptySubtreeRoots(hasher: MerkleHasher, depth: number): readonly bigint[] {
  checkDepth(depth);
  let zeros = emptyRootsCache.get(hasher);
  if (zeros === undefined) {
    zeros = [0n];
    emptyRootsCache.set(hasher, zeros);
  }
  while (zeros.length <= depth) {
    const below = zeros[zeros.length - 1];
    zeros.push(hasher.hash2(below, below));
  }
  return zeros.slice(0, depth + 1);
}

function checkDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_TREE_DEPTH) {
    throw new MerkleIndexError(`tree depth ${depth} is invalid: must be an integer from 1 to ${MAX_TREE_DEPTH}`);
  }
}

/** Checks that `index` names one of 2^bits positions; `what` names it in the error. */
function toIndex(index: bigint | number, bits: number, what: string, depth: number): bigint {
  if (typeof index === "number" && !Number.isSafeInteger(index)) {
    throw new MerkleIndexError(`${what} ${index} is not an integer (tree depth ${depth})`);
  }
  const i = BigInt(index);
  if (i < 0n || i >> BigInt(bits) !== 0n) {
    throw new MerkleIndexError(
      `${what} ${i} is out of range for a tree of depth ${depth} (must be 0 <= ${what} < 2^${bits})`,
    );
  }
  return i;
}

export class SparseMerkleTree {
  readonly depth: number;
  readonly hasher: MerkleHasher;
  /** zeros[h]: root of an empty subtree of height h. */
  private readonly zeros: readonly bigint[];
  /** levels[i]: the nodes on level i that differ from zeros[i], by position. levels[depth] holds the root. */
  private levels: Map<bigint, bigint>[];
  /**
   * shared[i]: levels[i] is also referenced by a clone, so it is copied before
   * the first write (copy-on-write keeps clone() O(depth)).
   */
  private shared: boolean[];

  /** An empty tree: every one of the 2^depth leaves is 0n. */
  constructor(depth: number, hasher: MerkleHasher) {
    checkDepth(depth);
    this.depth = depth;
    this.hasher = hasher;
    this.zeros = emptySubtreeRoots(hasher, depth);
    this.levels = Array.from({ length: depth + 1 }, () => new Map<bigint, bigint>());
    this.shared = new Array<boolean>(depth + 1).fill(false);
  }

  /** The root of the whole tree. */
  get root(): bigint {
    return this.node(this.depth, 0n);
  }

  /** How many leaves are not 0n. */
  get size(): number {
    return this.levels[0].size;
  }

  /** How many nodes (leaves, inner nodes, root) differ from empty and are stored: the tree's memory use. */
  get storedNodes(): number {
    return this.levels.reduce((sum, level) => sum + level.size, 0);
  }

  /** The value of leaf `index` (0n if never set). */
  getLeaf(index: bigint | number): bigint {
    return this.node(0, toIndex(index, this.depth, "leaf index", this.depth));
  }

  /**
   * The node at `level` (0 = leaves, depth = root) and `position`
   * (0 <= position < 2^(depth - level)), empty-subtree roots included.
   */
  getNode(level: number, position: bigint | number): bigint {
    if (!Number.isInteger(level) || level < 0 || level > this.depth) {
      throw new MerkleIndexError(`level ${level} is out of range for a tree of depth ${this.depth}`);
    }
    return this.node(level, toIndex(position, this.depth - level, `position on level ${level}`, this.depth));
  }

  /** Non-empty leaves as [index, leaf] pairs, in no particular order. */
  *leaves(): IterableIterator<[bigint, bigint]> {
    yield* this.levels[0].entries();
  }

  /** Sets leaf `index` to `leaf` and rehashes its path to the root (depth hashes). */
  setLeaf(index: bigint | number, leaf: bigint): void {
    const i = toIndex(index, this.depth, "leaf index", this.depth);
    this.checkLeaf(i, leaf);
    if (this.node(0, i) === leaf) return;
    let value = leaf;
    let position = i;
    for (let level = 0; level < this.depth; level++) {
      this.write(level, position, value);
      const sibling = this.node(level, position ^ 1n);
      value = (position & 1n) === 1n ? this.hasher.hash2(sibling, value) : this.hasher.hash2(value, sibling);
      position >>= 1n;
    }
    this.write(this.depth, 0n, value);
  }

  /**
   * Sets many leaves at once (a later entry for the same index wins), then
   * rehashes each touched inner node once: upper nodes shared by several
   * paths are hashed once instead of once per leaf. For loading a state or
   * applying a batch when only the final root is needed. Every entry is
   * checked before anything changes.
   */
  setLeaves(entries: Iterable<readonly [bigint | number, bigint]>): void {
    const writes = new Map<bigint, bigint>();
    for (const [index, leaf] of entries) {
      const i = toIndex(index, this.depth, "leaf index", this.depth);
      this.checkLeaf(i, leaf);
      writes.set(i, leaf);
    }
    let dirty = new Set<bigint>();
    for (const [i, leaf] of writes) {
      if (this.node(0, i) === leaf) continue;
      this.write(0, i, leaf);
      dirty.add(i >> 1n);
    }
    for (let level = 1; level <= this.depth && dirty.size > 0; level++) {
      const parents = new Set<bigint>();
      for (const position of dirty) {
        const left = this.node(level - 1, position << 1n);
        const right = this.node(level - 1, (position << 1n) | 1n);
        this.write(level, position, this.hasher.hash2(left, right));
        parents.add(position >> 1n);
      }
      dirty = parents;
    }
  }

  /** Sets a leaf and returns what an L1 or circuit verifier needs to check the change. */
  update(index: bigint | number, leaf: bigint): MerkleUpdate {
    const before = this.proof(index);
    const oldRoot = this.root;
    this.setLeaf(before.index, leaf);
    return {
      index: before.index,
      oldLeaf: before.leaf,
      newLeaf: leaf,
      siblings: before.siblings,
      oldRoot,
      newRoot: this.root,
    };
  }

  /** The Merkle path of leaf `index`: a membership proof, or a non-membership proof when the leaf is 0n. */
  proof(index: bigint | number): MerkleProof {
    const i = toIndex(index, this.depth, "leaf index", this.depth);
    const siblings = new Array<bigint>(this.depth);
    let position = i;
    for (let level = 0; level < this.depth; level++) {
      siblings[level] = this.node(level, position ^ 1n);
      position >>= 1n;
    }
    return { index: i, leaf: this.node(0, i), siblings };
  }

  /**
   * An independent copy in O(depth): both trees share their level maps until
   * one of them writes a level, which then copies that level first.
   */
  clone(): SparseMerkleTree {
    const copy = new SparseMerkleTree(this.depth, this.hasher);
    copy.levels = this.levels.slice();
    copy.shared.fill(true);
    this.shared.fill(true);
    return copy;
  }

  private checkLeaf(index: bigint, leaf: bigint): void {
    const limit = nodeValueLimit(this.hasher);
    if (leaf < 0n || leaf >= limit) {
      throw new HashInputError(
        `leaf ${index}: value ${leaf} is out of range for a ${this.hasher.name} tree (must be 0 <= leaf < ${limit})`,
      );
    }
  }

  private node(level: number, position: bigint): bigint {
    return this.levels[level].get(position) ?? this.zeros[level];
  }

  private write(level: number, position: bigint, value: bigint): void {
    if (this.shared[level]) {
      this.levels[level] = new Map(this.levels[level]);
      this.shared[level] = false;
    }
    // Nodes equal to the empty-subtree root are not stored, so clearing a leaf frees its path.
    if (value === this.zeros[level]) this.levels[level].delete(position);
    else this.levels[level].set(position, value);
  }
}

/**
 * The root implied by `leaf` at `index` with the given bottom-up siblings.
 * With a proof taken before an update and the NEW leaf, it gives the root
 * after the update. Throws MerkleIndexError if `index` does not fit
 * siblings.length bits (an index must name exactly one leaf).
 */
export function computeRoot(hasher: MerkleHasher, index: bigint, leaf: bigint, siblings: bigint[]): bigint {
  const depth = siblings.length;
  if (index < 0n || (depth < MAX_TREE_DEPTH && index >> BigInt(depth) !== 0n)) {
    throw new MerkleIndexError(`leaf index ${index} is out of range for a proof of depth ${depth}`);
  }
  let value = leaf;
  for (let level = 0; level < depth; level++) {
    const sibling = siblings[level];
    value = ((index >> BigInt(level)) & 1n) === 1n ? hasher.hash2(sibling, value) : hasher.hash2(value, sibling);
  }
  return value;
}

/** True when `proof` leads to `root`; false for a wrong leaf, sibling or index, or values out of range. */
export function verifyProof(hasher: MerkleHasher, root: bigint, proof: MerkleProof): boolean {
  try {
    return computeRoot(hasher, proof.index, proof.leaf, proof.siblings) === root;
  } catch (error) {
    if (error instanceof MerkleIndexError || error instanceof HashInputError) return false;
    throw error;
  }
}
