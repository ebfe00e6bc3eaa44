/**
 * Payments over a channel network: direct (one co-signed state) and routed
 * (a hash- and time-locked transfer per hop, all under one hashlock, each
 * hop's lock expiring `htlcDelta` seconds before the one upstream of it, then
 * redeemed from the receiver back to the payer as the preimage travels back).
 */
import { ChannelRefusal, UpdateNotAllowedError } from "./errors";
import type { ChannelNetwork } from "./network";
import type { Lock, Side, SignedState } from "./types";

/** One established hop of a routed payment. */
export interface Hop {
  channelId: bigint;
  sender: string;
  receiver: string;
  lock: Lock;
}

export type RouteOutcome =
  | { status: "paid"; hashlock: string; hops: Hop[] }
  /** Someone refused (a decline, too little balance, a bad lock): every lock already made was cancelled. */
  | { status: "refused"; by: string; reason: string; hashlock: string; declined: boolean }
  /** `by` took its lock and went silent: `hops` are the locks still pending, the last one is `by`'s. */
  | { status: "stalled"; by: string; hashlock: string; hops: Hop[] };

export interface RouteOptions {
  /** Seconds each hop's lock expires before the previous hop's. */
  htlcDelta: number;
  /** L1 time now (seconds). */
  now: number;
  /** This node refuses the lock offered to it. */
  decline?: string;
  /** This node takes its lock and then does nothing. */
  stall?: string;
}

export class RouteError extends ChannelRefusal {
  constructor(route: string[], why: string) {
    super(`route ${route.join(" → ")}: ${why}`);
  }
}

const sideOf = (network: ChannelNetwork, name: string, channelId: bigint): Side =>
  network.node(name).channel(channelId).side;

/** Pays `amount` from `from` to `to` over their direct channel: one new co-signed state. */
export function payDirect(network: ChannelNetwork, from: string, to: string, amount: bigint): SignedState {
  const channelId = network.channelBetween(from, to);
  return network.update(from, channelId, { kind: "pay", from: sideOf(network, from, channelId), amount });
}

/** Pays `amount` along `route` (payer first, receiver last) with hash-time-locked transfers. */
export function payRoute(network: ChannelNetwork, route: string[], amount: bigint, opts: RouteOptions): RouteOutcome {
  if (route.length < 2) throw new RouteError(route, "needs a payer and a receiver");
  if (new Set(route).size !== route.length) throw new RouteError(route, "visits a node twice");
  const channels = route.slice(1).map((name, i) => {
    if (!network.hasChannel(route[i], name)) throw new RouteError(route, `no channel between ${route[i]} and ${name}`);
    return network.channelBetween(route[i], name);
  });
  const hopCount = channels.length;
  if (opts.htlcDelta <= 0) throw new RouteError(route, "htlcDelta must be positive");
  const hashlock = network.node(route[hopCount]).createInvoice();
  const hops: Hop[] = [];

  const cancelAll = (): void => {
    // Each receiver gives its lock back, from the end of the route to its start.
    for (const hop of [...hops].reverse())
      network.update(hop.receiver, hop.channelId, { kind: "cancel-lock", hashlock });
  };

  // Locks go out from the payer; the first expires latest, each next one htlcDelta sooner.
  let expiry = opts.now + hopCount * opts.htlcDelta;
  for (let i = 0; i < hopCount; i++) {
    const [sender, receiver, channelId] = [route[i], route[i + 1], channels[i]];
    if (receiver === opts.decline) {
      cancelAll();
      return { status: "refused", by: receiver, reason: "declined", hashlock, declined: true };
    }
    if (expiry <= opts.now)
      throw new RouteError(route, `hop ${i} would expire at ${expiry}, not after now (${opts.now})`);
    const lock: Lock = { sender: sideOf(network, sender, channelId), amount, expiry, hashlock };
    try {
      network.update(sender, channelId, { kind: "add-lock", lock });
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      cancelAll();
      return { status: "refused", by: receiver, reason: e.message, hashlock, declined: false };
    }
    hops.push({ channelId, sender, receiver, lock });
    if (receiver === opts.stall) return { status: "stalled", by: receiver, hashlock, hops };
    expiry -= opts.htlcDelta;
  }

  // The receiver redeems with its preimage; each sender learns it and redeems upstream.
  for (const hop of [...hops].reverse()) {
    const preimage = network.node(hop.receiver).preimages.get(hashlock);
    if (!preimage) throw new UpdateNotAllowedError(hop.channelId, `${hop.receiver} does not know the preimage`);
    network.update(hop.receiver, hop.channelId, { kind: "redeem-lock", hashlock, preimage });
  }
  return { status: "paid", hashlock, hops };
}

