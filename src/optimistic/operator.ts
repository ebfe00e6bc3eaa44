/**
 * The operator (sequencer): keeps a pool of signed L2 txs, turns queued L1
 * deposits and forced requests into txs, splits everything into batches and
 * chunks, executes them to get each chunk's committed state, and posts them.
 * For teaching it can also cheat on purpose (`FaultSpec`), exactly one way per
 * batch. After a rollback it restarts from its snapshot of the standing tip
 * and puts the valid txs of rolled-back batches back into its pool.
 */
import { ContractTransactionReceipt } from "ethers";
import type { HDNodeWallet, Signer, Wallet } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import { encodeTx, L2Tx, RegisterTx, TransferTx, WithdrawTx } from "../encoding/tx";
import { BlsChunkTx, SignedBlsTransfer, blsTransferMessage, encodeBlsChunk } from "../encoding/bls-tx";
import { G1, G2Point, decodeSignature, encodeSignature, hashToG1, verifyAggregate } from "../encoding/bls";
import { keccakBytes } from "../encoding/keccak";
import { Kzg, ethersKzg } from "../encoding/kzg";
import type { BlobSource } from "./blob-archive";
import { blobBatchCalldata, blobBatchOf } from "./blob-batch";
import { rootOf } from "./batch-merkle";
import { readL1 } from "./l1-view";
import { Rebuild, rebuild } from "./watcher";
import { OptimisticParams, exitTreeDepth } from "./params";
import { ChunkContext, Exit, Fault, ForcedRequest, L2State, QueuedDeposit, depositOwner, exitLeaf } from "./state";

export type UserTx = TransferTx | WithdrawTx | RegisterTx;
/** What the pool holds: user txs, and BLS transfers with their own signatures in the BLS variant. */
export type PoolTx = UserTx | SignedBlsTransfer;

/** BLS variant (BlsOptimisticRollup): the transfer DST and the registered keys, by lower-case owner. */
export interface OperatorBls {
  txTag: Uint8Array;
  keyOf: (owner: string) => G2Point | undefined;
}

export type FaultSpec =
  | { kind: "bad-state-root" }
  | { kind: "mint"; to: number; amount: bigint }
  | { kind: "overdraft"; tx: TransferTx }
  | { kind: "forged-signature"; tx: TransferTx }
  | { kind: "replay"; from: number }
  | { kind: "skip-deposit" }
  | { kind: "fake-exit"; recipient: string; amount: bigint }
  | { kind: "malformed" }
  /** BLS variant: a transfer its sender never signed, covered by an aggregate that therefore does not verify. */
  | { kind: "bad-aggregate"; tx: SignedBlsTransfer };

/** The operator will not take or post something; `expectRevert` in a scenario accepts this. */
export class OperatorRefusal extends Error {
  constructor(
    message: string,
    /** The rule the tx breaks, when the refusal is a tx the state refuses. */
    readonly fault?: Fault,
  ) {
    super(message);
    this.name = "OperatorRefusal";
  }
}

export interface BuiltBatch {
  chunks: Buffer[];
  states: { stateRoot: Buffer; exitRoot: Buffer; depositCursor: number; forcedCursor: number }[];
  txs: BlsChunkTx[];
  feeAccount: number;
  /** The exits each chunk commits to (a cheat's fake exit included): what L1 pays once the batch is final. */
  exits: Exit[][];
}

const hex = (b: Buffer): string => "0x" + b.toString("hex");
const ZERO_OWNER = "0x0000000000000000000000000000000000000000";

/** How the operator posts batches in blobs (params.posting "blob"). */
export interface BlobPostingSetup {
  /** The operator's own key: a type-3 transaction is signed locally (the node's signer builds no sidecar). */
  wallet: Wallet | HDNodeWallet;
  /** The devnet's public endpoint, the blob archive: blob transactions go there, and blobs are read from there. */
  archive: BlobSource & { sendRawTransaction(raw: string): Promise<string> };
  kzg: Kzg;
}

