/**
 * A channel node as its own process (`npx hardhat channel-node --name alice`): the in-process ChannelNode
 * (./node.ts) with loopback HTTP under it (src/net/http.ts). The update protocol is the same four messages as
 * ChannelNetwork.update, each now a request to the other side's node:
 *
 *   proposer                         acceptor
 *   node.propose ── POST /p2p/propose ──▶ node.accept      (answers the countersignature and its revocation)
 *   node.complete ── POST /p2p/revoke ──▶ node.receiveRevocation
 *
 * A routed payment goes hop by hop (POST /p2p/forward): each router forwards the lock it was given, one
 * `htlcDelta` sooner, and redeems its incoming lock once the hop below redeemed from it and it learnt the preimage.
 * Every handler parses its body (./wire.ts) and lets the node check it; a refusal is a 4xx and changes nothing.
 *
 * The user drives the node through its control API (/control/...): open, pay, pay along a route, close, status.
 */
import { formatEther, type Signer, type TransactionReceipt } from "ethers";
import { z } from "zod";
import { ApiError, parseBody, type Route } from "../net/http";
import { ApiRequestError, requestJson } from "../net/client";
import { BadSignatureError, ChannelRefusal, UnknownChannelError, WrongNonceError } from "./errors";
import type { ChannelsL1 } from "./l1";
import type { ChannelNode, StateWatcher, WatchedChannel } from "./node";
import type { ChannelEdge } from "./network";
import { PaymentLog } from "./payment-log";
import { findRoute } from "./routing";
import type { Change } from "./transitions";
import type { Parties, Side } from "./types";
import {
  AcceptanceSchema,
  CloseOfferSchema,
  NodeName,
  ProposalSchema,
  RevocationMessageSchema,
  Uint,
  decode,
} from "./wire";

const short = (hex: string): string => `${hex.slice(0, 10)}…`;
const eth = (wei: bigint): string => `${formatEther(wei)} ETH`;

/** Open invoices a node keeps at once: each costs memory and anyone may ask for one. */
const MAX_INVOICES = 1_000;

/** What another node says it is (GET /p2p/info). */
export interface PeerInfo {
  name: string;
  account: string;
  signer: string;
}

const PeerInfoSchema = z.object({ name: NodeName, account: z.string(), signer: z.string() });

/** A refusal from the node or from the peer, as a 4xx of this node's API. */
function refusal(error: unknown): never {
  if (error instanceof ApiError) throw error;
  if (error instanceof UnknownChannelError) throw new ApiError(404, "unknown-channel", error.message);
  if (error instanceof BadSignatureError) throw new ApiError(401, "bad-signature", error.message);
  if (error instanceof WrongNonceError) throw new ApiError(409, "stale-state", error.message);
  if (error instanceof ChannelRefusal) throw new ApiError(409, "refused", error.message);
  // The other node refused (4xx) or could not be reached / failed (502): its own words are in the message.
  if (error instanceof ApiRequestError)
    throw new ApiError(error.status >= 400 && error.status < 500 ? 409 : 502, `peer-${error.code}`, error.message);
  // Encoding errors (a value out of its field's range) come from the node's hashing of what it was sent.
  if (error instanceof Error && (error.name === "EncodingError" || error.name === "SignatureFormatError"))
    throw new ApiError(400, "invalid-input", error.message);
  throw error;
}

/** Hands every new state of the node's channels to a watchtower process, in order. */
export class RemoteTower implements StateWatcher {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly url: string,
    private readonly log: (line: string) => void,
  ) {}

  watch(channel: WatchedChannel): void {
    const copy = structuredClone(channel);
    this.queue = this.queue.then(async () => {
      try {
        await requestJson(`${this.url}/watch`, { body: copy, timeoutMs: 10_000 });
      } catch (error) {
        this.log(`watchtower ${this.url} refused channel ${copy.channelId}: ${(error as Error).message}`);
      }
    });
  }

  /** Resolves once every state handed so far reached the tower. */
  flush(): Promise<void> {
    return this.queue;
  }
}

