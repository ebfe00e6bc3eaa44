/**
 * Batch records. L1 keeps one slot per batch, keccak256(abi.encode(batch)) at the batch's height
 * (OptimisticRollup._chain); every call about a batch (a fraud proof, an exit claim, unbond, freeze) passes the
 * whole record back, and L1 checks it against that slot. The records are the BatchSubmitted events' `batch`
 * arguments, the genesis's included (emitted by the constructor).
 */
import type { BaseContract, ContractRunner } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import type { IOptimisticRollup } from "../../typechain-types/optimistic/OptimisticRollup";

/** IOptimisticRollup.Batch with the types ethers returns: what a call about the batch takes back. */
export interface BatchStruct {
  id: bigint;
  parentId: bigint;
  height: bigint;
  chunksRoot: string;
  stateRoot: string;
  feeRecipient: string;
  feeAccount: bigint;
  finalAt: bigint;
  depositEnd: bigint;
  forcedEnd: bigint;
  chunkCount: bigint;
  blobs: string;
}

/** A record as plain values (what an event gives is an ethers Result; this is what a call takes). */
export function batchStruct(r: IOptimisticRollup.BatchStructOutput | IOptimisticRollup.BatchStruct): BatchStruct {
  return {
    id: BigInt(r.id),
    parentId: BigInt(r.parentId),
    height: BigInt(r.height),
    chunksRoot: String(r.chunksRoot),
    stateRoot: String(r.stateRoot),
    feeRecipient: String(r.feeRecipient),
    feeAccount: BigInt(r.feeAccount),
    finalAt: BigInt(r.finalAt),
    depositEnd: BigInt(r.depositEnd),
    forcedEnd: BigInt(r.forcedEnd),
    chunkCount: BigInt(r.chunkCount),
    blobs: String(r.blobs),
  };
}

/** Every batch record the rollup committed to, by id (rolled-back batches included). */
export async function readRecords(rollup: OptimisticRollup): Promise<Map<number, BatchStruct>> {
  const records = new Map<number, BatchStruct>();
  for (const event of await rollup.queryFilter(rollup.filters.BatchSubmitted())) {
    records.set(Number(event.args.batchId), batchStruct(event.args.batch));
  }
  return records;
}

/** The record of batch `id`, from its BatchSubmitted event. */
export async function batchRecord(rollup: OptimisticRollup, id: number | bigint): Promise<BatchStruct> {
  const [event] = await rollup.queryFilter(rollup.filters.BatchSubmitted(id));
  if (!event) throw new Error(`batch ${id}: no BatchSubmitted event (batches so far: ${await rollup.batchCount()})`);
  return batchStruct(event.args.batch);
}

/** The standing tip's record: the argument of unbond. */
export async function tipRecord(rollup: OptimisticRollup): Promise<BatchStruct> {
  return batchRecord(rollup, await rollup.tipId());
}

/**
 * The arguments of freeze as of the latest block plus `ahead` seconds (the block that will run it): the newest
 * final batch of the standing chain, and the batch standing above it (itself again when it is the tip). finalAt
 * grows along the chain, so the first batch that is not final ends the search. A batch that turns final between
 * this read and the transaction's block makes freeze revert with NotLastFinal: read again and resend
 * (freezeRollup does).
 */
export async function freezeArgs(rollup: OptimisticRollup, ahead = 1): Promise<[BatchStruct, BatchStruct]> {
  const [records, tipId, block] = await Promise.all([
    readRecords(rollup),
    rollup.tipId(),
    rollup.runner!.provider!.getBlock("latest"),
  ]);
  const now = BigInt(block!.timestamp + ahead);
  const chain: BatchStruct[] = [];
  for (let id = Number(tipId); ; id = Number(records.get(id)!.parentId)) {
    chain.unshift(records.get(id)!);
    if (id === 0) break;
  }
  let last = 0;
  while (last + 1 < chain.length && BigInt(chain[last + 1].finalAt) <= now) last++;
  return [chain[last], chain[last + 1] ?? chain[last]];
}

/** Sends freeze from `runner` with fresh arguments, once more if a batch turned final meanwhile (NotLastFinal). */
export async function freezeRollup(rollup: OptimisticRollup, runner?: ContractRunner) {
  const contract = (runner ? rollup.connect(runner) : rollup) as OptimisticRollup;
  try {
    return await (await contract.freeze(...(await freezeArgs(rollup)))).wait();
  } catch (error) {
    if (!isError(error, rollup, "NotLastFinal")) throw error;
    return await (await contract.freeze(...(await freezeArgs(rollup, 2)))).wait();
  }
}

function isError(error: unknown, contract: BaseContract, name: string): boolean {
  const data = (error as { data?: string }).data;
  if (typeof data !== "string") return String((error as Error).message).includes(name);
  return contract.interface.parseError(data)?.name === name;
}
