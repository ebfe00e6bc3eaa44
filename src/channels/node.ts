/**
 * One person's channel client: it keeps that person's channels, signs each
 * new state, checks every state it is asked to sign (signatures, nonce,
 * balances that add up, and exactly the change that was asked for), and
 * exchanges revocations so that a published old state can be punished.
 *
 * An update between a proposer P and an acceptor Q takes four messages:
 *   1. P → Q  proposal: the next state, its locks, P's signature
 *   2. Q → P  Q's signature, and Q's revocation of the previous state
 *   3. P → Q  P's revocation of the previous state
 * Each side revokes the old state only once it holds the new one signed by
 * both, so neither can be punished for closing with the best state it has.
 */
import { randomBytes } from "crypto";
import { hexlify, keccak256, ZeroHash } from "ethers";
import { DigestSigner, recoverSigner } from "./crypto";
import {
  BadSignatureError,
  ChannelNotOpenError,
  LockError,
  StateMismatchError,
  UnknownChannelError,
  UpdateNotAllowedError,
  WrongNonceError,
} from "./errors";
import { locksRoot } from "./locks";
import { domainSeparator, hashCooperativeClose, hashRevocation, hashState, typedDigest } from "./state";
import { applyChange, checkAddsUp, proposerOf, type Change } from "./transitions";
import type { ChannelDomain, ChannelState, Lock, Parties, Revocation, Side, SignedState } from "./types";

export type ChannelStatus = "open" | "closing" | "settled";

/** What a node knows of one of its channels. */
export interface ChannelRecord {
  id: bigint;
  parties: Parties;
  /** This node's side. */
  side: Side;
  status: ChannelStatus;
  /** Deposits L1 has confirmed, A then B. */
  onChainDeposits: [bigint, bigint];
  /** The newest state signed by both (the unsigned funding state, nonce 0, before any update). */
  latest: SignedState;
  /** The first state signed by both, kept for teaching (`close ... "state":"stale"`). */
  earliest: SignedState | null;
  /** The other side's newest revocation: proof that its states up to that nonce are replaced. */
  theirRevocation: Revocation | null;
  /** An update this node proposed and the other side has not answered yet. */
  pending: { change: Change; state: ChannelState; locks: Lock[]; signature: string; after: bigint } | null;
  /**
   * The highest nonce of a state this node knows to be signed by either side: its own proposals (dropped ones
   * included: the other side keeps the signature) and the other side's. A new state always takes the next nonce,
   * so no two states ever share one and a dropped proposal is always outdone by the state that follows it.
   */
  usedNonce: bigint;
  /**
   * The nonce of the state this node signed a cooperative close on, or null. Once it has signed one the
   * channel takes no further update (Lightning's `shutdown`): the close signature has no nonce, so a later
   * state could otherwise be undercut by the old close on L1.
   */
  closeSignedAt: bigint | null;
}

/** A proposed update, as sent to the other side. */
export interface Proposal {
  channelId: bigint;
  change: Change;
  state: ChannelState;
  locks: Lock[];
  signature: string;
}

/** The acceptor's answer: its signature on the proposal and its revocation of the state before. */
export interface Acceptance {
  channelId: bigint;
  signature: string;
  revocation: Revocation;
}

/** What a watchtower is given for one channel of its client. */
export interface WatchedChannel {
  channelId: bigint;
  parties: Parties;
  clientSide: Side;
  latest: SignedState;
  revocation: Revocation | null;
}

/** Anything that wants every new state of a node's channels (a watchtower). */
export interface StateWatcher {
  watch(channel: WatchedChannel): void;
}

export interface CooperativeCloseOffer {
  channelId: bigint;
  balanceA: bigint;
  balanceB: bigint;
  signature: string;
}

/**
 * keccak256 of 32 zero bytes: the contract reads a zero preimage as "none" and refuses to reveal it, so a lock
 * on this hash could only ever be refunded. A node takes no such lock (the payer would be paying nobody).
 */
