/**
 * The zk rollup's L2 state (a Poseidon sparse Merkle tree of accounts plus the consumed deposit chain) and
 * the batch builder: it applies operations exactly as circuits/lib/batch.circom checks them and records the
 * circuit's witness input on the way.
 */
import { SparseMerkleTree, buildPoseidonHasher } from "../merkle";
import { Account, Poseidon, depositLink, hashAccount, operationMessage, poseidon } from "./account";
import { BatchHeader, batchCommitment } from "./commitment";
import { InvalidOperationError } from "./errors";
import { FLOAT16, FLOAT40, encodeFloat } from "./float";
import type { PublicKey, Signature, ZkKey } from "./keys";
import { NOOP, OpType, PackedOp, encodeOps, packOp } from "./ops";

/** The operator's fee account: created at deployment, credited once per batch with the batch's fees. */
export const FEE_ACCOUNT_INDEX = 0;

export interface DepositOperation {
  kind: "deposit";
  /** The account index L1 assigned to the deposit's (key, sender). */
  index: number;
  key: PublicKey;
  amount: bigint;
}

export interface TransferOperation {
  kind: "transfer";
  from: number;
  to: number;
  amount: bigint;
  fee: bigint;
  nonce: bigint;
  signature: Signature;
}

export interface WithdrawOperation {
  kind: "withdraw";
  from: number;
  amount: bigint;
  fee: bigint;
  nonce: bigint;
  signature: Signature;
}

/** An L1 forced-exit request: applied if the balance covers it, otherwise published as refused. */
export interface ForcedExitOperation {
  kind: "forced-exit";
  from: number;
  amount: bigint;
}

export type BatchOperation = DepositOperation | TransferOperation | WithdrawOperation | ForcedExitOperation;

/** The circuit's input, signal name to value(s). */
export type CircuitInput = Record<string, bigint | bigint[] | bigint[][]>;

/** One slot's witness, the per-slot inputs of RollupBatch. */
interface SlotWitness {
  debitAx: bigint;
  debitAy: bigint;
  debitBalance: bigint;
  debitNonce: bigint;
  debitSiblings: bigint[];
  creditAx: bigint;
  creditAy: bigint;
  creditBalance: bigint;
  creditNonce: bigint;
  creditIsEmpty: bigint;
  creditSiblings: bigint[];
  sigR8x: bigint;
  sigR8y: bigint;
  sigS: bigint;
  depositAmount: bigint;
}

export interface BuiltBatch {
  header: BatchHeader;
  ops: PackedOp[];
  /** N * 14 bytes, no-ops included: what the operator posts. */
  opsBytes: Uint8Array;
  commitment: bigint;
  input: CircuitInput;
  /** The slots (index into ops) that pay out on L1, with the wei amount. */
  exits: { slot: number; account: number; amount: bigint }[];
}

function emptySlot(depth: number): SlotWitness {
  const zeros = new Array<bigint>(depth).fill(0n);
  return {
    debitAx: 0n,
    debitAy: 0n,
    debitBalance: 0n,
    debitNonce: 0n,
    debitSiblings: zeros,
    creditAx: 0n,
    creditAy: 0n,
    creditBalance: 0n,
    creditNonce: 0n,
    creditIsEmpty: 0n,
    creditSiblings: zeros,
    sigR8x: 0n,
    sigR8y: 0n,
    sigS: 0n,
    depositAmount: 0n,
  };
}

export class ZkState {
  private constructor(
    readonly depth: number,
    readonly hash: Poseidon,
    private tree: SparseMerkleTree,
    private accounts: Map<number, Account>,
    /** The Poseidon deposit chain over every deposit in the state. */
    public depositChain: bigint,
    /** The deployment's domain (`deploymentDomain`): signed messages and proofs carry it. */
    readonly domain: bigint,
  ) {}

  /** The state at deployment `domain`: only the operator's fee account, empty, at index 0. */
  static async genesis(depth: number, operator: PublicKey, domain: bigint): Promise<ZkState> {
    const tree = new SparseMerkleTree(depth, await buildPoseidonHasher());
    const state = new ZkState(depth, await poseidon(), tree, new Map(), 0n, domain);
    state.put(FEE_ACCOUNT_INDEX, { ...operator, balance: 0n, nonce: 0n });
    return state;
  }

  get root(): bigint {
    return this.tree.root;
  }

  /** The account at `index`, or undefined for an empty slot. */
  account(index: number): Account | undefined {
    const account = this.accounts.get(index);
    return account && { ...account };
  }

  /** Every account, by index. */
  entries(): [number, Account][] {
    return [...this.accounts.entries()].map(([i, a]) => [i, { ...a }]);
  }

  /** The Merkle path of account `index` in the current tree. */
  siblings(index: number): bigint[] {
    return this.tree.proof(index).siblings;
  }

