/**
 * Lesson 3 exercises: fill in the bodies, then run `npx hardhat test test/lessons/03-zk-validity.test.ts`.
 * The checks compare your results with src/zk/float.ts and src/zk/commitment.ts, and with ZkFloat and
 * ZkCommitment on L1 (through contracts/test/ZkCodecHarness.sol).
 */
import { NotYetImplemented } from "../exercise";

/** The four 32-byte values of a batch header, each a BN254 field element (below r). */
export interface Header {
  oldRoot: bigint;
  newRoot: bigint;
  chainBefore: bigint;
  chainAfter: bigint;
}

/**
 * Exercise 3.1: the Float40 code of an amount in wei: `[exponent<5>|mantissa<35>]`, value =
 * mantissa * 10^exponent, with the smallest exponent that works. Throw an Error naming the value when it has
 * no exact code (never round: rounding would move money).
 */
export function encodeFloat40(value: bigint): bigint {
  void value;
  throw new NotYetImplemented("encodeFloat40");
}

/**
 * Exercise 3.2: the batch's one public input:
 * `sha256(oldRoot<32>|newRoot<32>|chainBefore<32>|chainAfter<32>|ops<14N>) mod 2^253`.
 */
export function publicInput(header: Header, ops: Uint8Array): bigint {
  (void header, ops);
  throw new NotYetImplemented("publicInput");
}