/** Gas limit of a blob batch: the node cannot estimate a call that reads `blobhash` (it sees no blobs). The call's
 *  work does not depend on the batch's size (its calldata is the same 260 bytes). */
const BLOB_BATCH_GAS = 300_000n;

export class Operator {
  /** The state after the last batch this operator posted (its own view, cheats included). */
  state = new L2State();
  pending: PoolTx[] = [];
  private lastBatchId = 0;
  private readonly snapshots = new Map<number, L2State>([[0, new L2State()]]);
  private readonly postedTxs = new Map<number, PoolTx[]>();
  /** The exits each posted batch committed to, per chunk, by batch id (cheats included). */
  readonly committedExits = new Map<number, Exit[][]>();
  private readonly appliedTransfers: (TransferTx | SignedBlsTransfer)[] = [];
  /** The nonce each pooled BLS transfer's own signature was checked at (accept): the only nonce it may run at. */
  private readonly signedAt = new WeakMap<SignedBlsTransfer, number>();
  /** Told of every pooled tx the operator drops before posting because it no longer applies. */
  onDropped?: (tx: PoolTx, reason: string) => void;
  /** projected() for `projectedBase` and the current pool; rebuilt when the state object or the pool changes. */
  private projectedCache?: L2State;
  private projectedBase?: L2State;

  constructor(
    readonly rollup: OptimisticRollup,
    readonly signer: Signer,
    /** The L2 key (address) that owns the fee account. */
    readonly feeRecipient: string,
    readonly params: OptimisticParams,
    readonly domain: Buffer,
    private readonly log: (line: string) => void = () => undefined,
    /** Set for the BLS variant: chunks carry an aggregate signature and BLS transfers. */
    readonly bls?: OperatorBls,
    /** Set to post in blobs instead of calldata. */
    readonly blobPosting?: BlobPostingSetup,
  ) {}

  /** A chunk's bytes: its txs, after its aggregate signature in the BLS variant (the identity when not given). */
  encodeChunk(txs: readonly BlsChunkTx[], signature: Uint8Array = new Uint8Array(96)): Buffer {
    if (this.bls) return encodeBlsChunk(signature, txs);
    return Buffer.concat(txs.map((tx) => encodeTx(tx as L2Tx)));
  }

  /** The aggregate of the signatures of a chunk's BLS transfers (each carried by its tx). */
  private aggregateOf(txs: readonly BlsChunkTx[]): Uint8Array {
    let sum = G1.ZERO;
    for (const tx of txs)
      if (tx.type === "bls-transfer") sum = sum.add(decodeSignature((tx as SignedBlsTransfer).signature));
    return encodeSignature(sum);
  }

  /**
   * Restarts from L1 alone (after a crash, or in a fresh process): the standing batches' state as a watcher
   * rebuilds it. The pool starts empty. Returns the rebuild (a node indexes the posted txs and exits from it).
   */
  async restoreFromL1(): Promise<Rebuild> {
    const view = await readL1(this.rollup, this.blobPosting?.archive);
    const rebuilt = rebuild(view);
    const { state, invalid } = rebuilt;
    if (invalid)
      throw new Error(`operator: batch ${invalid.batchId} on L1 is invalid (${invalid.fault}); cannot resume on it`);
    this.state = state;
    this.pending = [];
    this.projectedCache = undefined;
    this.lastBatchId = view.tipId;
    this.snapshots.set(view.tipId, state.clone());
    return rebuilt;
  }

  /**
   * Moves to the standing tip as L1 shows it (after batches someone else posted), keeping the pool: the txs that
   * still apply stay pending.
   */
  async adoptL1(): Promise<void> {
    const pool = this.pending;
    await this.restoreFromL1();
    for (const tx of pool) {
      try {
        this.accept(tx);
      } catch (error) {
        this.log(`dropped a pending ${tx.type}: ${(error as Error).message}`);
      }
    }
  }

