/**
 * What an attacker does with the mempool, on a Hardhat chain: see a
 * transaction before it is mined and get one of its own mined first (a block
 * producer, or a higher tip, decides the order). Used by the scenario
 * driver's armed attacks; each returns the receipts as L1 mined them.
 */
import type { ContractTransactionResponse, Interface, Provider, Signer, TransactionReceipt } from "ethers";

/** A provider that also takes raw JSON-RPC calls (Hardhat's `evm_*` methods): hre.ethers.provider. */
export type ChainProvider = Provider & { send(method: string, params: unknown[]): Promise<unknown> };

const GWEI = 10n ** 9n;
/** Gas limit of a transaction sent while automine is off (no estimate against a mempool it may be behind). */
export const RACE_GAS_LIMIT = 1_000_000n;

export interface FeeOverrides {
  gasLimit: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

export interface Raced {
  /** The victim's transaction as mined (status 0 when it reverted). */
  victim: TransactionReceipt;
  /** The attacker's, or why it could not even be sent. */
  attacker: TransactionReceipt | { notSent: string };
}

/**
 * The victim's transaction goes to the mempool first, the attacker's follows
 * with a far higher tip, and one block mines both: the attacker's first.
 */
export async function raceInOneBlock(
  provider: ChainProvider,
  victimSend: (overrides: FeeOverrides) => Promise<ContractTransactionResponse>,
  attackerSend: (overrides: FeeOverrides) => Promise<ContractTransactionResponse>,
): Promise<Raced> {
  const base = (await provider.getBlock("latest"))?.baseFeePerGas ?? GWEI;
  const fees = (tip: bigint): FeeOverrides => ({
    gasLimit: RACE_GAS_LIMIT,
    maxPriorityFeePerGas: tip,
    maxFeePerGas: 4n * base + tip,
  });
  await provider.send("evm_setAutomine", [false]);
  let victimTx: ContractTransactionResponse;
  let attacker: ContractTransactionResponse | { notSent: string };
  try {
    victimTx = await victimSend(fees(GWEI));
    try {
      attacker = await attackerSend(fees(50n * GWEI));
    } catch (e) {
      attacker = { notSent: (e as Error).message.split("\n")[0] };
    }
    await provider.send("evm_mine", []);
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
  const victim = await provider.getTransactionReceipt(victimTx.hash);
  if (!victim) throw new Error(`the victim's transaction ${victimTx.hash} was not mined`);
  if ("notSent" in attacker) return { victim, attacker };
  const mined = await provider.getTransactionReceipt(attacker.hash);
  if (!mined) throw new Error(`the attacker's transaction ${attacker.hash} was not mined`);
  return { victim, attacker: mined };
}

/**
 * With automine off, waits (up to `timeoutMs`) for the first transaction
 * `during` puts in the mempool, sends a copy of it from `attacker` with a far
 * higher tip, mines one block, turns automine back on and lets `during`
 * finish. Returns the copy's receipt (null when nothing showed up) and
 * `during`'s result or error.
 */
export async function copyFirstPending<T>(
  provider: ChainProvider,
  attacker: Signer,
  during: () => Promise<T>,
  timeoutMs = 5_000,
): Promise<{ copied: { of: string; receipt: TransactionReceipt } | null; result: T | Error }> {
  await provider.send("evm_setAutomine", [false]);
  try {
    const running = during().then(
      (r) => r,
      (e: Error) => e,
    );
    let seen: { hash: string; to: string; input: string } | null = null;
    for (const started = Date.now(); !seen && Date.now() - started < timeoutMs;) {
      const pending = (await provider.send("eth_getBlockByNumber", ["pending", true])) as {
        transactions: { hash: string; to: string; input: string }[];
      };
      seen = pending.transactions[0] ?? null;
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    let copied: { of: string; receipt: TransactionReceipt } | null = null;
    if (seen) {
      const copy = await attacker.sendTransaction({
        to: seen.to,
        data: seen.input,
        gasLimit: RACE_GAS_LIMIT,
        maxPriorityFeePerGas: 100n * GWEI,
        maxFeePerGas: 1000n * GWEI,
      });
      await provider.send("evm_mine", []);
      const receipt = await provider.getTransactionReceipt(copy.hash);
      if (!receipt) throw new Error(`the copy ${copy.hash} was not mined`);
      copied = { of: seen.hash, receipt };
    }
    await provider.send("evm_setAutomine", [true]);
    return { copied, result: await running };
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
}

/** The custom error a mined, reverted transaction died with, replayed as a call on the state after its block. */
export async function revertReason(provider: ChainProvider, iface: Interface, hash: string): Promise<string> {
  const tx = await provider.getTransaction(hash);
  if (!tx || tx.blockNumber === null) return "unknown transaction";
  try {
    await provider.call({ to: tx.to, from: tx.from, data: tx.data, blockTag: tx.blockNumber });
    return "reverted, but passes when replayed after its block";
  } catch (e) {
    const data = (e as { data?: string }).data;
    const parsed = data ? iface.parseError(data) : null;
    return parsed ? `${parsed.name}(${parsed.args.join(", ")})` : (e as Error).message.split("\n")[0];
  }
}

/** "mined at position i of block n, L1 accepted it" or "... L1 refused it (Error(args))". */
export async function describeMined(
  provider: ChainProvider,
  iface: Interface,
  receipt: TransactionReceipt,
): Promise<string> {
  return (
    `mined at position ${receipt.index} of block ${receipt.blockNumber}, ` +
    (receipt.status === 1 ? "L1 accepted it" : `L1 refused it (${await revertReason(provider, iface, receipt.hash)})`)
  );
}
