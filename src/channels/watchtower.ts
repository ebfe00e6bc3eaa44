/**
 * A watchtower: holds, for each channel of its clients, the newest state
 * signed by both and the other side's newest revocation, follows the
 * contract's close events, and answers a close on an older state by itself
 * (with the penalty when the revocation covers the closing state). It never
 * holds a key that can move its client's money: only signed states.
 *
 * Failures stay per channel: a close it has read is kept on its list until it
 * has been answered, needs no answer any more, or its dispute period is over,
 * so one reverted dispute (front-run, out of gas money, a flaky node) never
 * hides another channel's stale close, and the next sync tries again.
 */
import type { Signer, TransactionReceipt } from "ethers";
import { recoverSigner } from "./crypto";
import type { ChannelsL1 } from "./l1";
import type { StateWatcher, WatchedChannel } from "./node";
import { domainSeparator, hashRevocation, hashState, typedDigest } from "./state";
import type { ChannelDomain } from "./types";

export interface TowerAction {
  channelId: bigint;
  outcome: string;
  /** The mined dispute; null when the attempt failed (the outcome says why and whether it is retried). */
  receipt: TransactionReceipt | null;
}

/** How often one sync tries a channel whose dispute failed before leaving it for the next sync. */
const ATTEMPTS_PER_SYNC = 2;

export class Watchtower implements StateWatcher {
  private readonly watched = new Map<bigint, WatchedChannel>();
  /** Closes read from L1 and not yet dealt with, by channel id. */
  private readonly todo = new Set<bigint>();
  private nextBlock: number;
  private readonly domainHash: string | null;
  /** Why each state or revocation it was handed and did not keep was refused. */
  readonly refused: string[] = [];

  /**
   * @param name for messages
   * @param l1 the channel contract
   * @param signer the tower's own L1 account, which pays for its disputes
   * @param fromBlock the first block whose events it reads
   * @param domain the contract's EIP-712 domain: with it the tower checks every signature it is handed
   */
  constructor(
    readonly name: string,
    readonly l1: ChannelsL1,
    readonly signer: Signer,
    fromBlock = 0,
    domain?: ChannelDomain,
  ) {
    this.nextBlock = fromBlock;
    this.domainHash = domain ? domainSeparator(domain) : null;
  }

  /**
   * Takes the newest state (and revocation) of a client's channel, once it
   * checked that both parties signed the state and the other side the
   * revocation: a tower holding a forged state would only waste its gas on a
   * dispute L1 refuses, while the real stale close settles.
   */
  watch(channel: WatchedChannel): void {
    const problem = this.check(channel);
    if (problem) {
      this.refused.push(`channel ${channel.channelId}: ${problem}`);
      return;
    }
    const held = this.watched.get(channel.channelId);
    if (held && held.latest.state.nonce > channel.latest.state.nonce) return;
    if (held && held.latest.state.nonce === channel.latest.state.nonce && !channel.revocation && held.revocation)
      return;
    this.watched.set(channel.channelId, { ...channel });
  }

  private check(channel: WatchedChannel): string | null {
    if (!this.domainHash) return null;
    const { state, signatureA, signatureB } = channel.latest;
    if (state.channelId !== channel.channelId) return `state for channel ${state.channelId}`;
    if (state.nonce > 0n) {
      const digest = typedDigest(this.domainHash, hashState(state));
      if (recoverSigner(digest, signatureA) !== channel.parties.signerA)
        return `state #${state.nonce}: bad signature A`;
      if (recoverSigner(digest, signatureB) !== channel.parties.signerB)
        return `state #${state.nonce}: bad signature B`;
    }
    if (channel.revocation) {
      const other = channel.clientSide === 0 ? channel.parties.signerB : channel.parties.signerA;
      const digest = typedDigest(this.domainHash, hashRevocation(channel.channelId, channel.revocation.nonce));
      if (recoverSigner(digest, channel.revocation.signature) !== other) {
        return `revocation of #${channel.revocation.nonce} not signed by the other side`;
      }
    }
    return null;
  }

  /** The newest nonce it holds for a channel (for tests and messages). */
  heldNonce(channelId: bigint): bigint | null {
    return this.watched.get(channelId)?.latest.state.nonce ?? null;
  }

  /** Channels whose close it read but has not dealt with yet (a failed dispute it will retry). */
  get backlog(): bigint[] {
    return [...this.todo];
  }

