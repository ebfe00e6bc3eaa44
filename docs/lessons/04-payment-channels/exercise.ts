/**
 * Lesson 4 exercises: fill in the bodies, then run `npx hardhat test test/lessons/04-payment-channels.test.ts`.
 * The checks route a payment over real co-signed channel states (src/channels/payments.ts) and run your
 * scenario on the real PaymentChannels contract.
 */
import type { Scenario } from "../../../src/scenario/types";
import { NotYetImplemented } from "../exercise";

/**
 * Exercise 4.1: the expiry (L1 seconds) of each hop's lock on a route of `hops` channels, the payer's
 * hop first, such that every node that forwards has `htlcDelta` seconds to redeem its incoming lock after
 * its outgoing one expires, and the last lock still expires after `now`.
 */
export function lockExpiries(now: number, hops: number, htlcDelta: number): number[] {
  (void now, hops, htlcDelta);
  throw new NotYetImplemented("lockExpiries");
}

/**
 * Exercise 4.2: a channels scenario in which
 * - two people open a channel and pay each other several times;
 * - the one who paid hands their node over to a `watchtower` and goes offline;
 * - the payer closes unilaterally on a stale state (`"state": "stale"`);
 * - no `dispute` step: the tower answers by itself;
 * - an `expect` with `onchain` shows what each side was paid: the cheater "0".
 */
export function penaltyScenario(): Scenario {
  throw new NotYetImplemented("penaltyScenario");
}
