/**
 * The optimistic rollup's L2 node: a long-running operator (src/optimistic/operator.ts) behind an HTTP JSON API.
 * Users send signed transfers and withdrawals; the node checks each against the state with everything pending,
 * journals it (fsync'd) and only then answers, and posts batches on a timer or as soon as one is full.
 *
 *   request ──► check (signature, nonce, balance) ──► journal + fsync ──► pool ──► answer {hash, seq}
 *                                                                            │
 *                                              timer / full ──► submitBatch on L1 ──► batch status, exits
 *
 * Durability: after `kill -9` the node rebuilds its state from L1 alone (the batches it posted, as a watcher
 * would) and then replays the journal: a journalled tx whose bytes are in a standing batch is already applied
 * and skipped; every other one goes back into the pool. So no accepted tx is lost and none is applied twice.
 * Everything else (balances, batch and deposit status, exits) is read or rebuilt from L1.
 */
import { AbiCoder, keccak256, isAddress, type Signer } from "ethers";
import { SIGNATURE_BYTES } from "../encoding/bls";
import {
  BLS_TRANSFER_BYTES,
  BLS_TRANSFER_TYPE,
  blsTransferMessage,
  decodeBlsChunk,
  decodeBlsChunkTxAt,
  encodeBlsTransfer,
  isBlsEncodable,
  type BlsChunkTx,
  type SignedBlsTransfer,
} from "../encoding/bls-tx";
import { z } from "zod";
import type { OptimisticRollup } from "../../typechain-types";
import { isEncodableAmount, isEncodableFee } from "../encoding/amount";
import { decodeTxs, encodeTx, TxEncodeError, type L2Tx } from "../encoding/tx";
import { AmountEncodingError } from "../encoding/amount";
import { ApiError, parseBody, RateLimiter, type Route } from "../net/http";
import { canonicalChain, readBlsKeys, readL1, readParams, type L1View } from "../optimistic/l1-view";
import { Operator, OperatorRefusal, type BlobPostingSetup, type PoolTx, type UserTx } from "../optimistic/operator";
import type { OptimisticParams } from "../optimistic/params";
import { depositOwner, type Exit, type Fault } from "../optimistic/state";
import { blsTxName, buildCommittedExitClaim, rebuild } from "../optimistic/watcher";
import { Journal } from "./journal";

export interface OptimisticNodeOptions {
  /** The rollup, connected to the operator's L1 signer. */
  readonly rollup: OptimisticRollup;
  readonly operator: Signer;
  /** The journal file (created if missing). */
  readonly journalPath: string;
  /** A batch goes out this often when anything is pending (deposits included). */
  readonly batchIntervalMs: number;
  /** ... or as soon as this many L2 txs are pending. */
  readonly maxBatchTxs: number;
  readonly log?: (line: string) => void;
  /** Set to post batches in blobs through the archive (deployment record's posting "blob"). */
  readonly blobPosting?: BlobPostingSetup;
}

export interface RecoveryReport {
  readonly ms: number;
  readonly batches: number;
  readonly journalRecords: number;
  /** Journalled txs found in standing batches on L1: already applied, skipped. */
  readonly alreadyBatched: number;
  /** Journalled txs not in any standing batch: back in the pool. */
  readonly requeued: number;
  /** Journalled txs the state no longer takes (e.g. their batch was rolled back and a later tx spent the funds). */
  readonly dropped: number;
  /** A torn last journal record that was cut (never answered for). */
  readonly cutBytes: number;
}

/** keccak256 of a tx's packed bytes: how the API names an L2 tx (a BLS transfer: blsTxName, nonce included). */
export function txHash(tx: L2Tx): string {
  return keccak256(encodeTx(tx));
}

/**
 * A BLS transfer in the journal: [bls transfer<12>|nonce<4>|signature<96>]. Its 12 bytes carry no nonce and no
 * signature, and a node that restarts needs both: the nonce names it and the signature joins its chunk's aggregate.
 */
const BLS_RECORD_BYTES = BLS_TRANSFER_BYTES + 4 + SIGNATURE_BYTES;

function encodeBlsRecord(tx: SignedBlsTransfer, nonce: number): Buffer {
  const nonceBytes = Buffer.alloc(4);
  nonceBytes.writeUInt32BE(nonce);
  return Buffer.concat([encodeBlsTransfer(tx), nonceBytes, Buffer.from(tx.signature)]);
}

