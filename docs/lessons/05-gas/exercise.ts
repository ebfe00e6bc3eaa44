/**
 * Lesson 5 exercises: fill in the bodies, then run `npx hardhat test test/lessons/05-gas.test.ts`.
 * The checks send real transactions on the Hardhat chain (hardfork osaka) and compare your figures with
 * their receipts, and with src/bench/calldata.ts and src/bench/blobs.ts.
 */
import { NotYetImplemented } from "../exercise";

/**
 * Exercise 5.1: the EIP-7623 floor of a transaction carrying `data` as calldata: 21,000 plus 10 gas per
 * token, where a zero byte is 1 token and any other byte 4.
 */
export function floorGas(data: Uint8Array): bigint {
  void data;
  throw new NotYetImplemented("floorGas");
}

/**
 * Exercise 5.2: the gas a transaction is charged (its receipt's gasUsed) when its calldata is `data` and
 * its execution used `executionGas` (no refunds, no contract creation, no access list): the larger of the
 * standard cost (21,000 + 4 gas per token + execution) and the floor.
 */
export function chargedGas(data: Uint8Array, executionGas: bigint): bigint {
  (void data, executionGas);
  throw new NotYetImplemented("chargedGas");
}

/**
 * Exercise 5.3: how many EIP-4844 blobs a batch of `payloadBytes` needs in the project's blob layout
 * (src/bench/blobs.ts): a 4-byte length prefix, then the payload, 31 bytes in each of the 4,096 32-byte field
 * elements of a blob (the first byte of each stays 0 so every element is below the BLS modulus). Even an
 * empty payload takes one blob.
 */
export function blobsFor(payloadBytes: number): number {
  void payloadBytes;
  throw new NotYetImplemented("blobsFor");
}