export interface PeerNodeOptions {
  /** Seconds each routed hop's lock expires before the one upstream of it. */
  htlcDelta: number;
  /** Other nodes by name. */
  peers: Map<string, string>;
  tower?: RemoteTower;
  log: (line: string) => void;
}

export class PeerNode {
  /** This node's own URL, told to a peer it opens a channel with. */
  url = "";
  private readonly peerOf = new Map<bigint, string>();
  private readonly invoices = new Map<string, bigint>();
  /** Incoming locks already forwarded (channel:hashlock): a lock is forwarded once. */
  private readonly forwarded = new Set<string>();
  private l1Time = 0;
  /** The last locks this node sent and received, for GET /events (bounded). */
  readonly payments: PaymentLog;

  constructor(
    readonly node: ChannelNode,
    readonly l1: ChannelsL1,
    readonly l1Signer: Signer,
    readonly options: PeerNodeOptions,
  ) {
    if (options.tower) node.watchers.push(options.tower);
    this.payments = new PaymentLog(node.name);
  }

  get name(): string {
    return this.node.name;
  }

  info(): PeerInfo {
    return { name: this.name, account: this.node.account, signer: this.node.address };
  }

  private peerUrl(name: string): string {
    const url = this.options.peers.get(name);
    if (!url) throw new ApiError(404, "unknown-peer", `${this.name} knows no node named "${name}"`);
    return url;
  }

  private channelWith(peer: string): bigint {
    let newest: bigint | null = null;
    for (const [id, name] of this.peerOf) {
      if (name !== peer || this.node.channel(id).status !== "open") continue;
      if (newest === null || id > newest) newest = id;
    }
    if (newest === null) throw new ApiError(404, "unknown-channel", `${this.name} has no open channel with ${peer}`);
    return newest;
  }

  // ---------------------------------------------------------------- the update protocol, proposer's side

  /** One update with the other side of `channelId`: proposal, countersignature, revocations. */
  async update(channelId: bigint, change: Change): Promise<void> {
    const peer = this.peerOf.get(channelId);
    if (!peer) throw new ApiError(404, "unknown-channel", `${this.name}: no peer for channel ${channelId}`);
    const url = this.peerUrl(peer);
    const proposal = this.node.propose(channelId, change);
    let acceptance;
    try {
      acceptance = decode(AcceptanceSchema, await requestJson(`${url}/p2p/propose`, { body: proposal }));
    } catch (error) {
      this.node.abandon(channelId);
      throw error;
    }
    const revocation = this.node.complete(acceptance);
    await requestJson(`${url}/p2p/revoke`, { body: { channelId, revocation } });
    await this.options.tower?.flush();
  }

  // ---------------------------------------------------------------- control (the user)

  async open(peer: string, amount: bigint): Promise<unknown> {
    if (amount <= 0n) throw new ApiError(400, "invalid-input", "amount: a channel needs a deposit above 0");
    const url = this.peerUrl(peer);
    const info = decode(PeerInfoSchema, await requestJson(`${url}/p2p/info`));
    const parties: Parties = {
      accountA: this.node.account,
      accountB: info.account,
      signerA: this.node.address,
      signerB: info.signer,
    };
    const { channelId, receipt } = await this.l1.open(this.l1Signer, parties, amount);
    this.node.addChannel(channelId, parties, amount);
    this.peerOf.set(channelId, peer);
    await requestJson(`${url}/p2p/opened`, { body: { channelId, name: this.name, url: this.url } });
    this.options.log(
      `${this.name}: opened channel ${channelId} with ${peer}, ${eth(amount)} deposited (tx ${receipt.hash})`,
    );
    return { channelId, tx: receipt.hash };
  }

