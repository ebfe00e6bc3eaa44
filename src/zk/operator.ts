/**
 * The zk rollup's operator: it reads deposits and forced exits from L1, takes signed L2 operations into its
 * pool, and posts batches with Groth16 proofs. It keeps the proven L2 state (every post that lands moves it)
 * and the exits of every batch, from which claims take their keccak proofs.
 */
import type { TransactionReceipt } from "ethers";
import type { ZkRollup } from "../../typechain-types";
import type { LoadedCircuit } from "./circuit";
import { InvalidOperationError, ZkRollupError } from "./errors";
import { ExitLeaf } from "./exits";
import { BatchProof, SolidityProof, proveBatch } from "./prover";
import type { PublicKey } from "./keys";
import {
  BatchOperation,
  BuiltBatch,
  DepositOperation,
  ForcedExitOperation,
  TransferOperation,
  WithdrawOperation,
  ZkState,
} from "./state";

export type PoolOperation = TransferOperation | WithdrawOperation;

export interface PostedBatch {
  batchNumber: number;
  built: BuiltBatch;
  exits: ExitLeaf[];
  receipt: TransactionReceipt;
  proof: BatchProof;
}

/** A proven batch not posted yet. */
export interface PreparedBatch {
  built: BuiltBatch;
  taken: BatchOperation[];
  /** The state after the batch. */
  state: ZkState;
  exits: ExitLeaf[];
  proof: BatchProof;
}

/** What a faulty post sends: its ops, the root it claims and the proof it hopes passes. */
export interface Forgery {
  opsBytes: Uint8Array;
  newRoot: bigint;
  proof: SolidityProof;
}

export class ZkOperator {
  /** Signed L2 operations waiting for a batch, in arrival order. */
  readonly pool: PoolOperation[] = [];
  readonly batches: PostedBatch[] = [];
  /** The state with every pending operation applied: what a new operation is checked against. */
  private projected: ZkState;
  private keys = new Map<number, PublicKey>();
  private owners = new Map<number, string>();
  private depositsSeen = 0;
  private queuedDeposits: DepositOperation[] = [];
  private forcedSeen = 0;
  private queuedForced: ForcedExitOperation[] = [];
  /**
   * Accounts whose operations this operator leaves out of its batches (a censoring operator, for the scenario
   * `censor` attack). Deposits are consumed in order, so every deposit from the first held one on waits too.
   */
  readonly censored = new Set<number>();

  constructor(
    readonly rollup: ZkRollup,
    readonly circuit: LoadedCircuit,
    /** The proven state (as of the last batch that landed). */
    public state: ZkState,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.projected = state.clone();
  }

  get batchSize(): number {
    return this.circuit.config.batchSize;
  }

  /** The state as it will be once everything pending is in a batch. */
  get pendingState(): ZkState {
    return this.projected;
  }

  /** Reads new accounts, deposits and forced-exit requests from L1. */
  async sync(): Promise<void> {
    for (const event of await this.rollup.queryFilter(this.rollup.filters.AccountRegistered())) {
      const index = Number(event.args.index);
      this.keys.set(index, { ax: event.args.ax, ay: event.args.ay });
      this.owners.set(index, event.args.owner);
    }
    const deposits = await this.rollup.queryFilter(this.rollup.filters.DepositQueued());
    for (const event of deposits) {
      const depositIndex = Number(event.args.index);
      if (depositIndex < this.depositsSeen) continue;
      const account = Number(BigInt(event.args.recipient));
      const key = this.keys.get(account);
      if (!key) throw new ZkRollupError(`deposit ${depositIndex}: account ${account} has no registered key`);
      const op: DepositOperation = { kind: "deposit", index: account, key, amount: event.args.amount };
      this.queuedDeposits.push(op);
      this.applyProjected(op);
      this.depositsSeen = depositIndex + 1;
    }
    const [, total] = await this.rollup.forcedExitQueue();
    for (let id = this.forcedSeen; id < Number(total); id++) {
      const request = await this.rollup.forcedExit(id);
      const op: ForcedExitOperation = { kind: "forced-exit", from: Number(request.account), amount: request.amount };
      this.queuedForced.push(op);
      this.applyProjected(op);
      this.forcedSeen = id + 1;
    }
  }

  /** The L1 owner of `account` (as registered on L1). */
  ownerOf(account: number): string {
    const owner = this.owners.get(account);
    if (!owner) throw new ZkRollupError(`account ${account} is not registered on L1`);
    return owner;
  }

  private applyProjected(op: BatchOperation): void {
    try {
      this.projected.buildBatch([op], 1);
    } catch (error) {
      // A forced exit the balance does not cover is still answered (as refused); nothing else is dropped here.
      if (!(error instanceof InvalidOperationError)) throw error;
    }
  }

  /**
   * Takes a signed operation into the pool; throws InvalidOperationError if it cannot apply after the pending ones.
   * `beforeCommit` runs once it is found valid and before it enters the pool (a node journals it there); if it
   * throws, nothing changes.
   */
  submit(op: PoolOperation, beforeCommit?: (op: PoolOperation) => void): void {
    if (!beforeCommit) {
      this.projected.buildBatch([op], 1);
      this.pool.push(op);
      return;
    }
    const trial = this.projected.clone();
    trial.buildBatch([op], 1);
    beforeCommit(op);
    this.projected = trial;
    this.pool.push(op);
  }

