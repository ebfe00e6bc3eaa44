/**
 * The values channel parties exchange, mirroring the structs of
 * contracts/interfaces/IPaymentChannels.sol. Amounts are wei as bigint.
 */

/** Which end of a channel: 0 = A (who opened it), 1 = B. */
export type Side = 0 | 1;
export const SIDE_A: Side = 0;
export const SIDE_B: Side = 1;
export const otherSide = (side: Side): Side => (side === 0 ? 1 : 0);

/** L1 accounts (deposit, receive payouts) and L2 keys (sign states) of a channel. */
export interface Parties {
  accountA: string;
  accountB: string;
  signerA: string;
  signerB: string;
}

/** One off-chain state; ETH in locks = depositA + depositB - balanceA - balanceB. */
export interface ChannelState {
  channelId: bigint;
  nonce: bigint;
  depositA: bigint;
  depositB: bigint;
  balanceA: bigint;
  balanceB: bigint;
  locksRoot: string;
}

/** A hash- and time-locked transfer from `sender` to the other side. */
export interface Lock {
  sender: Side;
  amount: bigint;
  /** Unix seconds (L1 block time) after which the sender may take it back. */
  expiry: number;
  /** keccak256 of the 32-byte preimage. */
  hashlock: string;
}

/** A state with the locks behind its root and both signatures ("0x" for the unsigned funding state). */
export interface SignedState {
  state: ChannelState;
  locks: Lock[];
  signatureA: string;
  signatureB: string;
}

/** "Every state of mine up to `nonce` is replaced": what a penalty needs from the cheater. */
export interface Revocation {
  nonce: bigint;
  signature: string;
}

/** A deployed channel contract as states are signed for it: chain and address. */
export interface ChannelDomain {
  chainId: bigint;
  verifyingContract: string;
}
