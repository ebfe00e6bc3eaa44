/**
 * The L2 state and its transition rules, mirrored from
 * contracts/optimistic/ChunkExecutor.sol check for check and in the same order,
 * so a fraud proof built from this code reaches the same verdict on L1.
 *
 * Accounts keep lower-case owner addresses. `executeChunk` mutates the state;
 * callers clone first when they need the state before it.
 */
import { hashAccount, Account } from "../encoding/account";
import { keccakBytes } from "../encoding/keccak";
import { TransferTx, WithdrawTx, decodeTxAt, recoverSigner, transferDigest, withdrawDigest } from "../encoding/tx";
import { BlsTransferTx, blsTransferMessage, decodeBlsChunkTxAt } from "../encoding/bls-tx";
import { SIGNATURE_BYTES as BLS_SIGNATURE_BYTES } from "../encoding/bls";
import { AccountTree } from "./account-tree";
import { rootOf } from "./batch-merkle";
import { exitTreeDepth } from "./params";

/** The fault names of IOptimisticRollup.Fault, in enum order. */
export const FAULTS = [
  "None",
  "Malformed",
  "TooManyTxs",
  "DepositOutOfRange",
  "DepositToForeignAccount",
  "UnknownSender",
  "BadSignature",
  "BadNonce",
  "Overdraft",
  "UnknownRecipient",
  "ForcedOutOfRange",
  "FeeToForeignAccount",
  "StateRootMismatch",
  "ExitRootMismatch",
  "DepositCursorMismatch",
  "ForcedCursorMismatch",
  "BadRegistration",
  "BadAggregate",
  "BadBlobHeader",
] as const;
export type Fault = (typeof FAULTS)[number];

const MAX_NONCE = 0xffffffff;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** An entry of the L1 deposit queue, as DepositQueued events show it. */
export interface QueuedDeposit {
  index: number;
  sender: string;
  /** bytes32 as 0x-hex. */
  recipient: string;
  amount: bigint;
}

/** An L1 forced-withdrawal request, as ForcedWithdrawalRequested events show it. */
export interface ForcedRequest {
  index: number;
  account: number;
  signer: string;
  recipient: string;
  amount: bigint;
  deadline: number;
}

/** An exit a chunk committed to. */
export interface Exit {
  position: number;
  recipient: string;
  amount: bigint;
}

/** What a chunk's execution needs besides the state: the batch header and the L1 queues. */
export interface ChunkContext {
  domain: Buffer;
  chunkSize: number;
  depositEnd: number;
  forcedEnd: number;
  feeRecipient: string;
  feeAccount: number;
  deposits: readonly QueuedDeposit[];
  forced: readonly ForcedRequest[];
  /**
   * Only for building faulty batches on purpose (scenarios, tests): the tx at each listed position is applied by
   * the given function without any check, as a cheating operator would.
   */
  cheats?: ReadonlyMap<number, (state: L2State) => void>;
  /** BLS variant (BlsOptimisticRollup): chunks open with a 96-byte aggregate signature and may hold BLS transfers. */
  bls?: boolean;
}

/** The witnesses a fraud proof carries, in the order L1 consumes them. */
export interface ChunkWitness {
  accounts: { owner: string; balance: bigint; nonce: number; siblings: string[] }[];
  deposits: { sender: string; recipient: string; amount: bigint }[];
  forced: { account: number; signer: string; recipient: string; amount: bigint }[];
}

export interface ChunkOutcome {
  fault: Fault;
  /** Position of the faulty tx (the tx count when the fault is in the fee credit or the outcome). */
  txIndex: number;
  txCount: number;
  exits: Exit[];
  exitRoot: Buffer;
  /** BLS variant: each BLS transfer's sender owner and signed message, in chunk order (what the aggregate covers). */
  blsMessages: { owner: string; message: Buffer }[];
}

/** What a chunk's committed state must equal. */
export interface ChunkStateValue {
  stateRoot: Buffer;
  exitRoot: Buffer;
  depositCursor: bigint | number;
  forcedCursor: bigint | number;
}

export function depositOwner(recipient: string): string {
  return "0x" + recipient.slice(-40).toLowerCase();
}

export function exitLeaf(recipient: string, amount: bigint): Buffer {
  const packed = Buffer.alloc(52);
  Buffer.from(recipient.slice(2), "hex").copy(packed, 0);
  packed.writeBigUInt64BE(amount >> 192n, 20);
  packed.writeBigUInt64BE((amount >> 128n) & 0xffffffffffffffffn, 28);
  packed.writeBigUInt64BE((amount >> 64n) & 0xffffffffffffffffn, 36);
  packed.writeBigUInt64BE(amount & 0xffffffffffffffffn, 44);
  return keccakBytes(packed);
}

export class L2State {
  readonly accounts = new Map<number, Account>();
  tree = new AccountTree();
  depositCursor = 0;
  forcedCursor = 0;