  /** The state with every pending tx applied: what a wallet uses for its next nonce (a copy, cached). */
  projected(): L2State {
    if (!this.projectedCache || this.projectedBase !== this.state) {
      const state = this.state.clone();
      for (const tx of this.pending) state.executeChunk(this.encodeChunk([tx]), this.context(state, []));
      this.projectedCache = state;
      this.projectedBase = this.state;
    }
    return this.projectedCache.clone();
  }

  /**
   * Takes a signed tx into the pool after checking it against the projected state. `beforeCommit` runs once the
   * tx is found valid and before it enters the pool (a node journals it there); if it throws, nothing changes.
   */
  accept<T extends PoolTx>(tx: T, beforeCommit?: (tx: T) => void): void {
    const state = this.projected();
    const nonce = tx.type === "bls-transfer" ? state.account(tx.from).nonce : 0;
    const outcome = state.executeChunk(this.encodeChunk([tx]), this.context(state, []));
    if (outcome.fault === "None" && tx.type === "bls-transfer" && !this.verifiesAlone(tx, nonce, state)) {
      throw new OperatorRefusal(
        `operator refuses the bls-transfer from account ${tx.from}: BadSignature`,
        "BadSignature",
      );
    }
    // INVARIANT: nothing in the pool pays the fee account while only the pool's fees open it: a batch credits fees
    // at the end of each chunk, so there such a transfer would run before its recipient exists.
    if (outcome.fault === "None" && (tx.type === "transfer" || tx.type === "bls-transfer") && this.opensInPool(tx.to)) {
      throw new OperatorRefusal(
        `operator refuses the ${tx.type} from account ${tx.from}: account ${tx.to} is the fee account no batch opened yet`,
        "UnknownRecipient",
      );
    }
    if (outcome.fault !== "None") {
      const who = tx.type === "register" ? `for account ${tx.index}` : `from account ${tx.from}`;
      throw new OperatorRefusal(`operator refuses the ${tx.type} ${who}: ${outcome.fault}`, outcome.fault);
    }
    beforeCommit?.(tx);
    if (tx.type === "bls-transfer") this.signedAt.set(tx, nonce);
    this.pending.push(tx);
    this.projectedCache = state;
  }

  /**
   * The pooled txs that still apply once `lead` (the batch's registrations, queued deposits and forced exits, which
   * run before the pool) has run: L1 requests that came after a tx was accepted can take the funds it spends, and a
   * BLS transfer that runs at another nonce than it was signed for leaves its chunk's aggregate wrong. The others
   * are dropped (onDropped), so the batch neither fails to build nor can be proven invalid.
   */
  private stillApplying(
    lead: readonly BlsChunkTx[],
    pool: readonly PoolTx[],
    deposits: readonly QueuedDeposit[],
    forced: readonly ForcedRequest[],
    feeAccount: number,
  ): PoolTx[] {
    let state = this.state.clone();
    const ctx: ChunkContext = {
      ...this.context(state, deposits, forced),
      depositEnd: state.depositCursor + lead.filter((tx) => tx.type === "deposit").length,
      forcedEnd: state.forcedCursor + lead.filter((tx) => tx.type === "forced-exit").length,
      feeAccount,
    };
    for (const tx of lead) state.executeChunk(this.encodeChunk([tx]), ctx);
    const kept: PoolTx[] = [];
    for (const tx of pool) {
      const next = state.clone();
      const nonce = tx.type === "register" ? 0 : next.account(tx.from).nonce;
      let fault: Fault = next.executeChunk(this.encodeChunk([tx]), ctx).fault;
      // INVARIANT: a BLS transfer is posted only at a nonce its own signature verifies at, so the sum of a chunk's
      // signatures verifies over the messages L1 derives from its execution.
      if (
        fault === "None" &&
        tx.type === "bls-transfer" &&
        this.signedAt.get(tx) !== nonce &&
        !this.verifiesAlone(tx, nonce, next)
      ) {
        fault = "BadSignature";
      }
      if (fault !== "None") {
        this.log(`dropped a pending ${tx.type}: ${fault} once the queued L1 requests before it run`);
        this.onDropped?.(tx, `no longer applies once the L1 requests queued before it run: ${fault}`);
        continue;
      }
      if (tx.type === "bls-transfer") this.signedAt.set(tx, nonce);
      state = next;
      kept.push(tx);
    }
    return kept;
  }

