/**
 * The channels system's scenario driver: every channel step of FORMAT.md v1
 * on a real chain. Each person gets a ChannelNode signing with their L2 key
 * and sending L1 transactions from their L1 account; watchtowers follow L1
 * events after every step that touched L1, and before time passes in `wait`.
 */
import { ZeroHash, type TransactionReceipt } from "ethers";
import { ethToWei, weiToEth } from "../scenario/eth";
import {
  ExpectationError,
  StepRefusedError,
  type Person,
  type ScenarioContext,
  type Step,
  type StepResult,
  type SystemDriver,
  type SystemModule,
} from "../scenario/types";
import { deployChannels, type DeployedChannels } from "../../scripts/deploy-channels";
import { ChannelRefusal } from "./errors";
import { ChannelsL1, type L1Status } from "./l1";
import { lockProof } from "./locks";
import { ChannelNetwork } from "./network";
import { ChannelNode } from "./node";
import { cancelUpstream, payDirect, payRoute, type Hop } from "./payments";
import { findRoute } from "./routing";
import { hashState } from "./state";
import type { ChannelState, Lock, Parties, SignedState } from "./types";
import { Watchtower } from "./watchtower";

/** A lock of a settled channel that is neither redeemable nor expired yet. */
interface PendingLock {
  channelId: bigint;
  parties: Parties;
  locks: Lock[];
  index: number;
}

/** Seconds of slack before a lock's expiry within which the driver no longer counts on redeeming it in time. */
const SAFETY_MARGIN = 30;

const STATUS_NAMES: Record<L1Status, string> = {
  none: "settled",
  open: "open",
  closing: "closing",
  unlocking: "settled",
};

export class ChannelsDriver implements SystemDriver {
  private deployed!: DeployedChannels;
  private l1!: ChannelsL1;
  private readonly network = new ChannelNetwork();
  private readonly towers = new Map<string, Watchtower>();
  private readonly pendingLocks: PendingLock[] = [];
  private now = 0;
  private currentStep: Step | null = null;

  constructor(private readonly ctx: ScenarioContext) {}

  async deploy(): Promise<Record<string, string>> {
    const { disputePeriod, htlcDelta } = this.ctx.scenario.params;
    this.deployed = await deployChannels(this.ctx.hre, { disputePeriod, htlcDelta });
    this.l1 = new ChannelsL1(this.deployed.contract);
    return { PaymentChannels: this.deployed.address };
  }

  async run(step: Step, index: number): Promise<StepResult> {
    this.currentStep = step;
    await this.refreshClock();
    const receipts: TransactionReceipt[] = [];
    let outcome: string;
    try {
      outcome = await this.dispatch(step, receipts);
    } catch (e) {
      if (e instanceof ChannelRefusal) throw new StepRefusedError(`step ${index} (${step.do}): ${e.message}`);
      throw e;
    }
    if (receipts.length > 0 && step.do !== "wait") {
      const tower = await this.syncTowers();
      receipts.push(...tower.receipts);
      if (tower.lines.length > 0) outcome += `; ${tower.lines.join("; ")}`;
    }
    return { outcome, receipts };
  }

  // ---------------------------------------------------------------- steps

  private async dispatch(step: Step, receipts: TransactionReceipt[]): Promise<string> {
    switch (step.do) {
      case "open":
        return this.open(step.a as string, step.b as string, step.deposit as Record<string, string>, receipts);
      case "pay":
        return this.pay(step, receipts);
      case "close":
        // A `state` implies a unilateral close unless the step says `"unilateral": false` (then it is refused below).
        return step.unilateral === true || (step.unilateral === undefined && step.state !== undefined)
          ? this.closeUnilaterally(step.by as string, step.with as string, (step.state as string) ?? "latest", receipts)
          : this.closeCooperatively(step.by as string, step.with as string, receipts);
      case "dispute":
        return this.dispute(step.by as string, step.with as string, receipts);
      case "watchtower":
        return this.hireTower(step.for as string, step.by as string);
      case "settle":
        return this.settle(step.a as string, step.b as string, receipts);
      case "wait":
        return this.wait(step.seconds as number, receipts);
      case "expect":
        return this.expect(step);
      default:
        throw new StepRefusedError(`the channels system has no "${step.do}" step`);
    }
  }

