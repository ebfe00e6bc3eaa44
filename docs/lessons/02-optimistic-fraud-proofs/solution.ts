/** Lesson 2, reference solution: the same functions as exercise.ts, completed. */
import type { Scenario } from "../../../src/scenario/types";

export function fraudScenario(): Scenario {
  return {
    name: "lesson-forged-signature-caught",
    description:
      "The operator slips a transfer bob never signed into a batch; carol proves it and takes half the bond.",
    system: "optimistic",
    params: { challengePeriod: 3600, bond: "2" },
    steps: [
      { do: "deposit", from: "alice", amount: "2" },
      { do: "deposit", from: "bob", amount: "1" },
      { do: "batch", note: "batch 1: both deposits" },
      { do: "transfer", from: "alice", to: "bob", amount: "0.5" },
      {
        do: "batch",
        fault: { kind: "forged-signature", from: "bob", to: "alice", amount: "1" },
        note: "batch 2 carries alice's transfer and one bob never signed",
      },
      { do: "challenge", by: "carol", note: "carol rebuilds L2 from L1 data and proves the forged signature" },
      {
        do: "expect",
        batch: { index: 2, status: "rolled-back" },
        bond: { status: "slashed" },
        paid: { carol: "1" },
      },
      { do: "batch", note: "batch 3: the operator bonds again and replays alice's honest transfer" },
      { do: "expect", l2: { alice: "1.5", bob: "1.5" } },
    ],
  };
}

export function slashingSplit(bond: bigint): { reward: bigint; burnt: bigint } {
  // The challenger gets the rounded-down half; the odd wei, if any, is burnt with the rest.
  const reward = bond / 2n;
  return { reward, burnt: bond - reward };
}
