/**
 * The channel contract from the client's side: one typed function per L1
 * action, each returning its receipt, and readers that rebuild what L1 knows
 * (status, closing state, payouts) from storage and events.
 */
import type { Overrides, Signer, TransactionReceipt, ContractTransactionResponse } from "ethers";
import type { PaymentChannels } from "../../typechain-types";
import type { ChannelState, Lock, Parties, Revocation, SignedState } from "./types";

export type L1Status = "none" | "open" | "closing" | "unlocking";
const STATUSES: L1Status[] = ["none", "open", "closing", "unlocking"];

export interface ClosingInfo {
  /** The state the channel settles on now: the closer's, or the newest a dispute put in its place. */
  state: ChannelState;
  closer: string;
  settleAt: number;
  /** The nonce the closer closed with: a revocation covering it proves the close stale, whatever replaced it. */
  closedNonce: bigint;
}

export class L1Error extends Error {
  constructor(what: string, why: string) {
    super(`${what}: ${why}`);
    this.name = "L1Error";
  }
}

async function mined(tx: Promise<ContractTransactionResponse>, what: string): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new L1Error(what, "no receipt");
  return receipt;
}

/** A state from an event or a call result (ethers Result) as a ChannelState. */
export function toChannelState(s: {
  channelId: bigint;
  nonce: bigint;
  depositA: bigint;
  depositB: bigint;
  balanceA: bigint;
  balanceB: bigint;
  locksRoot: string;
}): ChannelState {
  return {
    channelId: s.channelId,
    nonce: s.nonce,
    depositA: s.depositA,
    depositB: s.depositB,
    balanceA: s.balanceA,
    balanceB: s.balanceB,
    locksRoot: s.locksRoot,
  };
}

export class ChannelsL1 {
  constructor(readonly contract: PaymentChannels) {}

  get address(): string {
    return this.contract.target as string;
  }

  private as(signer: Signer): PaymentChannels {
    return this.contract.connect(signer) as PaymentChannels;
  }