  private async open(
    a: string,
    b: string,
    deposit: Record<string, string>,
    receipts: TransactionReceipt[],
  ): Promise<string> {
    const [pa, pb] = [this.ctx.person(a), this.ctx.person(b)];
    const [na, nb] = [this.node(a), this.node(b)];
    const depositA = ethToWei(deposit[a] ?? "0");
    const depositB = ethToWei(deposit[b] ?? "0");
    const parties: Parties = {
      accountA: pa.l1Address,
      accountB: pb.l1Address,
      signerA: na.address,
      signerB: nb.address,
    };
    const { channelId, receipt } = await this.l1.open(pa.l1, parties, depositA);
    receipts.push(receipt);
    na.addChannel(channelId, parties, depositA);
    nb.addChannel(channelId, parties, depositA);
    this.network.link(channelId, a, b);
    if (depositB > 0n) {
      receipts.push(await this.l1.deposit(pb.l1, channelId, parties, depositB));
      na.recordDeposit(channelId, 1, depositB);
      nb.recordDeposit(channelId, 1, depositB);
    }
    this.feedTowers();
    return `channel #${channelId} opened: ${a} ${weiToEth(depositA)} ETH, ${b} ${weiToEth(depositB)} ETH`;
  }

  private async pay(step: Step, receipts: TransactionReceipt[]): Promise<string> {
    const [from, to] = [step.from as string, step.to as string];
    const amount = ethToWei(step.amount as string);
    let route = step.route as string[] | undefined;
    if (!route) {
      if (this.network.hasChannel(from, to)) {
        const signed = payDirect(this.network, from, to, amount);
        return `${from} paid ${to} ${weiToEth(amount)} ETH off-chain (state #${signed.state.nonce})`;
      }
      route = findRoute(this.network.edges(), from, to, amount);
      this.ctx.log(`no direct channel: routing over ${route.join(" → ")}`);
    }
    const result = payRoute(this.network, route, amount, {
      htlcDelta: this.deployed.params.htlcDelta,
      now: this.now,
      decline: step.decline as string | undefined,
      stall: step.stall as string | undefined,
    });
    const path = route.join(" → ");
    switch (result.status) {
      case "paid": {
        const expiries = result.hops.map((h) => `${h.sender}→${h.receiver} +${h.lock.expiry - this.now}s`).join(", ");
        this.ctx.log(`locks under ${result.hashlock.slice(0, 10)}…: ${expiries}`);
        return `${from} paid ${to} ${weiToEth(amount)} ETH over ${path}; every lock redeemed off-chain`;
      }
      case "refused":
        if (result.declined)
          return `${result.by} declined: every lock on ${path} was cancelled off-chain, no balance changed`;
        throw new StepRefusedError(`payment over ${path} refused by ${result.by}: ${result.reason}`);
      case "stalled":
        return this.recoverFromStall(result.by, result.hops, receipts);
    }
  }