  /** Whether account `index` is the fee account, which only the fees of pooled txs open (no batch or register). */
  private opensInPool(index: number): boolean {
    if (this.state.account(index).owner !== ZERO_OWNER) return false;
    if (this.pending.some((tx) => tx.type === "register" && tx.index === index)) return false;
    return this.projected().account(index).owner === this.feeRecipient.toLowerCase();
  }

  /** Whether a BLS transfer's own signature verifies at `nonce` under its sender's registered key. */
  private verifiesAlone(tx: SignedBlsTransfer, nonce: number, state: L2State): boolean {
    const key = this.bls?.keyOf(state.account(tx.from).owner);
    if (!key || !this.bls) return false;
    try {
      const message = blsTransferMessage(tx, nonce);
      return verifyAggregate(decodeSignature(tx.signature), [message], [key], this.bls.txTag);
    } catch {
      return false;
    }
  }

  private context(
    state: L2State,
    deposits: readonly QueuedDeposit[],
    forced: readonly ForcedRequest[] = [],
  ): ChunkContext {
    return {
      domain: this.domain,
      chunkSize: this.params.chunkSize,
      depositEnd: state.depositCursor,
      forcedEnd: state.forcedCursor,
      feeRecipient: this.feeRecipient,
      feeAccount: this.feeAccountFor(state, new Set()),
      deposits,
      forced,
      ...(this.bls ? { bls: true } : {}),
    };
  }

  private feeAccountFor(state: L2State, reserved: Set<number>): number {
    const own = state.findAccount(this.feeRecipient);
    if (own !== undefined) return own;
    let i = 0;
    while (state.accounts.has(i) || reserved.has(i)) i++;
    return i;
  }

  /** Restarts from the standing tip after a rollback, returning rolled-back txs to the pool. */
  async sync(): Promise<void> {
    const tip = Number(await this.rollup.tipId());
    if (tip === this.lastBatchId) return;
    const requeued: PoolTx[] = [];
    for (let id = tip + 1; id <= this.lastBatchId; id++) requeued.push(...(this.postedTxs.get(id) ?? []));
    this.state = (this.snapshots.get(tip) ?? new L2State()).clone();
    this.lastBatchId = tip;
    const pool = [...requeued, ...this.pending];
    this.pending = [];
    this.projectedCache = undefined;
    for (const tx of pool) {
      try {
        this.accept(tx);
      } catch (error) {
        this.log(`dropped a rolled-back ${tx.type}: ${(error as Error).message}`);
      }
    }
    if (requeued.length > 0) this.log(`${requeued.length} tx(s) of rolled-back batches are pending again`);
  }

  /** The account index `owner` has or will have: registers one in the pool when it has none. */
  accountFor(owner: string, beforeCommit?: (tx: UserTx) => void): number {
    const state = this.projected();
    const existing = state.findAccount(owner);
    if (existing !== undefined) return existing;
    const index = state.nextFreeIndex();
    this.accept({ type: "register", index, owner }, beforeCommit);
    this.log(`the operator opens account ${index} for ${owner}`);
    return index;
  }

  /** Bonds again if slashed. Returns the receipt when it had to. */
  async ensureBonded(): Promise<ContractTransactionReceipt | null> {
    if (await this.rollup.bonded()) return null;
    const receipt = await (await this.rollup.connect(this.signer).bond({ value: this.params.bond })).wait();
    this.log("the operator bonds again");
    return receipt;
  }