export const ZERO_PREIMAGE_HASHLOCK = keccak256(ZeroHash);

/** Limits an acceptor puts on the locks it takes. */
export interface LockLimits {
  /** Seconds from now beyond which no lock may expire (a far expiry ties the receiver's or router's ETH up). */
  maxLockSeconds: number;
  /** Locks pending at once on one channel: each costs gas to settle on L1. */
  maxPendingLocks: number;
}

export const DEFAULT_LOCK_LIMITS: Readonly<LockLimits> = Object.freeze({
  maxLockSeconds: 30 * 86_400,
  maxPendingLocks: 16,
});

/** How far past the next nonce a proposal may jump (skipped nonces are proposals the other side never took). */
export const MAX_NONCE_GAP = 1_000_000n;

const funding = (channelId: bigint, depositA: bigint, depositB: bigint): SignedState => ({
  state: { channelId, nonce: 0n, depositA, depositB, balanceA: depositA, balanceB: depositB, locksRoot: ZeroHash },
  locks: [],
  signatureA: "0x",
  signatureB: "0x",
});

export class ChannelNode {
  readonly signer: DigestSigner;
  readonly channels = new Map<bigint, ChannelRecord>();
  /** Preimages this node knows: its own invoices and those learnt from redeemed locks. */
  readonly preimages = new Map<string, string>();
  readonly watchers: StateWatcher[] = [];
  private readonly domainHash: string;

  /**
   * @param name who this is, for messages
   * @param privateKey the L2 key that signs states
   * @param account the L1 account that deposits and is paid
   * @param clock L1 time in seconds, for lock expiries
   */
  constructor(
    readonly name: string,
    private readonly privateKey: string,
    readonly account: string,
    readonly domain: ChannelDomain,
    public clock: () => number = () => Math.floor(Date.now() / 1000),
    readonly limits: LockLimits = DEFAULT_LOCK_LIMITS,
  ) {
    this.signer = new DigestSigner(privateKey);
    this.domainHash = domainSeparator(domain);
  }

  get address(): string {
    return this.signer.address;
  }

  /** An independent copy of this node's channels and preimages (same key, same clock, no watchers). */
  clone(): ChannelNode {
    const copy = new ChannelNode(this.name, this.privateKey, this.account, this.domain, this.clock, this.limits);
    for (const [id, record] of this.channels) copy.channels.set(id, structuredClone(record));
    for (const [hashlock, preimage] of this.preimages) copy.preimages.set(hashlock, preimage);
    return copy;
  }

  // ---------------------------------------------------------------- channels

  /** Starts tracking a channel L1 opened; `side` is derived from the parties. */
  addChannel(channelId: bigint, parties: Parties, depositA: bigint, depositB = 0n): ChannelRecord {
    const side: Side = parties.signerA === this.address ? 0 : 1;
    if (side === 1 && parties.signerB !== this.address) {
      throw new UnknownChannelError(this.name, `${channelId}: this node signs for neither side`);
    }
    const record: ChannelRecord = {
      id: channelId,
      parties,
      side,
      status: "open",
      onChainDeposits: [depositA, depositB],
      latest: funding(channelId, depositA, depositB),
      earliest: null,
      theirRevocation: null,
      pending: null,
      usedNonce: 0n,
      closeSignedAt: null,
    };
    this.channels.set(channelId, record);
    return record;
  }

  channel(channelId: bigint): ChannelRecord {
    const record = this.channels.get(channelId);
    if (!record) throw new UnknownChannelError(this.name, String(channelId));
    return record;
  }

  /** L1 confirmed a deposit: before any update the funding state takes it; after, a `deposit` update must. */
  recordDeposit(channelId: bigint, side: Side, newTotal: bigint): void {
    const record = this.channel(channelId);
    record.onChainDeposits[side] = newTotal;
    if (record.latest.state.nonce === 0n) {
      record.latest = funding(channelId, record.onChainDeposits[0], record.onChainDeposits[1]);
    }
  }