  /**
   * The node upstream of the staller closes their channel with the newest
   * state (holding its lock), waits out the dispute period and the lock's
   * expiry, settles, takes the lock back, then cancels the locks upstream.
   */
  private async recoverFromStall(staller: string, hops: Hop[], receipts: TransactionReceipt[]): Promise<string> {
    const hop = hops[hops.length - 1];
    const upstream = hop.sender;
    const node = this.node(upstream);
    const record = node.channel(hop.channelId);
    this.ctx.log(`${staller} took its lock and went silent; ${upstream} closes channel #${hop.channelId} on L1`);
    receipts.push(await this.l1.close(this.person(upstream).l1, hop.channelId, record.parties, record.latest));
    this.markChannel(hop.channelId, "closing");
    const wait = Math.max(this.deployed.params.disputePeriod, hop.lock.expiry - this.now) + 1;
    this.ctx.log(`waiting ${wait}s for the dispute period and the lock's expiry`);
    await this.ctx.advanceTime(wait);
    await this.refreshClock();
    const info = await this.l1.closingInfo(hop.channelId);
    receipts.push(...(await this.settleChannel(upstream, hop.channelId, info.state)).receipts);
    cancelUpstream(this.network, hops, hops.length - 2);
    return (
      `${staller} stalled: ${upstream} closed channel #${hop.channelId}, settled and took its lock back on L1` +
      (hops.length > 1 ? `; the ${hops.length - 1} lock(s) upstream were cancelled off-chain` : "")
    );
  }

  private async closeCooperatively(by: string, other: string, receipts: TransactionReceipt[]): Promise<string> {
    if (this.currentStep?.state !== undefined) {
      throw new StepRefusedError(`close: "state" applies to a unilateral close only (add "unilateral": true)`);
    }
    const channelId = this.network.channelBetween(by, other);
    const mine = this.node(by).offerCooperativeClose(channelId);
    const theirs = this.node(other).acceptCooperativeClose(mine);
    const record = this.node(by).channel(channelId);
    const [sigA, sigB] = record.side === 0 ? [mine.signature, theirs.signature] : [theirs.signature, mine.signature];
    receipts.push(
      await this.l1.cooperativeClose(
        this.person(by).l1,
        channelId,
        record.parties,
        mine.balanceA,
        mine.balanceB,
        sigA,
        sigB,
      ),
    );
    this.markChannel(channelId, "settled");
    const [a, b] = this.network.endsOf(channelId);
    return `channel #${channelId} closed cooperatively: ${a} ${weiToEth(mine.balanceA)} ETH, ${b} ${weiToEth(mine.balanceB)} ETH paid at once`;
  }

  private async closeUnilaterally(
    by: string,
    other: string,
    which: string,
    receipts: TransactionReceipt[],
  ): Promise<string> {
    if (which !== "latest" && which !== "stale") throw new StepRefusedError(`close: unknown state "${which}"`);
    const channelId = this.network.channelBetween(by, other);
    const node = this.node(by);
    const record = node.channel(channelId);
    const signed = node.closingState(channelId, which);
    receipts.push(await this.l1.close(this.person(by).l1, channelId, record.parties, signed));
    this.markChannel(channelId, "closing");
    receipts.push(...(await this.revealOwedSecrets(channelId, signed)));
    return `${by} closed channel #${channelId} alone on ${which === "stale" ? "an old" : "its newest"} state #${signed.state.nonce}; dispute period ${this.deployed.params.disputePeriod}s`;
  }

  private async dispute(by: string, other: string, receipts: TransactionReceipt[]): Promise<string> {
    const channelId = this.network.channelBetween(by, other);
    const record = this.node(by).channel(channelId);
    let closing: ChannelState;
    try {
      closing = (await this.l1.closingInfo(channelId)).state;
    } catch (e) {
      throw new StepRefusedError(`dispute: ${(e as Error).message}`);
    }
    const revocation =
      record.theirRevocation && record.theirRevocation.nonce >= closing.nonce ? record.theirRevocation : null;
    const receipt = await this.l1.dispute(
      this.person(by).l1,
      channelId,
      record.parties,
      closing,
      record.latest,
      revocation,
    );
    receipts.push(receipt);
    const penalized = receipt.logs.some((log) => this.l1.contract.interface.parseLog(log)?.name === "ChannelPenalized");
    if (penalized) {
      this.markChannel(channelId, "settled");
      return `${by} proved ${other}'s close on state #${closing.nonce} stale with #${record.latest.state.nonce} and ${other}'s revocation: ${other} forfeits the channel`;
    }
    return `${by} replaced the closing state #${closing.nonce} with #${record.latest.state.nonce}`;
  }

