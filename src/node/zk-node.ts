/**
 * The zk rollup's L2 node: the zk operator (src/zk/operator.ts) with its Groth16 prover behind an HTTP JSON API.
 * Users send EdDSA-signed transfers and withdrawals; the node checks each (signature, nonce, balance, against the
 * state with every queued deposit and pending operation applied), journals it (fsync'd) and only then answers.
 * Proving takes seconds, so batches go out on a timer (or as soon as a batch is full), one proof at a time.
 *
 * Durability: after `kill -9` the node replays the proven state from L1 (src/zk/replay.ts) and then the
 * journal. zk batches publish no signatures, so a journalled operation is recognised as applied by its nonce:
 * an account's nonce only passes n through the operation it signed with nonce n, and the node journals one
 * operation per (account, nonce). Operations with a nonce at or above the proven one go back into the pool.
 */
import { isAddress } from "ethers";
import { z } from "zod";
import type { ZkRollup } from "../../typechain-types";
import { ApiError, type Route } from "../net/http";
import { operationMessage } from "../zk/account";
import { loadCircuit, type CircuitConfig } from "../zk/circuit";
import { EncodingError, InvalidOperationError } from "../zk/errors";
import { exitProof, type ExitLeaf } from "../zk/exits";
import { FLOAT16, FLOAT40, encodeFloat, isRepresentable } from "../zk/float";
import { verifySignature } from "../zk/keys";
import { OpType, decodeOps, opValues, packOp } from "../zk/ops";
import { ZkOperator, type PoolOperation } from "../zk/operator";
import { replayFromL1 } from "../zk/replay";
import type { ZkState } from "../zk/state";
import { Journal } from "./journal";

export interface ZkNodeOptions {
  /** The rollup, connected to the zk operator's L1 signer. */
  readonly rollup: ZkRollup;
  readonly circuit: CircuitConfig;
  readonly journalPath: string;
  readonly batchIntervalMs: number;
  readonly log?: (line: string) => void;
}

const Field = z
  .string()
  .regex(/^\d{1,78}$/, "expected a decimal string")
  .transform((value) => BigInt(value));
const Index = z.number().int().min(0).max(0xffffff);
const Amount = Field.refine((v) => isRepresentable(v, FLOAT40), "not representable as a Float40 (35-bit mantissa)");
const Fee = Field.refine((v) => isRepresentable(v, FLOAT16), "not representable as a Float16 (11-bit mantissa)");
const Signature = z.object({ r8x: Field, r8y: Field, s: Field }).strict();

export const ZkTransferRequest = z
  .object({ from: Index, to: Index, amount: Amount, fee: Fee, nonce: Field, signature: Signature })
  .strict();
export const ZkWithdrawalRequest = z
  .object({ from: Index, amount: Amount, fee: Fee, nonce: Field, signature: Signature })
  .strict();

/** A pool operation as the journal holds it: JSON with every bigint as a decimal string. */
type JournalledOp = Record<string, unknown>;