  get stateRoot(): Buffer {
    return this.tree.root;
  }

  clone(): L2State {
    const copy = new L2State();
    this.accounts.forEach((a, i) => copy.accounts.set(i, { ...a }));
    copy.tree = this.tree.clone();
    copy.depositCursor = this.depositCursor;
    copy.forcedCursor = this.forcedCursor;
    return copy;
  }

  /** The account at `index` (an empty account if none). */
  account(index: number): Account {
    return this.accounts.get(index) ?? { index, owner: ZERO_ADDRESS, balance: 0n, nonce: 0 };
  }

  /** The index of the account `owner` holds, if any. */
  findAccount(owner: string): number | undefined {
    const lower = owner.toLowerCase();
    for (const [index, account] of this.accounts) if (account.owner === lower) return index;
    return undefined;
  }

  /** The lowest index with no account. */
  nextFreeIndex(): number {
    let i = 0;
    while (this.accounts.has(i)) i++;
    return i;
  }

  /** Sets an account (lower-case owner) and its leaf. */
  write(account: Account): void {
    const stored = { ...account, owner: account.owner.toLowerCase() };
    this.accounts.set(account.index, stored);
    this.tree.setLeaf(account.index, hashAccount(stored));
  }

  /**
   * Executes packed chunk bytes exactly as ChunkExecutor does. With `witness`, records what a fraud proof needs.
   * Stops at the first invalid tx, leaving the state as far as it got.
   */
  executeChunk(data: Buffer, ctx: ChunkContext, witness?: ChunkWitness): ChunkOutcome {
    const run = new ChunkRun(this, ctx, witness);
    const exits: Exit[] = [];
    const leaves: Buffer[] = [];
    let offset = ctx.bls ? BLS_SIGNATURE_BYTES : 0;
    let txIndex = 0;
    const fail = (fault: Fault): ChunkOutcome => ({
      fault,
      txIndex,
      txCount: txIndex,
      exits,
      exitRoot: Buffer.alloc(32),
      blsMessages: run.blsMessages,
    });
    if (data.length < offset) return fail("Malformed");
    while (offset < data.length) {
      if (txIndex === ctx.chunkSize) return fail("TooManyTxs");
      let decoded;
      try {
        decoded = ctx.bls ? decodeBlsChunkTxAt(data, offset) : decodeTxAt(data, offset);
      } catch {
        return fail("Malformed");
      }
      const cheat = ctx.cheats?.get(txIndex);
      if (cheat) cheat(this);
      const { fault, exit } = cheat ? { fault: "None" as Fault, exit: undefined } : run.apply(decoded.tx);
      if (fault !== "None") return fail(fault);
      leaves.push(exit ? exitLeaf(exit.recipient, exit.amount) : Buffer.alloc(32));
      if (exit) exits.push({ position: txIndex, ...exit });
      offset += decoded.length;
      txIndex++;
    }
    if (run.fees !== 0n && !run.credit(ctx.feeAccount, ctx.feeRecipient, run.fees)) {
      return fail("FeeToForeignAccount");
    }
    return {
      fault: "None",
      txIndex,
      txCount: txIndex,
      exits,
      exitRoot: rootOf(leaves, exitTreeDepth(ctx.chunkSize)),
      blsMessages: run.blsMessages,
    };
  }

  /** The first mismatch between an executed chunk and what was committed for it (None when equal). */
  compare(outcome: ChunkOutcome, committed: ChunkStateValue): Fault {
    if (BigInt(this.depositCursor) !== BigInt(committed.depositCursor)) return "DepositCursorMismatch";
    if (BigInt(this.forcedCursor) !== BigInt(committed.forcedCursor)) return "ForcedCursorMismatch";
    if (!outcome.exitRoot.equals(committed.exitRoot)) return "ExitRootMismatch";
    if (!this.stateRoot.equals(committed.stateRoot)) return "StateRootMismatch";
    return "None";
  }
}

/** One chunk's running execution: the fee total and the witness recorder. */
class ChunkRun {
  fees = 0n;
  readonly blsMessages: { owner: string; message: Buffer }[] = [];
  constructor(
    private readonly state: L2State,
    private readonly ctx: ChunkContext,
    private readonly witness?: ChunkWitness,
  ) {}

  apply(tx: ReturnType<typeof decodeBlsChunkTxAt>["tx"]): {
    fault: Fault;
    exit?: { recipient: string; amount: bigint };
  } {
    switch (tx.type) {
      case "bls-transfer":
        return { fault: this.blsTransfer(tx) };
      case "deposit":
        return { fault: this.deposit(tx.to) };
      case "transfer":
        return { fault: this.transfer(tx) };
      case "withdraw":
        return this.withdraw(tx);
      case "forced-exit":
        return this.forcedExit();
      case "register":
        return { fault: this.register(tx.index, tx.owner) };
    }
  }

