/**
 * Lesson 6 exercises: fill in the bodies, then run `npx hardhat test test/lessons/06-devnet.test.ts`.
 * The checks start a real devnet (`npx hardhat devnet --only optimistic`: its own `hardhat node` on a free
 * port), call your functions with the chain's URL, the devnet's deployment record and a key of your own,
 * and compare what they return with what the chain recorded.
 */
import { NotYetImplemented } from "../exercise";

/** What a deposit left on L1: its place in the rollup's deposit queue and the transaction that queued it. */
export interface QueuedDeposit {
  index: bigint;
  txHash: string;
}

/**
 * Exercise 6.1: deposit `amountWei` into the devnet's optimistic rollup from the account of `privateKey`,
 * for the L2 account owned by that same address (`deposit(address l2Owner)`), and return the queue index
 * L1 gave it, read from the `DepositQueued` event of the receipt. The rollup's address is in the
 * deployment record at `deploymentPath` (`readDeployment` in src/devnet/deployment.ts).
 */
export async function depositFromMyKey(
  rpcUrl: string,
  deploymentPath: string,
  privateKey: string,
  amountWei: bigint,
): Promise<QueuedDeposit> {
  void [rpcUrl, deploymentPath, privateKey, amountWei];
  throw new NotYetImplemented("depositFromMyKey");
}

/**
 * Exercise 6.2: every deposit queued for the L2 account owned by `owner`, in queue order, found from L1
 * alone as a watcher would: the `DepositQueued` logs of the rollup from the record's `fromBlock` on, whose
 * indexed `recipient` is `owner` as 32 bytes (the address left-padded with zeros). Return their amounts.
 */
export async function depositsFor(rpcUrl: string, deploymentPath: string, owner: string): Promise<bigint[]> {
  void [rpcUrl, deploymentPath, owner];
  throw new NotYetImplemented("depositsFor");
}
