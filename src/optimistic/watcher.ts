/**
 * The watcher (challenger): rebuilds the L2 state from L1 data alone
 * (./l1-view.ts), checks every chunk of every standing batch, and proves fraud
 * on the first invalid one by itself. It also builds exit claims and escape
 * proofs from the same rebuilt state, so users need nobody's help to leave.
 */
import { AbiCoder, hexlify, keccak256, solidityPackedKeccak256, toBeHex } from "ethers";
import type { ContractTransactionReceipt, Signer } from "ethers";
import { BlobChunks__factory } from "../../typechain-types";
import type { OptimisticRollup } from "../../typechain-types";
import type { IOptimisticRollup } from "../../typechain-types/optimistic/OptimisticRollup";
import { proofOf } from "./batch-merkle";
import { BatchRecord, L1View, canonicalChain, chunkLeaf, readL1 } from "./l1-view";
import { CHUNK_TREE_DEPTH, exitTreeDepth } from "./params";
import { ChunkContext, ChunkWitness, Exit, Fault, L2State, exitLeaf } from "./state";
import { rootOf } from "./batch-merkle";
import { checkAggregate } from "./bls";
import { elementsFor, elementsOf, evaluationPoint, locationHash } from "../encoding/blob";
import { headerParts } from "./blob-batch";
import { Kzg, KzgUnavailable } from "../encoding/kzg";
import type { BlobSource } from "./blob-archive";

const hex = (b: Buffer): string => "0x" + b.toString("hex");
const ZERO32 = Buffer.alloc(32);

export interface InvalidChunk {
  batchId: number;
  chunkIndex: number;
  txIndex: number;
  fault: Fault;
}

export interface BatchExit extends Exit {
  batchId: number;
  chunkIndex: number;
}

export interface Rebuild {
  view: L1View;
  /** The state after the last valid batch of the standing chain. */
  state: L2State;
  /** The first invalid chunk of the standing chain, if any. */
  invalid?: InvalidChunk;
  /** Ids of the standing batches found valid, oldest first. */
  validBatches: number[];
  exits: BatchExit[];
  txCount: number;
  /** BLS variant: the name (blsTxName) of each BLS transfer of each valid batch, by batch id, in batch order. */
  blsTxNames: Map<number, string[]>;
}

/**
 * How a BLS transfer is named: keccak256 of the message its sender signed, [from|to|amount|fee|nonce]. Its 12
 * bytes carry no nonce, so two equal transfers differ only there.
 */
export function blsTxName(message: Buffer): string {
  return keccak256(message);
}

export function chunkContext(view: L1View, batch: BatchRecord): ChunkContext {
  return {
    domain: view.domain,
    chunkSize: view.chunkSize,
    depositEnd: batch.depositEnd,
    forcedEnd: batch.forcedEnd,
    feeRecipient: batch.feeRecipient,
    feeAccount: batch.feeAccount,
    deposits: view.deposits,
    forced: view.forced,
    ...(view.bls ? { bls: true } : {}),
  };
}

/** Executes one batch on `state` (mutated); returns its first invalid chunk, or undefined and its exits. */
export function executeBatch(
  state: L2State,
  view: L1View,
  batch: BatchRecord,
): { invalid?: InvalidChunk; exits: BatchExit[]; txCount: number; blsTxNames: string[] } {
  if (batch.blobHeader?.fault) {
    // Its chunks are unknown: the batch is invalid as a whole, proven with proveBadBlobHeader.
    const invalid: InvalidChunk = { batchId: batch.id, chunkIndex: 0, txIndex: 0, fault: "BadBlobHeader" };
    return { invalid, exits: [], txCount: 0, blsTxNames: [] };
  }
  const ctx = chunkContext(view, batch);
  const exits: BatchExit[] = [];
  const blsTxNames: string[] = [];
  let txCount = 0;
  for (let k = 0; k < batch.chunks.length; k++) {
    const chunk = batch.chunks[k];
    const outcome = state.executeChunk(chunk.data, ctx);
    let fault = outcome.fault !== "None" ? outcome.fault : state.compare(outcome, chunk);
    // BLS variant: the aggregate is checked last, as BlsOptimisticRollup does after execution and comparison.
    if (fault === "None" && view.bls) {
      const { keys, txTag } = view.bls;
      fault = checkAggregate(chunk.data, outcome, (owner) => keys.get(owner), txTag);
    }
    if (fault !== "None") {
      return {
        invalid: { batchId: batch.id, chunkIndex: k, txIndex: outcome.txIndex, fault },
        exits,
        txCount,
        blsTxNames,
      };
    }
    txCount += outcome.txCount;
    for (const exit of outcome.exits) exits.push({ ...exit, batchId: batch.id, chunkIndex: k });
    for (const m of outcome.blsMessages) blsTxNames.push(blsTxName(m.message));
  }
  return { exits, txCount, blsTxNames };
}

