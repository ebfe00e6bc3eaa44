/**
 * The state machine of one channel: how each kind of update turns a state
 * into the next one. Both ends compute it independently; the one asked to
 * countersign compares the proposal with its own result field by field.
 */
import { keccak256 } from "ethers";
import { lockedAmount, locksRoot } from "./locks";
import { BalancesDoNotAddUpError, InsufficientBalanceError, LockError, UpdateNotAllowedError } from "./errors";
import type { ChannelState, Lock, Side } from "./types";

export type Change =
  /** `from` gives `amount` to the other side. */
  | { kind: "pay"; from: Side; amount: bigint }
  /** `lock.sender` moves `lock.amount` from its balance into a new lock. */
  | { kind: "add-lock"; lock: Lock }
  /** The lock's receiver shows the preimage: the amount goes to the receiver. */
  | { kind: "redeem-lock"; hashlock: string; preimage: string }
  /** The lock is dropped: the amount goes back to its sender. */
  | { kind: "cancel-lock"; hashlock: string }
  /** `side` deposited `amount` more on L1 (a top-up): the state takes it in. */
  | { kind: "deposit"; side: Side; amount: bigint };

export interface Transition {
  state: ChannelState;
  locks: Lock[];
}

const sideName = (side: Side): string => (side === 0 ? "A" : "B");

/** Which side proposes a change: the one it costs nothing or the one it is owed to. */
export function proposerOf(change: Change, locks: Lock[]): Side | "either" {
  switch (change.kind) {
    case "pay":
      return change.from;
    case "add-lock":
      return change.lock.sender;
    case "redeem-lock":
    case "cancel-lock": {
      const lock = locks.find((l) => l.hashlock === change.hashlock);
      // The receiver redeems (it holds the preimage) and cancels (it gives the lock up).
      return lock ? ((1 - lock.sender) as Side) : "either";
    }
    case "deposit":
      return change.side;
  }
}

/** Balances + locks must equal deposits. */
export function checkAddsUp(state: ChannelState, locks: Lock[]): void {
  const total = state.balanceA + state.balanceB + lockedAmount(locks);
  const deposits = state.depositA + state.depositB;
  if (total !== deposits) throw new BalancesDoNotAddUpError(state.channelId, total, deposits);
}

/** The state after `change`, with nonce + 1. Throws a ChannelRefusal when the change is impossible. */
export function applyChange(prev: ChannelState, prevLocks: Lock[], change: Change): Transition {
  const next: ChannelState = { ...prev, nonce: prev.nonce + 1n };
  let locks = prevLocks;
  const id = prev.channelId;
  const debit = (side: Side, amount: bigint): void => {
    const balance = side === 0 ? next.balanceA : next.balanceB;
    if (amount <= 0n) throw new UpdateNotAllowedError(id, `amount must be positive, got ${amount}`);
    if (balance < amount) throw new InsufficientBalanceError(id, sideName(side), balance, amount);
    if (side === 0) next.balanceA -= amount;
    else next.balanceB -= amount;
  };
  const credit = (side: Side, amount: bigint): void => {
    if (side === 0) next.balanceA += amount;
    else next.balanceB += amount;
  };
  const findLock = (hashlock: string): Lock => {
    const lock = locks.find((l) => l.hashlock === hashlock);
    if (!lock) throw new LockError(id, hashlock, "no such pending lock");
    return lock;
  };

  switch (change.kind) {
    case "pay":
      debit(change.from, change.amount);
      credit((1 - change.from) as Side, change.amount);
      break;
    case "add-lock":
      if (locks.some((l) => l.hashlock === change.lock.hashlock)) {
        throw new LockError(id, change.lock.hashlock, "a lock with this hashlock is already pending");
      }
      debit(change.lock.sender, change.lock.amount);
      locks = [...locks, change.lock];
      break;
    case "redeem-lock": {
      const lock = findLock(change.hashlock);
      if (keccak256(change.preimage) !== lock.hashlock) throw new LockError(id, lock.hashlock, "wrong preimage");
      credit((1 - lock.sender) as Side, lock.amount);
      locks = locks.filter((l) => l !== lock);
      break;
    }
    case "cancel-lock": {
      const lock = findLock(change.hashlock);
      credit(lock.sender, lock.amount);
      locks = locks.filter((l) => l !== lock);
      break;
    }
    case "deposit":
      if (change.amount <= 0n) throw new UpdateNotAllowedError(id, `deposit must be positive, got ${change.amount}`);
      if (change.side === 0) next.depositA += change.amount;
      else next.depositB += change.amount;
      credit(change.side, change.amount);
      break;
  }
  next.locksRoot = locksRoot(locks);
  checkAddsUp(next, locks);
  return { state: next, locks };
}