  async open(
    signer: Signer,
    parties: Parties,
    deposit: bigint,
  ): Promise<{ channelId: bigint; receipt: TransactionReceipt }> {
    const receipt = await mined(this.as(signer).open(parties, { value: deposit }), "open");
    for (const log of receipt.logs) {
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name === "ChannelOpened") return { channelId: parsed.args.channelId as bigint, receipt };
    }
    throw new L1Error("open", "no ChannelOpened event in the receipt");
  }

  deposit(signer: Signer, channelId: bigint, parties: Parties, amount: bigint): Promise<TransactionReceipt> {
    return mined(this.as(signer).deposit(channelId, parties, { value: amount }), "deposit");
  }

  cooperativeClose(
    signer: Signer,
    channelId: bigint,
    parties: Parties,
    balanceA: bigint,
    balanceB: bigint,
    signatureA: string,
    signatureB: string,
  ): Promise<TransactionReceipt> {
    return mined(
      this.as(signer).cooperativeClose(channelId, parties, balanceA, balanceB, signatureA, signatureB),
      "cooperative close",
    );
  }

  close(signer: Signer, channelId: bigint, parties: Parties, signed: SignedState): Promise<TransactionReceipt> {
    return mined(
      this.as(signer).close(channelId, parties, signed.state, signed.signatureA, signed.signatureB),
      "close",
    );
  }

  dispute(
    signer: Signer,
    channelId: bigint,
    parties: Parties,
    closing: ChannelState,
    newer: SignedState,
    revocation: Revocation | null,
  ): Promise<TransactionReceipt> {
    return mined(this.sendDispute(signer, channelId, parties, closing, newer, revocation), "dispute");
  }

  /** Sends a dispute without waiting for it to be mined (fees and gas limit from `overrides`). */
  sendDispute(
    signer: Signer,
    channelId: bigint,
    parties: Parties,
    closing: ChannelState,
    newer: SignedState,
    revocation: Revocation | null,
    overrides: Overrides = {},
  ): Promise<ContractTransactionResponse> {
    const rev = revocation ?? { nonce: 0n, signature: "0x" };
    return this.as(signer).dispute(
      channelId,
      parties,
      closing,
      newer.state,
      newer.signatureA,
      newer.signatureB,
      rev,
      overrides,
    );
  }

  settle(signer: Signer, channelId: bigint, parties: Parties, closing: ChannelState): Promise<TransactionReceipt> {
    return mined(this.as(signer).settle(channelId, parties, closing), "settle");
  }

  /** Settles and decides every lock at once; `preimages[i]` is ZeroHash for "none". */
  settleWithLocks(
    signer: Signer,
    channelId: bigint,
    parties: Parties,
    closing: ChannelState,
    locks: Lock[],
    preimages: string[],
  ): Promise<TransactionReceipt> {
    return mined(this.as(signer).settleWithLocks(channelId, parties, closing, locks, preimages), "settle with locks");
  }

  revealSecret(signer: Signer, preimage: string): Promise<TransactionReceipt> {
    return mined(this.as(signer).revealSecret(preimage), "reveal secret");
  }

  redeemLock(
    signer: Signer,
    channelId: bigint,
    parties: Parties,
    lock: Lock,
    proof: string[],
    preimage: string,
  ): Promise<TransactionReceipt> {
    return mined(this.as(signer).redeemLock(channelId, parties, lock, proof, preimage), "redeem lock");
  }

  refundLock(
    signer: Signer,
    channelId: bigint,
    parties: Parties,
    lock: Lock,
    proof: string[],
  ): Promise<TransactionReceipt> {
    return mined(this.as(signer).refundLock(channelId, parties, lock, proof), "refund lock");
  }

  /** Every preimage shown on L1 (revealSecret, or used to redeem a lock), by hashlock. */
  async revealedPreimages(fromBlock = 0): Promise<Map<string, string>> {
    const c = this.contract;
    const out = new Map<string, string>();
    for (const e of await c.queryFilter(c.filters.SecretRevealed(), fromBlock))
      out.set(e.args.hashlock, e.args.preimage);
    for (const e of await c.queryFilter(c.filters.PreimageRevealed(), fromBlock)) {
      out.set(e.args.hashlock, e.args.preimage);
    }
    return out;
  }

  async status(channelId: bigint): Promise<L1Status> {
    const [status] = await this.contract.channel(channelId);
    return STATUSES[Number(status)];
  }

  /** The state a closing channel will settle on: the last ChannelClosed or ChannelUpdated of it. */
  async closingInfo(channelId: bigint): Promise<ClosingInfo> {
    const closed = await this.contract.queryFilter(this.contract.filters.ChannelClosed(channelId));
    if (closed.length === 0) throw new L1Error(`channel ${channelId}`, "was never closed unilaterally");
    const last = closed[closed.length - 1];
    let state = toChannelState(last.args.state);
    const updates = await this.contract.queryFilter(this.contract.filters.ChannelUpdated(channelId), last.blockNumber);
    if (updates.length > 0) state = toChannelState(updates[updates.length - 1].args.state);
    return {
      state,
      closer: last.args.closer,
      settleAt: Number(last.args.settleAt),
      closedNonce: last.args.nonce,
    };
  }

  /** Everything the contract paid each side of a channel: closes, settle, penalty and locks. */
  async payouts(channelId: bigint, parties: Parties): Promise<{ a: bigint; b: bigint }> {
    const c = this.contract;
    const paid = { a: 0n, b: 0n };
    const add = (account: string, amount: bigint): void => {
      if (account === parties.accountA) paid.a += amount;
      else if (account === parties.accountB) paid.b += amount;
    };
    for (const e of await c.queryFilter(c.filters.ChannelCooperativelyClosed(channelId))) {
      paid.a += e.args.payoutA;
      paid.b += e.args.payoutB;
    }
    for (const e of await c.queryFilter(c.filters.ChannelSettled(channelId))) {
      paid.a += e.args.payoutA;
      paid.b += e.args.payoutB;
    }
    for (const e of await c.queryFilter(c.filters.ChannelPenalized(channelId))) add(e.args.beneficiary, e.args.amount);
    for (const e of await c.queryFilter(c.filters.LockRedeemed(channelId))) add(e.args.to, e.args.amount);
    for (const e of await c.queryFilter(c.filters.LockRefunded(channelId))) add(e.args.to, e.args.amount);
    return paid;
  }
}
