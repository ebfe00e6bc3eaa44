/**
 * A hostile operator's toolbox, for attack tests and the scenario driver's
 * `attack` steps: it builds batches on the state it rebuilds from L1 (never
 * the honest operator's memory or pool), encodes submitBatch's calldata by
 * hand (standard, or in an encoding only the contract's decoder accepts) and
 * sends it as a raw transaction from the attacker's own L1 account.
 */
import { AbiCoder, Interface, Signer, TransactionReceipt, concat, dataLength, getBytes, hexlify } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import type { L1View } from "./l1-view";
import { BuiltBatch, FaultSpec, Operator } from "./operator";
import type { L2Tx } from "../encoding/tx";
import type { OptimisticParams } from "./params";
import { rebuild } from "./watcher";

const hex = (b: Buffer): string => "0x" + b.toString("hex");
const STATE_TUPLE = "tuple(bytes32 stateRoot, bytes32 exitRoot, uint64 depositCursor, uint64 forcedCursor)[]";

/** The arguments of submitBatch as an attacker hands them to an encoder. */
export interface RawBatch {
  chunks: string[];
  states: { stateRoot: string; exitRoot: string; depositCursor: bigint; forcedCursor: bigint }[];
  feeRecipient: string;
  feeAccount: number;
}

export function rawBatch(built: BuiltBatch, feeRecipient: string): RawBatch {
  return {
    chunks: built.chunks.map(hex),
    states: built.states.map((s) => ({
      stateRoot: hex(s.stateRoot),
      exitRoot: hex(s.exitRoot),
      depositCursor: BigInt(s.depositCursor),
      forcedCursor: BigInt(s.forcedCursor),
    })),
    feeRecipient,
    feeAccount: built.feeAccount,
  };
}

/**
 * Builds a batch of no user tx (only the fault, if any) on top of the standing tip, executing on a throwaway
 * copy of the state rebuilt from L1. The committed exits of each chunk are returned with it.
 */
export function buildHostileBatch(
  rollup: OptimisticRollup,
  signer: Signer,
  view: L1View,
  params: OptimisticParams,
  feeRecipient: string,
  fault?: FaultSpec,
  txs: L2Tx[] = [],
): BuiltBatch {
  const bls = view.bls;
  const builder = new Operator(
    rollup,
    signer,
    feeRecipient,
    params,
    view.domain,
    undefined,
    bls ? { txTag: bls.txTag, keyOf: (owner) => bls.keys.get(owner) } : undefined,
  );
  builder.state = rebuild(view).state.clone();
  const tip = view.batches[view.tipId];
  builder.state.depositCursor = tip.depositEnd;
  builder.state.forcedCursor = tip.forcedEnd;
  const feeAccount = builder.state.findAccount(feeRecipient) ?? builder.state.nextFreeIndex();
  return builder.build(txs, view.deposits, view.forced, feeAccount, fault);
}

/**
 * A valid tx whose bytes are not a multiple of 32 (a register of a fresh account for an owner nobody holds the
 * key of), so the last chunk has padding an odd encoding can drop.
 */
export function paddingTx(view: L1View): L2Tx {
  const state = rebuild(view).state;
  return { type: "register", index: state.nextFreeIndex(), owner: "0x00000000000000000000000000000000000000aa" };
}

/** submitBatch's calldata in the standard ABI encoding. */
export function standardCalldata(iface: Interface, batch: RawBatch): string {
  return iface.encodeFunctionData("submitBatch", [batch.chunks, batch.states, batch.feeRecipient, batch.feeAccount]);
}

/**
 * submitBatch's calldata in an encoding Solidity's decoder accepts but that is not the standard one: the tail of
 * `states` comes before the tail of `chunks`, and the last chunk's bytes lose their zero padding (they end the
 * calldata, so the decoder's bounds check still holds).
 */
export function oddCalldata(iface: Interface, batch: RawBatch): string {
  const coder = AbiCoder.defaultAbiCoder();
  const statesTail = getBytes(coder.encode([STATE_TUPLE], [batch.states])).slice(32);
  let chunksTail = getBytes(coder.encode(["bytes[]"], [batch.chunks])).slice(32);
  const last = batch.chunks[batch.chunks.length - 1];
  const padding = (32 - (dataLength(last) % 32)) % 32;
  chunksTail = chunksTail.slice(0, chunksTail.length - padding);
  const head = getBytes(
    coder.encode(
      ["uint256", "uint256", "address", "uint32"],
      [128 + statesTail.length, 128, batch.feeRecipient, batch.feeAccount],
    ),
  );
  const selector = iface.getFunction("submitBatch")!.selector;
  return hexlify(concat([selector, head, statesTail, chunksTail]));
}

/**
 * Sends raw calldata to `to` from `from`'s own account. Returns the receipt, or the error when L1 refuses it (in
 * gas estimation or mined).
 */
export async function sendRaw(
  from: Signer,
  to: string,
  data: string,
): Promise<{ receipt?: TransactionReceipt; error?: Error }> {
  try {
    const tx = await from.sendTransaction({ to, data });
    const receipt = await tx.wait();
    return { receipt: receipt! };
  } catch (error) {
    return { error: error as Error };
  }
}