  /** This node's and the other side's balance in the newest state. */
  balances(channelId: bigint): { mine: bigint; theirs: bigint } {
    const { state } = this.channel(channelId).latest;
    const [a, b] = [state.balanceA, state.balanceB];
    return this.channel(channelId).side === 0 ? { mine: a, theirs: b } : { mine: b, theirs: a };
  }

  /** A fresh invoice: a random preimage this node keeps, and the hashlock it gives the payer. */
  createInvoice(): string {
    const preimage = hexlify(randomBytes(32));
    const hashlock = keccak256(preimage);
    this.preimages.set(hashlock, preimage);
    return hashlock;
  }

  /** The state to close with: the newest, or (to show the penalty) the first co-signed one. */
  closingState(channelId: bigint, which: "latest" | "stale"): SignedState {
    const record = this.channel(channelId);
    if (which === "latest") return record.latest;
    if (!record.earliest) throw new UpdateNotAllowedError(channelId, "no co-signed off-chain state yet: nothing stale");
    return record.earliest;
  }

  // ---------------------------------------------------------------- the update protocol

  /** Step 1: computes and signs the next state for `change`. */
  propose(channelId: bigint, change: Change): Proposal {
    const record = this.updatableChannel(channelId);
    if (record.pending) throw new UpdateNotAllowedError(channelId, "an update is already waiting for an answer");
    // The same policy the other side applies in accept(), so a proposal this node makes is one it would take.
    this.checkAllowed(record, change, record.side);
    const next = applyChange(record.latest.state, record.latest.locks, change);
    const { locks } = next;
    const state = { ...next.state, nonce: this.nextNonce(record) };
    const signature = this.signer.sign(typedDigest(this.domainHash, hashState(state)));
    // INVARIANT: once signed, a proposal may be completed by the other side even if it says it declines: its nonce
    // is never reused, so the next state outdoes it and its revocation covers it.
    record.usedNonce = state.nonce;
    record.pending = { change, state, locks, signature, after: record.latest.state.nonce };
    return { channelId, change, state, locks, signature };
  }

  /**
   * Step 2: checks a proposal from the other side and, if it is exactly the
   * change asked for, countersigns it and revokes the state before it.
   */
  accept(proposal: Proposal): Acceptance {
    const record = this.updatableChannel(proposal.channelId);
    const id = record.id;
    const { state, locks, change } = proposal;
    const previous = record.latest;
    // INVARIANT: a node never revokes the state it would close with. A proposal that crosses one of ours names the
    // same nonce: countersigning it and then completing ours would make our revocation of the state before ours
    // cover the crossing state too (revocations cover every nonce up to theirs). Ours goes first; the other side
    // answers it or we abandon it.
    if (record.pending) {
      throw new UpdateNotAllowedError(
        id,
        `our proposal of state #${record.pending.state.nonce} is waiting for an answer: no crossing proposal`,
      );
    }
    if (state.channelId !== id)
      throw new StateMismatchError(id, "channelId (a state for another channel)", id, state.channelId);
    // The proposer may have skipped nonces this node never saw signed (proposals refused before their signature
    // was read): any nonce from the next one on is taken, within a bound that keeps uint64 out of reach.
    const lowest = this.nextNonce(record);
    if (state.nonce < lowest || state.nonce > lowest + MAX_NONCE_GAP)
      throw new WrongNonceError(id, lowest, state.nonce);
    const nonce = state.nonce;
    // INVARIANT: this node signs state n+1 only once it holds the other side's revocation of every state before
    // n, so the other side can close on no older state than the newest but one without forfeiting the channel.
    if (previous.state.nonce > 0n) {
      const needed = previous.state.nonce - 1n;
      const held = record.theirRevocation?.nonce;
      if (held === undefined || held < needed) {
        throw new UpdateNotAllowedError(
          id,
          `no revocation of state #${needed} from the other side yet (it holds ${held === undefined ? "none" : `#${held}`}): no new state until it comes`,
        );
      }
    }
    const theirSide = (1 - record.side) as Side;
    const theirSigner = theirSide === 0 ? record.parties.signerA : record.parties.signerB;
    const digest = typedDigest(this.domainHash, hashState(state));
    const recovered = recoverSigner(digest, proposal.signature);
    if (recovered !== theirSigner)
      throw new BadSignatureError(id, `proposed state #${state.nonce}`, theirSigner, recovered);
    // The other side has signed a state at this nonce: whatever this node answers, the nonce is used.
    record.usedNonce = state.nonce;
    checkAddsUp(state, locks);
    if (locksRoot(locks) !== state.locksRoot)
      throw new StateMismatchError(id, "locksRoot", locksRoot(locks), state.locksRoot);

    this.checkAllowed(record, change, theirSide);
    const expected = applyChange(previous.state, previous.locks, change);
    expected.state.nonce = nonce;
    for (const field of Object.keys(expected.state) as (keyof ChannelState)[]) {
      if (expected.state[field] !== state[field])
        throw new StateMismatchError(id, field, expected.state[field], state[field]);
    }
    if (change.kind === "redeem-lock") this.preimages.set(change.hashlock, change.preimage);

    const signature = this.signer.sign(digest);
    const [signatureA, signatureB] =
      record.side === 0 ? [signature, proposal.signature] : [proposal.signature, signature];
    this.store(record, { state, locks, signatureA, signatureB });
    return { channelId: id, signature, revocation: this.revoke(id, state.nonce - 1n) };
  }