function decodeBlsRecord(bytes: Buffer): { tx: SignedBlsTransfer; nonce: number } {
  const { tx } = decodeBlsChunkTxAt(bytes, 0);
  if (tx.type !== "bls-transfer" || bytes.length !== BLS_RECORD_BYTES) {
    throw new Error(`journal: a ${bytes.length}-byte record that is not a BLS transfer record`);
  }
  const signature = Uint8Array.from(bytes.subarray(BLS_TRANSFER_BYTES + 4));
  return { tx: { ...tx, signature }, nonce: bytes.readUInt32BE(BLS_TRANSFER_BYTES) };
}

/** How the API names the tx of a journal record (0x-hex). */
function recordName(bytes: string): string {
  const record = Buffer.from(bytes.slice(2), "hex");
  if (record[0] !== BLS_TRANSFER_TYPE) return keccak256(bytes);
  const { tx, nonce } = decodeBlsRecord(record);
  return blsTxHash(tx, nonce);
}

/** The name of a BLS transfer signed at `nonce` (what its sender signed, hashed). */
export function blsTxHash(tx: Omit<SignedBlsTransfer, "type" | "signature">, nonce: number): string {
  return blsTxName(blsTransferMessage(tx, nonce));
}

const hex = (b: Buffer): string => "0x" + b.toString("hex");
const Uint32 = z.number().int().min(0).max(0xffffffff);
const Address = z.string().refine((value) => isAddress(value), "expected a 0x-prefixed 20-byte address");
const Wei = z
  .string()
  .regex(/^\d{1,78}$/, "expected a decimal string of wei")
  .transform((value) => BigInt(value));
const Amount = Wei.refine(
  isEncodableAmount,
  "not encodable in 5 bytes: at most 34359738367 × 10^k wei (round to 10 significant digits)",
);
const Fee = Wei.refine(
  isEncodableFee,
  "not encodable in 2 bytes: at most 4095 × 10^k wei (round to 3 significant digits)",
);
const Signature = z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected 65 bytes [r|s|v] as 0x-hex");
const BlsSignature = z
  .string()
  .regex(/^0x[0-9a-fA-F]{192}$/, "expected a compact G1 point, 96 bytes [x|y], as 0x-hex")
  .transform((value) => Uint8Array.from(Buffer.from(value.slice(2), "hex")));

// Parsed with schema.parse: the server answers a ZodError as one 400 listing every bad field (as parseBody does).
export const TransferRequest = z
  .object({
    type: z.literal("transfer").optional(),
    from: Uint32,
    to: Uint32,
    amount: Amount,
    fee: Fee,
    nonce: Uint32,
    signature: Signature,
  })
  .strict();
export const WithdrawalRequest = z
  .object({
    type: z.literal("withdraw").optional(),
    from: Uint32,
    recipient: Address,
    amount: Amount,
    fee: Fee,
    nonce: Uint32,
    signature: Signature,
  })
  .strict();
/**
 * BLS variant: a transfer signed with its owner's registered BLS key over [from|to|amount|fee|nonce] (the nonce is
 * signed, never posted); amount and fee must have the BLS layout's exact float encodings.
 */
export const BlsTransferRequest = z
  .object({
    type: z.literal("bls-transfer").optional(),
    from: Uint32,
    to: Uint32,
    amount: Wei,
    fee: Wei,
    nonce: Uint32,
    signature: BlsSignature,
  })
  .strict()
  .refine(
    (r) => isBlsEncodable(r.amount, r.fee),
    "amount or fee has no exact BLS encoding: amount 11 bits and fee 3 bits of mantissa, each × 10^k wei",
  );
export const AccountRequest = z.object({ owner: Address }).strict();

/** How the API answers a tx the state refuses: the status and code of each rule. */
const REFUSALS: Partial<Record<Fault, { status: number; code: string }>> = {
  UnknownSender: { status: 404, code: "unknown-account" },
  UnknownRecipient: { status: 404, code: "unknown-account" },
  BadSignature: { status: 422, code: "bad-signature" },
  BadNonce: { status: 409, code: "bad-nonce" },
  Overdraft: { status: 422, code: "insufficient-balance" },
  BadRegistration: { status: 409, code: "account-exists" },
};

/**
 * BLS transfers each client may have checked: a check is a pairing and a hash to G1, tens of ms of this process's
 * one thread, so the server's general limit (50 requests a second) would let one client keep it busy for good.
 */
const BLS_CHECK_RATE = { perSecond: 4, burst: 24 };