/** Rebuilds the L2 state from an L1 view, stopping before the first invalid batch. */
export function rebuild(view: L1View): Rebuild {
  let state = new L2State();
  const result: Rebuild = { view, state, validBatches: [], exits: [], txCount: 0, blsTxNames: new Map() };
  for (const id of canonicalChain(view)) {
    const next = state.clone();
    const { invalid, exits, txCount, blsTxNames } = executeBatch(next, view, view.batches[id]);
    if (invalid) {
      result.invalid = invalid;
      break;
    }
    state = next;
    result.validBatches.push(id);
    result.exits.push(...exits);
    result.txCount += txCount;
    if (blsTxNames.length > 0) result.blsTxNames.set(id, blsTxNames);
  }
  result.state = state;
  return result;
}

export function commitment(batch: BatchRecord, k: number): IOptimisticRollup.ChunkCommitmentStruct {
  const c = batch.chunks[k];
  return {
    stateRoot: hex(c.stateRoot),
    exitRoot: hex(c.exitRoot),
    dataHash: hex(c.dataHash),
    depositCursor: c.depositCursor,
    forcedCursor: c.forcedCursor,
  };
}

export function chunkProof(batch: BatchRecord, k: number): string[] {
  return proofOf(batch.chunks.map(chunkLeaf), CHUNK_TREE_DEPTH, k).map(hex);
}

/**
 * A committed cursor as an index into an L1 queue. L1 keeps every chunk's cursors between its parent's and its
 * last chunk's, which never pass the queue's length, so this only throws on data L1 would have refused.
 */
function queueIndex(cursor: bigint, length: number, queue: string): number {
  if (cursor < 0n || cursor > BigInt(length))
    throw new Error(`${queue} cursor ${cursor} is beyond the queue (${length})`);
  return Number(cursor);
}

/** The state at the start of batch `batchId`: its ancestors replayed from L1 data. */
export function stateBefore(view: L1View, batchId: number): L2State {
  const state = new L2State();
  const chain = canonicalChainTo(view, view.batches[batchId].parentId);
  for (const id of chain) executeBatch(state, view, view.batches[id]);
  return state;
}

function canonicalChainTo(view: L1View, id: number): number[] {
  const ids: number[] = [];
  for (let i = id; i !== 0; i = view.batches[i].parentId) ids.unshift(i);
  return ids;
}

/** Builds the fraud proof of chunk `chunkIndex` of batch `batchId` (L1 decides whether it shows fraud). */
export function buildFraudProof(view: L1View, batchId: number, chunkIndex: number): IOptimisticRollup.FraudProofStruct {
  const batch = view.batches[batchId];
  if (!batch || batchId === 0) throw new Error(`fraud proof: batch ${batchId} does not exist`);
  if (chunkIndex >= batch.chunks.length) {
    throw new Error(`fraud proof: batch ${batchId} has ${batch.chunks.length} chunks, no chunk ${chunkIndex}`);
  }
  const state = stateBefore(view, batchId);
  const ctx = chunkContext(view, batch);
  for (let k = 0; k < chunkIndex; k++) state.executeChunk(batch.chunks[k].data, ctx);
  if (chunkIndex > 0) {
    // Continue from the committed state of the previous chunk, as L1 will.
    const pre = batch.chunks[chunkIndex - 1];
    state.depositCursor = queueIndex(pre.depositCursor, view.deposits.length, "deposit");
    state.forcedCursor = queueIndex(pre.forcedCursor, view.forced.length, "forced");
  }
  const witness: ChunkWitness = { accounts: [], deposits: [], forced: [] };
  state.executeChunk(batch.chunks[chunkIndex].data, ctx, witness);
  const emptyCommitment = {
    stateRoot: hex(ZERO32),
    exitRoot: hex(ZERO32),
    dataHash: hex(ZERO32),
    depositCursor: 0,
    forcedCursor: 0,
  };
  return {
    batch: batch.record,
    parent: view.batches[batch.parentId].record,
    chunkIndex,
    pre: chunkIndex > 0 ? commitment(batch, chunkIndex - 1) : emptyCommitment,
    preProof: chunkIndex > 0 ? chunkProof(batch, chunkIndex - 1) : [],
    post: commitment(batch, chunkIndex),
    postProof: chunkProof(batch, chunkIndex),
    chunkData: hex(batch.chunks[chunkIndex].data),
    accounts: witness.accounts,
    deposits: witness.deposits,
    forced: witness.forced,
  };
}

