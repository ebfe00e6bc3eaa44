/**
 * The watchtower as its own process (`npx hardhat watchtower`): any channel node registers its channels by handing
 * it each new co-signed state and the other side's revocation (POST /watch, as ./peer.ts RemoteTower does); the
 * tower (./watchtower.ts) checks every signature before it keeps anything, follows the contract's close events and
 * answers a close on a revoked state by itself. One log line per action, read from the dispute's receipt:
 *
 *   channel 1: closed by 0x… on revoked state #1; disputed with #2 (tx 0x…): penalty, 1.0 ETH to 0x…
 */
import { formatEther } from "ethers";
import { ApiError, type Route } from "../net/http";
import { Recent } from "../net/recent";
import type { TowerAction, Watchtower } from "./watchtower";
import { WatchedChannelSchema, decode } from "./wire";

/** Channels one tower keeps at most: each is a state and a revocation in memory, and a check per close. */
export const MAX_WATCHED = 10_000;

/** One line of the tower's GET /events: a channel it watches (with the newest state it holds) or an action it took. */
export interface TowerEvent {
  kind: "watching" | "action";
  channelId: string;
  /** The client's side, for `watching`. */
  side?: "A" | "B";
  /** The newest co-signed state the tower holds for that client. */
  heldNonce?: string;
  outcome?: string;
  /** The dispute's L1 transaction, for an action that sent one. */
  tx?: string | null;
  at: number;
}

export class TowerService {
  /** Channels watched, as `id:side` (both sides of one channel may be clients). */
  private readonly channels = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  readonly actions: { channelId: bigint; outcome: string; tx: string | null }[] = [];
  /** The last channels and actions, for GET /events (bounded: the oldest go first). */
  readonly events = new Recent<TowerEvent>(200);
  private actionCount = 0;

  /**
   * One Watchtower per side: a Watchtower keeps one client per channel, and both parties of a channel may hand
   * their states to the same tower (each is then protected against the other).
   */
  constructor(
    readonly towers: readonly [Watchtower, Watchtower],
    private readonly log: (line: string) => void,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      this.running = Promise.all(this.towers.map((tower) => tower.sync()))
        .then((actions) => actions.flat().forEach((action) => this.report(action)))
        .catch((error: unknown) => this.log(`watchtower: ${(error as Error).message.split("\n")[0]}; trying again`));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.pollMs);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private report(action: TowerAction): void {
    if (!action.receipt) {
      this.actions.push({ channelId: action.channelId, outcome: action.outcome, tx: null });
      this.recordAction(action.channelId, action.outcome, null);
      this.log(`channel ${action.channelId}: ${action.outcome}`);
      return;
    }
    const contract = this.towers[0].l1.contract;
    const said: string[] = [];
    for (const entry of action.receipt.logs) {
      let parsed;
      try {
        parsed = contract.interface.parseLog(entry);
      } catch {
        continue;
      }
      if (parsed?.name === "ChannelPenalized") {
        said.push(
          `penalty: ${parsed.args.cheater} closed on revoked state #${parsed.args.staleNonce}, ` +
            `${formatEther(parsed.args.amount)} ETH to ${parsed.args.beneficiary}`,
        );
      } else if (parsed?.name === "ChannelUpdated") {
        said.push(`closing state replaced by #${parsed.args.nonce}`);
      }
    }
    const outcome = said.length > 0 ? said.join(", ") : "no penalty or update in its receipt";
    this.actions.push({ channelId: action.channelId, outcome, tx: action.receipt.hash });
    this.recordAction(action.channelId, outcome, action.receipt.hash);
    this.log(`channel ${action.channelId}: disputed a stale close (tx ${action.receipt.hash}): ${outcome}`);
  }

  private recordAction(channelId: bigint, outcome: string, tx: string | null): void {
    const event: TowerEvent = { kind: "action", channelId: channelId.toString(), outcome, tx, at: Date.now() };
    this.events.put(`action:${this.actionCount++}`, event);
  }

  status(): unknown {
    return {
      watched: [...this.channels],
      backlog: this.towers.flatMap((tower) => tower.backlog),
      actions: this.actions,
    };
  }

  routes(): Route[] {
    return [
      { method: "GET", path: "/status", handle: () => this.status() },
      // Read-only: the channels watched with the state held for each, and the disputes sent (the explorer's table).
      { method: "GET", path: "/events", handle: () => ({ events: this.events.list() }) },
      {
        method: "POST",
        path: "/watch",
        handle: ({ body }) => {
          const channel = decode(WatchedChannelSchema, body);
          const key = `${channel.channelId}:${channel.clientSide}`;
          if (!this.channels.has(key) && this.channels.size >= MAX_WATCHED)
            throw new ApiError(503, "tower-full", `this tower watches ${MAX_WATCHED} channels already`);
          const tower = this.towers[channel.clientSide];
          const refusedBefore = tower.refused.length;
          tower.watch(channel);
          if (tower.refused.length > refusedBefore)
            throw new ApiError(400, "refused", tower.refused[tower.refused.length - 1]);
          const side = channel.clientSide === 0 ? "A" : "B";
          if (!this.channels.has(key)) {
            this.channels.add(key);
            this.log(`channel ${channel.channelId}: watching for side ${side}`);
          }
          const held = tower.heldNonce(channel.channelId);
          this.events.put(`watching:${key}`, {
            kind: "watching",
            channelId: channel.channelId.toString(),
            side,
            heldNonce: held === undefined || held === null ? undefined : String(held),
            at: Date.now(),
          });
          return { channelId: channel.channelId, held };
        },
      },
    ];
  }
}