  clone(): ZkState {
    const accounts = new Map<number, Account>();
    for (const [i, a] of this.accounts) accounts.set(i, { ...a });
    return new ZkState(this.depth, this.hash, this.tree.clone(), accounts, this.depositChain, this.domain);
  }

  /**
   * Writes an account no operation produced. Only for building the data of a faulty batch (src/zk/faults.ts):
   * such a state can never be proven.
   */
  forgeAccount(index: number, account: Account): void {
    this.put(index, { ...account });
  }

  private put(index: number, account: Account): void {
    this.accounts.set(index, account);
    this.tree.setLeaf(index, hashAccount(this.hash, account));
  }

  private existing(index: number, what: string): Account {
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** this.depth) {
      throw new InvalidOperationError(`${what}: account index ${index} is outside the depth-${this.depth} tree`);
    }
    const account = this.accounts.get(index);
    if (!account) throw new InvalidOperationError(`${what}: account ${index} does not exist`);
    return account;
  }

  /**
   * Applies one operation, returning its slot and witness. Throws InvalidOperationError (and changes nothing)
   * for anything the circuit would not prove: so an honest operator refuses it.
   */
  private apply(op: BatchOperation, slot: SlotWitness): { packed: PackedOp; fee: bigint; exit?: bigint } {
    switch (op.kind) {
      case "deposit": {
        const current = this.accounts.get(op.index);
        if (current && (current.ax !== op.key.ax || current.ay !== op.key.ay)) {
          throw new InvalidOperationError(`deposit to account ${op.index}: the account has another key`);
        }
        const chain = depositLink(this.hash, this.depositChain, op.key, op.amount, op.index);
        const before = current ?? { ...op.key, balance: 0n, nonce: 0n };
        Object.assign(slot, {
          creditAx: op.key.ax,
          creditAy: op.key.ay,
          creditBalance: before.balance,
          creditNonce: before.nonce,
          creditIsEmpty: current ? 0n : 1n,
          creditSiblings: this.siblings(op.index),
          depositAmount: op.amount,
        });
        this.put(op.index, { ...before, balance: before.balance + op.amount });
        this.depositChain = chain;
        return { packed: { type: OpType.Deposit, from: 0, to: op.index, amountCode: 0n, feeCode: 0n }, fee: 0n };
      }
      case "transfer":
      case "withdraw": {
        const what = `${op.kind} from account ${op.from}`;
        const sender = this.existing(op.from, what);
        const to = op.kind === "transfer" ? op.to : 0;
        const receiver = op.kind === "transfer" ? this.existing(op.to, `${what} to account ${op.to}`) : undefined;
        if (op.nonce !== sender.nonce) {
          throw new InvalidOperationError(`${what}: nonce ${op.nonce}, the account's nonce is ${sender.nonce}`);
        }
        if (op.amount + op.fee > sender.balance) {
          throw new InvalidOperationError(
            `${what}: amount ${op.amount} + fee ${op.fee} wei exceeds the balance ${sender.balance} wei`,
          );
        }
        const type = op.kind === "transfer" ? OpType.Transfer : OpType.Withdraw;
        const packed: PackedOp = {
          type,
          from: op.from,
          to,
          amountCode: encodeFloat(op.amount, FLOAT40, `${what}: amount`),
          feeCode: encodeFloat(op.fee, FLOAT16, `${what}: fee`),
        };
        Object.assign(slot, {
          debitAx: sender.ax,
          debitAy: sender.ay,
          debitBalance: sender.balance,
          debitNonce: sender.nonce,
          debitSiblings: this.siblings(op.from),
          sigR8x: op.signature.r8x,
          sigR8y: op.signature.r8y,
          sigS: op.signature.s,
        });
        this.put(op.from, { ...sender, balance: sender.balance - op.amount - op.fee, nonce: sender.nonce + 1n });
        if (receiver) {
          const current = this.accounts.get(to) as Account;
          Object.assign(slot, {
            creditAx: current.ax,
            creditAy: current.ay,
            creditBalance: current.balance,
            creditNonce: current.nonce,
            creditSiblings: this.siblings(to),
          });
          this.put(to, { ...current, balance: current.balance + op.amount });
        }
        return { packed, fee: op.fee, exit: op.kind === "withdraw" ? op.amount : undefined };
      }
      case "forced-exit": {
        const what = `forced exit from account ${op.from}`;
        const account = this.existing(op.from, what);
        const amountCode = encodeFloat(op.amount, FLOAT40, `${what}: amount`);
        Object.assign(slot, {
          debitAx: account.ax,
          debitAy: account.ay,
          debitBalance: account.balance,
          debitNonce: account.nonce,
          debitSiblings: this.siblings(op.from),
        });
        if (account.balance < op.amount) {
          const packed = { type: OpType.ForcedExitRefused, from: op.from, to: 0, amountCode, feeCode: 0n };
          return { packed, fee: 0n };
        }
        this.put(op.from, { ...account, balance: account.balance - op.amount });
        const packed = { type: OpType.ForcedExit, from: op.from, to: 0, amountCode, feeCode: 0n };
        return { packed, fee: 0n, exit: op.amount };
      }
    }
  }

  /**
   * Applies `operations` (at most `slots`) as one batch and returns what the operator posts and proves.
   * The state moves to the batch's new root; on an invalid operation it throws and stays as it was.
   */
  buildBatch(operations: readonly BatchOperation[], slots: number): BuiltBatch {
    if (operations.length > slots) {
      throw new InvalidOperationError(`batch: ${operations.length} operations do not fit ${slots} slots`);
    }
    const backup = { tree: this.tree.clone(), accounts: this.clone().accounts, chain: this.depositChain };
    try {
      return this.buildBatchUnchecked(operations, slots);
    } catch (error) {
      this.tree = backup.tree;
      this.accounts = backup.accounts;
      this.depositChain = backup.chain;
      throw error;
    }
  }

  private buildBatchUnchecked(operations: readonly BatchOperation[], slots: number): BuiltBatch {
    const oldRoot = this.root;
    const chainBefore = this.depositChain;
    const witnesses: SlotWitness[] = [];
    const ops: PackedOp[] = [];
    const exits: BuiltBatch["exits"] = [];
    let fees = 0n;
    for (let i = 0; i < slots; i++) {
      const slot = emptySlot(this.depth);
      const op = operations[i];
      if (op) {
        const applied = this.apply(op, slot);
        ops.push(applied.packed);
        fees += applied.fee;
        if (applied.exit !== undefined) exits.push({ slot: i, account: applied.packed.from, amount: applied.exit });
      } else {
        ops.push(NOOP);
      }
      witnesses.push(slot);
    }
    const operator = this.existing(FEE_ACCOUNT_INDEX, "fee credit");
    const feeWitness = {
      feeAx: operator.ax,
      feeAy: operator.ay,
      feeBalance: operator.balance,
      feeNonce: operator.nonce,
      feeSiblings: this.siblings(FEE_ACCOUNT_INDEX),
    };
    this.put(FEE_ACCOUNT_INDEX, { ...operator, balance: operator.balance + fees });

    const header: BatchHeader = { oldRoot, newRoot: this.root, chainBefore, chainAfter: this.depositChain };
    const opsBytes = encodeOps(ops, slots);
    const commitment = batchCommitment(header, opsBytes);
    const column = <K extends keyof SlotWitness>(key: K): SlotWitness[K][] => witnesses.map((w) => w[key]);
    const input: CircuitInput = {
      commitment,
      domain: this.domain,
      ...header,
      opType: ops.map((o) => BigInt(o.type)),
      fromIndex: ops.map((o) => BigInt(o.from)),
      toIndex: ops.map((o) => BigInt(o.to)),
      amountCode: ops.map((o) => o.amountCode),
      feeCode: ops.map((o) => o.feeCode),
      debitAx: column("debitAx"),
      debitAy: column("debitAy"),
      debitBalance: column("debitBalance"),
      debitNonce: column("debitNonce"),
      debitSiblings: column("debitSiblings"),
      creditAx: column("creditAx"),
      creditAy: column("creditAy"),
      creditBalance: column("creditBalance"),
      creditNonce: column("creditNonce"),
      creditIsEmpty: column("creditIsEmpty"),
      creditSiblings: column("creditSiblings"),
      sigR8x: column("sigR8x"),
      sigR8y: column("sigR8y"),
      sigS: column("sigS"),
      depositAmount: column("depositAmount"),
      ...feeWitness,
    };
    return { header, ops, opsBytes, commitment, input, exits };
  }
}