/** The claim of one exit (OptimisticRollup.claimExit), rebuilt from L1 data. */
export function buildExitClaim(view: L1View, exit: BatchExit): IOptimisticRollup.ExitClaimStruct {
  const batch = view.batches[exit.batchId];
  const leaves: Buffer[] = [];
  // The exit tree has a leaf per tx position: rebuild it from the chunk's exits.
  const exits = new Map<number, Buffer>();
  const state = stateBefore(view, exit.batchId);
  const ctx = chunkContext(view, batch);
  for (let k = 0; k <= exit.chunkIndex; k++) {
    const outcome = state.executeChunk(batch.chunks[k].data, ctx);
    if (k === exit.chunkIndex) for (const e of outcome.exits) exits.set(e.position, exitLeaf(e.recipient, e.amount));
  }
  const depth = exitTreeDepth(view.chunkSize);
  for (let i = 0; i < view.chunkSize; i++) leaves.push(exits.get(i) ?? ZERO32);
  if (!rootOf(leaves, depth).equals(batch.chunks[exit.chunkIndex].exitRoot)) {
    throw new Error(`exit claim: batch ${exit.batchId} chunk ${exit.chunkIndex} exit root does not match its txs`);
  }
  return {
    batch: batch.record,
    chunkIndex: exit.chunkIndex,
    chunk: commitment(batch, exit.chunkIndex),
    chunkProof: chunkProof(batch, exit.chunkIndex),
    position: exit.position,
    recipient: exit.recipient,
    amount: exit.amount,
    exitProof: proofOf(leaves, depth, exit.position).map(hex),
  };
}

/**
 * The claim of one exit from the exits a chunk committed to as its poster built them (a cheating operator's fake
 * exit included): what L1 pays once the batch is final, whatever an honest replay says. Throws when `exits` do
 * not give the chunk's committed exit root.
 */
export function buildCommittedExitClaim(
  view: L1View,
  batchId: number,
  chunkIndex: number,
  exits: readonly Exit[],
  exit: Exit,
): IOptimisticRollup.ExitClaimStruct {
  const batch = view.batches[batchId];
  const depth = exitTreeDepth(view.chunkSize);
  const leaves: Buffer[] = Array.from({ length: view.chunkSize }, () => ZERO32);
  for (const e of exits) leaves[e.position] = exitLeaf(e.recipient, e.amount);
  if (!rootOf(leaves, depth).equals(batch.chunks[chunkIndex].exitRoot)) {
    throw new Error(`exit claim: batch ${batchId} chunk ${chunkIndex}: the exits given do not make its exit root`);
  }
  return {
    batch: batch.record,
    chunkIndex,
    chunk: commitment(batch, chunkIndex),
    chunkProof: chunkProof(batch, chunkIndex),
    position: exit.position,
    recipient: exit.recipient,
    amount: exit.amount,
    exitProof: proofOf(leaves, depth, exit.position).map(hex),
  };
}

/**
 * The commitment (OptimisticRollup.commitFraudProof) `challenger` makes before sending `proveFraudCalldata`:
 * keccak256(challenger<20>|keccak256(calldata)<32>).
 */
export function fraudCommitment(challenger: string, proveFraudCalldata: string): string {
  return solidityPackedKeccak256(["address", "bytes32"], [challenger, keccak256(proveFraudCalldata)]);
}

/**
 * Sends a fraud proof from `signer`: first its commitment, then (in a later block) the proof itself, so a copy of
 * the proof's transaction earns the copier nothing. Returns the receipt of the transaction that proved it; `commit`
 * is the commitment's.
 */
export async function submitFraudProof(
  rollup: OptimisticRollup,
  signer: Signer,
  proof: IOptimisticRollup.FraudProofStruct,
  options: { gasLimit?: bigint; onCommit?: (receipt: ContractTransactionReceipt) => void } = {},
): Promise<ContractTransactionReceipt> {
  const data = rollup.interface.encodeFunctionData("proveFraud", [proof]);
  const commitment = fraudCommitment(await signer.getAddress(), data);
  const committed = await (await rollup.connect(signer).commitFraudProof(commitment)).wait();
  if (!committed) throw new Error(`commitment to a proof of batch ${proof.batch.id}: no receipt`);
  options.onCommit?.(committed);
  const overrides = options.gasLimit === undefined ? {} : { gasLimit: options.gasLimit };
  const receipt = await (await rollup.connect(signer).proveFraud(proof, overrides)).wait();
  if (!receipt) throw new Error(`challenge of batch ${proof.batch.id}: no receipt`);
  return receipt;
}

