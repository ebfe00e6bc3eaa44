/** Lesson 6, reference solution: the same functions as exercise.ts, completed. */
import { Contract, JsonRpcProvider, Wallet, zeroPadValue } from "ethers";
import { readDeployment } from "../../../src/devnet/deployment";
import type { QueuedDeposit } from "./exercise";

const ROLLUP_ABI = [
  "function deposit(address l2Owner) payable",
  "event DepositQueued(uint256 indexed index, address indexed sender, bytes32 indexed recipient, uint256 amount, bytes32 chainHash)",
];

function rollupAddress(deploymentPath: string): string {
  const rollup = readDeployment(deploymentPath).optimistic?.rollup;
  if (!rollup) throw new Error(`${deploymentPath}: the devnet has no optimistic rollup (started with --only?)`);
  return rollup;
}

export async function depositFromMyKey(
  rpcUrl: string,
  deploymentPath: string,
  privateKey: string,
  amountWei: bigint,
): Promise<QueuedDeposit> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    const me = new Wallet(privateKey, provider);
    const rollup = new Contract(rollupAddress(deploymentPath), ROLLUP_ABI, me);
    const receipt = await (await rollup.deposit(me.address, { value: amountWei })).wait();
    for (const log of receipt.logs) {
      const parsed = rollup.interface.parseLog(log);
      if (parsed?.name === "DepositQueued") return { index: parsed.args.index as bigint, txHash: receipt.hash };
    }
    throw new Error(`deposit ${receipt.hash}: no DepositQueued event in the receipt`);
  } finally {
    provider.destroy();
  }
}

export async function depositsFor(rpcUrl: string, deploymentPath: string, owner: string): Promise<bigint[]> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    const { fromBlock } = readDeployment(deploymentPath);
    const rollup = new Contract(rollupAddress(deploymentPath), ROLLUP_ABI, provider);
    const filter = rollup.filters.DepositQueued(null, null, zeroPadValue(owner, 32));
    const logs = await rollup.queryFilter(filter, fromBlock);
    return logs.map((log) => rollup.interface.parseLog(log)!.args.amount as bigint);
  } finally {
    provider.destroy();
  }
}
