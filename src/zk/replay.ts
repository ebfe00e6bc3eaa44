/**
 * An honest node's view: the L2 state rebuilt from L1 data alone (deposit events and the ops of every proven
 * batch, read from the BatchData event L1 emits with the ops it decoded: so a batch posted from inside a
 * contract call, or with non-standard calldata, replays like any other), checked root by root against the
 * roots L1 stored. Signatures
 * are not published and not needed: the proof already stood for them, and a slot's effect is fully given by
 * its bytes. This is what anyone needs to build an escape proof after a freeze.
 */
import type { ZkRollup } from "../../typechain-types";
import { ZkRollupError } from "./errors";
import type { PublicKey } from "./keys";
import { OpType, decodeOps, opValues } from "./ops";
import { BatchOperation, ZkState } from "./state";

const NO_SIGNATURE = { r8x: 0n, r8y: 0n, s: 0n };

/** Rebuilds the state after every proven batch; throws if a replayed root differs from the one L1 stored. */
export async function replayFromL1(rollup: ZkRollup): Promise<ZkState> {
  const depth = Number(await rollup.TREE_DEPTH());
  const batchSize = Number(await rollup.BATCH_SIZE());
  const keys = new Map<number, PublicKey>();
  for (const e of await rollup.queryFilter(rollup.filters.AccountRegistered())) {
    keys.set(Number(e.args.index), { ax: e.args.ax, ay: e.args.ay });
  }
  const operatorKey = keys.get(0);
  if (!operatorKey) throw new ZkRollupError("replay: no fee account registered at index 0");
  const deposits = (await rollup.queryFilter(rollup.filters.DepositQueued()))
    .map((e) => ({ index: Number(e.args.index), account: Number(BigInt(e.args.recipient)), amount: e.args.amount }))
    .sort((a, b) => a.index - b.index);
  const state = await ZkState.genesis(depth, operatorKey, await rollup.domain());
  const data = new Map<bigint, string>();
  for (const e of await rollup.queryFilter(rollup.filters.BatchData())) data.set(e.args.batchNumber, e.args.ops);
  let nextDeposit = 0;
  for (const event of await rollup.queryFilter(rollup.filters.BatchProven())) {
    const opsHex = data.get(event.args.batchNumber);
    if (opsHex === undefined) throw new ZkRollupError(`replay: batch ${event.args.batchNumber}: no BatchData event`);
    const ops: BatchOperation[] = [];
    // Nonces move within a batch too: an account may sign two slots of it.
    const nonces = new Map<number, bigint>();
    for (const op of decodeOps(Buffer.from(opsHex.slice(2), "hex"))) {
      const { amount, fee } = opValues(op);
      const nonce = (): bigint => {
        const current = nonces.get(op.from) ?? state.account(op.from)?.nonce ?? 0n;
        nonces.set(op.from, current + 1n);
        return current;
      };
      switch (op.type) {
        case OpType.Deposit: {
          const d = deposits[nextDeposit++];
          const key = d && keys.get(d.account);
          if (!d || !key)
            throw new ZkRollupError(`replay: batch ${event.args.batchNumber} consumes a deposit L1 does not have`);
          ops.push({ kind: "deposit", index: d.account, key, amount: d.amount });
          break;
        }
        case OpType.Transfer:
          ops.push({
            kind: "transfer",
            from: op.from,
            to: op.to,
            amount,
            fee,
            nonce: nonce(),
            signature: NO_SIGNATURE,
          });
          break;
        case OpType.Withdraw:
          ops.push({ kind: "withdraw", from: op.from, amount, fee, nonce: nonce(), signature: NO_SIGNATURE });
          break;
        case OpType.ForcedExit:
        case OpType.ForcedExitRefused:
          ops.push({ kind: "forced-exit", from: op.from, amount });
          break;
        default:
          break;
      }
    }
    const built = state.buildBatch(ops, batchSize);
    if (built.header.newRoot !== event.args.newRoot) {
      throw new ZkRollupError(
        `replay: batch ${event.args.batchNumber}: rebuilt root ${built.header.newRoot}, L1 has ${event.args.newRoot}`,
      );
    }
  }
  return state;
}
