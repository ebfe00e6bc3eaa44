/**
 * What the attacks share: an operator (or anyone) writing its transactions by
 * hand against the rollup's ABI, never through src/optimistic/operator.ts, and
 * the solvency check every attack ends with.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { parseUnits, type Signer, type TransactionReceipt } from "ethers";
import type { BlobSource } from "../../../src/optimistic/blob-archive";
import type { OptimisticRollup } from "../../../typechain-types";
import { liabilities } from "../fixtures";
import { batchRecord, tipRecord } from "../../../src/optimistic/records";

export const ZERO32 = "0x" + "00".repeat(32);

/** The exit root of a chunk without exits: a zero tree of depth log2(chunkSize). */
export function emptyExitRoot(chunkSize: number): string {
  let node = ZERO32;
  for (let size = 1; size < chunkSize; size *= 2) node = ethers.keccak256(ethers.concat([node, node]));
  return node;
}

export interface RawChunkState {
  stateRoot: string;
  exitRoot: string;
  depositCursor: bigint;
  forcedCursor: bigint;
}

/** submitBatch's calldata in the standard ABI encoding. */
export function submitBatchData(
  rollup: OptimisticRollup,
  chunks: string[],
  states: RawChunkState[],
  feeRecipient: string,
  feeAccount: number,
): string {
  return rollup.interface.encodeFunctionData("submitBatch", [chunks, states, feeRecipient, feeAccount]);
}

/** Sends raw calldata to the rollup from `from`'s own account; the receipt, or the revert it caused. */
export async function sendRaw(
  rollup: OptimisticRollup,
  from: Signer,
  data: string,
  gasLimit = 5_000_000n,
): Promise<TransactionReceipt> {
  const tx = await from.sendTransaction({ to: await rollup.getAddress(), data, gasLimit });
  const receipt = await tx.wait();
  return receipt!;
}

/**
 * A batch of one empty chunk on top of the tip that commits a state root no execution produces: the cheapest
 * invalid batch there is (its fraud proof needs no witness).
 */
export async function wrongRootBatch(rollup: OptimisticRollup, salt: number): Promise<string> {
  const tip = await tipRecord(rollup);
  const chunkSize = Number(await rollup.CHUNK_SIZE());
  const state: RawChunkState = {
    stateRoot: ethers.keccak256(ethers.toUtf8Bytes(`not a state root ${salt}`)),
    exitRoot: emptyExitRoot(chunkSize),
    depositCursor: tip.depositEnd,
    forcedCursor: tip.forcedEnd,
  };
  return submitBatchData(rollup, ["0x"], [state], await rollup.OPERATOR(), 0);
}

/** The proof that the one empty chunk of `batchId` does not lead to its committed root. */
export async function emptyChunkProof(rollup: OptimisticRollup, batchId: bigint, salt: number) {
  const batch = await batchRecord(rollup, batchId);
  const chunkSize = Number(await rollup.CHUNK_SIZE());
  const parent = await batchRecord(rollup, batch.parentId);
  const post = {
    stateRoot: ethers.keccak256(ethers.toUtf8Bytes(`not a state root ${salt}`)),
    exitRoot: emptyExitRoot(chunkSize),
    dataHash: ethers.keccak256("0x"),
    depositCursor: parent.depositEnd,
    forcedCursor: parent.forcedEnd,
  };
  // A one-leaf chunk tree: the siblings are the zero subtrees.
  const siblings: string[] = [];
  let zero = ZERO32;
  for (let i = 0; i < 8; i++) {
    siblings.push(zero);
    zero = ethers.keccak256(ethers.concat([zero, zero]));
  }
  return {
    batch,
    parent,
    chunkIndex: 0n,
    pre: { stateRoot: ZERO32, exitRoot: ZERO32, dataHash: ZERO32, depositCursor: 0n, forcedCursor: 0n },
    preProof: [],
    post,
    postProof: siblings,
    chunkData: "0x",
    accounts: [],
    deposits: [],
    forced: [],
  };
}

/** The bridge holds at least what it owes (honest balances, unclaimed valid exits, waiting deposits, bond). */
export async function expectSolvent(rollup: OptimisticRollup, blobs?: BlobSource): Promise<void> {
  const held = await ethers.provider.getBalance(await rollup.getAddress());
  const owed = await liabilities(rollup, blobs);
  expect(held >= owed, `bridge holds ${held} wei but owes ${owed}`).to.equal(true);
}

/**
 * A mempool race in one block (automine off): the victim's transaction is sent
 * first with a 2 gwei tip, the attacker's after it with ten times the tip (fee
 * cap 100 gwei), then one block mines both. Returns both receipts.
 */
export async function raceInOneBlock(
  victimSend: (fees: { maxPriorityFeePerGas: bigint }) => Promise<{ hash: string }>,
  attackerSend: (fees: { maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }) => Promise<{ hash: string }>,
): Promise<[TransactionReceipt | null, TransactionReceipt | null]> {
  const low = parseUnits("2", "gwei");
  await network.provider.send("evm_setAutomine", [false]);
  let victimTx, attackerTx;
  try {
    victimTx = await victimSend({ maxPriorityFeePerGas: low });
    attackerTx = await attackerSend({ maxPriorityFeePerGas: low * 10n, maxFeePerGas: parseUnits("100", "gwei") });
    await network.provider.send("evm_mine", []);
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
  return Promise.all([
    ethers.provider.getTransactionReceipt(victimTx.hash),
    ethers.provider.getTransactionReceipt(attackerTx.hash),
  ]);
}