  /**
   * Reads the close events since the last call, then answers every stale
   * close against a client it has on its list, the most urgent first; a
   * failure is reported for its channel alone and retried.
   */
  async sync(): Promise<TowerAction[]> {
    const contract = this.l1.contract;
    const provider = contract.runner?.provider;
    if (!provider) throw new Error(`watchtower ${this.name}: the contract has no provider`);
    const head = await provider.getBlockNumber();
    if (head >= this.nextBlock) {
      const closed = await contract.queryFilter(contract.filters.ChannelClosed(), this.nextBlock, head);
      const updated = await contract.queryFilter(contract.filters.ChannelUpdated(), this.nextBlock, head);
      for (const e of [...closed, ...updated]) {
        const channelId = e.args.channelId as bigint;
        if (this.watched.has(channelId)) this.todo.add(channelId);
      }
      // Safe to move on: every close read is on the list until dealt with.
      this.nextBlock = head + 1;
    }

    const actions: TowerAction[] = [];
    const deadlines = new Map<bigint, number>();
    for (const channelId of this.todo) {
      try {
        deadlines.set(channelId, (await this.l1.closingInfo(channelId)).settleAt);
      } catch {
        deadlines.set(channelId, Number.MAX_SAFE_INTEGER);
      }
    }
    const order = [...this.todo].sort((x, y) => deadlines.get(x)! - deadlines.get(y)!);
    for (let attempt = 1; attempt <= ATTEMPTS_PER_SYNC; attempt++) {
      for (const channelId of order) {
        if (!this.todo.has(channelId)) continue;
        try {
          const action = await this.answer(channelId);
          this.todo.delete(channelId);
          if (action) actions.push(action);
        } catch (e) {
          const mined = (e as { receipt?: TransactionReceipt }).receipt;
          const why = mined
            ? `its transaction reverted in block ${mined.blockNumber}`
            : (e as Error).message.split("\n")[0].slice(0, 160);
          const gone = await this.beyondHelp(channelId);
          if (gone) this.todo.delete(channelId);
          actions.push({
            channelId,
            receipt: null,
            outcome:
              `${this.name}'s dispute of channel ${channelId} failed (${why}); ` +
              (gone ? gone : attempt < ATTEMPTS_PER_SYNC ? "trying again" : "it tries again at its next sync"),
          });
        }
      }
      if (this.todo.size === 0) break;
    }
    return actions;
  }

  /** Disputes one channel's close if it is stale against the client; null when nothing is to be done. */
  private async answer(channelId: bigint): Promise<TowerAction | null> {
    const watched = this.watched.get(channelId);
    if (!watched) return null;
    if ((await this.l1.status(channelId)) !== "closing") return null;
    const info = await this.l1.closingInfo(channelId);
    const client = watched.clientSide === 0 ? watched.parties.accountA : watched.parties.accountB;
    if (info.closer === client) return null;
    // Stale: the closer closed on an older state than the newest the client holds (even if a dispute since put
    // the newest in its place: the revocation still covers the nonce the closer closed with).
    if (info.closedNonce >= watched.latest.state.nonce) return null;
    const revocation = watched.revocation && watched.revocation.nonce >= info.closedNonce ? watched.revocation : null;
    if (!revocation && info.state.nonce >= watched.latest.state.nonce) return null;
    const receipt = await this.l1.dispute(
      this.signer,
      channelId,
      watched.parties,
      info.state,
      watched.latest,
      revocation,
    );
    return {
      channelId,
      receipt,
      outcome:
        `${this.name} answered the close of channel ${channelId} on state #${info.closedNonce} ` +
        `with #${watched.latest.state.nonce}` +
        (revocation ? " and the closer's revocation: penalty" : ""),
    };
  }

  /** Why a failed channel needs no retry (settled or penalised by someone else, or too late), or null. */
  private async beyondHelp(channelId: bigint): Promise<string | null> {
    try {
      const status = await this.l1.status(channelId);
      if (status !== "closing") return `channel ${channelId} is no longer closing on L1: nothing left to answer`;
      const info = await this.l1.closingInfo(channelId);
      const block = await this.l1.contract.runner?.provider?.getBlock("latest");
      if (block && block.timestamp >= info.settleAt) return `its dispute period is over: it gives up`;
    } catch {
      return null;
    }
    return null;
  }
}
