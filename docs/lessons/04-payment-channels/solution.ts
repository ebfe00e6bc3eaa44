/** Lesson 4, reference solution: the same functions as exercise.ts, completed. */
import type { Scenario } from "../../../src/scenario/types";

export function lockExpiries(now: number, hops: number, htlcDelta: number): number[] {
  // The payer's lock expires last; each hop downstream expires htlcDelta sooner, the receiver's at now + delta.
  return Array.from({ length: hops }, (_, i) => now + (hops - i) * htlcDelta);
}

export function penaltyScenario(): Scenario {
  return {
    name: "lesson-tower-punishes-stale-close",
    description:
      "Alice pays Bob twice, Bob leaves his tower on guard, and Alice's close on an old state costs her everything.",
    system: "channels",
    params: { disputePeriod: 3600 },
    steps: [
      { do: "open", a: "alice", b: "bob", deposit: { alice: "1", bob: "1" } },
      { do: "pay", from: "alice", to: "bob", amount: "0.4" },
      { do: "pay", from: "alice", to: "bob", amount: "0.3" },
      { do: "watchtower", for: "bob", by: "tower", note: "bob goes offline; the tower holds the newest state" },
      {
        do: "close",
        by: "alice",
        with: "bob",
        unilateral: true,
        state: "stale",
        note: "alice publishes state #1, where she still had 0.6 instead of 0.3",
      },
      { do: "wait", seconds: 600 },
      {
        do: "expect",
        channel: { between: ["alice", "bob"], status: "settled" },
        onchain: { between: ["alice", "bob"], payout: { alice: "0", bob: "2" } },
      },
    ],
  };
}
