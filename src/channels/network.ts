/**
 * The nodes of a channel network in one process, and the message exchange
 * between two of them. In a real deployment each call below would be a
 * message over the wire; here it is a method call, with the same checks.
 */
import { UnknownChannelError } from "./errors";
import type { ChannelNode } from "./node";
import type { Change } from "./transitions";
import type { SignedState } from "./types";

/** An open channel of the public graph: who, how much it holds, for routing. */
export interface ChannelEdge {
  channelId: bigint;
  a: string;
  b: string;
  capacity: bigint;
}

export class ChannelNetwork {
  readonly nodes = new Map<string, ChannelNode>();
  /** Channel ids by the pair of names (sorted), oldest first. */
  private readonly byPair = new Map<string, bigint[]>();
  private readonly ends = new Map<bigint, [string, string]>();

  /** An independent copy: every node cloned, the same channel links. */
  clone(): ChannelNetwork {
    const copy = new ChannelNetwork();
    for (const node of this.nodes.values()) copy.add(node.clone());
    for (const [channelId, [a, b]] of this.ends) copy.link(channelId, a, b);
    return copy;
  }

  add(node: ChannelNode): ChannelNode {
    this.nodes.set(node.name, node);
    return node;
  }

  node(name: string): ChannelNode {
    const node = this.nodes.get(name);
    if (!node) throw new UnknownChannelError("network", `node named "${name}"`);
    return node;
  }

  /** Records that `a` (side A) and `b` (side B) share channel `channelId`. */
  link(channelId: bigint, a: string, b: string): void {
    const key = pairKey(a, b);
    this.byPair.set(key, [...(this.byPair.get(key) ?? []), channelId]);
    this.ends.set(channelId, [a, b]);
  }

  /** The newest channel between `a` and `b` (open or not). */
  channelBetween(a: string, b: string): bigint {
    const ids = this.byPair.get(pairKey(a, b));
    if (!ids || ids.length === 0) throw new UnknownChannelError(a, `with ${b}`);
    return ids[ids.length - 1];
  }

  hasChannel(a: string, b: string): boolean {
    return (this.byPair.get(pairKey(a, b))?.length ?? 0) > 0;
  }

  /** The names at sides A and B of a channel. */
  endsOf(channelId: bigint): [string, string] {
    const ends = this.ends.get(channelId);
    if (!ends) throw new UnknownChannelError("network", String(channelId));
    return ends;
  }

  /** Every open channel, with its capacity (total deposits), as the public graph shows it. */
  edges(): ChannelEdge[] {
    const out: ChannelEdge[] = [];
    for (const [channelId, [a, b]] of this.ends) {
      const record = this.node(a).channels.get(channelId);
      if (!record || record.status !== "open") continue;
      out.push({ channelId, a, b, capacity: record.onChainDeposits[0] + record.onChainDeposits[1] });
    }
    return out;
  }

  /**
   * Runs one update of channel `channelId` proposed by `proposer`: proposal,
   * countersignature and revocations. Throws the refusal of either side; on a
   * refusal nothing changes on either side.
   */
  update(proposer: string, channelId: bigint, change: Change): SignedState {
    const [a, b] = this.endsOf(channelId);
    const acceptor = proposer === a ? b : a;
    const from = this.node(proposer);
    const to = this.node(acceptor);
    const proposal = from.propose(channelId, change);
    let acceptance;
    try {
      acceptance = to.accept(proposal);
    } catch (e) {
      from.abandon(channelId);
      throw e;
    }
    const revocation = from.complete(acceptance);
    to.receiveRevocation(channelId, revocation);
    return from.channel(channelId).latest;
  }
}

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