  /**
   * Posts everything pending (queued deposits and forced requests first) in as many batches as needed.
   * `depositsBefore` stops consuming the deposit queue at that index (a censoring operator's choice).
   */
  async postPending(
    fault?: FaultSpec,
    options: { depositsBefore?: number } = {},
  ): Promise<{ batchIds: number[]; receipts: ContractTransactionReceipt[] }> {
    await this.sync();
    const receipts: ContractTransactionReceipt[] = [];
    const bondReceipt = await this.ensureBonded();
    if (bondReceipt) receipts.push(bondReceipt);
    const view = await readL1(this.rollup, this.blobPosting?.archive);
    const txs: BlsChunkTx[] = [];
    const owners = new Map<string, number>();
    for (const [index, account] of this.state.accounts) owners.set(account.owner, index);
    const reserved = new Set<number>();
    // Accounts the operator opened go first, so a deposit from the same key lands in them.
    for (const tx of this.pending) {
      if (tx.type !== "register") continue;
      reserved.add(tx.index);
      owners.set(tx.owner.toLowerCase(), tx.index);
      txs.push(tx);
    }
    for (const d of view.deposits.slice(this.state.depositCursor, options.depositsBefore)) {
      const owner = depositOwner(d.recipient);
      let index = owners.get(owner);
      if (index === undefined) {
        index = 0;
        while (this.state.accounts.has(index) || reserved.has(index)) index++;
        reserved.add(index);
        owners.set(owner, index);
      }
      txs.push({ type: "deposit", to: index });
    }
    for (let i = this.state.forcedCursor; i < view.forced.length; i++) txs.push({ type: "forced-exit" });
    const feeAccount = this.feeAccountFor(this.state, reserved);
    const pool = this.pending.filter((tx) => tx.type !== "register");
    txs.push(...this.stillApplying(txs, pool, view.deposits, view.forced, feeAccount));
    this.pending = [];
    this.projectedCache = undefined;

    const batchIds: number[] = [];
    const size = this.params.batchSize;
    const groups: BlsChunkTx[][] = [];
    for (let i = 0; i < txs.length; i += size) groups.push(txs.slice(i, i + size));
    if (groups.length === 0) groups.push([]);
    for (let g = 0; g < groups.length; g++) {
      const last = g === groups.length - 1;
      const built = this.build(groups[g], view.deposits, view.forced, feeAccount, last ? fault : undefined);
      const receipt = await this.submit(built);
      receipts.push(receipt);
      this.lastBatchId = Number(await this.rollup.tipId());
      batchIds.push(this.lastBatchId);
      this.snapshots.set(this.lastBatchId, this.state.clone());
      this.committedExits.set(this.lastBatchId, built.exits);
      this.postedTxs.set(
        this.lastBatchId,
        built.txs.filter(
          (tx): tx is PoolTx =>
            tx.type === "transfer" || tx.type === "withdraw" || tx.type === "register" || tx.type === "bls-transfer",
        ),
      );
    }
    return { batchIds, receipts };
  }

  /** The user txs batch `id` took from the pool, in order: for the batches this operator posted, else none. */
  postedTxsOf(id: number): readonly PoolTx[] {
    return this.postedTxs.get(id) ?? [];
  }

  /** Sends one built batch (no state change here). */
  async submit(built: BuiltBatch): Promise<ContractTransactionReceipt> {
    if (this.blobPosting) return this.submitBlobs(built, this.blobPosting);
    const tx = await this.rollup.connect(this.signer).submitBatch(
      built.chunks.map(hex),
      built.states.map((s) => ({
        stateRoot: hex(s.stateRoot),
        exitRoot: hex(s.exitRoot),
        depositCursor: s.depositCursor,
        forcedCursor: s.forcedCursor,
      })),
      this.feeRecipient,
      built.feeAccount,
    );
    const receipt = await tx.wait();
    if (!receipt) throw new Error("submitBatch: no receipt");
    return receipt;
  }