export class OptimisticNode {
  readonly operator: Operator;
  private journal!: Journal<string>;
  /** Every journalled tx's packed bytes (0x-hex), by sequence number. */
  private journalled: string[] = [];
  private seqOf = new Map<string, number>();
  private dropped = new Map<string, string>();
  /** tx hash -> id of the standing batch that holds it. */
  private batchOf = new Map<string, number>();
  /** The name of each pooled BLS transfer (its nonce is not in its bytes), for indexing the batch that takes it. */
  private blsNames = new WeakMap<PoolTx, string>();
  /** BLS variant: the keys as first read, until a view holds newer ones. */
  private readonly blsKeys?: NonNullable<L1View["bls"]>;
  /** batch id -> the exits of each chunk (as posted, or as rebuilt from L1 after a restart). */
  private exitsOf = new Map<number, Exit[][]>();
  private view!: L1View;
  /** The L1 block the view was read at, and which read (in start order) it came from. */
  private viewBlock = -1;
  private viewRead = 0;
  private reads = 0;
  private posting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** A post failed and so did the recovery after it: the state cannot be trusted until a recovery succeeds. */
  private stale = false;
  readonly counts = { accepted: 0, refused: 0, batches: 0 };
  private readonly blsChecks = new RateLimiter(BLS_CHECK_RATE);
  private readonly log: (line: string) => void;

  private constructor(
    readonly options: OptimisticNodeOptions,
    params: OptimisticParams,
    domain: Buffer,
    feeRecipient: string,
    bls?: NonNullable<L1View["bls"]>,
  ) {
    this.log = options.log ?? (() => undefined);
    this.blsKeys = bls;
    this.operator = new Operator(
      options.rollup,
      options.operator,
      feeRecipient,
      params,
      domain,
      this.log,
      bls ? { txTag: bls.txTag, keyOf: (owner) => this.blsKeyOf(owner) } : undefined,
      options.blobPosting,
    );
    this.operator.onDropped = (tx, reason) => {
      const hash = tx.type === "bls-transfer" ? this.blsNames.get(tx) : txHash(tx);
      if (hash) this.dropped.set(hash, reason);
    };
  }

  /** The BLS key registered for `owner` on L1, as the latest view read shows it. */
  private blsKeyOf(owner: string) {
    return (this.view?.bls ?? this.blsKeys)?.keys.get(owner.toLowerCase());
  }

  /** The txs of one posted chunk (after the aggregate signature in the BLS variant). */
  private chunkTxs(data: Buffer): BlsChunkTx[] {
    return this.blsKeys ? decodeBlsChunk(data).txs : decodeTxs(data);
  }

  /** Reads the rollup's parameters from L1, recovers from L1 plus the journal, and starts the batch timer. */
  static async start(options: OptimisticNodeOptions): Promise<{ node: OptimisticNode; recovery: RecoveryReport }> {
    const { rollup } = options;
    const { params, domain, operator: operatorAddress } = await readParams(rollup, options.maxBatchTxs);
    const signer = (await options.operator.getAddress()).toLowerCase();
    if (operatorAddress.toLowerCase() !== signer) {
      throw new Error(`optimistic-node: the rollup's operator is ${operatorAddress}, but this node signs as ${signer}`);
    }
    const provider = rollup.runner!.provider!;
    const { chainId } = await provider.getNetwork();
    const bls = await readBlsKeys(rollup, chainId, (await rollup.getAddress()).toLowerCase());
    const node = new OptimisticNode(options, params, domain, signer, bls);
    const started = Date.now();
    const opened = Journal.open<string>(options.journalPath);
    node.journal = opened.journal;
    node.journalled = opened.records.map((r) => r.data);
    node.journalled.forEach((bytes, seq) => node.seqOf.set(recordName(bytes), seq));
    if (opened.cut) {
      node.log(
        `journal: cut a torn last record at byte ${opened.cut.offset} (${opened.cut.bytes} bytes, ${opened.cut.reason}); it was never answered for`,
      );
    }
    const recovered = await node.recover();
    const recovery: RecoveryReport = { ...recovered, ms: Date.now() - started, cutBytes: opened.cut?.bytes ?? 0 };
    node.log(
      `recovered in ${recovery.ms} ms: ${recovery.batches} standing batch(es) on L1, ${recovery.journalRecords} journal ` +
        `record(s): ${recovery.alreadyBatched} already in batches, ${recovery.requeued} pending again, ${recovery.dropped} no longer apply`,
    );
    node.timer = setInterval(
      () => node.tick().catch((error: unknown) => node.log(`batch timer: ${(error as Error).message}`)),
      options.batchIntervalMs,
    );
    return { node, recovery };
  }