  private hireTower(client: string, towerName: string): string {
    let tower = this.towers.get(towerName);
    if (!tower) {
      tower = new Watchtower(towerName, this.l1, this.person(towerName).l1);
      this.towers.set(towerName, tower);
    }
    const node = this.node(client);
    if (!node.watchers.includes(tower)) node.watchers.push(tower);
    this.feedTowers();
    return `${towerName} now watches ${client}'s ${node.channels.size} channel(s) and answers stale closes`;
  }

  private async settle(a: string, b: string, receipts: TransactionReceipt[]): Promise<string> {
    const channelId = this.network.channelBetween(a, b);
    const record = this.node(a).channel(channelId);
    let closing: ChannelState;
    try {
      closing = (await this.l1.closingInfo(channelId)).state;
    } catch (e) {
      throw new StepRefusedError(`settle: ${(e as Error).message}`);
    }
    const { receipts: sent, pending } = await this.settleChannel(a, channelId, closing);
    receipts.push(...sent);
    const locks = this.locksOf(channelId, closing);
    return (
      `channel #${channelId} settled on state #${closing.nonce}` +
      (locks.length > 0 ? `; ${locks.length - pending} lock(s) decided on L1, ${pending} waiting for expiry` : "")
    );
  }

  /**
   * Settles a closed channel from `by`'s account. When every pending lock can
   * be decided now (preimage known in time, or expired) it settles them in the
   * same transaction; otherwise it settles and leaves the undecided ones for
   * later (redeemed or refunded one by one on a later step).
   */
  private async settleChannel(
    by: string,
    channelId: bigint,
    closing: ChannelState,
  ): Promise<{ receipts: TransactionReceipt[]; pending: number }> {
    const record = this.node(by).channel(channelId);
    const locks = this.locksOf(channelId, closing);
    const ends = this.network.endsOf(channelId);
    const decisions = await Promise.all(
      locks.map(async (lock) => {
        const preimage = this.node(ends[1 - lock.sender]).preimages.get(lock.hashlock);
        const revealedAt = Number(await this.l1.contract.secretRevealedAt(lock.hashlock));
        if (preimage && this.now + SAFETY_MARGIN < lock.expiry) return preimage;
        if (revealedAt !== 0 && revealedAt <= lock.expiry) return ZeroHash;
        return this.now >= lock.expiry ? ZeroHash : null;
      }),
    );
    const receipts: TransactionReceipt[] = [];
    if (locks.length > 0 && decisions.every((d) => d !== null)) {
      receipts.push(
        await this.l1.settleWithLocks(
          this.person(by).l1,
          channelId,
          record.parties,
          closing,
          locks,
          decisions as string[],
        ),
      );
      this.markChannel(channelId, "settled");
      return { receipts, pending: 0 };
    }
    receipts.push(await this.l1.settle(this.person(by).l1, channelId, record.parties, closing));
    this.markChannel(channelId, "settled");
    locks.forEach((_, index) => this.pendingLocks.push({ channelId, parties: record.parties, locks, index }));
    receipts.push(...(await this.resolvePendingLocks()));
    return { receipts, pending: this.pendingLocks.filter((p) => p.channelId === channelId).length };
  }

  private async wait(seconds: number, receipts: TransactionReceipt[]): Promise<string> {
    const tower = await this.syncTowers();
    receipts.push(...tower.receipts);
    await this.ctx.advanceTime(seconds);
    await this.refreshClock();
    receipts.push(...(await this.resolvePendingLocks()));
    return [`${seconds}s passed`, ...tower.lines].join("; ");
  }

