/**
 * Pending hash-time-locked transfers and the Merkle tree a state signs their
 * root of, mirroring contracts/channels/LockTree.sol: leaves are hashed locks,
 * a parent is keccak256 of its two children in ascending order, a node
 * without a sibling moves up unchanged; no locks → bytes32(0).
 */
import { ZeroHash } from "ethers";
import { keccakOfHex } from "../encoding/keccak";
import type { Lock } from "./types";
import { EncodingError, uintWord } from "./state";

/** LockTree.hashLock: keccak256 of [sender<1>|amount<12>|expiry<5>|hashlock<32>]. */
export function hashLock(lock: Lock): string {
  if (lock.sender !== 0 && lock.sender !== 1)
    throw new EncodingError("lock.sender", lock.sender, "must be 0 (A) or 1 (B)");
  if (!Number.isSafeInteger(lock.expiry) || lock.expiry < 0) {
    throw new EncodingError("lock.expiry", lock.expiry, "not a uint40 timestamp");
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(lock.hashlock))
    throw new EncodingError("lock.hashlock", lock.hashlock, "not 32 bytes");
  const packed =
    lock.sender.toString(16).padStart(2, "0") +
    uintWord("lock.amount", lock.amount, 96).slice(-24) +
    uintWord("lock.expiry", BigInt(lock.expiry), 40).slice(-10) +
    lock.hashlock.slice(2).toLowerCase();
  return keccakOfHex(`0x${packed}`);
}

/** The 50 packed bytes of a lock leaf (for tests and docs). */
export function encodeLock(lock: Lock): string {
  return `0x${lock.sender.toString(16).padStart(2, "0")}${uintWord("lock.amount", lock.amount, 96).slice(-24)}${uintWord("lock.expiry", BigInt(lock.expiry), 40).slice(-10)}${lock.hashlock.slice(2).toLowerCase()}`;
}

/** The inverse of encodeLock. */
export function decodeLock(encoded: string): Lock {
  if (!/^0x[0-9a-fA-F]{100}$/.test(encoded)) throw new EncodingError("encoded lock", encoded, "not 50 bytes of hex");
  const hex = encoded.slice(2);
  const sender = Number.parseInt(hex.slice(0, 2), 16);
  if (sender !== 0 && sender !== 1) throw new EncodingError("lock.sender", sender, "must be 0 (A) or 1 (B)");
  return {
    sender,
    amount: BigInt(`0x${hex.slice(2, 26)}`),
    expiry: Number.parseInt(hex.slice(26, 36), 16),
    hashlock: `0x${hex.slice(36)}`,
  };
}

/** LockTree.hashPair. */
export function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b)
    ? keccakOfHex(`0x${a.slice(2)}${b.slice(2)}`)
    : keccakOfHex(`0x${b.slice(2)}${a.slice(2)}`);
}

/**
 * Every level of the tree, leaves first. A removed leaf (a lock already
 * decided on L1) is a hole: a node with one hole moves its other child up,
 * a node of two holes is a hole, exactly as LockTree.rootWithout shrinks it.
 */
function levels(leaves: (string | null)[]): (string | null)[][] {
  const out = [leaves];
  let level = leaves;
  while (level.length > 1) {
    const next: (string | null)[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const [left, right] = [level[i], level[i + 1]];
      next.push(left && right ? hashPair(left, right) : (left ?? right));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    out.push(next);
    level = next;
  }
  return out;
}

const leavesOf = (locks: Lock[], removed: ReadonlySet<number>): (string | null)[] =>
  locks.map((lock, i) => (removed.has(i) ? null : hashLock(lock)));

/** LockTree.root of the leaves of `locks`, in order, without the `removed` ones (indices). */
export function locksRoot(locks: Lock[], removed: ReadonlySet<number> = new Set()): string {
  if (locks.length === 0) return ZeroHash;
  return levels(leavesOf(locks, removed)).at(-1)![0] ?? ZeroHash;
}

/**
 * The siblings (bottom up) that lead from `locks[index]` to the root of the
 * tree without the `removed` locks: LockTree.rootFrom's `proof`.
 */
export function lockProof(locks: Lock[], index: number, removed: ReadonlySet<number> = new Set()): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= locks.length || removed.has(index)) {
    throw new EncodingError(
      "lock index",
      index,
      `not a pending lock of ${locks.length} (removed: ${[...removed].join(", ")})`,
    );
  }
  const proof: string[] = [];
  let i = index;
  for (const level of levels(leavesOf(locks, removed)).slice(0, -1)) {
    const sibling = level[i ^ 1];
    if (sibling) proof.push(sibling);
    i = i >> 1;
  }
  return proof;
}

/** LockTree.rootFrom. */
export function rootFrom(leaf: string, proof: string[]): string {
  return proof.reduce((node, sibling) => hashPair(node, sibling), leaf);
}

/** LockTree.rootWithout: the root once the leaf `proof` belongs to is removed. */
export function rootWithout(proof: string[]): string {
  return proof.length === 0 ? ZeroHash : rootFrom(proof[0], proof.slice(1));
}

/** ETH held by `locks`. */
export const lockedAmount = (locks: Lock[]): bigint => locks.reduce((sum, l) => sum + l.amount, 0n);