  /** Rebuilds the state from L1 and puts every journalled tx no standing batch holds back into the pool. */
  private async recover(): Promise<Omit<RecoveryReport, "ms" | "cutBytes">> {
    const rebuilt = await this.operator.restoreFromL1();
    this.batchOf.clear();
    this.exitsOf.clear();
    this.view = rebuilt.view;
    this.viewRead = ++this.reads;
    for (const id of rebuilt.validBatches) this.indexBatch(id, rebuilt.blsTxNames.get(id) ?? []);
    for (const exit of rebuilt.exits) {
      const chunks = this.exitsOf.get(exit.batchId) ?? [];
      (chunks[exit.chunkIndex] ??= []).push({
        position: exit.position,
        recipient: exit.recipient,
        amount: exit.amount,
      });
      this.exitsOf.set(exit.batchId, chunks);
    }
    let alreadyBatched = 0;
    let requeued = 0;
    let dropped = 0;
    for (const [seq, bytes] of this.journalled.entries()) {
      const record = Buffer.from(bytes.slice(2), "hex");
      const bls = record[0] === BLS_TRANSFER_TYPE ? decodeBlsRecord(record) : undefined;
      const hash = recordName(bytes);
      if (this.batchOf.has(hash)) {
        alreadyBatched++;
        continue;
      }
      const tx: PoolTx = bls ? bls.tx : (decodeTxs(record)[0] as UserTx);
      try {
        if (bls) this.acceptBls(bls.tx, bls.nonce);
        else this.operator.accept(tx);
        requeued++;
      } catch (error) {
        dropped++;
        this.dropped.set(hash, (error as Error).message);
        this.log(`journal record ${seq} (${tx.type} ${hash}) no longer applies: ${(error as Error).message}`);
      }
    }
    return {
      batches: rebuilt.validBatches.length,
      journalRecords: this.journalled.length,
      alreadyBatched,
      requeued,
      dropped,
    };
  }

  /** Records which txs a standing batch holds; `blsNames` names its BLS transfers, in order. */
  private indexBatch(id: number, blsNames: readonly string[]): void {
    for (const chunk of this.view.batches[id].chunks) {
      for (const tx of this.chunkTxs(chunk.data)) {
        if (tx.type === "transfer" || tx.type === "withdraw" || tx.type === "register")
          this.batchOf.set(txHash(tx), id);
      }
    }
    for (const name of blsNames) this.batchOf.set(name, id);
  }

  /** Posts if anything is due (the batch timer calls this). */
  async tick(): Promise<number[]> {
    if (this.stopped) return [];
    if (this.posting) {
      await this.posting;
      return [];
    }
    if (this.stale) {
      this.posting = this.recover()
        .then(() => {
          this.stale = false;
          this.log("recovered from L1 and the journal after a failed post");
        })
        .finally(() => (this.posting = undefined));
      await this.posting;
    }
    const view = await this.refresh(true);
    const state = this.operator.state;
    const due =
      this.operator.pending.length > 0 ||
      view.deposits.length > state.depositCursor ||
      view.forced.length > state.forcedCursor;
    if (!due || view.frozen || this.stopped || this.posting) return [];
    return this.post();
  }

  /** Posts everything pending now, in as many batches as it takes; accepts wait until it is done. */
  private post(): Promise<number[]> {
    let ids: number[] = [];
    const run = (async () => {
      const txs = this.operator.pending.length;
      try {
        const { batchIds, receipts } = await this.operator.postPending();
        ids = batchIds;
        await this.refresh(true);
        for (const id of batchIds) {
          const names = this.operator.postedTxsOf(id).map((tx) => this.blsNames.get(tx));
          this.indexBatch(
            id,
            names.filter((name): name is string => name !== undefined),
          );
          const exits = this.operator.committedExits.get(id);
          if (exits) this.exitsOf.set(id, exits);
          const batch = this.view.batches[id];
          const count = batch.chunks.reduce((n, c) => n + this.chunkTxs(c.data).length, 0);
          const receipt = receipts.find((r) => r.hash === batch.txHash);
          this.log(
            `batch ${id} posted: ${count} L2 tx(s) in ${batch.chunks.length} chunk(s), block ${receipt?.blockNumber}, ` +
              `gas ${receipt?.gasUsed}, final at ${new Date(batch.finalAt * 1000).toISOString()}`,
          );
        }
        this.counts.batches += batchIds.length;
      } catch (error) {
        this.log(
          `posting ${txs} pending tx(s) failed: ${(error as Error).message}; rebuilding from L1 and the journal`,
        );
        await this.recover().then(
          () => (this.stale = false),
          (again: unknown) => {
            // The operator's state may hold the unposted batch: take nothing until a recovery succeeds.
            this.stale = true;
            this.log(`recovery failed: ${(again as Error).message}; retrying at the next tick`);
          },
        );
      }
    })();
    this.posting = run.finally(() => (this.posting = undefined));
    return this.posting.then(() => ids);
  }

