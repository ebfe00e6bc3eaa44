/**
 * Faulty batches for scenarios (FORMAT.md "Faults"): the data a cheating operator would post. None of them can
 * be proven, so each goes out with the best proof the operator has, and L1 must refuse the post.
 */
import { SNARK_SCALAR_FIELD } from "../merkle";
import { InvalidOperationError } from "./errors";
import type { ZkKey } from "./keys";
import { FLOAT16, FLOAT40, encodeFloat } from "./float";
import type { Forgery, ZkOperator } from "./operator";
import type { SolidityProof } from "./prover";
import { NOOP, OpType, PackedOp, encodeOps, opValues } from "./ops";

export interface FaultSpec {
  kind: string;
  from?: string;
  to?: string;
  amount?: string;
}

export interface FaultHelpers {
  accountOf(name: string): Promise<number>;
  key(name: string): Promise<ZkKey>;
  progress?: (message: string) => void;
  /** The proof the forgery goes out with (default: the operator's best proof, which may cost a proving run). */
  proof?: () => Promise<SolidityProof>;
}

/** Puts `op` in the first no-op slot (or the last slot when all are used). */
function withSlot(ops: PackedOp[], op: PackedOp): PackedOp[] {
  const out = ops.slice();
  const free = out.findIndex((o) => o.type === OpType.Noop);
  out[free === -1 ? out.length - 1 : free] = op;
  return out;
}

function ethAmount(fault: FaultSpec): bigint {
  if (fault.amount === undefined) throw new InvalidOperationError(`fault ${fault.kind}: needs an amount`);
  const [whole, fraction = ""] = fault.amount.split(".");
  return BigInt(whole) * 10n ** 18n + BigInt(fraction.padEnd(18, "0"));
}

/** The ops and root a `fault` batch claims, with the operator's best proof. */
export async function buildFault(operator: ZkOperator, fault: FaultSpec, helpers: FaultHelpers): Promise<Forgery> {
  const { built, state } = operator.buildNext();
  const slots = operator.batchSize;
  let ops = built.ops;
  let newRoot = built.header.newRoot;
  const credit = async (name: string, delta: bigint): Promise<void> => {
    const index = await helpers.accountOf(name);
    const account = state.account(index);
    if (!account) throw new InvalidOperationError(`fault ${fault.kind}: ${name} has no account in the L2 state`);
    const balance = (((account.balance + delta) % SNARK_SCALAR_FIELD) + SNARK_SCALAR_FIELD) % SNARK_SCALAR_FIELD;
    state.forgeAccount(index, { ...account, balance });
    newRoot = state.root;
  };
  const transferOp = async (): Promise<PackedOp> => ({
    type: OpType.Transfer,
    from: await helpers.accountOf(fault.from as string),
    to: await helpers.accountOf(fault.to as string),
    amountCode: encodeFloat(ethAmount(fault), FLOAT40, "fault amount"),
    feeCode: encodeFloat(0n, FLOAT16),
  });

  switch (fault.kind) {
    case "bad-state-root":
      newRoot = (newRoot + 1n) % SNARK_SCALAR_FIELD;
      break;
    case "mint":
      await credit(fault.to as string, ethAmount(fault));
      break;
    case "overdraft":
    case "forged-signature":
      ops = withSlot(ops, await transferOp());
      await credit(fault.from as string, -ethAmount(fault));
      await credit(fault.to as string, ethAmount(fault));
      break;
    case "replay": {
      const from = await helpers.accountOf(fault.from as string);
      const earlier = operator.batches
        .flatMap((b) => b.built.ops)
        .find((o) => o.type === OpType.Transfer && o.from === from);
      if (!earlier) throw new InvalidOperationError(`fault replay: ${fault.from} has no applied transfer to replay`);
      ops = withSlot(ops, earlier);
      const { amount, fee } = opValues(earlier);
      const to = state.account(earlier.to);
      await credit(fault.from as string, -(amount + fee));
      if (to) {
        state.forgeAccount(earlier.to, { ...to, balance: to.balance + amount });
        newRoot = state.root;
      }
      break;
    }
    case "skip-deposit": {
      const deposit = built.ops.find((o) => o.type === OpType.Deposit);
      if (!deposit) throw new InvalidOperationError("fault skip-deposit: no deposit is queued");
      // The slot stays (L1 counts the deposit as consumed) but the account is not credited.
      const first = operator.pendingOperations().find((o) => o.kind === "deposit");
      if (first && first.kind === "deposit") {
        const account = state.account(first.index);
        if (account) {
          state.forgeAccount(first.index, { ...account, balance: account.balance - first.amount });
          newRoot = state.root;
        }
      }
      break;
    }
    case "fake-exit": {
      const from = await helpers.accountOf(fault.to as string);
      const amount = encodeFloat(ethAmount(fault), FLOAT40, "fault amount");
      ops = withSlot(ops, { type: OpType.Withdraw, from, to: 0, amountCode: amount, feeCode: 0n });
      break;
    }
    case "malformed": {
      const bytes = encodeOps(ops, slots);
      return {
        opsBytes: bytes.subarray(0, bytes.length - 1),
        newRoot,
        proof: await (helpers.proof ?? (() => operator.bestProof(helpers.progress)))(),
      };
    }
    default:
      throw new InvalidOperationError(`fault kind "${fault.kind}" is not known`);
  }
  const padded = ops.concat(new Array<PackedOp>(Math.max(0, slots - ops.length)).fill(NOOP));
  const proof = await (helpers.proof ?? (() => operator.bestProof(helpers.progress)))();
  return { opsBytes: encodeOps(padded, slots), newRoot, proof };
}