/** Cancels the locks of a stalled payment upstream of `from` (index into `hops`), receivers first. */
export function cancelUpstream(network: ChannelNetwork, hops: Hop[], from: number): void {
  for (let i = from; i >= 0; i--) {
    const hop = hops[i];
    network.update(hop.receiver, hop.channelId, { kind: "cancel-lock", hashlock: hop.lock.hashlock });
  }
}

/**
 * Decides the locks of a stalled payment upstream of `from` (index into
 * `hops`), from the stall back to the payer: a receiver that knows the
 * preimage (learnt on L1 when the staller used it) redeems its lock, since it
 * paid, or will pay, the hop below; if the sender refuses that redeem while
 * the lock is still in time, the receiver keeps the lock pending, to be
 * claimed on L1 (reveal the preimage there by the expiry, then close). One
 * that does not know the preimage (or learnt it too late, once its lock
 * expired) gives the lock up. Returns what each hop did.
 */
export function resolveUpstream(
  network: ChannelNetwork,
  hops: Hop[],
  from: number,
): ("redeemed" | "cancelled" | "kept")[] {
  const done: ("redeemed" | "cancelled" | "kept")[] = [];
  for (let i = from; i >= 0; i--) {
    const hop = hops[i];
    const receiver = network.node(hop.receiver);
    const preimage = receiver.preimages.get(hop.lock.hashlock);
    // INVARIANT: a router never gives up its incoming lock once the preimage of the lock it sent is known: the
    // hop below can be (or was) paid with it, so the router claims upstream instead, on L1 if it must.
    if (preimage) {
      try {
        network.update(hop.receiver, hop.channelId, { kind: "redeem-lock", hashlock: hop.lock.hashlock, preimage });
        done.unshift("redeemed");
        continue;
      } catch (e) {
        if (!(e instanceof ChannelRefusal)) throw e;
        // The sender refuses a redeem still in time: the lock stays, and L1 will pay it.
        if (hop.lock.expiry >= receiver.clock()) {
          done.unshift("kept");
          continue;
        }
        // Too late (the lock expired): it can only be given up now.
      }
    }
    network.update(hop.receiver, hop.channelId, { kind: "cancel-lock", hashlock: hop.lock.hashlock });
    done.unshift("cancelled");
  }
  return done;
}

/**
 * `name` redeems, off-chain, every pending lock owed to it whose preimage it
 * knows and that has not expired (a preimage it learnt on L1, say). Returns the
 * hashlocks it redeemed; a refusal by the other side leaves that lock as it is.
 */
export function claimOwedLocks(network: ChannelNetwork, name: string, now: number): string[] {
  const node = network.node(name);
  const claimed: string[] = [];
  for (const record of node.channels.values()) {
    if (record.status !== "open" || record.closeSignedAt !== null) continue;
    for (const lock of record.latest.locks) {
      const preimage = node.preimages.get(lock.hashlock);
      if (lock.sender === record.side || !preimage || lock.expiry < now) continue;
      try {
        network.update(name, record.id, { kind: "redeem-lock", hashlock: lock.hashlock, preimage });
        claimed.push(lock.hashlock);
      } catch (e) {
        if (!(e instanceof ChannelRefusal)) throw e;
      }
    }
  }
  return claimed;
}
