/**
 * A watchtower: holds, for each channel of its clients, the newest state
 * signed by both and the other side's newest revocation, follows the
 * contract's close events, and answers a close on an older state by itself
 * (with the penalty when the revocation covers the closing state). It never
 * holds a key that can move its client's money: only signed states.
 */
import type { Signer, TransactionReceipt } from "ethers";
import type { ChannelsL1 } from "./l1";
import type { StateWatcher, WatchedChannel } from "./node";

export interface TowerAction {
  channelId: bigint;
  outcome: string;
  receipt: TransactionReceipt;
}

export class Watchtower implements StateWatcher {
  private readonly watched = new Map<bigint, WatchedChannel>();
  private nextBlock: number;

  /**
   * @param name for messages
   * @param l1 the channel contract
   * @param signer the tower's own L1 account, which pays for its disputes
   * @param fromBlock the first block whose events it reads
   */
  constructor(
    readonly name: string,
    readonly l1: ChannelsL1,
    readonly signer: Signer,
    fromBlock = 0,
  ) {
    this.nextBlock = fromBlock;
  }

  /** Takes the newest state (and revocation) of a client's channel. */
  watch(channel: WatchedChannel): void {
    const held = this.watched.get(channel.channelId);
    if (held && held.latest.state.nonce > channel.latest.state.nonce) return;
    this.watched.set(channel.channelId, { ...channel });
  }

  /** The newest nonce it holds for a channel (for tests and messages). */
  heldNonce(channelId: bigint): bigint | null {
    return this.watched.get(channelId)?.latest.state.nonce ?? null;
  }

  /** Reads the close events since the last call and disputes every stale close against a client. */
  async sync(): Promise<TowerAction[]> {
    const contract = this.l1.contract;
    const provider = contract.runner?.provider;
    if (!provider) throw new Error(`watchtower ${this.name}: the contract has no provider`);
    const head = await provider.getBlockNumber();
    if (head < this.nextBlock) return [];
    const closed = await contract.queryFilter(contract.filters.ChannelClosed(), this.nextBlock, head);
    const updated = await contract.queryFilter(contract.filters.ChannelUpdated(), this.nextBlock, head);
    this.nextBlock = head + 1;
    const touched = new Set([...closed, ...updated].map((e) => e.args.channelId as bigint));

    const actions: TowerAction[] = [];
    for (const channelId of touched) {
      const watched = this.watched.get(channelId);
      if (!watched) continue;
      if ((await this.l1.status(channelId)) !== "closing") continue;
      const info = await this.l1.closingInfo(channelId);
      const client = watched.clientSide === 0 ? watched.parties.accountA : watched.parties.accountB;
      if (info.closer === client) continue;
      // Stale: the closer closed on an older state than the newest the client holds (even if a dispute since put
      // the newest in its place: the revocation still covers the nonce the closer closed with).
      if (info.closedNonce >= watched.latest.state.nonce) continue;
      const revocation = watched.revocation && watched.revocation.nonce >= info.closedNonce ? watched.revocation : null;
      if (!revocation && info.state.nonce >= watched.latest.state.nonce) continue;
      const receipt = await this.l1.dispute(
        this.signer,
        channelId,
        watched.parties,
        info.state,
        watched.latest,
        revocation,
      );
      actions.push({
        channelId,
        receipt,
        outcome:
          `${this.name} answered the close of channel ${channelId} on state #${info.state.nonce} ` +
          `with #${watched.latest.state.nonce}` +
          (revocation ? " and the closer's revocation: penalty" : ""),
      });
    }
    return actions;
  }
}