  private async expect(step: Step): Promise<string> {
    const checked: string[] = [];
    const channel = step.channel as
      { between: [string, string]; status?: string; balances?: Record<string, string> } | undefined;
    if (channel) {
      const channelId = this.channelFor(channel.between);
      if (channel.status !== undefined) {
        const status = STATUS_NAMES[await this.l1.status(channelId)];
        if (status !== channel.status) {
          throw new ExpectationError(
            `channel #${channelId} (${channel.between.join("-")}) is ${status}, expected ${channel.status}`,
          );
        }
      }
      if (channel.balances) {
        const { state } = this.node(channel.between[0]).channel(channelId).latest;
        const [a] = this.network.endsOf(channelId);
        for (const [name, expected] of Object.entries(channel.balances)) {
          const actual = name === a ? state.balanceA : state.balanceB;
          if (actual !== ethToWei(expected)) {
            throw new ExpectationError(
              `channel #${channelId}: ${name}'s balance in state #${state.nonce} is ${weiToEth(actual)} ETH, expected ${expected}`,
            );
          }
        }
      }
      checked.push(`channel ${channel.between.join("-")} as expected`);
    }
    const onchain = step.onchain as { between: [string, string]; payout?: Record<string, string> } | undefined;
    if (onchain) {
      const channelId = this.channelFor(onchain.between);
      const [a] = this.network.endsOf(channelId);
      const record = this.node(a).channel(channelId);
      const paid = await this.l1.payouts(channelId, record.parties);
      for (const [name, expected] of Object.entries(onchain.payout ?? {})) {
        const actual = name === a ? paid.a : paid.b;
        if (actual !== ethToWei(expected)) {
          throw new ExpectationError(
            `channel #${channelId}: L1 paid ${name} ${weiToEth(actual)} ETH, expected ${expected}`,
          );
        }
      }
      checked.push(`L1 payouts of ${onchain.between.join("-")} as expected`);
    }
    for (const key of Object.keys(step)) {
      if (!["do", "note", "expectRevert", "channel", "onchain"].includes(key)) {
        throw new ExpectationError(`expect.${key} does not apply to channels (use "channel" or "onchain")`);
      }
    }
    return checked.join("; ") || "nothing to check";
  }

  // ---------------------------------------------------------------- helpers

  private person(name: string): Person {
    return this.ctx.person(name);
  }

  private node(name: string): ChannelNode {
    if (this.network.nodes.has(name)) return this.network.node(name);
    const person = this.person(name);
    const node = new ChannelNode(name, person.l2.privateKey, person.l1Address, this.deployed.domain, () => this.now);
    return this.network.add(node);
  }

  private channelFor([x, y]: [string, string]): bigint {
    if (!this.network.hasChannel(x, y)) throw new ExpectationError(`no channel between ${x} and ${y} was opened`);
    return this.network.channelBetween(x, y);
  }

  private markChannel(channelId: bigint, status: "closing" | "settled"): void {
    for (const name of this.network.endsOf(channelId)) this.node(name).channel(channelId).status = status;
  }

  private async refreshClock(): Promise<void> {
    const block = await this.ctx.hre.ethers.provider.getBlock("latest");
    this.now = block ? block.timestamp : Math.floor(Date.now() / 1000);
  }

