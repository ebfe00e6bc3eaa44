/**
 * Maps the names in a scenario to accounts and keys.
 *
 * `operator` is the first Hardhat signer; every other name takes the next
 * signer in order of first appearance in the file. L2 keys and seeds are
 * derived from the name alone, so the same name has the same L2 identity in
 * every run, on every system.
 */
import { keccak256, toUtf8Bytes, getBytes, Wallet } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Person, Scenario } from "./types";
import { OPERATOR, peopleInFileOrder } from "./validate";

/** The scenario names more people than the network has accounts. */
export class NotEnoughAccountsError extends Error {
  constructor(
    readonly needed: number,
    readonly available: number,
  ) {
    super(
      `the scenario needs ${needed} L1 accounts (the operator's and one per person) but the network has only ${available}; ` +
        "name fewer people or raise networks.hardhat.accounts.count",
    );
    this.name = "NotEnoughAccountsError";
  }
}

/** The secp256k1 L2 key of `name`: keccak256("l2lab/l2-key/" + name). */
export function l2KeyOf(name: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`l2lab/l2-key/${name}`)));
}

/** 32 bytes of seed for `name`, for other key types: keccak256("l2lab/l2-seed/" + name). */
export function l2SeedOf(name: string): Uint8Array {
  return getBytes(keccak256(toUtf8Bytes(`l2lab/l2-seed/${name}`)));
}

/**
 * Assigns signers: index 0 to `operator` (used or not, so the other people
 * keep the same accounts on every system), then 1, 2, ... in file order.
 */
export function assignPeople(scenario: Scenario, signers: HardhatEthersSigner[]): Map<string, Person> {
  const names = peopleInFileOrder(scenario).filter((n) => n !== OPERATOR);
  const rollup = scenario.system !== "channels";
  if (names.length + 1 > signers.length) throw new NotEnoughAccountsError(names.length + 1, signers.length);
  const people = new Map<string, Person>();
  const add = (name: string, signer: HardhatEthersSigner): void => {
    people.set(name, { name, l1: signer, l1Address: signer.address, l2: l2KeyOf(name), l2Seed: l2SeedOf(name) });
  };
  if (rollup) add(OPERATOR, signers[0]);
  names.forEach((name, i) => add(name, signers[i + 1]));
  return people;
}
