/**
 * The channels system's scenario driver: every channel step of FORMAT.md v1
 * on a real chain. Each person gets a ChannelNode signing with their L2 key
 * and sending L1 transactions from their L1 account; watchtowers follow L1
 * events after every step that touched L1, and before time passes in `wait`.
 */
import { ZeroHash, type ContractTransactionResponse, type TransactionReceipt } from "ethers";
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
import { copyFirstPending, describeMined, raceInOneBlock, RACE_GAS_LIMIT } from "./mempool";
import { ChannelNode, ZERO_PREIMAGE_HASHLOCK } from "./node";
import { payDirect, payRoute, resolveUpstream, type Hop } from "./payments";
import { findRoute } from "./routing";
import { DigestSigner } from "./crypto";
import { domainSeparator, hashCooperativeClose, hashState, typedDigest } from "./state";
import { applyChange, type Change } from "./transitions";
import type { ChannelState, Lock, Parties, Revocation, Side, SignedState } from "./types";
import { Watchtower } from "./watchtower";

/** A lock of a settled channel that is neither redeemable nor expired yet. */
interface PendingLock {
  channelId: bigint;
  parties: Parties;
  locks: Lock[];
  index: number;
}

/** An attack that waits for the step it names (FORMAT.md, armed kinds). */
interface ArmedAttack {
  kind: string;
  by: string;
  with: string;
  channelId: bigint;
  /** dodge-penalty: the newest state both signed, which the attacker slips in ahead of the penalty. */
  newest?: SignedState;
}

const NO_REVOCATION = { nonce: 0n, signature: "0x" };

