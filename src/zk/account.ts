/**
 * Accounts of the zk rollup's state tree and the Poseidon deposit chain, mirrored by circuits/lib/account.circom,
 * circuits/lib/operation.circom and contracts/zk/ZkRollup.sol.
 *
 *   leaf          = Poseidon(ax, ay, balance, nonce)          (an empty slot is the leaf 0)
 *   deposit chain = Poseidon(prev, ax, ay, amount * 2^32 + index)   (0 before the first deposit)
 */
import { buildPoseidon } from "../merkle";
import { EncodingError } from "./errors";
import type { PublicKey } from "./keys";

export interface Account extends PublicKey {
  balance: bigint;
  nonce: bigint;
}

/** Balances are range checked to 128 bits in the circuit (far above any ETH supply). */
export const BALANCE_BITS = 128;

export type Poseidon = (inputs: bigint[]) => bigint;

export async function poseidon(): Promise<Poseidon> {
  return buildPoseidon();
}

export function hashAccount(hash: Poseidon, account: Account): bigint {
  return hash([account.ax, account.ay, account.balance, account.nonce]);
}

/** The chain value after one more deposit of `amount` wei to account `index` with key (ax, ay). */
export function depositLink(hash: Poseidon, prev: bigint, key: PublicKey, amount: bigint, index: number): bigint {
  if (amount <= 0n || amount >> BigInt(BALANCE_BITS) !== 0n) {
    throw new EncodingError(`deposit amount ${amount} must be positive and below 2^${BALANCE_BITS}`);
  }
  return hash([prev, key.ax, key.ay, (amount << 32n) + BigInt(index)]);
}

/** The message an account signs for an operation: Poseidon(packed op, nonce). */
export function operationMessage(hash: Poseidon, packedOp: bigint, nonce: bigint, domain: bigint): bigint {
  return hash([packedOp, nonce, domain]);
}