/** A signed transfer from `from` (whose key is `key` and nonce `nonce`) to `to`. */
export function signTransfer(
  state: ZkState,
  key: ZkKey,
  args: { from: number; to: number; amount: bigint; fee: bigint; nonce: bigint },
): TransferOperation {
  const packed = packOp({
    type: OpType.Transfer,
    from: args.from,
    to: args.to,
    amountCode: encodeFloat(args.amount, FLOAT40, "transfer amount"),
    feeCode: encodeFloat(args.fee, FLOAT16, "transfer fee"),
  });
  const message = operationMessage(state.hash, packed, args.nonce, state.domain);
  return { kind: "transfer", ...args, signature: key.sign(message) };
}

/** A signed withdrawal of `amount` from `from` to its L1 owner. */
export function signWithdraw(
  state: ZkState,
  key: ZkKey,
  args: { from: number; amount: bigint; fee: bigint; nonce: bigint },
): WithdrawOperation {
  const packed = packOp({
    type: OpType.Withdraw,
    from: args.from,
    to: 0,
    amountCode: encodeFloat(args.amount, FLOAT40, "withdraw amount"),
    feeCode: encodeFloat(args.fee, FLOAT16, "withdraw fee"),
  });
  const message = operationMessage(state.hash, packed, args.nonce, state.domain);
  return { kind: "withdraw", ...args, signature: key.sign(message) };
}
