/**
 * Lesson 7 exercise: fill in the body, then run `npm run lesson -- 7`.
 * The checks compile what you return under another name (PaymentChannelsLab, in memory only: nothing in
 * contracts/ changes), deploy it on the Hardhat chain, run the frozen-lock attack against it from the
 * attacker's side, and expect the attack to win there while the real PaymentChannels still stops it.
 */
import { NotYetImplemented } from "../exercise";

/**
 * Exercise 7.1: remove one defence from a copy of the channel contract.
 *
 * `source` is the text of contracts/channels/PaymentChannels.sol. Return it with the check that stops the
 * frozen-lock attack deleted: find the `// INVARIANT:` that says no lock is ever frozen, and delete the line
 * of code it guards. Delete lines only; keep every other line as it is, so the copy still compiles.
 */
export function withoutFrozenLockDefence(source: string): string {
  void source;
  throw new NotYetImplemented("withoutFrozenLockDefence");
}