function toJson(op: PoolOperation): JournalledOp {
  return JSON.parse(JSON.stringify(op, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as JournalledOp;
}

function fromJson(record: JournalledOp): PoolOperation {
  const big = (v: unknown) => BigInt(v as string);
  const sig = record.signature as Record<string, string>;
  const common = {
    from: record.from as number,
    amount: big(record.amount),
    fee: big(record.fee),
    nonce: big(record.nonce),
    signature: { r8x: big(sig.r8x), r8y: big(sig.r8y), s: big(sig.s) },
  };
  return record.kind === "transfer"
    ? { kind: "transfer", ...common, to: record.to as number }
    : { kind: "withdraw", ...common };
}

interface BatchRecord {
  batchNumber: number;
  l1Tx: string;
  block: number;
  ops: number;
  exits: ExitLeaf[];
}

export class ZkNode {
  private operator!: ZkOperator;
  private journal!: Journal<JournalledOp>;
  private posting?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private batches: BatchRecord[] = [];
  private owners = new Map<number, string>();
  readonly counts = { accepted: 0, refused: 0 };
  private readonly log: (line: string) => void;

  private constructor(readonly options: ZkNodeOptions) {
    this.log = options.log ?? (() => undefined);
  }

  static async start(options: ZkNodeOptions): Promise<{ node: ZkNode; recovery: Record<string, number> }> {
    const node = new ZkNode(options);
    const started = Date.now();
    const loaded = await loadCircuit(options.circuit, (m) => node.log(`circuit: ${m}`));
    const batchSize = Number(await options.rollup.BATCH_SIZE());
    if (batchSize !== options.circuit.batchSize)
      throw new Error(
        `zk-node: the rollup takes batches of ${batchSize}, the circuit ${options.circuit.name} proves ${options.circuit.batchSize}`,
      );
    const state = await replayFromL1(options.rollup);
    node.operator = new ZkOperator(options.rollup, loaded, state, node.log);
    const [consumed, [answered]] = await Promise.all([
      options.rollup.depositsConsumed(),
      options.rollup.forcedExitQueue(),
    ]);
    node.operator.resumeAfter(Number(consumed), Number(answered));
    await node.operator.sync();
    await node.readBatches();
    const opened = Journal.open<JournalledOp>(options.journalPath);
    node.journal = opened.journal;
    if (opened.cut) node.log(`journal: cut a torn last record at byte ${opened.cut.offset} (${opened.cut.reason})`);
    let alreadyBatched = 0;
    let requeued = 0;
    let dropped = 0;
    for (const record of opened.records) {
      const op = fromJson(record.data);
      const proven = state.account(op.from)?.nonce ?? 0n;
      if (op.nonce < proven) {
        alreadyBatched++;
        continue;
      }
      try {
        node.operator.submit(op);
        requeued++;
      } catch (error) {
        dropped++;
        node.log(
          `journal record ${record.seq} (${op.kind} from ${op.from}) no longer applies: ${(error as Error).message}`,
        );
      }
    }
    const recovery = {
      ms: Date.now() - started,
      journalRecords: opened.records.length,
      alreadyBatched,
      requeued,
      dropped,
    };
    node.log(
      `recovered in ${recovery.ms} ms: ${node.batches.length} proven batch(es) on L1, ${recovery.journalRecords} journal ` +
        `record(s): ${alreadyBatched} already in batches, ${requeued} pending again, ${dropped} no longer apply`,
    );
    node.timer = setInterval(
      () => node.tick().catch((error: unknown) => node.log(`batch timer: ${(error as Error).message}`)),
      options.batchIntervalMs,
    );
    return { node, recovery };
  }

  private get state(): ZkState {
    return this.operator.state;
  }

  /** Every proven batch and its exits, from L1 events (owners from AccountRegistered). */
  private async readBatches(): Promise<void> {
    const rollup = this.options.rollup;
    for (const e of await rollup.queryFilter(rollup.filters.AccountRegistered()))
      this.owners.set(Number(e.args.index), e.args.owner);
    const batches: BatchRecord[] = [];
    for (const e of await rollup.queryFilter(rollup.filters.BatchData())) {
      const ops = decodeOps(Buffer.from(e.args.ops.slice(2), "hex"));
      const exits: ExitLeaf[] = [];
      ops.forEach((op, slot) => {
        if (op.type === OpType.Withdraw || op.type === OpType.ForcedExit) {
          exits.push({ slot, owner: this.owners.get(op.from) ?? "0x", amount: opValues(op).amount });
        }
      });
      batches.push({
        batchNumber: Number(e.args.batchNumber),
        l1Tx: e.transactionHash,
        block: e.blockNumber,
        ops: ops.filter((op) => op.type !== OpType.Noop).length,
        exits,
      });
    }
    this.batches = batches;
  }

  /** Proves and posts batches while anything is pending (the batch timer calls this). */
  async tick(): Promise<number[]> {
    if (this.stopped) return [];
    if (this.posting) {
      await this.posting;
      return [];
    }
    const posted: number[] = [];
    this.posting = (async () => {
      await this.operator.sync();
      while (this.operator.hasPending && !this.stopped) {
        const started = Date.now();
        try {
          const batch = await this.operator.postNext();
          await this.readBatches();
          const number = this.batches[this.batches.length - 1]?.batchNumber ?? 0;
          posted.push(number);
          this.log(
            `batch ${number} proven and posted: ${batch.built.ops.filter((o) => o.type !== OpType.Noop).length} op(s), ` +
              `${Date.now() - started} ms, block ${batch.receipt.blockNumber}, gas ${batch.receipt.gasUsed}`,
          );
        } catch (error) {
          this.log(`posting failed: ${(error as Error).message}; the operations stay pending`);
          break;
        }
      }
    })().finally(() => (this.posting = undefined));
    await this.posting;
    return posted;
  }

  /** Checks the signature, then the state rules; journals (fsync) and pools. Throws ApiError for every refusal. */
  async submit(op: PoolOperation): Promise<{ seq: number; status: "pending"; pendingOps: number }> {
    if (this.stopped) throw new ApiError(503, "stopping", "the node is stopping");
    const what = `${op.kind} from account ${op.from}`;
    const sender = this.operator.pendingState.account(op.from);
    if (!sender)
      throw new ApiError(
        404,
        "unknown-account",
        `${what}: account ${op.from} does not exist on L2 (deposit on L1 first)`,
      );
    if (op.kind === "transfer" && !this.operator.pendingState.account(op.to))
      throw new ApiError(404, "unknown-account", `${what}: recipient account ${op.to} does not exist on L2`);
    if (op.nonce !== sender.nonce)
      throw new ApiError(409, "bad-nonce", `${what}: nonce ${op.nonce}, expected ${sender.nonce}`);
    let packed: bigint;
    try {
      packed = packOp({
        type: op.kind === "transfer" ? OpType.Transfer : OpType.Withdraw,
        from: op.from,
        to: op.kind === "transfer" ? op.to : 0,
        amountCode: encodeFloat(op.amount, FLOAT40, "amount"),
        feeCode: encodeFloat(op.fee, FLOAT16, "fee"),
      });
    } catch (error) {
      throw new ApiError(400, "invalid-input", (error as Error).message);
    }
    const message = operationMessage(this.state.hash, packed, op.nonce, this.state.domain);
    // A bad signature would make the batch unprovable and stall every operation behind it: refuse it here.
    if (!(await verifySignature(sender, message, op.signature))) {
      this.counts.refused++;
      throw new ApiError(422, "bad-signature", `${what}: the signature is not by the account's key`);
    }
    let seq = -1;
    try {
      this.operator.submit(op, (accepted) => (seq = this.journal.append(toJson(accepted))));
    } catch (error) {
      this.counts.refused++;
      if (error instanceof InvalidOperationError) {
        const code = /exceeds the balance/.test(error.message) ? "insufficient-balance" : "refused";
        throw new ApiError(422, code, error.message);
      }
      if (error instanceof EncodingError) throw new ApiError(400, "invalid-input", error.message);
      throw error;
    }
    this.counts.accepted++;
    if (this.operator.pool.length >= this.operator.batchSize && !this.posting) void this.tick();
    return { seq, status: "pending", pendingOps: this.operator.pool.length };
  }

  account(ref: string): unknown {
    if (!/^\d+$/.test(ref)) throw new ApiError(400, "invalid-input", `account: expected an index, got "${ref}"`);
    const index = Number(ref);
    const pending = this.operator.pendingState.account(index);
    if (!pending)
      throw new ApiError(404, "unknown-account", `no L2 account ${index}: deposit on L1 (ZkRollup.deposit) first`);
    const proven = this.state.account(index);
    return {
      index,
      owner: this.owners.get(index),
      key: { ax: pending.ax, ay: pending.ay },
      balance: proven?.balance ?? 0n,
      nonce: proven?.nonce ?? 0n,
      pending: { balance: pending.balance, nonce: pending.nonce },
    };
  }

  async exits(owner: string): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const batch of this.batches) {
      for (const exit of batch.exits) {
        if (exit.owner.toLowerCase() !== owner.toLowerCase()) continue;
        const claimed = await this.options.rollup.isClaimed(batch.batchNumber, exit.slot);
        out.push({
          batchNumber: batch.batchNumber,
          slot: exit.slot,
          owner: exit.owner,
          amount: exit.amount,
          status: claimed ? "claimed" : "claimable",
          siblings: exitProof(this.operator.batchSize, batch.exits, exit.slot),
        });
      }
    }
    return out;
  }

  routes(): Route[] {
    return [
      {
        method: "GET",
        path: "/status",
        handle: () => ({
          system: "zk",
          rollup: this.options.rollup.target,
          circuit: this.options.circuit.name,
          batchSize: this.operator.batchSize,
          domain: this.state.domain,
          stateRoot: this.state.root,
          batches: this.batches.length,
          pendingOps: this.operator.pool.length,
          journalRecords: this.journal.length,
          proving: this.posting !== undefined,
          accepted: this.counts.accepted,
          refused: this.counts.refused,
          batchIntervalMs: this.options.batchIntervalMs,
        }),
      },
      { method: "GET", path: "/accounts/:index", handle: (r) => this.account(r.params.index) },
      {
        method: "POST",
        path: "/transfers",
        handle: (r) => this.submit({ kind: "transfer", ...ZkTransferRequest.parse(r.body) }),
      },
      {
        method: "POST",
        path: "/withdrawals",
        handle: (r) => this.submit({ kind: "withdraw", ...ZkWithdrawalRequest.parse(r.body) }),
      },
      {
        method: "GET",
        path: "/batches",
        handle: () => this.batches.map(({ exits, ...b }) => ({ ...b, exits: exits.length })),
      },
      { method: "POST", path: "/batches", handle: async () => ({ batchNumbers: await this.tick() }) },
      {
        method: "GET",
        path: "/exits",
        handle: (r) => {
          const owner = r.query.get("owner");
          if (!owner || !isAddress(owner))
            throw new ApiError(400, "invalid-input", `owner: expected ?owner=<address>, got "${owner ?? ""}"`);
          return this.exits(owner);
        },
      },
    ];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.posting) await this.posting;
    this.journal.close();
  }
}