  /** Step 2, proposer's side: checks the countersignature and revocation, then revokes its own old state. */
  complete(acceptance: Acceptance): Revocation {
    const record = this.updatableChannel(acceptance.channelId);
    const id = record.id;
    const pending = record.pending;
    if (!pending) throw new UpdateNotAllowedError(id, "no update of ours is waiting for an answer");
    const theirSigner = record.side === 0 ? record.parties.signerB : record.parties.signerA;
    const digest = typedDigest(this.domainHash, hashState(pending.state));
    const recovered = recoverSigner(digest, acceptance.signature);
    if (recovered !== theirSigner)
      throw new BadSignatureError(id, `countersignature of state #${pending.state.nonce}`, theirSigner, recovered);
    // INVARIANT: this update revokes every nonce below our proposal (a dropped proposal of ours included) and never
    // a state that arrived after it: a crossing state would be revoked with it.
    const previousNonce = pending.state.nonce - 1n;
    if (record.latest.state.nonce !== pending.after) {
      record.pending = null;
      throw new WrongNonceError(id, record.latest.state.nonce + 1n, pending.state.nonce);
    }
    this.checkRevocation(record, acceptance.revocation, previousNonce);
    record.pending = null;
    const [signatureA, signatureB] =
      record.side === 0 ? [pending.signature, acceptance.signature] : [acceptance.signature, pending.signature];
    record.theirRevocation = acceptance.revocation;
    this.store(record, { state: pending.state, locks: pending.locks, signatureA, signatureB });
    return this.revoke(id, previousNonce);
  }

  /** Step 3, acceptor's side: the proposer's revocation of the state before the newest. */
  receiveRevocation(channelId: bigint, revocation: Revocation): void {
    const record = this.channel(channelId);
    this.checkRevocation(record, revocation, record.latest.state.nonce - 1n);
    record.theirRevocation = revocation;
    this.notifyWatchers(record);
  }

  /** Drops a proposal the other side never answered (it declined or went silent). */
  abandon(channelId: bigint): void {
    this.channel(channelId).pending = null;
  }

  // ---------------------------------------------------------------- closing

  /** Signs a cooperative close on the newest balances (plus top-ups the state does not know of yet). */
  offerCooperativeClose(channelId: bigint): CooperativeCloseOffer {
    const offer = this.signClose(channelId);
    // INVARIANT: from here on this channel takes no update, so the close just signed pays this node at least its
    // newest co-signed balance, whenever it lands on L1.
    this.channel(channelId).closeSignedAt = this.channel(channelId).latest.state.nonce;
    return offer;
  }

