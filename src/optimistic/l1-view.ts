/**
 * Reads everything the rollup put on L1: deposits and forced requests from
 * events, and each batch's tx bytes from the calldata of the transaction that
 * posted it (fetched by hash and decoded with the contract's ABI), or for a
 * blob batch from the blobs whose versioned hashes that transaction carries,
 * fetched from the blob archive (./blob-archive.ts). This is all a watcher may
 * use: never the operator's memory.
 */
import { getBytes, id } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import { BlsKeyRegistry__factory } from "../../typechain-types";
import { G2Point, decodeG2 } from "../encoding/bls";
import { keccakBytes } from "../encoding/keccak";
import { rollupTags } from "./bls";
import { locationHash, readChunk } from "../encoding/blob";
import { SIGNATURE_BYTES as BLS_SIGNATURE_BYTES } from "../encoding/bls";
import { TX_LENGTH } from "../encoding/tx";
import { ENTRY_BYTES, headerFault } from "./blob-batch";
import type { BlobSource } from "./blob-archive";
import { ForcedRequest, QueuedDeposit } from "./state";
import { DEFAULT_PARAMS, type OptimisticParams } from "./params";
import { batchStruct, type BatchStruct } from "./records";

export interface ChunkRecord {
  data: Buffer;
  stateRoot: Buffer;
  exitRoot: Buffer;
  dataHash: Buffer;
  /** Cursors stay bigint as L1 holds them (uint64); L1 keeps each chunk's between its parent's and the last. */
  depositCursor: bigint;
  forcedCursor: bigint;
  /** For a blob batch: where the chunk is (its leaf's dataHash is the location's hash) and its whole blob. */
  blob?: { versionedHash: string; firstElement: number; data: Uint8Array };
}

/** A blob batch whose blobs the archive does not have: nobody can check it. */
export class BlobUnavailable extends Error {
  constructor(
    readonly batchId: number,
    readonly versionedHash: string,
  ) {
    super(`batch ${batchId}: blob ${versionedHash} is not in the archive`);
    this.name = "BlobUnavailable";
  }
}

export interface BatchRecord {
  id: number;
  parentId: number;
  status: "pending" | "rolled-back";
  finalAt: number;
  depositEnd: number;
  forcedEnd: number;
  feeRecipient: string;
  feeAccount: number;
  chunks: ChunkRecord[];
  txHash: string;
  /** The record L1 committed to (BatchSubmitted), which every call about the batch passes back. */
  record: BatchStruct;
  /**
   * A blob batch: its header and the versioned hashes of its blobs (in order), and `fault` when the header is not
   * valid (BlobChunks.headerIsValid; its chunks are then unknown and it is proven with proveBadBlobHeader).
   */
  blobHeader?: { header: Buffer; versionedHashes: string[]; firstBlob: Uint8Array; fault?: string };
}

export interface L1View {
  chainId: bigint;
  domain: Buffer;
  chunkSize: number;
  emptyRoot: Buffer;
  /** Latest block timestamp when read. */
  now: number;
  deposits: QueuedDeposit[];
  forced: ForcedRequest[];
  /** batches[0] is the genesis; ids are indices. */
  batches: BatchRecord[];
  tipId: number;
  frozen: boolean;
  /** BLS variant (BlsOptimisticRollup): its transfer DST and every registered key, by lower-case owner. */
  bls?: { txTag: Uint8Array; keys: Map<string, G2Point> };
}

/** A chunk's leaf in its batch's chunk tree (OptimisticRollup._chunkLeaf). */
export function chunkLeaf(c: Omit<ChunkRecord, "data">): Buffer {
  const packed = Buffer.alloc(112);
  c.stateRoot.copy(packed, 0);
  c.exitRoot.copy(packed, 32);
  c.dataHash.copy(packed, 64);
  packed.writeBigUInt64BE(c.depositCursor, 96);
  packed.writeBigUInt64BE(c.forcedCursor, 104);
  return keccakBytes(packed);
}

const hexBuffer = (hex: string): Buffer => Buffer.from(hex.slice(2), "hex");