  /**
   * The L1 view, re-read when L1 has a block the view has not seen (`force`: always). A read that started before
   * the current view's never replaces it, so a slow read cannot hide a batch just posted.
   */
  private async refresh(force = false): Promise<L1View> {
    const block = await this.options.rollup.runner!.provider!.getBlockNumber();
    if (!force && block === this.viewBlock) return this.view;
    const startedAt = ++this.reads;
    const view = await readL1(this.options.rollup, this.options.blobPosting?.archive);
    if (startedAt > this.viewRead) {
      this.view = view;
      this.viewRead = startedAt;
      this.viewBlock = block;
    }
    return this.view;
  }

  private async whenIdle(): Promise<void> {
    while (this.posting) await this.posting;
  }

  /** Waits for a post in flight to land; refuses while the state cannot be trusted (a recovery failed). */
  private async whenTaking(): Promise<void> {
    await this.whenIdle();
    if (this.stale)
      throw new ApiError(503, "recovering", "the node lost L1 while posting; it takes txs again once it reaches L1");
  }

  /** Checks, journals (fsync) and pools one user tx; throws ApiError for every refusal. */
  async submit(tx: UserTx): Promise<{ hash: string; seq: number; status: "pending"; pendingTxs: number }> {
    if (this.stopped) throw new ApiError(503, "stopping", "the node is stopping");
    await this.whenTaking();
    let seq = -1;
    let durable: Promise<void> = Promise.resolve();
    try {
      this.operator.accept(tx, (accepted) => ({ seq, durable } = this.journalTx(accepted)));
    } catch (error) {
      this.counts.refused++;
      throw this.refusal(tx, error);
    }
    if (this.operator.pending.length >= this.options.maxBatchTxs && !this.posting) void this.post();
    // The answer waits for the fsync that covers this record (shared with the records queued beside it). The tx
    // is pooled already: a batch posted before the fsync puts it on L1, which recovery reads first anyway.
    await durable;
    this.counts.accepted++;
    return { hash: txHash(tx), seq, status: "pending", pendingTxs: this.operator.pending.length };
  }

  /**
   * BLS variant: checks, journals (fsync) and pools a BLS transfer signed at `nonce`, which must be its sender's
   * next nonce with the pool applied (the nonce is signed, not posted: a transfer signed for another nonce could
   * never verify in its chunk's aggregate).
   */
  async submitBls(
    tx: SignedBlsTransfer,
    nonce: number,
    client = "",
  ): Promise<{ hash: string; seq: number; status: "pending"; pendingTxs: number }> {
    if (!this.blsKeys) {
      throw new ApiError(
        409,
        "not-bls",
        "bls-transfer: this rollup is an OptimisticRollup with ECDSA transfers (POST /transfers); BLS transfers need a BlsOptimisticRollup (devnet --signatures bls)",
      );
    }
    if (this.stopped) throw new ApiError(503, "stopping", "the node is stopping");
    if (!this.blsChecks.take(client)) {
      throw new ApiError(
        429,
        "rate-limited",
        `bls-transfer: too many from ${client}: at most ${this.blsChecks.describe()} (each costs a pairing)`,
      );
    }
    await this.whenTaking();
    const sender = this.operator.projected().account(tx.from);
    // A key registered since the last read: read L1 again before calling the signature bad.
    if (sender.owner !== ZERO && !this.blsKeyOf(sender.owner)) await this.refresh();
    let seq = -1;
    let durable: Promise<void> = Promise.resolve();
    try {
      this.acceptBls(tx, nonce, (accepted) => ({ seq, durable } = this.journalBls(accepted, nonce)));
    } catch (error) {
      this.counts.refused++;
      throw this.blsRefusal(tx, nonce, error);
    }
    if (this.operator.pending.length >= this.options.maxBatchTxs && !this.posting) void this.post();
    await durable;
    this.counts.accepted++;
    return { hash: blsTxHash(tx, nonce), seq, status: "pending", pendingTxs: this.operator.pending.length };
  }

  /** Pools a BLS transfer signed at `nonce`, which must be its sender's projected nonce. */
  private acceptBls(tx: SignedBlsTransfer, nonce: number, beforeCommit?: (tx: SignedBlsTransfer) => void): void {
    const sender = this.operator.projected().account(tx.from);
    if (sender.owner !== ZERO && sender.nonce !== nonce) {
      throw new OperatorRefusal(`operator refuses the bls-transfer from account ${tx.from}: BadNonce`, "BadNonce");
    }
    this.operator.accept(tx, (accepted) => {
      beforeCommit?.(accepted);
      this.blsNames.set(accepted, blsTxHash(accepted, nonce));
    });
  }