  /**
   * Sends one built batch as a blob transaction (type 3) through the archive: its header and chunks in blobs, the
   * root of its chunk tree, chunk count and last state in submitBlobBatch's calldata (./blob-batch.ts).
   */
  private async submitBlobs(built: BuiltBatch, setup: BlobPostingSetup): Promise<ContractTransactionReceipt> {
    const { wallet, archive, kzg } = setup;
    const provider = wallet.provider!;
    const { args, built: laidOut } = blobBatchOf(kzg, built.chunks, built.states, this.feeRecipient, built.feeAccount);
    const populated = await wallet.populateTransaction({
      type: 3,
      to: await this.rollup.getAddress(),
      data: blobBatchCalldata(this.rollup.interface, args),
      blobs: laidOut.blobs,
      kzg: ethersKzg(kzg),
      gasLimit: BLOB_BATCH_GAS,
      maxFeePerBlobGas: 10n ** 12n,
    });
    const hash = await archive.sendRawTransaction(await wallet.signTransaction(populated));
    const response = await provider.getTransaction(hash);
    const receipt = await response?.wait();
    if (!receipt) throw new Error(`submitBlobBatch: transaction ${hash} has no receipt`);
    return new ContractTransactionReceipt(this.rollup.interface, provider, receipt);
  }

  /**
   * Splits `txs` into chunks and executes them on the operator's state, optionally cheating one way.
   * Exposed for benchmarks, which build big batches without the pool.
   */
  build(
    input: BlsChunkTx[],
    deposits: readonly QueuedDeposit[],
    forced: readonly ForcedRequest[],
    feeAccount: number,
    fault?: FaultSpec,
  ): BuiltBatch {
    const state = this.state;
    this.projectedCache = undefined;
    const txs = input.slice();
    const cheats = new Map<number, (s: L2State) => void>();
    let skipped = 0;
    if (fault?.kind === "skip-deposit") {
      const first = txs.findIndex((tx) => tx.type === "deposit");
      if (first < 0) throw new OperatorRefusal("skip-deposit: no queued deposit to skip");
      txs.splice(first, 1);
      skipped = 1;
    }
    const cheatTransfer = (t: TransferTx) => (s: L2State) => {
      const from = s.account(t.from);
      const debit = t.amount + t.fee;
      s.write({ ...from, balance: from.balance > debit ? from.balance - debit : 0n, nonce: from.nonce + 1 });
      const to = s.account(t.to);
      s.write({ ...to, balance: to.balance + t.amount });
    };
    if (fault?.kind === "overdraft" || fault?.kind === "forged-signature") {
      cheats.set(txs.length, cheatTransfer(fault.tx));
      txs.push(fault.tx);
    }
    // The unsigned transfer executes as a valid one (its sender can pay): only the aggregate gives it away.
    if (fault?.kind === "bad-aggregate") txs.push(fault.tx);
    if (fault?.kind === "replay") {
      const earlier = [...this.appliedTransfers].reverse().find((t) => t.from === fault.from);
      if (!earlier) throw new OperatorRefusal(`replay: account ${fault.from} has no applied transfer to replay`);
      // An ECDSA replay carries its old nonce and needs a cheat; a BLS one executes at the current nonce, and its old
      // signature (over the old nonce) leaves the aggregate wrong.
      if (earlier.type === "transfer") cheats.set(txs.length, cheatTransfer(earlier));
      txs.push(earlier);
    }
    const depositEnd = state.depositCursor + txs.filter((t) => t.type === "deposit").length + skipped;
    const forcedEnd = state.forcedCursor + txs.filter((t) => t.type === "forced-exit").length;
    const chunkSize = this.params.chunkSize;
    const chunks: Buffer[] = [];
    const states: BuiltBatch["states"] = [];
    const committedExits: Exit[][] = [];
    const chunkCount = Math.max(1, Math.ceil(txs.length / chunkSize));
    for (let k = 0; k < chunkCount; k++) {
      const chunkTxs = txs.slice(k * chunkSize, (k + 1) * chunkSize);
      let data = this.encodeChunk(chunkTxs);
      const chunkCheats = new Map<number, (s: L2State) => void>();
      for (const [position, cheat] of cheats) {
        if (Math.floor(position / chunkSize) === k) chunkCheats.set(position % chunkSize, cheat);
      }
      const ctx: ChunkContext = {
        domain: this.domain,
        chunkSize,
        depositEnd,
        forcedEnd,
        feeRecipient: this.feeRecipient,
        feeAccount,
        deposits,
        forced,
        cheats: chunkCheats,
        ...(this.bls ? { bls: true } : {}),
      };
      if (k === 0) state.depositCursor += skipped;
      const outcome = state.executeChunk(data, ctx);
      if (outcome.fault !== "None") {
        throw new Error(`operator: its own chunk ${k} is invalid at tx ${outcome.txIndex}: ${outcome.fault}`);
      }
      chunkTxs.forEach((tx, i) => {
        if ((tx.type === "transfer" || tx.type === "bls-transfer") && !chunkCheats.has(i)) {
          this.appliedTransfers.push(tx as TransferTx | SignedBlsTransfer);
        }
      });
      // The chunk's aggregate: the sum of its BLS transfers' own signatures (their execution did not depend on it).
      if (this.bls) data = this.encodeChunk(chunkTxs, this.aggregateOf(chunkTxs));
      chunks.push(data);
      states.push({
        stateRoot: state.stateRoot,
        exitRoot: outcome.exitRoot,
        depositCursor: state.depositCursor,
        forcedCursor: state.forcedCursor,
      });
      const exits = outcome.exits.slice();
      committedExits.push(exits);
      if (k === chunkCount - 1) this.applyLateFault(fault, data, exits, chunks, states);
    }
    return { chunks, states, txs, feeAccount, exits: committedExits };
  }