/** Reads the rollup's whole L1 history; blob batches' bytes come from `blobs` (the archive). */
export async function readL1(rollup: OptimisticRollup, blobs?: BlobSource): Promise<L1View> {
  const provider = rollup.runner!.provider!;
  const [network, domain, chunkSize, frozen, tipId, block] = await Promise.all([
    provider.getNetwork(),
    rollup.DOMAIN_SEPARATOR(),
    rollup.CHUNK_SIZE(),
    rollup.frozen(),
    rollup.tipId(),
    provider.getBlock("latest"),
  ]);
  const address = (await rollup.getAddress()).toLowerCase();

  const deposits: QueuedDeposit[] = (await rollup.queryFilter(rollup.filters.DepositQueued())).map((e) => ({
    index: Number(e.args.index),
    sender: e.args.sender,
    recipient: e.args.recipient,
    amount: e.args.amount,
  }));
  const forced: ForcedRequest[] = (await rollup.queryFilter(rollup.filters.ForcedWithdrawalRequested())).map((e) => ({
    index: Number(e.args.requestIndex),
    account: Number(e.args.account),
    signer: e.args.signer,
    recipient: e.args.recipient,
    amount: e.args.amount,
    deadline: Number(e.args.deadline),
  }));

  const batches: BatchRecord[] = [];
  const blobBatches: { batch: BatchRecord; versionedHashes: string[] }[] = [];
  for (const event of await rollup.queryFilter(rollup.filters.BatchSubmitted())) {
    const record = batchStruct(event.args.batch);
    if (record.id === 0n) {
      // The genesis, emitted by the constructor: the empty state, final from the start.
      batches[0] = {
        id: 0,
        parentId: 0,
        status: "pending",
        finalAt: 0,
        depositEnd: 0,
        forcedEnd: 0,
        feeRecipient: "0x0000000000000000000000000000000000000000",
        feeAccount: 0,
        chunks: [],
        txHash: event.transactionHash,
        record,
      };
      continue;
    }
    const tx = await provider.getTransaction(event.transactionHash);
    if (!tx) throw new Error(`batch ${event.args.batchId}: transaction ${event.transactionHash} not found`);
    // L1 takes a batch only as the transaction's own call (sender = origin, no code) in the standard encoding,
    // so the input of the transaction that emitted the event is the batch, and a strict decoder reads it.
    if (tx.to?.toLowerCase() !== address) {
      throw new Error(`batch ${event.args.batchId}: transaction ${event.transactionHash} was not sent to the rollup`);
    }
    const call = rollup.interface.parseTransaction({ data: tx.data, value: tx.value });
    if (!call || (call.name !== "submitBatch" && call.name !== "submitBlobBatch")) {
      throw new Error(`batch ${event.args.batchId}: transaction ${event.transactionHash} is not a submitBatch call`);
    }
    const id = Number(record.id);
    const batch: BatchRecord = {
      id,
      parentId: Number(record.parentId),
      status: "rolled-back", // set below: a batch stands iff it is on the chain from the tip
      finalAt: Number(record.finalAt),
      depositEnd: Number(record.depositEnd),
      forcedEnd: Number(record.forcedEnd),
      record,
      feeRecipient: (call.args[call.name === "submitBatch" ? 2 : 3] as string).toLowerCase(),
      feeAccount: Number(call.args[call.name === "submitBatch" ? 3 : 4]),
      txHash: event.transactionHash,
      chunks: [],
    };
    batches[id] = batch;
    if (call.name === "submitBatch") {
      const states = call.args[1] as {
        stateRoot: string;
        exitRoot: string;
        depositCursor: bigint;
        forcedCursor: bigint;
      }[];
      batch.chunks = (call.args[0] as string[]).map((hex, i) => ({
        data: hexBuffer(hex),
        dataHash: keccakBytes(hexBuffer(hex)),
        stateRoot: hexBuffer(states[i].stateRoot),
        exitRoot: hexBuffer(states[i].exitRoot),
        depositCursor: states[i].depositCursor,
        forcedCursor: states[i].forcedCursor,
      }));
    } else {
      blobBatches.push({ batch, versionedHashes: await blobHashesOf(provider, tx.hash) });
    }
  }
  const bls = await readBlsKeys(rollup, network.chainId, address);
  const view: L1View = {
    chainId: network.chainId,
    domain: hexBuffer(domain),
    chunkSize: Number(chunkSize),
    emptyRoot: hexBuffer(batches[0].record.stateRoot),
    now: block!.timestamp,
    deposits,
    forced,
    batches,
    tipId: Number(tipId),
    frozen,
    ...(bls ? { bls } : {}),
  };
  // A blob batch's chunks come from its header, read from the archive, laid out as BlobChunks checks them.
  const maxLength = view.chunkSize * TX_LENGTH.withdraw + (view.bls ? BLS_SIGNATURE_BYTES : 0);
  for (const { batch, versionedHashes } of blobBatches) {
    await readBlobBatch(batch, view.batches[batch.parentId].record, versionedHashes, maxLength, blobs);
  }
  // L1 rolls back by moving the tip (one BatchRolledBack event for a whole suffix): what stands is the tip's chain.
  for (const id of canonicalChain(view)) view.batches[id].status = "pending";
  return view;
}

/** The versioned hashes a transaction carries, as the node reports them (ethers' Hardhat provider drops them). */
async function blobHashesOf(provider: unknown, hash: string): Promise<string[]> {
  const rpc = provider as { send(method: string, params: unknown[]): Promise<unknown> };
  const raw = (await rpc.send("eth_getTransactionByHash", [hash])) as { blobVersionedHashes?: string[] };
  return (raw.blobVersionedHashes ?? []).map((h) => h.toLowerCase());
}

