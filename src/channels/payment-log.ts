/**
 * What one channel node did with each hashlocked payment lock it sent or received, for its GET /events: the
 * explorer puts the records of every node together by hashlock and shows a routed payment hop by hop.
 *
 *   payer  ──out: offered → settled | failed──▶  router  ──out──▶  payee
 *                           in: received → forwarded → settled | failed      in: received → settled | failed
 */
import { Recent } from "../net/recent";

export type LockDirection = "in" | "out";
/** offered/received: the lock is in the channel; forwarded: a router locked the same amount to the next hop. */
export type LockState = "offered" | "received" | "forwarded" | "settled" | "failed" | "stalled";

export interface LockRecord {
  node: string;
  direction: LockDirection;
  /** The node on the other side of this lock's channel. */
  peer: string;
  channelId: string;
  hashlock: string;
  /** Wei, as a decimal string. */
  amount: string;
  /** L1 time after which the sender may take the lock back; a payment's hops expire later the nearer the payer. */
  expiry: number;
  state: LockState;
  reason?: string;
  /** Wall-clock milliseconds of the last change. */
  at: number;
}

export class PaymentLog {
  private readonly recent: Recent<LockRecord>;

  constructor(
    readonly node: string,
    limit = 200,
  ) {
    this.recent = new Recent(limit);
  }

  private key(direction: LockDirection, channelId: bigint, hashlock: string): string {
    return `${direction}:${channelId}:${hashlock}`;
  }

  /** A lock this node sent (`out`) or was sent (`in`) is now in the channel's newest state. */
  added(
    direction: LockDirection,
    lock: { peer: string; channelId: bigint; hashlock: string; amount: bigint; expiry: number },
  ): void {
    this.recent.put(this.key(direction, lock.channelId, lock.hashlock), {
      node: this.node,
      direction,
      peer: lock.peer,
      channelId: lock.channelId.toString(),
      hashlock: lock.hashlock,
      amount: lock.amount.toString(),
      expiry: lock.expiry,
      state: direction === "out" ? "offered" : "received",
      at: Date.now(),
    });
  }

  /** The lock moved on: forwarded, settled (redeemed with its preimage), failed (cancelled) or stalled. */
  moved(direction: LockDirection, channelId: bigint, hashlock: string, state: LockState, reason?: string): void {
    this.recent.update(this.key(direction, channelId, hashlock), { state, reason, at: Date.now() });
  }

  list(): LockRecord[] {
    return this.recent.list();
  }
}