  private journalBls(tx: SignedBlsTransfer, nonce: number): { seq: number; durable: Promise<void> } {
    const bytes = hex(encodeBlsRecord(tx, nonce));
    const queued = this.journal.enqueue(bytes);
    this.journalled.push(bytes);
    this.seqOf.set(blsTxHash(tx, nonce), queued.seq);
    this.dropped.delete(blsTxHash(tx, nonce));
    return queued;
  }

  private blsRefusal(tx: SignedBlsTransfer, nonce: number, error: unknown): Error {
    if (!(error instanceof OperatorRefusal) || !error.fault) return error as Error;
    const known = REFUSALS[error.fault] ?? { status: 422, code: "refused" };
    const sender = this.operator.projected().account(tx.from);
    let message = `bls-transfer from account ${tx.from}: ${error.fault}`;
    switch (error.fault) {
      case "UnknownSender":
        message = `bls-transfer: account ${tx.from} does not exist on L2 (deposit on L1 first, or POST /accounts)`;
        break;
      case "UnknownRecipient":
        message = `bls-transfer: recipient account ${tx.to} does not exist on L2 (POST /accounts opens one for its key)`;
        break;
      case "BadSignature":
        message = this.blsKeyOf(sender.owner)
          ? `bls-transfer from account ${tx.from}: the signature does not verify over [from|to|amount|fee|nonce ${nonce}] under the BLS key registered for ${sender.owner}`
          : `bls-transfer from account ${tx.from}: its owner ${sender.owner} has no BLS key on L1 (BlsKeyRegistry.registerBlsKey)`;
        break;
      case "BadNonce":
        message = `bls-transfer from account ${tx.from}: signed for nonce ${nonce}, expected ${sender.nonce}`;
        break;
      case "Overdraft":
        message = `bls-transfer from account ${tx.from}: amount ${tx.amount} + fee ${tx.fee} wei > balance ${sender.balance} wei (pending txs included)`;
        break;
    }
    return new ApiError(known.status, known.code, message);
  }

  /** Opens (registers) an account for an L2 key, or returns the one it has. */
  async openAccount(owner: string): Promise<{ index: number; created: boolean; hash?: string }> {
    if (BigInt(owner) === 0n) throw new ApiError(400, "invalid-input", "owner: the zero address cannot own an account");
    await this.whenTaking();
    let registered: UserTx | undefined;
    let durable: Promise<void> = Promise.resolve();
    const index = this.operator.accountFor(owner, (tx) => {
      durable = this.journalTx(tx).durable;
      registered = tx;
    });
    await durable;
    return registered ? { index, created: true, hash: txHash(registered) } : { index, created: false };
  }

  private journalTx(tx: UserTx): { seq: number; durable: Promise<void> } {
    const bytes = hex(encodeTx(tx));
    const queued = this.journal.enqueue(bytes);
    this.journalled.push(bytes);
    this.seqOf.set(keccak256(bytes), queued.seq);
    this.dropped.delete(keccak256(bytes));
    return queued;
  }

  private refusal(tx: UserTx, error: unknown): Error {
    if (error instanceof TxEncodeError || error instanceof AmountEncodingError) {
      return new ApiError(400, "invalid-input", error.message);
    }
    if (!(error instanceof OperatorRefusal) || !error.fault) return error as Error;
    const known = REFUSALS[error.fault] ?? { status: 422, code: "refused" };
    if (tx.type === "register") return new ApiError(known.status, known.code, error.message);
    const projected = this.operator.projected();
    const sender = projected.account(tx.from);
    let message = `${tx.type} from account ${tx.from}: ${error.fault}`;
    switch (error.fault) {
      case "UnknownSender":
        message = `${tx.type}: account ${tx.from} does not exist on L2 (deposit on L1 first, or POST /accounts)`;
        break;
      case "UnknownRecipient":
        message = `transfer: recipient account ${(tx as { to: number }).to} does not exist on L2 (POST /accounts opens one for its key)`;
        break;
      case "BadSignature":
        message = `${tx.type} from account ${tx.from}: the signature does not recover to the account's key ${sender.owner}`;
        break;
      case "BadNonce":
        message = `${tx.type} from account ${tx.from}: nonce ${tx.nonce}, expected ${sender.nonce}`;
        break;
      case "Overdraft":
        message = `${tx.type} from account ${tx.from}: amount ${tx.amount} + fee ${tx.fee} wei > balance ${sender.balance} wei (pending txs included)`;
        break;
    }
    return new ApiError(known.status, known.code, message);
  }