  /** The cooperative close of the newest balances, signed, without committing this node to it yet. */
  private signClose(channelId: bigint): CooperativeCloseOffer {
    const record = this.openChannel(channelId);
    const { state, locks } = record.latest;
    if (locks.length > 0) {
      throw new UpdateNotAllowedError(
        channelId,
        `${locks.length} lock(s) still pending: resolve them before a cooperative close`,
      );
    }
    const balanceA = state.balanceA + record.onChainDeposits[0] - state.depositA;
    const balanceB = state.balanceB + record.onChainDeposits[1] - state.depositB;
    if (record.pending) {
      throw new UpdateNotAllowedError(channelId, "an update of ours is still waiting for an answer: no close now");
    }
    const signature = this.signer.sign(
      typedDigest(this.domainHash, hashCooperativeClose(channelId, balanceA, balanceB)),
    );
    return { channelId, balanceA, balanceB, signature };
  }

  /** Countersigns the other side's cooperative close if it matches this node's own view exactly. */
  acceptCooperativeClose(offer: CooperativeCloseOffer): CooperativeCloseOffer {
    const own = this.signClose(offer.channelId);
    if (own.balanceA !== offer.balanceA)
      throw new StateMismatchError(offer.channelId, "close balanceA", own.balanceA, offer.balanceA);
    if (own.balanceB !== offer.balanceB)
      throw new StateMismatchError(offer.channelId, "close balanceB", own.balanceB, offer.balanceB);
    const record = this.channel(offer.channelId);
    const theirSigner = record.side === 0 ? record.parties.signerB : record.parties.signerA;
    const digest = typedDigest(this.domainHash, hashCooperativeClose(offer.channelId, offer.balanceA, offer.balanceB));
    const recovered = recoverSigner(digest, offer.signature);
    if (recovered !== theirSigner)
      throw new BadSignatureError(offer.channelId, "cooperative close", theirSigner, recovered);
    // INVARIANT: as in offerCooperativeClose, no update after this signature.
    record.closeSignedAt = record.latest.state.nonce;
    return own;
  }

  // ---------------------------------------------------------------- internals

  /** An open channel on which this node has signed no cooperative close: one that may take a new state. */
  private updatableChannel(channelId: bigint): ChannelRecord {
    const record = this.openChannel(channelId);
    if (record.closeSignedAt !== null) {
      throw new UpdateNotAllowedError(
        channelId,
        `this node signed a cooperative close on state #${record.closeSignedAt}: no further update (shutdown)`,
      );
    }
    return record;
  }

  private openChannel(channelId: bigint): ChannelRecord {
    const record = this.channel(channelId);
    if (record.status !== "open") throw new ChannelNotOpenError(channelId, record.status);
    return record;
  }