/**
 * Reads a blob batch from the archive: its header from the first blob (84 bytes per chunk), checked as
 * BlobChunks.headerIsValid checks it, then each chunk where the header places it. A header that is not valid
 * leaves the batch without chunks and says why (`blobHeader.fault`): nobody can check its chunks, and it is proven
 * invalid as it is.
 */
async function readBlobBatch(
  batch: BatchRecord,
  parent: BatchStruct,
  versionedHashes: string[],
  maxLength: number,
  blobs: BlobSource | undefined,
): Promise<void> {
  if (!blobs) throw new Error(`batch ${batch.id} is posted in blobs: reading it needs the blob archive`);
  const contents: Uint8Array[] = [];
  for (const hash of versionedHashes) {
    const blob = await blobs.getBlob(hash);
    if (!blob) throw new BlobUnavailable(batch.id, hash);
    contents.push(blob);
  }
  const record = batch.record;
  const count = Number(record.chunkCount);
  const header = readChunk(contents[0], { blobIndex: 0, firstElement: 0, byteLength: ENTRY_BYTES * count });
  batch.blobHeader = { header, versionedHashes, firstBlob: contents[0] };
  const checked = headerFault(header, versionedHashes.map(hexBuffer), {
    chunksRoot: hexBuffer(record.chunksRoot),
    chunkCount: count,
    maxLength,
    parentDepositEnd: parent.depositEnd,
    parentForcedEnd: parent.forcedEnd,
    stateRoot: hexBuffer(record.stateRoot),
    depositEnd: record.depositEnd,
    forcedEnd: record.forcedEnd,
  });
  if ("fault" in checked) {
    batch.blobHeader.fault = checked.fault;
    return;
  }
  batch.chunks = checked.spans.map((span, k) => {
    const versionedHash = versionedHashes[span.blobIndex];
    const entry = checked.entries[k];
    return {
      data: readChunk(contents[span.blobIndex], span),
      dataHash: locationHash(hexBuffer(versionedHash), span.firstElement, span.byteLength),
      stateRoot: entry.stateRoot,
      exitRoot: entry.exitRoot,
      depositCursor: entry.depositCursor,
      forcedCursor: entry.forcedCursor,
      blob: { versionedHash, firstElement: span.firstElement, data: contents[span.blobIndex] },
    };
  });
}

/** Ids of the batches that stand (not rolled back), oldest first: the chain from genesis to the tip. */
export function canonicalChain(view: L1View): number[] {
  const ids: number[] = [];
  for (let id = view.tipId; id !== 0; id = view.batches[id].parentId) ids.unshift(id);
  return ids;
}

/** The BLS variant's keys as BlsKeyRegistered events show them, or undefined for an ECDSA rollup (no BLS_KEYS()). */
export async function readBlsKeys(
  rollup: OptimisticRollup,
  chainId: bigint,
  address: string,
): Promise<L1View["bls"] | undefined> {
  const provider = rollup.runner!.provider!;
  const selector = id("BLS_KEYS()").slice(0, 10);
  let answer: string;
  try {
    answer = await provider.call({ to: address, data: selector });
  } catch {
    return undefined;
  }
  if (answer.length !== 66) return undefined;
  const registry = BlsKeyRegistry__factory.connect("0x" + answer.slice(26), provider);
  const keys = new Map<string, G2Point>();
  for (const e of await registry.queryFilter(registry.filters.BlsKeyRegistered())) {
    keys.set(e.args.owner.toLowerCase(), decodeG2(getBytes(e.args.key)));
  }
  return { txTag: rollupTags(chainId, address).tx, keys };
}

/**
 * The rollup's parameters as its contract holds them (its immutables), with its domain separator and operator:
 * what a process that only knows the rollup's address needs before it builds or checks a batch. `batchSize` is
 * not on L1 (a batch may hold any number of chunks): it is the default unless given.
 */
export async function readParams(
  rollup: OptimisticRollup,
  batchSize: number = DEFAULT_PARAMS.batchSize,
): Promise<{ params: OptimisticParams; domain: Buffer; operator: string }> {
  const [bond, challengePeriod, forceInclusionDelay, depositDeadline, chunkSize, domain, operator] = await Promise.all([
    rollup.BOND(),
    rollup.CHALLENGE_PERIOD(),
    rollup.FORCE_INCLUSION_DELAY(),
    rollup.DEPOSIT_DEADLINE(),
    rollup.CHUNK_SIZE(),
    rollup.DOMAIN_SEPARATOR(),
    rollup.OPERATOR(),
  ]);
  const params: OptimisticParams = {
    bond,
    challengePeriod: Number(challengePeriod),
    forceInclusionDelay: Number(forceInclusionDelay),
    depositDeadline: Number(depositDeadline),
    chunkSize: Number(chunkSize),
    batchSize,
  };
  return { params, domain: Buffer.from(getBytes(domain)), operator };
}
