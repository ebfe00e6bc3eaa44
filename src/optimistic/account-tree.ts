/**
 * The account tree of the optimistic rollup: a depth-32 keccak sparse Merkle
 * tree over 32-byte leaves, with the same node hash and bit order as
 * src/merkle's SparseMerkleTree and KeccakMerkle.sol (the tests check roots
 * agree). It works on Buffers with the native keccak and recomputes dirty
 * paths lazily, once per root read: a watcher replaying 10,000 transfers
 * hashes each shared upper node once per chunk instead of once per update.
 */
import { keccakBytes } from "../encoding/keccak";
import { ACCOUNT_TREE_DEPTH } from "./params";

const ZERO = Buffer.alloc(32);

export class AccountTree {
  readonly depth: number;
  private readonly zeros: Buffer[] = [ZERO];
  /** nodes[level]: non-empty nodes by position. */
  private readonly nodes: Map<number, Buffer>[];
  private dirty = new Set<number>();

  constructor(depth: number = ACCOUNT_TREE_DEPTH) {
    this.depth = depth;
    for (let i = 0; i < depth; i++) this.zeros.push(keccakBytes(Buffer.concat([this.zeros[i], this.zeros[i]])));
    this.nodes = Array.from({ length: depth + 1 }, () => new Map<number, Buffer>());
  }

  /** The root of the empty tree. */
  get emptyRoot(): Buffer {
    return this.zeros[this.depth];
  }

  getLeaf(index: number): Buffer {
    return this.nodes[0].get(index) ?? ZERO;
  }

  setLeaf(index: number, leaf: Buffer): void {
    if (leaf.equals(ZERO)) this.nodes[0].delete(index);
    else this.nodes[0].set(index, leaf);
    this.dirty.add(index);
  }

  get root(): Buffer {
    this.flush();
    return this.node(this.depth, 0);
  }

  /** Bottom-up siblings of leaf `index` (the membership proof KeccakMerkle.verify takes). */
  proof(index: number): Buffer[] {
    this.flush();
    const siblings: Buffer[] = [];
    let position = index;
    for (let level = 0; level < this.depth; level++) {
      // Arithmetic, not `position ^ 1`: JavaScript's bitwise operators wrap indices of 2^31 and above.
      siblings.push(this.node(level, position % 2 === 0 ? position + 1 : position - 1));
      position = Math.floor(position / 2);
    }
    return siblings;
  }

  /** An independent copy (copies every stored node). */
  clone(): AccountTree {
    this.flush();
    const copy = new AccountTree(this.depth);
    this.nodes.forEach((level, i) => level.forEach((v, k) => copy.nodes[i].set(k, v)));
    return copy;
  }

  private node(level: number, position: number): Buffer {
    return this.nodes[level].get(position) ?? this.zeros[level];
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    let positions = [...this.dirty];
    this.dirty = new Set();
    for (let level = 0; level < this.depth; level++) {
      const parents = new Set<number>();
      for (const p of positions) parents.add(Math.floor(p / 2));
      for (const parent of parents) {
        const left = this.node(level, parent * 2);
        const right = this.node(level, parent * 2 + 1);
        const value = keccakBytes(Buffer.concat([left, right]));
        if (value.equals(this.zeros[level + 1])) this.nodes[level + 1].delete(parent);
        else this.nodes[level + 1].set(parent, value);
      }
      positions = [...parents];
    }
  }
}