const ETH = 10n ** 18n;

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
  private readonly armed: ArmedAttack[] = [];

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
      case "attack":
        return this.attack(step, receipts);
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
      case "stalled": {
        const armed = this.takeArmed("late-reveal", () => true);
        if (armed && armed.by !== result.by) this.ctx.log(`the staller is ${result.by}, not the attacker ${armed.by}`);
        return this.recoverFromStall(result.by, result.hops, receipts, armed);
      }
    }
  }

  /**
   * The node upstream of the staller closes their channel with the newest
   * state (holding its lock) and waits out the dispute period and the lock's
   * expiry, watching L1 for the preimage: if the staller shows it there, every
   * router upstream learns it and redeems its own incoming lock at once;
   * otherwise, once the settle gave the lock back, they cancel theirs.
   */
  private async recoverFromStall(
    staller: string,
    hops: Hop[],
    receipts: TransactionReceipt[],
    lateReveal: ArmedAttack | null,
  ): Promise<string> {
    const hop = hops[hops.length - 1];
    const upstream = hop.sender;
    const node = this.node(upstream);
    const record = node.channel(hop.channelId);
    this.ctx.log(`${staller} took its lock and went silent; ${upstream} closes channel #${hop.channelId} on L1`);
    receipts.push(await this.l1.close(this.person(upstream).l1, hop.channelId, record.parties, record.latest));
    this.markChannel(hop.channelId, "closing");
    const settleAt = this.now + this.deployed.params.disputePeriod;
    let resolved: ("redeemed" | "cancelled" | "kept")[] | null = null;
    if (lateReveal) {
      // The staller waits until a minute before its lock expires, then shows the preimage on L1 itself.
      const revealAt = hop.lock.expiry - 60;
      if (revealAt > this.now) await this.ctx.advanceTime(revealAt - this.now);
      await this.refreshClock();
      const preimage = this.node(staller).preimages.get(hop.lock.hashlock);
      if (!preimage) throw new StepRefusedError(`attack late-reveal: ${staller} does not know the preimage`);
      try {
        const c = this.l1.contract.connect(this.person(staller).l1);
        const receipt = (await (await c.revealSecret(preimage)).wait())!;
        receipts.push(receipt);
        this.ctx.log(
          `attacker ${staller} revealed the preimage on L1 ${hop.lock.expiry - this.now}s before its lock's expiry (L1 accepted it)`,
        );
      } catch (e) {
        this.ctx.log(`attacker ${staller} tried to reveal the preimage on L1: refused (${(e as Error).message})`);
      }
      await this.learnFromL1();
      if (hops.length > 1 && node.preimages.has(hop.lock.hashlock)) {
        resolved = resolveUpstream(this.network, hops, hops.length - 2);
        const own = resolved[resolved.length - 1];
        this.ctx.log(
          `${upstream} learnt the preimage from L1; its incoming lock: ` +
            (own === "redeemed"
              ? "redeemed off-chain at once"
              : own === "kept"
                ? "kept pending (its sender refused the redeem)"
                : "cancelled"),
        );
      }
    }
    const wait = Math.max(settleAt, hop.lock.expiry) + 1 - this.now;
    this.ctx.log(`waiting ${wait}s for the dispute period and the lock's expiry`);
    await this.ctx.advanceTime(wait);
    await this.refreshClock();
    const info = await this.l1.closingInfo(hop.channelId);
    const settled = await this.settleChannel(upstream, hop.channelId, info.state);
    receipts.push(...settled.receipts);
    // What L1 did with the staller's lock, from the events.
    const c = this.l1.contract;
    const toStaller = (await c.queryFilter(c.filters.LockRedeemed(hop.channelId, hop.lock.hashlock))).length > 0;
    const back = (await c.queryFilter(c.filters.LockRefunded(hop.channelId, hop.lock.hashlock))).length > 0;
    await this.learnFromL1();
    if (!resolved && hops.length > 1) resolved = resolveUpstream(this.network, hops, hops.length - 2);
    const lockLine = toStaller
      ? `L1 paid the lock to ${staller}, who had shown the preimage in time`
      : back
        ? `L1 gave ${upstream} its lock back`
        : `the lock is still undecided on L1`;
    const upstreamLine =
      resolved && resolved.length > 0
        ? `; upstream, ${resolved.filter((r) => r === "redeemed").length} lock(s) redeemed and ` +
          `${resolved.filter((r) => r === "cancelled").length} cancelled off-chain` +
          (resolved.includes("kept")
            ? `, ${resolved.filter((r) => r === "kept").length} kept pending (its sender refused the redeem)`
            : "")
        : "";
    return `${staller} stalled: ${upstream} closed channel #${hop.channelId} and settled it; ${lockLine}${upstreamLine}`;
  }

  /** Every node takes the preimages shown on L1 (revealSecret, redeems) for the locks it knows of. */
  private async learnFromL1(): Promise<void> {
    const revealed = await this.l1.revealedPreimages();
    for (const node of this.network.nodes.values()) {
      for (const [hashlock, preimage] of revealed) node.learnPreimage(hashlock, preimage);
    }
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
    let closedNonce: bigint;
    try {
      ({ state: closing, closedNonce } = await this.l1.closingInfo(channelId));
    } catch (e) {
      throw new StepRefusedError(`dispute: ${(e as Error).message}`);
    }
    // The revocation must cover the nonce the closer closed with (L1 keeps it even if a dispute replaced the state).
    const revocation =
      record.theirRevocation && record.theirRevocation.nonce >= closedNonce ? record.theirRevocation : null;
    const armed = this.takeArmed("dodge-penalty", (a) => a.by === other && a.with === by && a.channelId === channelId);
    // The honest dispute: the disputer's newest state against the closing one, with the closer's revocation if it covers it.
    const honest = [this.person(by).l1, channelId, record.parties, closing, record.latest, revocation] as const;
    let receipt: TransactionReceipt;
    if (armed) {
      const provider = this.ctx.hre.ethers.provider;
      const iface = this.l1.contract.interface;
      const s = armed.newest!;
      const raced = await raceInOneBlock(
        provider,
        (overrides) => this.l1.sendDispute(...honest, overrides),
        (overrides) =>
          this.l1.contract
            .connect(this.person(other).l1)
            .dispute(channelId, record.parties, closing, s.state, s.signatureA, s.signatureB, NO_REVOCATION, overrides),
      );
      const what = `${other} (attacker) slips in an update to state #${s.state.nonce}`;
      if ("notSent" in raced.attacker) {
        this.ctx.log(`attacker: ${what}: not sent (${raced.attacker.notSent})`);
      } else {
        receipts.push(raced.attacker);
        this.ctx.log(`attacker: ${what}: ${await describeMined(provider, iface, raced.attacker)}`);
      }
      const victim = raced.victim;
      receipts.push(victim);
      this.ctx.log(`${by}'s dispute: ${await describeMined(provider, iface, victim)}`);
      if (victim.status !== 1) {
        if ((await this.l1.status(channelId)) !== "closing" && (await this.penalized(channelId))) {
          return `${other}'s close was already penalised; ${by}'s own dispute was not needed`;
        }
        throw new StepRefusedError(`dispute: ${by}'s dispute reverted on L1 after ${other}'s transaction`);
      }
      receipt = victim;
    } else {
      receipt = await this.l1.dispute(...honest);
      receipts.push(receipt);
    }
    const penalty = this.penaltyIn(receipt);
    if (penalty) {
      this.markChannel(channelId, "settled");
      return `${by} proved ${other}'s close on state #${penalty.staleNonce} stale with ${other}'s revocation of #${penalty.revokedUpTo}: L1 paid ${by} the whole channel, ${weiToEth(penalty.amount)} ETH`;
    }
    return `${by} replaced the closing state #${closing.nonce} with #${record.latest.state.nonce}`;
  }

  /** The ChannelPenalized event of a receipt, if any. */
  private penaltyIn(receipt: TransactionReceipt): { staleNonce: bigint; revokedUpTo: bigint; amount: bigint } | null {
    for (const log of receipt.logs) {
      const parsed = this.l1.contract.interface.parseLog(log);
      if (parsed?.name === "ChannelPenalized") {
        return { staleNonce: parsed.args.staleNonce, revokedUpTo: parsed.args.revokedUpTo, amount: parsed.args.amount };
      }
    }
    return null;
  }

  private async penalized(channelId: bigint): Promise<boolean> {
    const c = this.l1.contract;
    return (await c.queryFilter(c.filters.ChannelPenalized(channelId))).length > 0;
  }

  private takeArmed(kind: string, match: (a: ArmedAttack) => boolean): ArmedAttack | null {
    const index = this.armed.findIndex((a) => a.kind === kind && match(a));
    if (index < 0) return null;
    return this.armed.splice(index, 1)[0];
  }

  // ---------------------------------------------------------------- attacks (FORMAT.md v1.1)

  /**
   * An attack step: `by` turns hostile. Its L1 transactions go from its own
   * account straight to the contract's ABI and its messages straight to the
   * victim's node; the honest node code never decides for it.
   */
  private async attack(step: Step, receipts: TransactionReceipt[]): Promise<string> {
    const kind = step.kind as string;
    const by = step.by as string;
    switch (kind) {
      case "dodge-penalty":
        return this.attackDodgePenalty(by, step.with as string, receipts);
      case "old-cooperative-close":
        return this.attackOldCooperativeClose(by, step.with as string, ethToWei(step.amount as string), receipts);
      case "late-reveal": {
        const route = step.route as string[];
        this.armed.push({ kind: "late-reveal", by, with: route[0], channelId: 0n });
        return `armed: at the next payment over ${route.join(" → ")} that ${by} stalls, ${by} reveals the preimage on L1 just before its lock expires`;
      }
      case "withhold-revocation":
        return this.attackWithholdRevocation(by, step.with as string, receipts);
      case "frozen-lock":
        return this.attackFrozenLock(by, step.with as string, receipts);
      case "tower-overload":
        return this.attackTowerOverload(by, step.with as string, step.channels as number, receipts);
      default:
        throw new StepRefusedError(`attack "${kind}" is not implemented for channels`);
    }
  }

  /** `by` closes on a state it revoked, and arms an update to the newest state for the victim's `dispute`. */
  private async attackDodgePenalty(by: string, victim: string, receipts: TransactionReceipt[]): Promise<string> {
    const channelId = this.network.channelBetween(by, victim);
    const mine = this.node(by).channel(channelId);
    const held = this.node(victim).channel(channelId).theirRevocation;
    // The oldest co-signed state `by` holds, which it has revoked (the victim holds its revocation).
    const stale = mine.earliest;
    if (!stale || !held || held.nonce < stale.state.nonce) {
      throw new StepRefusedError(`attack dodge-penalty: ${by} has revoked no state of channel #${channelId} yet`);
    }
    const c = this.l1.contract.connect(this.person(by).l1);
    const receipt = await (
      await c.close(channelId, mine.parties, stale.state, stale.signatureA, stale.signatureB)
    ).wait();
    if (!receipt) throw new StepRefusedError("attack dodge-penalty: the close was not mined");
    receipts.push(receipt);
    this.markChannel(channelId, "closing");
    this.armed.push({ kind: "dodge-penalty", by, with: victim, channelId, newest: mine.latest });
    return (
      `attacker ${by} closed channel #${channelId} on state #${stale.state.nonce}, which it revoked ` +
      `(L1 accepted the close); armed: at ${victim}'s dispute it gets state #${mine.latest.state.nonce} mined first`
    );
  }

  /**
   * `by` opens `count` channels with `victim` (1 ETH each from `by`), pays
   * 0.1 ETH twice in each (so it revoked its state #1), closes them all on
   * state #1 in one block, then watches the mempool and copies the first
   * transaction the victim's towers send, with a higher tip.
   */
  private async attackTowerOverload(
    by: string,
    victim: string,
    count: number,
    receipts: TransactionReceipt[],
  ): Promise<string> {
    if (this.towers.size === 0) throw new StepRefusedError(`attack tower-overload: no watchtower was hired`);
    const tenth = ETH / 10n;
    const opened: { channelId: bigint; revoked: SignedState }[] = [];
    for (let i = 0; i < count; i++) {
      this.ctx.log(await this.open(by, victim, { [by]: "1" }, receipts));
      const channelId = this.network.channelBetween(by, victim);
      const side = this.node(by).channel(channelId).side;
      const revoked = this.network.update(by, channelId, { kind: "pay", from: side, amount: tenth });
      this.network.update(by, channelId, { kind: "pay", from: side, amount: tenth });
      opened.push({ channelId, revoked });
    }
    this.feedTowers();
    const sync = await this.syncTowers();
    receipts.push(...sync.receipts);

    const provider = this.ctx.hre.ethers.provider;
    const attacker = this.person(by).l1;
    const c = this.l1.contract.connect(attacker);
    await provider.send("evm_setAutomine", [false]);
    const closes: ContractTransactionResponse[] = [];
    try {
      for (const { channelId, revoked: s } of opened) {
        const parties = this.node(by).channel(channelId).parties;
        closes.push(
          await c.close(channelId, parties, s.state, s.signatureA, s.signatureB, { gasLimit: RACE_GAS_LIMIT }),
        );
      }
      await provider.send("evm_mine", []);
      for (const tx of closes) {
        const receipt = await provider.getTransactionReceipt(tx.hash);
        if (!receipt || receipt.status !== 1) throw new StepRefusedError(`attack tower-overload: a close reverted`);
        receipts.push(receipt);
      }
      for (const { channelId } of opened) this.markChannel(channelId, "closing");
      this.ctx.log(
        `attacker ${by} closed ${count} channel(s) with ${victim} on revoked states #1, all in block ${
          (await provider.getTransactionReceipt(closes[0].hash))!.blockNumber
        } (L1 accepted them)`,
      );

      // The towers answer; the attacker copies the first transaction it sees in the mempool.
      const { copied, result } = await copyFirstPending(provider, attacker, () => this.syncTowers());
      if (copied) {
        receipts.push(copied.receipt);
        this.ctx.log(
          `attacker: copied the tower's first transaction (${copied.of.slice(0, 10)}…) with a higher tip: ` +
            (await describeMined(provider, this.l1.contract.interface, copied.receipt)),
        );
      } else {
        this.ctx.log(`attacker: the towers sent nothing to front-run`);
      }
      if (result instanceof Error) this.ctx.log(`the towers stopped: ${result.message.split("\n")[0]}`);
      else receipts.push(...result.receipts);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const statuses = await Promise.all(opened.map(({ channelId }) => this.l1.status(channelId)));
    const still = statuses.filter((st) => st === "closing").length;
    return (
      `attacker ${by} closed ${count} channel(s) on revoked states and front-ran the first penalty; ` +
      `${count - still} already ended on L1, ${still} still closing`
    );
  }

  /**
   * `by` gets `victim`'s signature on a cooperative close of the newest
   * balances, then offers `victim` a payment of `amount` more (a state signed
   * by hand), then sends the old close to L1 from its own account.
   */
  private async attackOldCooperativeClose(
    by: string,
    victim: string,
    amount: bigint,
    receipts: TransactionReceipt[],
  ): Promise<string> {
    const channelId = this.network.channelBetween(by, victim);
    const target = this.node(victim);
    const record = target.channel(channelId);
    const bySide = (1 - record.side) as Side;
    const key = new DigestSigner(this.person(by).l2.privateKey);
    const domain = domainSeparator(this.deployed.domain);
    const { state, locks } = record.latest;
    const balanceA = state.balanceA + record.onChainDeposits[0] - state.depositA;
    const balanceB = state.balanceB + record.onChainDeposits[1] - state.depositB;
    const offer = {
      channelId,
      balanceA,
      balanceB,
      signature: key.sign(typedDigest(domain, hashCooperativeClose(channelId, balanceA, balanceB))),
    };
    let theirs: string;
    try {
      theirs = target.acceptCooperativeClose(offer).signature;
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      return `attacker ${by} asked ${victim} to sign a cooperative close: ${victim}'s node refused (${e.message})`;
    }
    this.ctx.log(
      `attacker ${by} holds ${victim}'s signature on a close at ${weiToEth(balanceA)} / ${weiToEth(balanceB)} ETH`,
    );

    const change: Change = { kind: "pay", from: bySide, amount };
    const next = applyChange(state, locks, change);
    const proposal = {
      channelId,
      change,
      state: next.state,
      locks: next.locks,
      signature: key.sign(typedDigest(domain, hashState(next.state))),
    };
    try {
      target.accept(proposal);
      this.ctx.log(
        `attacker ${by} paid ${victim} ${weiToEth(amount)} ETH more: ${victim}'s node countersigned state #${next.state.nonce}`,
      );
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      this.ctx.log(
        `attacker ${by} offered ${victim} ${weiToEth(amount)} ETH more: ${victim}'s node refused (${e.message})`,
      );
    }

    const [sigA, sigB] = bySide === 0 ? [offer.signature, theirs] : [theirs, offer.signature];
    const c = this.l1.contract.connect(this.person(by).l1);
    let receipt: TransactionReceipt;
    try {
      receipt = (await (await c.cooperativeClose(channelId, record.parties, balanceA, balanceB, sigA, sigB)).wait())!;
    } catch (e) {
      return `attacker ${by} sent the old close to L1: L1 refused it (${(e as Error).message.split("\n")[0]})`;
    }
    receipts.push(receipt);
    this.markChannel(channelId, "settled");
    const [a, b] = this.network.endsOf(channelId);
    const event = receipt.logs
      .map((log) => this.l1.contract.interface.parseLog(log))
      .find((parsed) => parsed?.name === "ChannelCooperativelyClosed");
    return (
      `attacker ${by} sent the old cooperative close to L1: L1 accepted it` +
      (event ? ` and paid ${a} ${weiToEth(event.args.payoutA)} ETH, ${b} ${weiToEth(event.args.payoutB)} ETH` : "")
    );
  }

  /** A state `by` signs by hand and offers `victim`'s node: returns the co-signed state, or the refusal. */
  private offerByHand(
    by: string,
    victim: string,
    channelId: bigint,
    change: Change,
  ): { signed: SignedState; revocation: Revocation } | { refused: string } {
    const record = this.node(victim).channel(channelId);
    const key = new DigestSigner(this.person(by).l2.privateKey);
    const { state, locks } = applyChange(record.latest.state, record.latest.locks, change);
    const signature = key.sign(typedDigest(domainSeparator(this.deployed.domain), hashState(state)));
    try {
      const acceptance = this.node(victim).accept({ channelId, change, state, locks, signature });
      const [signatureA, signatureB] =
        record.side === 0 ? [acceptance.signature, signature] : [signature, acceptance.signature];
      return { signed: { state, locks, signatureA, signatureB }, revocation: acceptance.revocation };
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      return { refused: e.message };
    }
  }

  /**
   * `by` pays `victim` 0.1 ETH three times with states it signs by hand, and
   * never sends its revocation of the state before (message 3); then it closes
   * on the oldest state both signed that `victim` holds no revocation of.
   */
  private async attackWithholdRevocation(by: string, victim: string, receipts: TransactionReceipt[]): Promise<string> {
    const channelId = this.network.channelBetween(by, victim);
    const record = this.node(victim).channel(channelId);
    const bySide = (1 - record.side) as Side;
    const before = record.latest;
    const cosigned: SignedState[] = [before];
    for (let i = 0; i < 3; i++) {
      const result = this.offerByHand(by, victim, channelId, { kind: "pay", from: bySide, amount: ETH / 10n });
      if ("refused" in result) {
        this.ctx.log(`attacker ${by} offered payment ${i + 1}: ${victim}'s node refused (${result.refused})`);
        break;
      }
      cosigned.push(result.signed);
      this.ctx.log(
        `attacker ${by} paid ${victim} 0.1 ETH: ${victim}'s node countersigned state #${result.signed.state.nonce}; ` +
          `${by} keeps its revocation of #${result.signed.state.nonce - 1n}`,
      );
    }
    const held = record.theirRevocation?.nonce ?? -1n;
    const target = cosigned.find((s) => s.state.nonce > held) ?? cosigned[cosigned.length - 1];
    const c = this.l1.contract.connect(this.person(by).l1);
    try {
      const receipt = (await (
        await c.close(channelId, record.parties, target.state, target.signatureA, target.signatureB)
      ).wait())!;
      receipts.push(receipt);
    } catch (e) {
      return `attacker ${by} tried to close on state #${target.state.nonce}: L1 refused (${(e as Error).message.split("\n")[0]})`;
    }
    this.markChannel(channelId, "closing");
    return (
      `attacker ${by} closed channel #${channelId} on state #${target.state.nonce}, the oldest ${victim} holds no ` +
      `revocation of (L1 accepted the close); ${victim} holds state #${record.latest.state.nonce}`
    );
  }

  /**
   * `by` offers `victim` a 0.1 ETH lock on keccak256(bytes32(0)), then shows
   * the zero preimage on L1, to leave the lock neither redeemable nor refundable.
   */
  private async attackFrozenLock(by: string, victim: string, receipts: TransactionReceipt[]): Promise<string> {
    const channelId = this.network.channelBetween(by, victim);
    const record = this.node(victim).channel(channelId);
    const lock: Lock = {
      sender: (1 - record.side) as Side,
      amount: ETH / 10n,
      expiry: this.now + this.deployed.params.htlcDelta,
      hashlock: ZERO_PREIMAGE_HASHLOCK,
    };
    const result = this.offerByHand(by, victim, channelId, { kind: "add-lock", lock });
    if ("refused" in result) {
      return `attacker ${by} offered ${victim} a lock on keccak256(0): ${victim}'s node refused (${result.refused})`;
    }
    this.ctx.log(`attacker ${by} locked 0.1 ETH to ${victim} on keccak256(0): state #${result.signed.state.nonce}`);
    try {
      const receipt = (await (await this.l1.contract.connect(this.person(by).l1).revealSecret(ZeroHash)).wait())!;
      receipts.push(receipt);
      return `attacker ${by} revealed the zero preimage on L1: L1 accepted it`;
    } catch (e) {
      return `attacker ${by} tried to reveal the zero preimage on L1: L1 refused (${(e as Error).message.split("\n")[0]})`;
    }
  }

  private hireTower(client: string, towerName: string): string {
    let tower = this.towers.get(towerName);
    if (!tower) {
      tower = new Watchtower(towerName, this.l1, this.person(towerName).l1, 0, this.deployed.domain);
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
    const onchain = step.onchain as
      { between: [string, string]; payout?: Record<string, string> | "latest" } | undefined;
    if (onchain) {
      const channelId = this.channelFor(onchain.between);
      const [a, b] = this.network.endsOf(channelId);
      const record = this.node(a).channel(channelId);
      const paid = await this.l1.payouts(channelId, record.parties);
      let expected: Record<string, bigint> = {};
      if (onchain.payout === "latest") {
        const latest = await this.latestPayout(channelId);
        expected = { [a]: latest.a, [b]: latest.b };
      } else {
        for (const [name, amount] of Object.entries(onchain.payout ?? {})) expected[name] = ethToWei(amount);
      }
      for (const [name, want] of Object.entries(expected)) {
        const actual = name === a ? paid.a : paid.b;
        if (actual !== want) {
          throw new ExpectationError(
            `channel #${channelId}: L1 paid ${name} ${weiToEth(actual)} ETH, expected ${weiToEth(want)}` +
              (onchain.payout === "latest" ? " (what the newest state both signed gives)" : ""),
          );
        }
      }
      checked.push(
        `L1 paid ${a} ${weiToEth(paid.a)} ETH and ${b} ${weiToEth(paid.b)} ETH` +
          (onchain.payout === "latest" ? ", as the newest co-signed state says" : ", as expected"),
      );
    }
    if (step.solvent === true) checked.push(await this.expectSolvent());
    if (step.idle === true) checked.push(await this.expectIdle());
    for (const key of Object.keys(step)) {
      if (!["do", "note", "expectRevert", "channel", "onchain", "solvent", "idle"].includes(key)) {
        throw new ExpectationError(`expect.${key} does not apply to channels (use "channel" or "onchain")`);
      }
    }
    return checked.join("; ") || "nothing to check";
  }

  /**
   * What the newest state both ends signed gives each side: its balances, the
   * top-ups it does not know of, and each of its locks to its receiver when the
   * preimage was shown on L1 by the expiry, else back to its sender.
   */
  private async latestPayout(channelId: bigint): Promise<{ a: bigint; b: bigint }> {
    const records = this.network.endsOf(channelId).map((name) => this.node(name).channel(channelId));
    const newest = records.reduce((x, y) => (y.latest.state.nonce > x.latest.state.nonce ? y : x));
    const { state, locks } = newest.latest;
    const [depositA, depositB] = await this.l1DepositsOf(channelId, newest.parties);
    const out = {
      a: state.balanceA + depositA - state.depositA,
      b: state.balanceB + depositB - state.depositB,
    };
    for (const lock of locks) {
      const revealedAt = await this.l1.contract.secretRevealedAt(lock.hashlock);
      const toReceiver = revealedAt !== 0n && revealedAt <= BigInt(lock.expiry);
      if ((lock.sender === 0) === toReceiver) out.b += lock.amount;
      else out.a += lock.amount;
    }
    return out;
  }

  /** Each side's total deposit into a channel, from its ChannelOpened and ChannelDeposited events. */
  private async l1DepositsOf(channelId: bigint, parties: Parties): Promise<[bigint, bigint]> {
    const c = this.l1.contract;
    const opened = await c.queryFilter(c.filters.ChannelOpened(channelId));
    const deposits: [bigint, bigint] = [opened.length > 0 ? opened[0].args.depositA : 0n, 0n];
    for (const e of await c.queryFilter(c.filters.ChannelDeposited(channelId))) {
      if (e.args.account === parties.accountA) deposits[0] = e.args.newDeposit;
      else deposits[1] = e.args.newDeposit;
    }
    return deposits;
  }

  /**
   * `solvent`: the contract holds at least what it owes, read from L1: the
   * deposits of every open or closing channel, the ETH left in the locks of
   * settled ones, and every payout it kept for a receiver to withdraw.
   */
  private async expectSolvent(): Promise<string> {
    const c = this.l1.contract;
    let owed = 0n;
    const count = await c.channelCount();
    for (let id = 1n; id <= count; id++) {
      const [, depositA, depositB, , locked] = await c.channel(id);
      owed += depositA + depositB + locked;
    }
    for (const person of this.ctx.people.values()) owed += await c.deferredPayouts(person.l1Address);
    const held = await this.ctx.hre.ethers.provider.getBalance(this.deployed.address);
    if (held < owed) {
      throw new ExpectationError(
        `not solvent: the contract holds ${weiToEth(held)} ETH but owes ${weiToEth(owed)} ETH`,
      );
    }
    return `solvent: the contract holds ${weiToEth(held)} ETH and owes ${weiToEth(owed)} ETH`;
  }

  /**
   * `idle`: every channel of the scenario is settled with every lock decided
   * (L1 status none), and the contract holds nothing but payouts its owners
   * can withdraw now.
   */
  private async expectIdle(): Promise<string> {
    const c = this.l1.contract;
    const count = await c.channelCount();
    const busy: string[] = [];
    for (let id = 1n; id <= count; id++) {
      const status = await this.l1.status(id);
      if (status !== "none") busy.push(`#${id} ${status === "unlocking" ? "has undecided locks" : `is ${status}`}`);
    }
    if (busy.length > 0) throw new ExpectationError(`not idle: channel ${busy.join(", ")}`);
    let withdrawable = 0n;
    for (const person of this.ctx.people.values()) withdrawable += await c.deferredPayouts(person.l1Address);
    const held = await this.ctx.hre.ethers.provider.getBalance(this.deployed.address);
    if (held !== withdrawable) {
      throw new ExpectationError(
        `not idle: the contract holds ${weiToEth(held)} ETH, of which only ${weiToEth(withdrawable)} ETH can be withdrawn`,
      );
    }
    return (
      `idle: all ${count} channel(s) settled, every lock decided` +
      (held > 0n ? `, ${weiToEth(held)} ETH waiting to be withdrawn by its owners` : ", the contract holds nothing")
    );
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
        if (action.receipt) receipts.push(action.receipt);
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