  /**
   * Starts reading L1's queues after what the proven state already consumed (a node restarted on a state replayed
   * from L1): `sync` then queues only the deposits and forced exits no batch answered yet.
   */
  resumeAfter(depositsConsumed: number, forcedAnswered: number): void {
    this.depositsSeen = depositsConsumed;
    this.forcedSeen = forcedAnswered;
  }

  /** Everything pending in posting order: queued deposits, then forced exits, then the pool in arrival order. */
  pendingOperations(): BatchOperation[] {
    return [...this.queuedDeposits, ...this.queuedForced, ...this.pool];
  }

  get hasPending(): boolean {
    return this.pendingOperations().length > 0;
  }

  /**
   * Builds the next batch from the pending operations on a copy of the proven state: at most batchSize
   * operations; one the state refuses is dropped from the pool (and reported) rather than stalling the rollup.
   */
  buildNext(): { built: BuiltBatch; taken: BatchOperation[]; state: ZkState } {
    const taken: BatchOperation[] = [];
    const trial = this.state.clone();
    // Deposits and forced exits are answered in order on L1: once one is held back, every later one waits too.
    const held = { deposit: false, "forced-exit": false };
    for (const op of this.pendingOperations()) {
      if (taken.length === this.batchSize) break;
      const account = op.kind === "deposit" ? op.index : op.from;
      if (op.kind === "deposit" || op.kind === "forced-exit") {
        held[op.kind] ||= this.censored.has(account);
        if (held[op.kind]) continue;
      }
      if (this.censored.has(account)) continue;
      const probe = trial.clone();
      try {
        probe.buildBatch([...taken, op], this.batchSize);
        taken.push(op);
      } catch (error) {
        if (!(error instanceof InvalidOperationError) || op.kind === "deposit" || op.kind === "forced-exit")
          throw error;
        this.log(`dropped from the pool: ${error.message}`);
        this.pool.splice(this.pool.indexOf(op as PoolOperation), 1);
      }
    }
    const built = trial.buildBatch(taken, this.batchSize);
    return { built, taken, state: trial };
  }

  private exitsOf(built: BuiltBatch): ExitLeaf[] {
    return built.exits.map((e) => ({ slot: e.slot, owner: this.ownerOf(e.account), amount: e.amount }));
  }

  /** Builds and proves the next batch without posting it. */
  async prepareNext(onProgress?: (message: string) => void): Promise<PreparedBatch> {
    const { built, taken, state } = this.buildNext();
    const proof = await proveBatch(this.circuit.artifacts, built.input, onProgress);
    return { built, taken, state, exits: this.exitsOf(built), proof };
  }

  /** Posts a prepared batch; once it landed, the proven state moves and its operations leave the queues. */
  async post(prepared: PreparedBatch): Promise<PostedBatch> {
    const { built, proof } = prepared;
    const receipt = await this.send(built.opsBytes, built.header.newRoot, proof.proof);
    return this.adopt(prepared, receipt);
  }

  /** Proves a batch of no operations on the proven state (what a spamming operator posts). */
  async prepareEmpty(onProgress?: (message: string) => void): Promise<PreparedBatch> {
    const state = this.state.clone();
    const built = state.buildBatch([], this.batchSize);
    const proof = await proveBatch(this.circuit.artifacts, built.input, onProgress);
    return { built, taken: [], state, exits: [], proof };
  }

  /** Records a prepared batch that landed on L1 by another route (a forwarder, hand-made calldata). */
  adopt(prepared: PreparedBatch, receipt: TransactionReceipt): PostedBatch {
    const { built, proof } = prepared;
    this.state = prepared.state;
    for (const op of prepared.taken) this.remove(op);
    const posted: PostedBatch = { batchNumber: this.batches.length + 1, built, exits: prepared.exits, receipt, proof };
    this.batches.push(posted);
    return posted;
  }

  /** Proves and posts the next batch; returns it once it landed. */
  async postNext(onProgress?: (message: string) => void): Promise<PostedBatch> {
    return this.post(await this.prepareNext(onProgress));
  }

  /** Posts a batch the circuit cannot prove, with `forgery`'s proof; L1 must refuse it (the call rejects). */
  async postForgery(forgery: Forgery): Promise<TransactionReceipt> {
    return this.send(forgery.opsBytes, forgery.newRoot, forgery.proof);
  }

  /** The best proof the operator has for a forgery: its last proof, or a proof of the honest next batch. */
  async bestProof(onProgress?: (message: string) => void): Promise<SolidityProof> {
    const last = this.batches[this.batches.length - 1];
    if (last) return last.proof.proof;
    const { built } = this.buildNext();
    return (await proveBatch(this.circuit.artifacts, built.input, onProgress)).proof;
  }

  private remove(op: BatchOperation): void {
    const list: BatchOperation[] =
      op.kind === "deposit" ? this.queuedDeposits : op.kind === "forced-exit" ? this.queuedForced : this.pool;
    list.splice(list.indexOf(op), 1);
  }

  private async send(opsBytes: Uint8Array, newRoot: bigint, proof: SolidityProof): Promise<TransactionReceipt> {
    const tx = await this.rollup.submitBatch(newRoot, opsBytes, proof.a, proof.b, proof.c);
    const receipt = await tx.wait();
    if (!receipt) throw new ZkRollupError("submitBatch: no receipt");
    return receipt;
  }
}
