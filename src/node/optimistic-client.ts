/**
 * A typed client of the optimistic L2 node's API (docs/devnet.md): every answer with its wei values back as
 * bigint, and the signing done locally with the user's own L2 key (the key never leaves the process).
 *
 *   const node = new OptimisticNodeClient("http://127.0.0.1:8600");
 *   const sent = await node.sendTransfer(key, { to: 7, amount: 10n ** 15n });
 *   await node.waitForTx(sent.hash, (t) => t.status === "batched");
 */
import { computeAddress, type SigningKey } from "ethers";
import { requestJson } from "../net/client";
import { signBlsTransfer, signTransfer, signWithdraw } from "../optimistic/client";
import { keyRegistration, rollupTags } from "../optimistic/bls";
import type { IOptimisticRollup } from "../../typechain-types/optimistic/OptimisticRollup";

export interface NodeStatus {
  system: "optimistic";
  chainId: string;
  rollup: string;
  operator: string;
  domain: string;
  tipId: number;
  frozen: boolean;
  pendingTxs: number;
  journalRecords: number;
  accepted: number;
  refused: number;
  batchIntervalMs: number;
  maxBatchTxs: number;
  chunkSize: number;
  challengePeriod: number;
  /** "bls": a BlsOptimisticRollup, which also takes BLS transfers (POST /bls-transfers). */
  signatures: "ecdsa" | "bls";
  /** BLS variant: the domain separation tag BLS transfers are signed under (0x-hex). */
  blsTxTag?: string;
}

export interface L2Account {
  index: number;
  owner: string;
  /** As of the batches posted on L1. */
  balance: bigint;
  nonce: number;
  /** With every pending tx applied: sign the next tx with `pending.nonce`. */
  pending: { balance: bigint; nonce: number };
}

export interface Accepted {
  hash: string;
  seq: number;
  status: "pending";
  pendingTxs: number;
}

export type TxStatus =
  | { hash: string; status: "pending"; seq: number }
  | { hash: string; status: "dropped"; seq: number; reason: string }
  | { hash: string; status: "batched"; seq?: number; batchId: number; batchStatus: string; finalAt: number };

export interface BatchSummary {
  id: number;
  status: "challengeable" | "final" | "rolled-back";
  finalAt: number;
  l1Tx: string;
  chunks: number;
  txs: number;
  depositEnd: number;
}

export interface DepositStatus {
  index: number;
  sender: string;
  owner: string;
  amount: bigint;
  status: "queued" | "included";
  batchId?: number;
  account?: number;
}

export interface ExitStatus {
  batchId: number;
  chunkIndex: number;
  position: number;
  recipient: string;
  amount: bigint;
  finalAt: number;
  status: "challengeable" | "claimable" | "claimed";
  /** The argument of OptimisticRollup.claimExit (uint256 fields as decimal strings, which ethers takes). */
  claim: IOptimisticRollup.ExitClaimStruct;
}

