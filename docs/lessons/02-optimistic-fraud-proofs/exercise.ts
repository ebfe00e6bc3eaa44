/**
 * Lesson 2 exercises: fill in the bodies, then run
 * `npx hardhat test test/lessons/02-optimistic-fraud-proofs.test.ts`. Your scenario runs on the real
 * OptimisticRollup through the scenario runner (src/scenario/runner.ts), exactly as
 * `npx hardhat scenario` would run it from a file.
 */
import type { Scenario } from "../../../src/scenario/types";
import { NotYetImplemented } from "../exercise";

/**
 * Exercise 2.1: a scenario (format v1, docs/scenarios.md) for the optimistic rollup in which
 * - people deposit and the operator posts an honest batch;
 * - someone signs a transfer, and the operator posts the next batch with a fault of your choice;
 * - a watcher (not the operator) runs `challenge` and proves the fraud;
 * - `expect` shows the faulty batch rolled back, the bond slashed and the watcher paid its reward;
 * - one more `batch` replays the honest transfer, and an `expect` shows the L2 balances it leaves.
 * Use `params.challengePeriod` of at most a day, so the run stays short.
 */
export function fraudScenario(): Scenario {
  throw new NotYetImplemented("fraudScenario");
}

/**
 * Exercise 2.2: how OptimisticRollup splits a slashed bond: what the challenger receives and what is burnt.
 * (Read `proveFraud` and `_slash` in contracts/optimistic/OptimisticRollup.sol; mind odd wei amounts.)
 */
export function slashingSplit(bond: bigint): { reward: bigint; burnt: bigint } {
  void bond;
  throw new NotYetImplemented("slashingSplit");
}