  async pay(peer: string, amount: bigint): Promise<unknown> {
    const channelId = this.channelWith(peer);
    const side = this.node.channel(channelId).side;
    await this.update(channelId, { kind: "pay", from: side, amount });
    const nonce = this.node.channel(channelId).latest.state.nonce;
    this.options.log(`${this.name}: paid ${peer} ${eth(amount)} on channel ${channelId} (state #${nonce})`);
    return { channelId, nonce, ...this.balances(channelId) };
  }

  /** Pays `to` along `route` (the names after this node), or the fewest hops the peers' channels offer. */
  async payRoute(to: string, amount: bigint, given?: string[], invoice?: string): Promise<unknown> {
    const route = given ? [this.name, ...given] : findRoute(await this.graph(), this.name, to, amount);
    if (route[route.length - 1] !== to) throw new ApiError(400, "invalid-input", `route: must end at ${to}`);
    if (new Set(route).size !== route.length) throw new ApiError(400, "invalid-input", "route: visits a node twice");
    const hops = route.length - 1;
    // The payee's invoice: given by the user (the payee's own control API made it), or asked of the payee.
    let hashlock = invoice;
    if (hashlock === undefined) {
      if (!this.options.peers.has(to))
        throw new ApiError(400, "no-invoice", `hashlock: ${this.name} cannot reach ${to}; ask ${to} for an invoice`);
      hashlock = z
        .object({ hashlock: z.string().regex(/^0x[0-9a-f]{64}$/) })
        .parse(await requestJson(`${this.peerUrl(to)}/p2p/invoice`, { body: { amount } })).hashlock;
    }
    const channelId = this.channelWith(route[1]);
    const record = this.node.channel(channelId);
    const expiry = (await this.now()) + hops * this.options.htlcDelta;
    await this.update(channelId, { kind: "add-lock", lock: { sender: record.side, amount, expiry, hashlock } });
    this.payments.added("out", { peer: route[1], channelId, hashlock, amount, expiry });
    this.options.log(
      `${this.name}: locked ${eth(amount)} to ${route[1]} under ${short(hashlock)} for ${to} (route ${route.join(" → ")})`,
    );
    const outcome = await requestJson<{ status: string; reason?: string }>(`${this.peerUrl(route[1])}/p2p/forward`, {
      body: { channelId, hashlock, next: route.slice(2) },
      timeoutMs: 120_000,
    });
    const preimage = this.node.preimages.get(hashlock);
    this.payments.moved(
      "out",
      channelId,
      hashlock,
      outcome.status === "paid" ? "settled" : outcome.status === "stalled" ? "stalled" : "failed",
      outcome.reason,
    );
    this.options.log(
      `${this.name}: payment ${short(hashlock)} to ${to}: ${outcome.status}` +
        (outcome.reason ? ` (${outcome.reason})` : "") +
        (preimage ? `, preimage ${short(preimage)} received` : ""),
    );
    return { route, hashlock, ...outcome, ...this.balances(channelId) };
  }

  /** Closes the channel with `peer`: cooperatively (both sign the final balances) or alone on a state it holds. */
  async close(peer: string, mode: "cooperative" | "unilateral", which: "latest" | "stale"): Promise<unknown> {
    const channelId = this.channelWith(peer);
    const record = this.node.channel(channelId);
    let receipt: TransactionReceipt;
    if (mode === "cooperative") {
      const offer = this.node.offerCooperativeClose(channelId);
      const theirs = decode(CloseOfferSchema, await requestJson(`${this.peerUrl(peer)}/p2p/close`, { body: offer }));
      const [sigA, sigB] =
        record.side === 0 ? [offer.signature, theirs.signature] : [theirs.signature, offer.signature];
      receipt = await this.l1.cooperativeClose(
        this.l1Signer,
        channelId,
        record.parties,
        offer.balanceA,
        offer.balanceB,
        sigA,
        sigB,
      );
      record.status = "settled";
      await requestJson(`${this.peerUrl(peer)}/p2p/closed`, { body: { channelId } }).catch(() => undefined);
    } else {
      receipt = await this.l1.close(this.l1Signer, channelId, record.parties, this.node.closingState(channelId, which));
      record.status = "closing";
    }
    const said = this.describeClose(receipt);
    this.options.log(`${this.name}: closed channel ${channelId} with ${peer}: ${said} (tx ${receipt.hash})`);
    return { channelId, tx: receipt.hash, outcome: said };
  }