/** BlobChunks.BlobOpening, ABI-encoded as openChunk takes it. */
const BLOB_OPENING =
  "tuple(bytes32 versionedHash, uint32 firstElement, bytes commitment, bytes32[] elements, bytes proofs)";

/**
 * The opening of chunk `chunkIndex` of a blob batch (BlobChunks.openChunk's second argument): every element the
 * chunk spans, each with its KZG proof at its evaluation point. Needs c-kzg (point proofs).
 */
export function buildBlobOpening(kzg: Kzg, batch: BatchRecord, chunkIndex: number): string {
  const chunk = batch.chunks[chunkIndex];
  if (!chunk.blob) throw new Error(`blob opening: batch ${batch.id} was posted as calldata`);
  const { data, firstElement, versionedHash } = chunk.blob;
  return buildOpening(kzg, data, versionedHash, firstElement, chunk.data.length);
}

/** The opening of `byteLength` bytes of blob `data` (versioned hash `versionedHash`) from element `firstElement`. */
export function buildOpening(
  kzg: Kzg,
  data: Uint8Array,
  versionedHash: string,
  firstElement: number,
  byteLength: number,
): string {
  const prove = kzg.computeKzgProof;
  if (!prove) throw new KzgUnavailable(`blob opening: ${kzg.backend} computes no point proofs; install c-kzg`);
  const elements = elementsOf(data, firstElement, elementsFor(byteLength));
  const proofs = elements.map((_, j) => {
    const z = Buffer.from(toBeHex(evaluationPoint(firstElement + j), 32).slice(2), "hex");
    return Buffer.from(prove(data, z)[0]);
  });
  return AbiCoder.defaultAbiCoder().encode(
    [BLOB_OPENING],
    [
      {
        versionedHash,
        firstElement,
        commitment: hexlify(kzg.blobToKzgCommitment(data)),
        elements: elements.map((e) => hexlify(e)),
        proofs: hexlify(Buffer.concat(proofs)),
      },
    ],
  );
}

/**
 * Opens chunk `chunkIndex` of a blob batch in BlobChunks (unless it was opened already), so that proveFraud takes
 * its bytes. Returns the receipt, or null when there was nothing to do.
 */
export async function openBlobChunk(
  rollup: OptimisticRollup,
  signer: Signer,
  kzg: Kzg,
  batch: BatchRecord,
  chunkIndex: number,
): Promise<ContractTransactionReceipt | null> {
  const chunk = batch.chunks[chunkIndex];
  if (!chunk.blob) return null;
  const blobChunks = await rollupBlobChunks(rollup, signer);
  if ((await blobChunks.chunkHashOf(hex(chunk.dataHash))) === keccak256(chunk.data)) return null;
  const opening = buildBlobOpening(kzg, batch, chunkIndex);
  // The node cannot estimate past the EIP-7825 cap; the largest opening takes about 7.8 M.
  const receipt = await (await blobChunks.openChunk(chunk.data, opening, { gasLimit: 16_000_000n })).wait();
  if (!receipt) throw new Error(`opening of batch ${batch.id} chunk ${chunkIndex}: no receipt`);
  return receipt;
}

/**
 * Proves that a blob batch's header is not valid: opens each part of the header against the first blob (unless
 * opened already), commits to the proof, then sends OptimisticRollup.proveBadBlobHeader in a later block.
 */
