/**
 * A typed client of the zk L2 node's API (docs/devnet.md). Operations are signed locally with the user's Baby
 * Jubjub key (EdDSA-Poseidon over Poseidon(packed op, nonce, domain)), so the key never leaves the process.
 */
import { requestJson } from "../net/client";
import { operationMessage, poseidon, type Poseidon } from "../zk/account";
import type { ZkKey } from "../zk/keys";
import { OpType, makeOp, packOp } from "../zk/ops";

export interface ZkNodeStatus {
  system: "zk";
  rollup: string;
  circuit: string;
  batchSize: number;
  domain: string;
  stateRoot: string;
  batches: number;
  pendingOps: number;
  journalRecords: number;
  proving: boolean;
  accepted: number;
  refused: number;
  batchIntervalMs: number;
}

export interface ZkAccount {
  index: number;
  owner: string;
  key: { ax: bigint; ay: bigint };
  balance: bigint;
  nonce: bigint;
  pending: { balance: bigint; nonce: bigint };
}

export interface ZkExit {
  batchNumber: number;
  slot: number;
  owner: string;
  amount: bigint;
  status: "claimable" | "claimed";
  /** The `siblings` argument of ZkRollup.claimWithdrawal. */
  siblings: string[];
}

type Wire<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] extends object ? Wire<T[K]> : T[K] };

export class ZkNodeClient {
  private hash?: Poseidon;
  private domainValue?: bigint;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 60_000,
  ) {}

  status(): Promise<ZkNodeStatus> {
    return requestJson(`${this.url}/status`, { timeoutMs: this.timeoutMs });
  }

  async account(index: number): Promise<ZkAccount> {
    const a = await requestJson<Wire<ZkAccount>>(`${this.url}/accounts/${index}`, { timeoutMs: this.timeoutMs });
    return {
      index: a.index,
      owner: a.owner,
      key: { ax: BigInt(a.key.ax), ay: BigInt(a.key.ay) },
      balance: BigInt(a.balance),
      nonce: BigInt(a.nonce),
      pending: { balance: BigInt(a.pending.balance), nonce: BigInt(a.pending.nonce) },
    };
  }

  /** The signed request body of a transfer (or, with `to` undefined, a withdrawal to the account's L1 owner). */
  async sign(
    key: ZkKey,
    fields: { from: number; to?: number; amount: bigint; fee?: bigint; nonce?: bigint },
  ): Promise<Record<string, unknown>> {
    this.hash ??= await poseidon();
    this.domainValue ??= BigInt((await this.status()).domain);
    const nonce = fields.nonce ?? (await this.account(fields.from)).pending.nonce;
    const fee = fields.fee ?? 0n;
    const op = makeOp(
      fields.to === undefined ? OpType.Withdraw : OpType.Transfer,
      fields.from,
      fields.to ?? 0,
      fields.amount,
      fee,
    );
    const signature = key.sign(operationMessage(this.hash, packOp(op), nonce, this.domainValue));
    const body: Record<string, unknown> = {
      from: fields.from,
      amount: fields.amount.toString(),
      fee: fee.toString(),
      nonce: nonce.toString(),
      signature: { r8x: signature.r8x.toString(), r8y: signature.r8y.toString(), s: signature.s.toString() },
    };
    if (fields.to !== undefined) body.to = fields.to;
    return body;
  }

  async sendTransfer(
    key: ZkKey,
    fields: { from: number; to: number; amount: bigint; fee?: bigint; nonce?: bigint },
  ): Promise<{ seq: number; status: "pending"; pendingOps: number }> {
    return requestJson(`${this.url}/transfers`, { body: await this.sign(key, fields), timeoutMs: this.timeoutMs });
  }

  async sendWithdrawal(
    key: ZkKey,
    fields: { from: number; amount: bigint; fee?: bigint; nonce?: bigint },
  ): Promise<{ seq: number; status: "pending"; pendingOps: number }> {
    return requestJson(`${this.url}/withdrawals`, { body: await this.sign(key, fields), timeoutMs: this.timeoutMs });
  }

  /** Proves and posts what is pending now (slow: one Groth16 proof per batch). */
  postBatch(): Promise<{ batchNumbers: number[] }> {
    return requestJson(`${this.url}/batches`, { body: {}, timeoutMs: 600_000 });
  }

  async exits(owner: string): Promise<ZkExit[]> {
    const list = await requestJson<(ZkExit & { amount: string })[]>(`${this.url}/exits?owner=${owner}`, {
      timeoutMs: this.timeoutMs,
    });
    return list.map((e) => ({ ...e, amount: BigInt(e.amount) }));
  }
}
