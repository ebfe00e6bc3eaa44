/**
 * Measurements behind scripts/bench-merkle.ts: how fast the TypeScript tree
 * takes updates, and what a Merkle proof check costs on L1. Times are
 * measured and reported, never asserted.
 */
import type { MerkleHasher } from "./hasher";
import { SparseMerkleTree, nodeValueLimit } from "./sparse-merkle-tree";

/** Update speed of a tree filled with `accounts` leaves at random positions. */
export interface UpdateSpeed {
  hasher: MerkleHasher["name"];
  depth: number;
  accounts: number;
  /** Filling the tree: one new leaf per account. */
  insertsPerSecond: number;
  /** Changing leaves that already exist (the common case in a rollup batch), per second of wall time. */
  updatesPerSecond: number;
  /**
   * The same per second of this process's CPU time: steadier than wall time on
   * a machine shared with other work, and closer to what an idle machine shows.
   */
  updatesPerCpuSecond: number;
  /** Loading the same accounts into an empty tree with one setLeaves call (shared upper nodes hashed once). */
  bulkLoadPerSecond: number;
  /** Nodes the tree stores besides empty subtrees (memory grows with this). */
  storedNodes: number;
}

/** Deterministic 64-bit generator (SplitMix64), so every run touches the same positions. */
export function splitMix64(seed: bigint): () => bigint {
  let state = seed & 0xffffffffffffffffn;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
}

/** A tree of `depth` holding `accounts` random leaves at distinct random positions, and those positions. */
export function randomTree(
  hasher: MerkleHasher,
  depth: number,
  accounts: number,
  seed = 1n,
): { tree: SparseMerkleTree; indexes: bigint[] } {
  const next = splitMix64(seed);
  const tree = new SparseMerkleTree(depth, hasher);
  const limit = nodeValueLimit(hasher);
  const indexes = new Set<bigint>();
  while (indexes.size < accounts) indexes.add(next() % (1n << BigInt(depth)));
  for (const index of indexes) tree.setLeaf(index, (next() % (limit - 1n)) + 1n);
  return { tree, indexes: [...indexes] };
}

/** Wall time and this process's CPU time (user + system) of `work`, in seconds. */
export function time(work: () => void): { wallSeconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  work();
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { wallSeconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/**
 * Fills a tree with `accounts` leaves, then changes `updates` existing leaves,
 * timing both, then times a bulk load of the same accounts into a new tree.
 * `onProgress` is called with a label every 10% of the work.
 */
export function measureUpdateSpeed(
  hasher: MerkleHasher,
  depth: number,
  accounts: number,
  updates: number,
  onProgress: (label: string) => void = () => undefined,
): UpdateSpeed {
  const next = splitMix64(BigInt(depth) * 7919n + BigInt(accounts));
  const limit = nodeValueLimit(hasher);
  const tree = new SparseMerkleTree(depth, hasher);
  const indexes: bigint[] = [];
  const seen = new Set<bigint>();
  while (indexes.length < accounts) {
    const index = next() % (1n << BigInt(depth));
    if (!seen.has(index)) {
      seen.add(index);
      indexes.push(index);
    }
  }
  const leaves = Array.from({ length: accounts + updates }, () => (next() % (limit - 1n)) + 1n);
  const step = Math.max(1, Math.floor((accounts + updates) / 10));

  const insert = time(() => {
    for (let i = 0; i < accounts; i++) {
      tree.setLeaf(indexes[i], leaves[i]);
      if ((i + 1) % step === 0) onProgress(`${hasher.name}: ${i + 1}/${accounts} accounts inserted`);
    }
  });
  const update = time(() => {
    for (let u = 0; u < updates; u++) {
      tree.setLeaf(indexes[Number(next() % BigInt(accounts))], leaves[accounts + u]);
      if ((u + 1) % step === 0) onProgress(`${hasher.name}: ${u + 1}/${updates} updates`);
    }
  });
  const bulk = new SparseMerkleTree(depth, hasher);
  const bulkLoad = time(() => bulk.setLeaves(indexes.map((index, i) => [index, leaves[i]] as const)));
  onProgress(`${hasher.name}: ${accounts} accounts bulk-loaded`);

  return {
    hasher: hasher.name,
    depth,
    accounts,
    insertsPerSecond: accounts / insert.wallSeconds,
    updatesPerSecond: updates / update.wallSeconds,
    updatesPerCpuSecond: updates / update.cpuSeconds,
    bulkLoadPerSecond: accounts / bulkLoad.wallSeconds,
    storedNodes: tree.storedNodes,
  };
}