  /** What a close's receipt says L1 did, from its events. */
  private describeClose(receipt: TransactionReceipt): string {
    for (const log of receipt.logs) {
      let parsed;
      try {
        parsed = this.l1.contract.interface.parseLog(log);
      } catch {
        continue;
      }
      if (parsed?.name === "ChannelCooperativelyClosed")
        return `settled at once, paid A ${eth(parsed.args.payoutA)} and B ${eth(parsed.args.payoutB)}`;
      if (parsed?.name === "ChannelClosed")
        return `closing on state #${parsed.args.nonce}, settles at ${parsed.args.settleAt} unless disputed`;
    }
    return "no close event in its receipt";
  }

  balances(channelId: bigint): { mine: bigint; theirs: bigint } {
    return this.node.balances(channelId);
  }

  status(): unknown {
    return {
      ...this.info(),
      peers: Object.fromEntries(this.options.peers),
      channels: [...this.node.channels.values()].map((record) => ({
        channelId: record.id,
        peer: this.peerOf.get(record.id) ?? null,
        side: record.side === 0 ? "A" : "B",
        status: record.status,
        nonce: record.latest.state.nonce,
        ...this.node.balances(record.id),
        locks: record.latest.locks.length,
        deposits: record.onChainDeposits,
      })),
    };
  }

  /** The public graph as this node and its peers show it: every open channel they are in. */
  async graph(): Promise<ChannelEdge[]> {
    const edges = new Map<bigint, ChannelEdge>();
    for (const edge of this.edges()) edges.set(edge.channelId, edge);
    for (const url of this.options.peers.values()) {
      try {
        const theirs = await requestJson<{ channelId: string; a: string; b: string; capacity: string }[]>(
          `${url}/p2p/channels`,
          { timeoutMs: 5_000 },
        );
        for (const e of theirs.slice(0, 1_000)) {
          const channelId = BigInt(e.channelId);
          if (!edges.has(channelId))
            edges.set(channelId, { channelId, a: String(e.a), b: String(e.b), capacity: BigInt(e.capacity) });
        }
      } catch {
        // A peer that does not answer offers no route.
      }
    }
    return [...edges.values()];
  }

  private edges(): ChannelEdge[] {
    const out: ChannelEdge[] = [];
    for (const record of this.node.channels.values()) {
      const peer = this.peerOf.get(record.id);
      if (!peer || record.status !== "open") continue;
      const [a, b] = record.side === 0 ? [this.name, peer] : [peer, this.name];
      out.push({ channelId: record.id, a, b, capacity: record.onChainDeposits[0] + record.onChainDeposits[1] });
    }
    return out;
  }

  /** L1 time: the latest block's, or the wall clock if that is later (an automining chain has no idle blocks). */
  private async now(): Promise<number> {
    const block = await this.l1.contract.runner!.provider!.getBlock("latest");
    this.l1Time = Math.max(this.l1Time, block?.timestamp ?? 0);
    return Math.max(this.l1Time, Math.floor(Date.now() / 1000));
  }

  /**
   * Keeps the node's clock (lock expiries it accepts) on L1 time, read every `everyMs`: a dev chain moved forward
   * with evm_increaseTime runs ahead of the wall clock, and the contract judges expiries by block time.
   */
  followL1Time(everyMs = 2_000): () => void {
    this.node.clock = () => Math.max(this.l1Time, Math.floor(Date.now() / 1000));
    const timer = setInterval(() => void this.now().catch(() => undefined), everyMs);
    void this.now().catch(() => undefined);
    return () => clearInterval(timer);
  }

  // ---------------------------------------------------------------- peer messages (acceptor's side)