export class OptimisticNodeClient {
  private domainCache?: Buffer;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 30_000,
  ) {}

  private get<T>(path: string): Promise<T> {
    return requestJson<T>(this.url + path, { timeoutMs: this.timeoutMs });
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return requestJson<T>(this.url + path, { body, timeoutMs: this.timeoutMs });
  }

  status(): Promise<NodeStatus> {
    return this.get("/status");
  }

  /** The rollup's EIP-712 domain separator (what L2 signatures are bound to). */
  async domain(): Promise<Buffer> {
    this.domainCache ??= Buffer.from((await this.status()).domain.slice(2), "hex");
    return this.domainCache;
  }

  async account(ref: string | number): Promise<L2Account> {
    const a = await this.get<L2Account & { balance: string; pending: { balance: string; nonce: number } }>(
      `/accounts/${encodeURIComponent(String(ref))}`,
    );
    return { ...a, balance: BigInt(a.balance), pending: { ...a.pending, balance: BigInt(a.pending.balance) } };
  }

  /** Opens an L2 account for `owner` (an L2 key's address) so it can be paid before it deposits. */
  openAccount(owner: string): Promise<{ index: number; created: boolean; hash?: string }> {
    return this.post("/accounts", { owner });
  }

  /** Signs a transfer with `key` (from its account, at its pending nonce unless given) and sends it. */
  async sendTransfer(
    key: SigningKey,
    fields: { to: number; amount: bigint; fee?: bigint; from?: number; nonce?: number },
  ): Promise<Accepted> {
    const sender = await this.account(fields.from ?? addressOf(key));
    const tx = signTransfer(await this.domain(), key, {
      from: sender.index,
      to: fields.to,
      amount: fields.amount,
      fee: fields.fee ?? 0n,
      nonce: fields.nonce ?? sender.pending.nonce,
    });
    return this.post("/transfers", tx);
  }

  /** Signs a withdrawal to L1 address `recipient` and sends it; once its batch is final, `exits` has its claim. */
  async sendWithdrawal(
    key: SigningKey,
    fields: { recipient: string; amount: bigint; fee?: bigint; from?: number; nonce?: number },
  ): Promise<Accepted> {
    const sender = await this.account(fields.from ?? addressOf(key));
    const tx = signWithdraw(await this.domain(), key, {
      from: sender.index,
      recipient: fields.recipient,
      amount: fields.amount,
      fee: fields.fee ?? 0n,
      nonce: fields.nonce ?? sender.pending.nonce,
    });
    return this.post("/withdrawals", tx);
  }

  /**
   * BLS variant: the arguments of BlsKeyRegistry.registerBlsKey (the rollup's BLS_KEYS()) that bind BLS secret
   * key `secretKey` to the L2 key `owner`, with its proof of possession. Anyone may send them on L1, once.
   */
  async blsKeyRegistration(
    secretKey: bigint,
    owner: SigningKey,
  ): Promise<{ key: Uint8Array; possessionProof: Uint8Array; ownerSignature: string }> {
    const status = await this.status();
    const tags = rollupTags(BigInt(status.chainId), status.rollup);
    return keyRegistration(secretKey, owner, await this.domain(), tags.pop);
  }

  /**
   * BLS variant: signs a transfer from account `from` with BLS secret key `secretKey` (registered on L1 for the
   * account's owner) at the account's pending nonce unless given, and sends it. Amount and fee need exact BLS
   * encodings (11 and 3 bits of mantissa).
   */
  async sendBlsTransfer(
    secretKey: bigint,
    fields: { from: number; to: number; amount: bigint; fee?: bigint; nonce?: number },
  ): Promise<Accepted> {
    const status = await this.status();
    if (status.signatures !== "bls" || !status.blsTxTag) {
      throw new Error(`${this.url}: the rollup takes ECDSA transfers only (signatures "${status.signatures}")`);
    }
    const nonce = fields.nonce ?? (await this.account(fields.from)).pending.nonce;
    const txTag = Uint8Array.from(Buffer.from(status.blsTxTag.slice(2), "hex"));
    const tx = signBlsTransfer(
      txTag,
      secretKey,
      { from: fields.from, to: fields.to, amount: fields.amount, fee: fields.fee ?? 0n },
      nonce,
    );
    return this.post("/bls-transfers", {
      from: tx.from,
      to: tx.to,
      amount: tx.amount.toString(),
      fee: tx.fee.toString(),
      nonce,
      signature: "0x" + Buffer.from(tx.signature).toString("hex"),
    });
  }

  tx(hash: string): Promise<TxStatus> {
    return this.get(`/txs/${hash}`);
  }

  batches(): Promise<BatchSummary[]> {
    return this.get("/batches");
  }

  batch(id: number): Promise<BatchSummary> {
    return this.get(`/batches/${id}`);
  }

  /** Asks the node to post what is pending now instead of at its next timer tick. */
  postBatch(): Promise<{ batchIds: number[] }> {
    return this.post("/batches", {});
  }

  async deposits(owner?: string): Promise<DepositStatus[]> {
    const list = await this.get<(DepositStatus & { amount: string })[]>(
      owner ? `/deposits?owner=${owner}` : "/deposits",
    );
    return list.map((d) => ({ ...d, amount: BigInt(d.amount) }));
  }

  async exits(recipient: string): Promise<ExitStatus[]> {
    const list = await this.get<(ExitStatus & { amount: string })[]>(`/exits?recipient=${recipient}`);
    return list.map((e) => ({ ...e, amount: BigInt(e.amount) }));
  }

  /** Polls `read` until `done` holds (or throws after `timeoutMs`). */
  async waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > until) throw new Error(`${this.url}: still waiting after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  waitForTx(hash: string, done: (status: TxStatus) => boolean, timeoutMs?: number): Promise<TxStatus> {
    return this.waitFor(() => this.tx(hash), done, timeoutMs);
  }
}

function addressOf(key: SigningKey): string {
  return computeAddress(key.publicKey);
}