  /**
   * Who may propose what, applied by the proposer to itself and by the
   * acceptor to the other side alike: nobody makes a node pay, lock its funds
   * or give up a lock owed to it; an expired lock is only ever cancelled,
   * never redeemed; a lock has a real hashlock, a bounded expiry and room.
   */
  private checkAllowed(record: ChannelRecord, change: Change, proposer: Side): void {
    const id = record.id;
    const now = this.clock();
    const allowed = proposerOf(change, record.latest.locks);
    const pendingLock =
      change.kind === "cancel-lock" || change.kind === "redeem-lock"
        ? record.latest.locks.find((l) => l.hashlock === change.hashlock)
        : undefined;
    if (change.kind === "cancel-lock") {
      // The sender may take back a lock only once it expired (the contract's refundLock: after the expiry).
      if (pendingLock && pendingLock.sender === proposer && pendingLock.expiry < now) return;
    }
    if (allowed !== "either" && allowed !== proposer) {
      throw new UpdateNotAllowedError(
        id,
        `${proposer === record.side ? "this node" : "the other side"} may not propose this ${change.kind}`,
      );
    }
    if (change.kind === "redeem-lock" && pendingLock && pendingLock.expiry < now) {
      // INVARIANT: an expired lock is never paid off-chain: the sender may already have been refunded upstream.
      throw new LockError(
        id,
        change.hashlock,
        `expired at ${pendingLock.expiry} (now ${now}): it can only be cancelled`,
      );
    }
    if (change.kind === "add-lock") {
      const lock = change.lock;
      if (lock.expiry <= now) throw new LockError(id, lock.hashlock, `expiry ${lock.expiry} is not after now (${now})`);
      if (lock.expiry > now + this.limits.maxLockSeconds) {
        throw new LockError(
          id,
          lock.hashlock,
          `expiry ${lock.expiry} is more than ${this.limits.maxLockSeconds}s away`,
        );
      }
      // INVARIANT: a lock's hashlock is in the one spelling (0x and 64 lower-case hex digits) that keccak256 gives,
      // so the node finds the preimage it holds for it, and no two pending locks are one hashlock spelt twice.
      if (!/^0x[0-9a-f]{64}$/.test(lock.hashlock)) {
        throw new LockError(
          id,
          lock.hashlock,
          "not a hashlock as keccak256 writes it (0x and 64 lower-case hex digits)",
        );
      }
      if (lock.hashlock === ZERO_PREIMAGE_HASHLOCK) {
        throw new LockError(id, lock.hashlock, "hashlock of the zero preimage, which L1 never accepts as revealed");
      }
      if (record.latest.locks.length >= this.limits.maxPendingLocks) {
        throw new LockError(id, lock.hashlock, `already ${record.latest.locks.length} locks pending on this channel`);
      }
    }
    if (change.kind === "deposit") {
      const known = change.side === 0 ? record.latest.state.depositA : record.latest.state.depositB;
      if (known + change.amount > record.onChainDeposits[change.side]) {
        throw new UpdateNotAllowedError(id, `deposit of ${change.amount} wei is not on L1 yet`);
      }
    }
  }

  /** Takes a preimage seen elsewhere (on L1): kept only if it hashes to `hashlock`. */
  learnPreimage(hashlock: string, preimage: string): boolean {
    if (keccak256(preimage) !== hashlock.toLowerCase() || preimage === ZeroHash) return false;
    const known = this.preimages.has(hashlock);
    this.preimages.set(hashlock, preimage);
    return !known;
  }

  /** The nonce of the next state: one past both the newest co-signed state and every nonce already signed. */
  private nextNonce(record: ChannelRecord): bigint {
    const latest = record.latest.state.nonce;
    return (latest > record.usedNonce ? latest : record.usedNonce) + 1n;
  }

  private revoke(channelId: bigint, nonce: bigint): Revocation {
    return { nonce, signature: this.signer.sign(typedDigest(this.domainHash, hashRevocation(channelId, nonce))) };
  }

  private checkRevocation(record: ChannelRecord, revocation: Revocation, expectedNonce: bigint): void {
    if (revocation.nonce !== expectedNonce) throw new WrongNonceError(record.id, expectedNonce, revocation.nonce);
    const theirSigner = record.side === 0 ? record.parties.signerB : record.parties.signerA;
    const digest = typedDigest(this.domainHash, hashRevocation(record.id, revocation.nonce));
    const recovered = recoverSigner(digest, revocation.signature);
    if (recovered !== theirSigner)
      throw new BadSignatureError(record.id, `revocation of #${revocation.nonce}`, theirSigner, recovered);
  }

  private store(record: ChannelRecord, signed: SignedState): void {
    record.latest = signed;
    if (!record.earliest) record.earliest = signed;
    this.notifyWatchers(record);
  }

  private notifyWatchers(record: ChannelRecord): void {
    for (const watcher of this.watchers) {
      watcher.watch({
        channelId: record.id,
        parties: record.parties,
        clientSide: record.side,
        latest: record.latest,
        revocation: record.theirRevocation,
      });
    }
  }
}