  /** The account at an index or of an owner: its balance and nonce as posted, and with the pool. */
  account(ref: string): unknown {
    const projected = this.operator.projected();
    const index = /^\d+$/.test(ref)
      ? Number(ref)
      : isAddress(ref)
        ? projected.findAccount(ref)
        : (() => {
            throw new ApiError(400, "invalid-input", `account: "${ref}" is neither an account index nor an address`);
          })();
    if (index === undefined || !Number.isSafeInteger(index) || projected.account(index).owner === ZERO) {
      throw new ApiError(
        404,
        "unknown-account",
        `no L2 account ${ref}: deposit on L1 (OptimisticRollup.deposit) and wait for a batch, or POST /accounts`,
      );
    }
    const posted = this.operator.state.account(index);
    const pending = projected.account(index);
    return {
      index,
      owner: pending.owner,
      balance: posted.balance,
      nonce: posted.nonce,
      pending: { balance: pending.balance, nonce: pending.nonce },
    };
  }

  private batchSummary(id: number, now: number) {
    const batch = this.view.batches[id];
    const standing = batch.status === "pending";
    return {
      id,
      status: !standing ? "rolled-back" : now >= batch.finalAt ? "final" : "challengeable",
      finalAt: batch.finalAt,
      l1Tx: batch.txHash,
      chunks: batch.chunks.length,
      txs: batch.chunks.reduce((n, c) => n + this.chunkTxs(c.data).length, 0),
      depositEnd: batch.depositEnd,
    };
  }

  private async now(): Promise<number> {
    const block = await this.options.rollup.runner!.provider!.getBlock("latest");
    return block!.timestamp;
  }

  status(): unknown {
    return {
      system: "optimistic",
      chainId: this.view.chainId,
      rollup: this.options.rollup.target,
      operator: this.operator.feeRecipient,
      domain: hex(this.operator.domain),
      tipId: this.view.tipId,
      frozen: this.view.frozen,
      pendingTxs: this.operator.pending.length,
      journalRecords: this.journal.length,
      accepted: this.counts.accepted,
      refused: this.counts.refused,
      batchIntervalMs: this.options.batchIntervalMs,
      maxBatchTxs: this.options.maxBatchTxs,
      chunkSize: this.operator.params.chunkSize,
      challengePeriod: this.operator.params.challengePeriod,
      signatures: this.blsKeys ? "bls" : "ecdsa",
      ...(this.blsKeys ? { blsTxTag: hex(Buffer.from(this.blsKeys.txTag)) } : {}),
    };
  }

  tx(hash: string): unknown {
    const batchId = this.batchOf.get(hash);
    if (batchId !== undefined) {
      const batch = this.view.batches[batchId];
      return {
        hash,
        status: "batched",
        seq: this.seqOf.get(hash),
        batchId,
        batchStatus: batch.status,
        finalAt: batch.finalAt,
      };
    }
    const seq = this.seqOf.get(hash);
    if (seq === undefined) throw new ApiError(404, "unknown-tx", `no accepted L2 tx ${hash}`);
    const reason = this.dropped.get(hash);
    return reason ? { hash, status: "dropped", seq, reason } : { hash, status: "pending", seq };
  }

  deposits(owner?: string): unknown[] {
    const standing = canonicalChain(this.view);
    return this.view.deposits
      .filter((d) => owner === undefined || depositOwner(d.recipient) === owner.toLowerCase())
      .map((d) => {
        const batchId = standing.find((id) => this.view.batches[id].depositEnd > d.index);
        const owned = depositOwner(d.recipient);
        return {
          index: d.index,
          sender: d.sender,
          owner: owned,
          amount: d.amount,
          status: batchId === undefined ? "queued" : "included",
          batchId,
          account: batchId === undefined ? undefined : this.operator.state.findAccount(owned),
        };
      });
  }

  /** Every exit paid to `recipient` by a standing batch, with the claim to send to L1 once it is final. */
  async exits(recipient: string): Promise<unknown[]> {
    const now = await this.now();
    const coder = AbiCoder.defaultAbiCoder();
    const out: unknown[] = [];
    for (const id of canonicalChain(this.view)) {
      const chunks = this.exitsOf.get(id);
      if (!chunks) continue;
      const batch = this.view.batches[id];
      for (const [chunkIndex, exits] of chunks.entries()) {
        for (const exit of exits ?? []) {
          if (exit.recipient !== recipient.toLowerCase()) continue;
          const key = keccak256(coder.encode(["uint256", "uint256", "uint256"], [id, chunkIndex, exit.position]));
          const claimed = await this.options.rollup.exitClaimed(key);
          const final = now >= batch.finalAt;
          out.push({
            batchId: id,
            chunkIndex,
            position: exit.position,
            recipient: exit.recipient,
            amount: exit.amount,
            finalAt: batch.finalAt,
            status: claimed ? "claimed" : final ? "claimable" : "challengeable",
            claim: buildCommittedExitClaim(this.view, id, chunkIndex, exits, exit),
          });
        }
      }
    }
    return out;
  }