  private register(index: number, owner: string): Fault {
    const account = this.read(index);
    if (account.owner !== ZERO_ADDRESS || owner.toLowerCase() === ZERO_ADDRESS) return "BadRegistration";
    account.owner = owner.toLowerCase();
    this.state.write(account);
    return "None";
  }

  private read(index: number): Account {
    const account = this.state.account(index);
    if (this.witness) {
      this.witness.accounts.push({
        owner: account.owner,
        balance: account.balance,
        nonce: account.nonce,
        siblings: this.state.tree.proof(index).map((s) => "0x" + s.toString("hex")),
      });
    }
    return { ...account };
  }

  credit(index: number, owner: string, amount: bigint): boolean {
    const account = this.read(index);
    if (account.owner === ZERO_ADDRESS) account.owner = owner.toLowerCase();
    else if (account.owner !== owner.toLowerCase()) return false;
    account.balance += amount;
    this.state.write(account);
    return true;
  }

  private deposit(to: number): Fault {
    const state = this.state;
    if (state.depositCursor >= this.ctx.depositEnd) return "DepositOutOfRange";
    const queued = this.ctx.deposits[state.depositCursor];
    this.witness?.deposits.push({ sender: queued.sender, recipient: queued.recipient, amount: queued.amount });
    state.depositCursor++;
    return this.credit(to, depositOwner(queued.recipient), queued.amount) ? "None" : "DepositToForeignAccount";
  }

  private checkSpend(sender: Account, nonce: number, debit: bigint, digest: Buffer, signature: string): Fault {
    if (sender.owner === ZERO_ADDRESS) return "UnknownSender";
    if (recoverSigner(digest, signature) !== sender.owner) return "BadSignature";
    if (nonce !== sender.nonce || nonce === MAX_NONCE) return "BadNonce";
    if (debit > sender.balance) return "Overdraft";
    return "None";
  }

  private transfer(t: TransferTx): Fault {
    const sender = this.read(t.from);
    const fault = this.checkSpend(sender, t.nonce, t.amount + t.fee, transferDigest(this.ctx.domain, t), t.signature);
    if (fault !== "None") return fault;
    return this.pay(sender, t.to, t.amount, t.fee);
  }

  /** The effect of a checked transfer, either kind: the sender pays amount and fee and moves its nonce on. */
  private pay(sender: Account, to: number, amount: bigint, fee: bigint): Fault {
    sender.balance -= amount + fee;
    sender.nonce++;
    this.state.write(sender);
    this.fees += fee;
    const recipient = this.read(to);
    if (recipient.owner === ZERO_ADDRESS) return "UnknownRecipient";
    recipient.balance += amount;
    this.state.write(recipient);
    return "None";
  }

  /** As BlsOptimisticRollup._executeVariantTx: a transfer checked but for its signature, which the aggregate covers. */
  private blsTransfer(t: BlsTransferTx): Fault {
    const sender = this.read(t.from);
    if (sender.owner === ZERO_ADDRESS) return "UnknownSender";
    if (sender.nonce === MAX_NONCE) return "BadNonce";
    if (t.amount + t.fee > sender.balance) return "Overdraft";
    this.blsMessages.push({ owner: sender.owner, message: blsTransferMessage(t, sender.nonce) });
    return this.pay(sender, t.to, t.amount, t.fee);
  }

  private withdraw(w: WithdrawTx): { fault: Fault; exit?: { recipient: string; amount: bigint } } {
    const sender = this.read(w.from);
    const fault = this.checkSpend(sender, w.nonce, w.amount + w.fee, withdrawDigest(this.ctx.domain, w), w.signature);
    if (fault !== "None") return { fault };
    sender.balance -= w.amount + w.fee;
    sender.nonce++;
    this.state.write(sender);
    this.fees += w.fee;
    return { fault: "None", exit: { recipient: w.recipient.toLowerCase(), amount: w.amount } };
  }

  private forcedExit(): { fault: Fault; exit?: { recipient: string; amount: bigint } } {
    const state = this.state;
    if (state.forcedCursor >= this.ctx.forcedEnd) return { fault: "ForcedOutOfRange" };
    const request = this.ctx.forced[state.forcedCursor];
    this.witness?.forced.push({
      account: request.account,
      signer: request.signer,
      recipient: request.recipient,
      amount: request.amount,
    });
    state.forcedCursor++;
    const account = this.read(request.account);
    if (
      account.owner === ZERO_ADDRESS ||
      account.owner !== request.signer.toLowerCase() ||
      account.balance < request.amount
    ) {
      return { fault: "None" };
    }
    account.balance -= request.amount;
    state.write(account);
    return { fault: "None", exit: { recipient: request.recipient.toLowerCase(), amount: request.amount } };
  }
}