export async function proveBadBlobHeader(
  rollup: OptimisticRollup,
  signer: Signer,
  kzg: Kzg,
  view: L1View,
  batchId: number,
  options: {
    onCommit?: (receipt: ContractTransactionReceipt) => void;
    onOpen?: (part: number, receipt: ContractTransactionReceipt) => void;
  } = {},
): Promise<ContractTransactionReceipt> {
  const batch = view.batches[batchId];
  const blobHeader = batch.blobHeader;
  if (!blobHeader) throw new Error(`header proof: batch ${batchId} was posted as calldata`);
  const blobChunks = await rollupBlobChunks(rollup, signer);
  const [firstHash] = blobHeader.versionedHashes;
  for (const [k, part] of headerParts(blobHeader.header).entries()) {
    const location = hex(locationHash(Buffer.from(firstHash.slice(2), "hex"), part.firstElement, part.bytes.length));
    if ((await blobChunks.chunkHashOf(location)) === keccak256(part.bytes)) continue;
    const opening = buildOpening(kzg, blobHeader.firstBlob, firstHash, part.firstElement, part.bytes.length);
    const receipt = await (await blobChunks.openChunk(part.bytes, opening, { gasLimit: 16_000_000n })).wait();
    if (!receipt) throw new Error(`opening of batch ${batchId}'s header part ${k}: no receipt`);
    options.onOpen?.(k, receipt);
  }
  const args = [
    batch.record,
    view.batches[batch.parentId].record,
    blobHeader.versionedHashes,
    hex(blobHeader.header),
  ] as const;
  const data = rollup.interface.encodeFunctionData("proveBadBlobHeader", [...args]);
  const commitment = fraudCommitment(await signer.getAddress(), data);
  const committed = await (await rollup.connect(signer).commitFraudProof(commitment)).wait();
  if (!committed) throw new Error(`commitment to a header proof of batch ${batchId}: no receipt`);
  options.onCommit?.(committed);
  const receipt = await (await rollup.connect(signer).proveBadBlobHeader(...args)).wait();
  if (!receipt) throw new Error(`header proof of batch ${batchId}: no receipt`);
  return receipt;
}

async function rollupBlobChunks(rollup: OptimisticRollup, signer: Signer) {
  return BlobChunks__factory.connect(await rollup.BLOB_CHUNKS(), signer);
}

/** A watcher bound to one rollup and the L1 account that sends its challenges. */
export class Watcher {
  /** The receipt of the commitment the last proof was sent after. */
  lastCommit?: ContractTransactionReceipt;

  constructor(
    readonly rollup: OptimisticRollup,
    readonly signer: Signer,
    private readonly log: (line: string) => void = () => undefined,
    /** For blob batches: the archive to read blobs from (never the operator) and KZG to open them. */
    readonly blobs?: { source: BlobSource; kzg: Kzg },
  ) {}

  /** Rebuilds and, if a pending batch is invalid, proves it. Returns the receipt, or null when all is valid. */
  async challengeFirstInvalid(): Promise<{ invalid: InvalidChunk; receipt: ContractTransactionReceipt } | null> {
    const view = await readL1(this.rollup, this.blobs?.source);
    const { invalid } = rebuild(view);
    if (!invalid) return null;
    this.log(`batch ${invalid.batchId} chunk ${invalid.chunkIndex} tx ${invalid.txIndex}: ${invalid.fault}`);
    const receipt = await this.prove(view, invalid.batchId, invalid.chunkIndex);
    return { invalid, receipt };
  }

  /** Challenges the chunk holding tx `txIndex` of batch `batchId`, valid or not (L1 refuses a valid one). */
  async challengeTx(batchId: number, txIndex: number): Promise<ContractTransactionReceipt> {
    const view = await readL1(this.rollup, this.blobs?.source);
    const batch = view.batches[batchId];
    if (!batch || batchId === 0) throw new Error(`challenge: batch ${batchId} does not exist`);
    return this.prove(view, batchId, Math.floor(txIndex / view.chunkSize));
  }

  private async prove(view: L1View, batchId: number, chunkIndex: number): Promise<ContractTransactionReceipt> {
    const batch = view.batches[batchId];
    if (batch.blobHeader?.fault) {
      if (!this.blobs) throw new Error(`challenge: batch ${batchId} is posted in blobs and this watcher has no KZG`);
      this.log(`batch ${batchId}: its blob header is not valid (${batch.blobHeader.fault})`);
      return proveBadBlobHeader(this.rollup, this.signer, this.blobs.kzg, view, batchId, {
        onCommit: (receipt) => (this.lastCommit = receipt),
        onOpen: (part, receipt) =>
          this.log(`opened part ${part} of batch ${batchId}'s header (${receipt.gasUsed} gas)`),
      });
    }
    if (batch.chunks[chunkIndex]?.blob) {
      if (!this.blobs) throw new Error(`challenge: batch ${batchId} is posted in blobs and this watcher has no KZG`);
      const opened = await openBlobChunk(this.rollup, this.signer, this.blobs.kzg, batch, chunkIndex);
      if (opened) this.log(`opened batch ${batchId} chunk ${chunkIndex} against its blob (${opened.gasUsed} gas)`);
    }
    return submitFraudProof(this.rollup, this.signer, buildFraudProof(view, batchId, chunkIndex), {
      onCommit: (receipt) => (this.lastCommit = receipt),
    });
  }
}