  /** Hands every watched client's channels to its towers again (a channel opened after the hiring). */
  private feedTowers(): void {
    for (const node of this.network.nodes.values()) {
      for (const watcher of node.watchers) {
        for (const record of node.channels.values()) {
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
  }

  private async syncTowers(): Promise<{ receipts: TransactionReceipt[]; lines: string[] }> {
    const receipts: TransactionReceipt[] = [];
    const lines: string[] = [];
    for (const tower of this.towers.values()) {
      for (const action of await tower.sync()) {
        receipts.push(action.receipt);
        lines.push(action.outcome);
        this.ctx.log(action.outcome);
        if ((await this.l1.status(action.channelId)) === "none") this.markChannel(action.channelId, "settled");
      }
    }
    return { receipts, lines };
  }

  /** The locks behind a closing state's root, from either end's records. */
  private locksOf(channelId: bigint, closing: ChannelState): Lock[] {
    const target = hashState(closing);
    for (const name of this.network.endsOf(channelId)) {
      const record = this.node(name).channel(channelId);
      for (const signed of [record.latest, record.earliest]) {
        if (signed && hashState(signed.state) === target) return signed.locks;
      }
    }
    if (closing.locksRoot !== ZeroHash) {
      this.ctx.log(`channel #${channelId}: the locks of state #${closing.nonce} are unknown to both ends`);
    }
    return [];
  }

  /** After a unilateral close, each lock receiver that knows the preimage shows it on L1 before the expiry. */
  private async revealOwedSecrets(channelId: bigint, signed: SignedState): Promise<TransactionReceipt[]> {
    const receipts: TransactionReceipt[] = [];
    const ends = this.network.endsOf(channelId);
    for (const lock of signed.locks) {
      const receiver = ends[1 - lock.sender];
      const preimage = this.node(receiver).preimages.get(lock.hashlock);
      if (!preimage || lock.expiry <= this.now) continue;
      if ((await this.l1.contract.secretRevealedAt(lock.hashlock)) !== 0n) continue;
      receipts.push(await this.l1.revealSecret(this.person(receiver).l1, preimage));
      this.ctx.log(`${receiver} revealed the preimage of lock ${lock.hashlock.slice(0, 10)}… on L1`);
    }
    return receipts;
  }

  /** Redeems every settled lock whose receiver knows the preimage in time; refunds every expired one. */
  private async resolvePendingLocks(): Promise<TransactionReceipt[]> {
    const receipts: TransactionReceipt[] = [];
    for (const pending of [...this.pendingLocks]) {
      const { channelId, parties, locks, index } = pending;
      const lock = locks[index];
      const removed = await this.decidedLocks(channelId, locks);
      if (removed.has(index)) {
        this.pendingLocks.splice(this.pendingLocks.indexOf(pending), 1);
        continue;
      }
      const ends = this.network.endsOf(channelId);
      const [sender, receiver] = [ends[lock.sender], ends[1 - lock.sender]];
      const preimage = this.node(receiver).preimages.get(lock.hashlock);
      const revealedAt = Number(await this.l1.contract.secretRevealedAt(lock.hashlock));
      const proof = lockProof(locks, index, removed);
      if (preimage && (this.now + SAFETY_MARGIN < lock.expiry || (revealedAt !== 0 && revealedAt <= lock.expiry))) {
        receipts.push(await this.l1.redeemLock(this.person(receiver).l1, channelId, parties, lock, proof, preimage));
        this.ctx.log(`${receiver} redeemed a ${weiToEth(lock.amount)} ETH lock on L1 with its preimage`);
      } else if (this.now >= lock.expiry) {
        receipts.push(await this.l1.refundLock(this.person(sender).l1, channelId, parties, lock, proof));
        this.ctx.log(`${sender} took back an expired ${weiToEth(lock.amount)} ETH lock on L1`);
      } else {
        continue;
      }
      this.pendingLocks.splice(this.pendingLocks.indexOf(pending), 1);
    }
    return receipts;
  }

  /** Indices of `locks` already redeemed or refunded on L1 (by anyone): holes in the lock tree. */
  private async decidedLocks(channelId: bigint, locks: Lock[]): Promise<Set<number>> {
    const c = this.l1.contract;
    const decided = new Set<string>();
    for (const e of await c.queryFilter(c.filters.LockRedeemed(channelId))) decided.add(e.args.hashlock);
    for (const e of await c.queryFilter(c.filters.LockRefunded(channelId))) decided.add(e.args.hashlock);
    return new Set(locks.flatMap((lock, i) => (decided.has(lock.hashlock) ? [i] : [])));
  }
}

export const scenarioModule: SystemModule = {
  system: "channels",
  async create(ctx: ScenarioContext): Promise<SystemDriver> {
    return new ChannelsDriver(ctx);
  },
};
