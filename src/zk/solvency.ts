/**
 * The format's `solvent` rule for the zk rollup, read from the chain alone: the ETH the contract holds against
 * what it owes, namely the L2 balances of the last proven state not yet escaped (rebuilt from L1 events, every
 * root checked), the exits of proven batches not yet claimed, and the deposits no batch consumed and not yet
 * refunded. Every batch L1 accepted is proven, so the honest state is the proven one.
 */
import type { ZkRollup } from "../../typechain-types";
import { OpType, decodeOps, opValues } from "./ops";
import { replayFromL1 } from "./replay";

export interface Solvency {
  held: bigint;
  owed: bigint;
  balances: bigint;
  unclaimedExits: bigint;
  pendingDeposits: bigint;
  solvent: boolean;
}

export async function solvencyOf(rollup: ZkRollup): Promise<Solvency> {
  const runner = rollup.runner?.provider;
  if (!runner) throw new Error("solvency: the rollup contract has no provider");
  const held = await runner.getBalance(await rollup.getAddress());
  const state = await replayFromL1(rollup);
  let balances = 0n;
  for (const [index, account] of state.entries()) {
    if (!(await rollup.hasEscaped(index))) balances += account.balance;
  }
  let unclaimedExits = 0n;
  for (const e of await rollup.queryFilter(rollup.filters.BatchData())) {
    const ops = decodeOps(Buffer.from(e.args.ops.slice(2), "hex"));
    for (let slot = 0; slot < ops.length; slot++) {
      if (ops[slot].type !== OpType.Withdraw && ops[slot].type !== OpType.ForcedExit) continue;
      if (await rollup.isClaimed(e.args.batchNumber, slot)) continue;
      unclaimedExits += opValues(ops[slot]).amount;
    }
  }
  let pendingDeposits = 0n;
  const consumed = await rollup.depositsConsumed();
  for (const e of await rollup.queryFilter(rollup.filters.DepositQueued())) {
    if (e.args.index < consumed || (await rollup.isDepositRefunded(e.args.index))) continue;
    pendingDeposits += e.args.amount;
  }
  const owed = balances + unclaimedExits + pendingDeposits;
  return { held, owed, balances, unclaimedExits, pendingDeposits, solvent: held >= owed };
}