  /**
   * What `OptimisticRollup.escape(account, siblings, recipient, l2Signature)` needs besides the owner's signature
   * (`signEscape` in src/optimistic/client.ts): the account in the state of the standing tip, rebuilt from L1 alone,
   * and its Merkle siblings. Escapes are open once the rollup is frozen.
   */
  async escape(ref: string): Promise<unknown> {
    if (!/^\d+$/.test(ref)) throw new ApiError(400, "invalid-input", `account: expected an index, got "${ref}"`);
    const index = Number(ref);
    const view = await this.refresh(true);
    const { state } = rebuild(view);
    const account = state.account(index);
    if (account.owner === ZERO)
      throw new ApiError(404, "unknown-account", `no L2 account ${index} in the state of batch ${view.tipId} on L1`);
    return {
      frozen: view.frozen,
      escaped: await this.options.rollup.escaped(index),
      batchId: view.tipId,
      account,
      siblings: state.tree.proof(index).map((s) => hex(s)),
    };
  }

  /** The API: every route, each refusing bad input with a 4xx before it changes anything. */
  routes(): Route[] {
    return [
      { method: "GET", path: "/status", handle: () => this.status() },
      { method: "GET", path: "/accounts/:ref", handle: (r) => this.account(r.params.ref) },
      {
        method: "POST",
        path: "/accounts",
        handle: (r) => this.openAccount(parseBody(AccountRequest, r.body).owner),
      },
      {
        method: "POST",
        path: "/transfers",
        handle: (r) => this.submit({ ...TransferRequest.parse(r.body), type: "transfer" }),
      },
      {
        method: "POST",
        path: "/bls-transfers",
        handle: (r) => {
          const { nonce, type: _type, ...fields } = BlsTransferRequest.parse(r.body);
          return this.submitBls({ ...fields, type: "bls-transfer" }, nonce, r.client);
        },
      },
      {
        method: "POST",
        path: "/withdrawals",
        handle: (r) => this.submit({ ...WithdrawalRequest.parse(r.body), type: "withdraw" }),
      },
      {
        method: "GET",
        path: "/txs/:hash",
        handle: (r) => {
          if (!/^0x[0-9a-fA-F]{64}$/.test(r.params.hash))
            throw new ApiError(400, "invalid-input", `hash: expected 32 bytes as 0x-hex, got "${r.params.hash}"`);
          return this.tx(r.params.hash.toLowerCase());
        },
      },
      {
        method: "GET",
        path: "/batches",
        handle: async () => {
          await this.refresh();
          const now = await this.now();
          return this.view.batches.slice(1).map((b) => this.batchSummary(b.id, now));
        },
      },
      {
        method: "GET",
        path: "/batches/:id",
        handle: async (r) => {
          await this.refresh();
          const id = Number(r.params.id);
          if (!/^\d+$/.test(r.params.id) || id < 1 || id >= this.view.batches.length)
            throw new ApiError(
              404,
              "unknown-batch",
              `no batch ${r.params.id} (batches 1..${this.view.batches.length - 1})`,
            );
          return this.batchSummary(id, await this.now());
        },
      },
      { method: "POST", path: "/batches", handle: async () => ({ batchIds: await this.tick() }) },
      { method: "GET", path: "/escapes/:index", handle: (r) => this.escape(r.params.index) },
      {
        method: "GET",
        path: "/deposits",
        handle: async (r) => {
          const owner = r.query.get("owner") ?? undefined;
          if (owner !== undefined && !isAddress(owner))
            throw new ApiError(400, "invalid-input", `owner: expected an address, got "${owner}"`);
          await this.refresh();
          return this.deposits(owner);
        },
      },
      {
        method: "GET",
        path: "/exits",
        handle: async (r) => {
          const recipient = r.query.get("recipient");
          if (!recipient || !isAddress(recipient))
            throw new ApiError(
              400,
              "invalid-input",
              `recipient: expected ?recipient=<address>, got "${recipient ?? ""}"`,
            );
          await this.refresh();
          return this.exits(recipient);
        },
      },
    ];
  }

  /** Stops the timer, lets a post in flight land, and closes the journal. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.whenIdle();
    await this.journal.drain();
    this.journal.close();
  }
}

const ZERO = "0x0000000000000000000000000000000000000000";