  /** A peer opened a channel with this node on L1: checked against L1's own event before it is taken. */
  private async opened(body: unknown): Promise<unknown> {
    const { channelId, name, url } = decode(
      z.object({ channelId: Uint, name: NodeName, url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/) }),
      body,
    );
    if (this.node.channels.has(channelId)) throw new ApiError(409, "known-channel", `channel ${channelId} is known`);
    const c = this.l1.contract;
    const events = await c.queryFilter(c.filters.ChannelOpened(channelId));
    if (events.length === 0) throw new ApiError(404, "unknown-channel", `channel ${channelId} was never opened on L1`);
    const e = events[events.length - 1];
    const parties: Parties = {
      accountA: e.args.accountA,
      accountB: e.args.accountB,
      signerA: e.args.signerA,
      signerB: e.args.signerB,
    };
    if (parties.accountB !== this.node.account || parties.signerB !== this.node.address) {
      throw new ApiError(409, "not-ours", `channel ${channelId} on L1 is not with ${this.name}'s account and key`);
    }
    const info = decode(PeerInfoSchema, await requestJson(`${url}/p2p/info`));
    if (info.account !== parties.accountA || info.signer !== parties.signerA || info.name !== name) {
      throw new ApiError(409, "not-the-opener", `${url} is not the node that opened channel ${channelId}`);
    }
    const [status, depositA, depositB] = await c.channel(channelId);
    if (Number(status) !== 1) throw new ApiError(409, "not-open", `channel ${channelId} is not open on L1`);
    this.node.addChannel(channelId, parties, depositA, depositB);
    this.peerOf.set(channelId, name);
    if (!this.options.peers.has(name)) this.options.peers.set(name, url);
    this.options.log(`${this.name}: channel ${channelId} with ${name} is open on L1 (${eth(depositA)} from ${name})`);
    return { channelId };
  }

  private accept(body: unknown): unknown {
    const proposal = decode(ProposalSchema, body);
    if (!this.peerOf.has(proposal.channelId))
      throw new ApiError(404, "unknown-channel", `${this.name} has no channel ${proposal.channelId}`);
    const before = this.node.balances(proposal.channelId).mine;
    const acceptance = this.node.accept(proposal);
    const after = this.node.balances(proposal.channelId).mine;
    const peer = this.peerOf.get(proposal.channelId);
    const what =
      proposal.change.kind === "pay" || proposal.change.kind === "redeem-lock"
        ? `received ${eth(after - before)} from ${peer}`
        : `${proposal.change.kind} from ${peer}`;
    this.options.log(`${this.name}: ${what} on channel ${proposal.channelId} (state #${proposal.state.nonce})`);
    return acceptance;
  }

  private async revoked(body: unknown): Promise<unknown> {
    const { channelId, revocation } = decode(RevocationMessageSchema, body);
    this.node.receiveRevocation(channelId, revocation);
    await this.options.tower?.flush();
    return { channelId, nonce: revocation.nonce };
  }

  private invoice(body: unknown): unknown {
    const { amount } = decode(z.object({ amount: Uint }), body);
    if (amount === 0n) throw new ApiError(400, "invalid-input", "amount: an invoice is for more than 0 wei");
    if (this.invoices.size >= MAX_INVOICES) throw new ApiError(429, "too-many-invoices", "no room for more invoices");
    const hashlock = this.node.createInvoice();
    this.invoices.set(hashlock, amount);
    return { hashlock };
  }

  /**
   * A lock on `channelId` to this node under `hashlock`: redeem it (this node is the payee) or forward it along
   * `next`, then redeem it with the preimage the next hop revealed by redeeming from this node.
   */
  private async forward(body: unknown): Promise<unknown> {
    const { channelId, hashlock, next } = decode(
      z.object({ channelId: Uint, hashlock: z.string(), next: z.array(NodeName).max(20) }),
      body,
    );
    const record = this.node.channel(channelId);
    const incoming = record.latest.locks.find((l) => l.hashlock === hashlock && l.sender !== record.side);
    if (!incoming)
      throw new ApiError(404, "unknown-lock", `channel ${channelId} holds no lock to ${this.name} under ${hashlock}`);
    const key = `${channelId}:${hashlock}`;
    if (this.forwarded.has(key)) throw new ApiError(409, "already-forwarded", `lock ${short(hashlock)} was handled`);
    this.forwarded.add(key);
    const from = this.peerOf.get(channelId);
    const log = this.payments;
    log.added("in", { peer: from ?? "?", channelId, hashlock, amount: incoming.amount, expiry: incoming.expiry });
    // Every way out of this handler that gives the incoming lock back says so in the log.
    const cancelIncoming = async (reason: string): Promise<{ status: string; reason: string }> => {
      await this.update(channelId, { kind: "cancel-lock", hashlock });
      log.moved("in", channelId, hashlock, "failed", reason);
      return { status: "refused", reason };
    };

    if (next.length === 0) {
      const preimage = this.node.preimages.get(hashlock);
      const invoiced = this.invoices.get(hashlock);
      if (!preimage || invoiced === undefined)
        return cancelIncoming(`${this.name} issued no invoice ${short(hashlock)}`);
      if (incoming.amount < invoiced)
        return cancelIncoming(`${this.name} wants ${eth(invoiced)}, the lock holds ${eth(incoming.amount)}`);
      await this.update(channelId, { kind: "redeem-lock", hashlock, preimage });
      log.moved("in", channelId, hashlock, "settled");
      this.invoices.delete(hashlock);
      this.options.log(`${this.name}: paid ${eth(incoming.amount)} by ${from} under ${short(hashlock)} (redeemed)`);
      return { status: "paid" };
    }

    const to = next[0];
    let outgoing: bigint;
    try {
      outgoing = this.channelWith(to);
    } catch (error) {
      return cancelIncoming((error as Error).message);
    }
    const expiry = incoming.expiry - this.options.htlcDelta;
    const side: Side = this.node.channel(outgoing).side;
    try {
      if (expiry <= (await this.now()))
        throw new ApiError(409, "expired", `lock would expire at ${expiry}, now passed`);
      await this.update(outgoing, {
        kind: "add-lock",
        lock: { sender: side, amount: incoming.amount, expiry, hashlock },
      });
    } catch (error) {
      return cancelIncoming(`${this.name} could not lock to ${to}: ${(error as Error).message}`);
    }
    log.added("out", { peer: to, channelId: outgoing, hashlock, amount: incoming.amount, expiry });
    log.moved("in", channelId, hashlock, "forwarded");
    this.options.log(`${this.name}: forwarding ${eth(incoming.amount)} from ${from} to ${to} under ${short(hashlock)}`);
    const outcome = await requestJson<{ status: string; reason?: string }>(`${this.peerUrl(to)}/p2p/forward`, {
      body: { channelId: outgoing, hashlock, next: next.slice(1) },
      timeoutMs: 120_000,
    });
    const preimage = this.node.preimages.get(hashlock);
    if (outcome.status === "paid" && preimage) {
      log.moved("out", outgoing, hashlock, "settled");
      await this.update(channelId, { kind: "redeem-lock", hashlock, preimage });
      log.moved("in", channelId, hashlock, "settled");
      this.options.log(`${this.name}: redeemed ${eth(incoming.amount)} from ${from} under ${short(hashlock)}`);
      return { status: "paid" };
    }
    // INVARIANT: the incoming lock is given up only when the lock sent on was given back (no preimage known).
    if (this.node.channel(outgoing).latest.locks.some((l) => l.hashlock === hashlock)) {
      const reason = `${to} answered ${outcome.status} but keeps its lock`;
      log.moved("out", outgoing, hashlock, "stalled", reason);
      return { status: "stalled", reason };
    }
    log.moved("out", outgoing, hashlock, "failed", outcome.reason);
    return cancelIncoming(outcome.reason ?? `${to}: ${outcome.status}`);
  }

  private async acceptClose(body: unknown): Promise<unknown> {
    const offer = decode(CloseOfferSchema, body);
    if (!this.peerOf.has(offer.channelId))
      throw new ApiError(404, "unknown-channel", `${this.name} has no channel ${offer.channelId}`);
    return this.node.acceptCooperativeClose(offer);
  }

  private async closed(body: unknown): Promise<unknown> {
    const { channelId } = decode(z.object({ channelId: Uint }), body);
    const record = this.node.channel(channelId);
    const status = await this.l1.status(channelId);
    if (status === "open") throw new ApiError(409, "still-open", `channel ${channelId} is still open on L1`);
    record.status = status === "none" ? "settled" : "closing";
    this.options.log(`${this.name}: channel ${channelId} with ${this.peerOf.get(channelId)} is ${record.status} on L1`);
    return { channelId, status: record.status };
  }

  // ---------------------------------------------------------------- routes

  routes(): Route[] {
    const guard =
      <T>(handle: (body: unknown) => T | Promise<T>) =>
      async (request: { body: unknown }): Promise<T> => {
        try {
          return await handle(request.body);
        } catch (error) {
          return refusal(error);
        }
      };
    const Amount = z.object({ peer: NodeName, amount: Uint });
    return [
      { method: "GET", path: "/p2p/info", handle: () => this.info() },
      { method: "GET", path: "/p2p/channels", handle: () => this.edges() },
      { method: "POST", path: "/p2p/opened", handle: guard((b) => this.opened(b)) },
      { method: "POST", path: "/p2p/propose", handle: guard((b) => this.accept(b)) },
      { method: "POST", path: "/p2p/revoke", handle: guard((b) => this.revoked(b)) },
      { method: "POST", path: "/p2p/invoice", handle: guard((b) => this.invoice(b)) },
      { method: "POST", path: "/p2p/forward", handle: guard((b) => this.forward(b)) },
      { method: "POST", path: "/p2p/close", handle: guard((b) => this.acceptClose(b)) },
      { method: "POST", path: "/p2p/closed", handle: guard((b) => this.closed(b)) },
      { method: "GET", path: "/control/status", handle: () => this.status() },
      // Read-only: the last locks this node sent and received (the explorer shows payments hop by hop from it).
      { method: "GET", path: "/events", handle: () => ({ node: this.name, locks: this.payments.list() }) },
      {
        method: "POST",
        path: "/control/invoice",
        handle: guard((b) => ({ payee: this.name, ...(this.invoice(b) as { hashlock: string }) })),
      },
      {
        method: "POST",
        path: "/control/open",
        handle: guard((b) => {
          const { peer, amount } = decode(Amount, b);
          return this.open(peer, amount);
        }),
      },
      {
        method: "POST",
        path: "/control/pay",
        handle: guard((b) => {
          const { peer, amount } = decode(Amount, b);
          return this.pay(peer, amount);
        }),
      },
      {
        method: "POST",
        path: "/control/pay-route",
        handle: guard((b) => {
          const { to, amount, route, hashlock } = decode(
            z.object({
              to: NodeName,
              amount: Uint,
              route: z.array(NodeName).min(1).max(20).optional(),
              hashlock: z
                .string()
                .regex(/^0x[0-9a-f]{64}$/, "expected a hashlock as an invoice gives it")
                .optional(),
            }),
            b,
          );
          return this.payRoute(to, amount, route, hashlock);
        }),
      },
      {
        method: "POST",
        path: "/control/close",
        handle: guard((b) => {
          const { peer, mode, state } = decode(
            z.object({
              peer: NodeName,
              mode: z.enum(["cooperative", "unilateral"]).default("cooperative"),
              state: z.enum(["latest", "stale"]).default("latest"),
            }),
            b,
          );
          if (mode === "cooperative" && state === "stale")
            throw new ApiError(400, "invalid-input", "state: a cooperative close signs the newest balances only");
          return this.close(peer, mode, state);
        }),
      },
    ];
  }
}