  private applyLateFault(
    fault: FaultSpec | undefined,
    data: Buffer,
    exits: { position: number; recipient: string; amount: bigint }[],
    chunks: Buffer[],
    states: BuiltBatch["states"],
  ): void {
    const last = states.length - 1;
    switch (fault?.kind) {
      case "bad-state-root":
        states[last].stateRoot = keccakBytes(Buffer.concat([Buffer.from("wrong root"), states[last].stateRoot]));
        return;
      case "mint": {
        const account = this.state.account(fault.to);
        this.state.write({ ...account, balance: account.balance + fault.amount });
        states[last].stateRoot = this.state.stateRoot;
        return;
      }
      case "fake-exit": {
        const leaves: Buffer[] = Array.from({ length: this.params.chunkSize }, () => Buffer.alloc(32));
        for (const e of exits) leaves[e.position] = exitLeaf(e.recipient, e.amount);
        const free = leaves.findIndex((l) => l.equals(Buffer.alloc(32)));
        if (free < 0) throw new OperatorRefusal("fake-exit: the last chunk has no free exit position");
        leaves[free] = exitLeaf(fault.recipient.toLowerCase(), fault.amount);
        exits.push({ position: free, recipient: fault.recipient.toLowerCase(), amount: fault.amount });
        states[last].exitRoot = rootOf(leaves, exitTreeDepth(this.params.chunkSize));
        return;
      }
      case "malformed":
        chunks[last] =
          data.length === 0 || data[data.length - 1] === 0x04
            ? Buffer.concat([data, Buffer.from([0x02])])
            : data.subarray(0, data.length - 1);
        return;
      default:
        return;
    }
  }
}
