/**
 * The watcher as a long-running process (`npx hardhat watch`): it follows L1 block by block with no help from the
 * operator, checks every batch the rollup holds by replaying it from L1 data alone (./l1-view.ts, ./watcher.ts),
 * proves fraud on the first invalid one by itself, and prints one line per batch saying what the chain did:
 *
 *   batch 7 (0xab12…): 64 txs, checked, state root matches
 *   batch 8 (0xcd34…): fraud in chunk 0 (StateRootMismatch), proof tx 0x…, batch 8 rolled back, operator
 *     0x… slashed 1.0 ETH, paid 0.5 ETH to 0x…, 3 blocks / 412 ms after it landed
 *
 * It keeps nothing it cannot rebuild: every tick that sees a new head re-reads the rollup's whole history from L1,
 * so a restart resumes where the chain is, and a reorg (the hash of the block under its cursor changed, as after
 * `evm_revert` on a dev chain) only makes it say so and check again what now stands.
 */
import { formatEther } from "ethers";
import type { ContractTransactionReceipt, Signer } from "ethers";
import type { OptimisticRollup } from "../../typechain-types";
import { BatchRecord, L1View, canonicalChain, readL1 } from "./l1-view";
import {
  InvalidChunk,
  buildFraudProof,
  executeBatch,
  openBlobChunk,
  proveBadBlobHeader,
  submitFraudProof,
} from "./watcher";
import type { BlobSource } from "./blob-archive";
import type { Kzg } from "../encoding/kzg";
import { FAULTS, L2State } from "./state";

const short = (hash: string): string => (hash.length > 10 ? `${hash.slice(0, 6)}…` : hash);

/** What the daemon has seen and done, as its status endpoint shows it. */
export interface DaemonStatus {
  chainId: string;
  rollup: string;
  watcher: string;
  /** The newest block it has checked the rollup at. */
  lastBlock: number;
  lastBlockHash: string;
  batchesChecked: number;
  fraudsProven: number;
  reorgs: number;
  /** The last fraud proof it had mined: batch, tx and how long after the batch landed. */
  lastFraud: FraudReport | null;
  frozen: boolean;
}

export interface FraudReport {
  batchId: number;
  chunkIndex: number;
  fault: string;
  proofTx: string;
  /** Block of the batch and of the proof. */
  landedBlock: number;
  provenBlock: number;
  /** Wall-clock ms from the first sight of the batch (the tick after it landed) to the proof's receipt. */
  msFromSeen: number;
}

export interface DaemonOptions {
  /** Poll interval in ms. */
  pollMs?: number;
  log?: (line: string) => void;
  /** For blob batches: the archive to read blobs from (never the operator), and KZG to open chunks before proving. */
  blobs?: { source: BlobSource; kzg: Kzg };
}

/** Follows one rollup on L1 and proves every invalid batch it finds. */
export class WatchDaemon {
  private cursor: { number: number; hash: string } | null = null;
  /** What has been said of each batch: `txHash:status`, so a batch that changed (reorg, rollback) is said again. */
  private readonly said = new Map<number, string>();
  /** Wall time a batch (by tx hash) was first seen pending and invalid. */
  private readonly firstSeen = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private frozenSaid = false;
  readonly status: DaemonStatus;
  private readonly log: (line: string) => void;
  private readonly pollMs: number;

  private readonly blobs?: { source: BlobSource; kzg: Kzg };

  constructor(
    readonly rollup: OptimisticRollup,
    readonly signer: Signer,
    identity: { chainId: bigint; rollup: string; watcher: string },
    options: DaemonOptions = {},
  ) {
    this.log = options.log ?? ((line) => process.stdout.write(line + "\n"));
    this.pollMs = options.pollMs ?? 500;
    this.blobs = options.blobs;
    this.status = {
      chainId: identity.chainId.toString(),
      rollup: identity.rollup,
      watcher: identity.watcher,
      lastBlock: -1,
      lastBlockHash: "",
      batchesChecked: 0,
      fraudsProven: 0,
      reorgs: 0,
      lastFraud: null,
      frozen: false,
    };
  }

  /** Starts polling; each tick runs after the previous one finished. */
  start(): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      this.running = this.tick().catch((error: unknown) => {
        this.log(`watcher: ${(error as Error).message.split("\n")[0].slice(0, 200)}; trying again`);
      });
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.pollMs);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One look at L1: on a new head (or a reorg) re-reads the rollup, reports each changed batch, proves fraud. */
  async tick(): Promise<void> {
    const provider = this.rollup.runner!.provider!;
    const head = await provider.getBlock("latest");
    if (!head || !head.hash) return;
    if (this.cursor) {
      if (head.hash === this.cursor.hash) return;
      const under = head.number >= this.cursor.number ? await provider.getBlock(this.cursor.number) : null;
      if (!under || under.hash !== this.cursor.hash) {
        this.status.reorgs += 1;
        this.log(
          `reorg: block ${this.cursor.number} is ${under ? `now ${short(under.hash!)}` : "gone"} ` +
            `(was ${short(this.cursor.hash)}), chain head ${head.number}: rebuilding from L1`,
        );
      }
    }
    const view = await readL1(this.rollup, this.blobs?.source);
    // The view must belong to the head we checked: a block mined meanwhile only makes the next tick look again.
    this.cursor = { number: head.number, hash: head.hash };
    this.status.lastBlock = head.number;
    this.status.lastBlockHash = head.hash;
    await this.check(view);
  }

  private async check(view: L1View): Promise<void> {
    if (view.frozen && !this.frozenSaid) {
      this.frozenSaid = true;
      this.status.frozen = true;
      this.log(`rollup frozen on L1: no batch is taken any more, users leave by escape`);
    }
    // Batches L1 rolled back: say so once, with who proved them.
    const standing = new Set(canonicalChain(view));
    for (const batch of view.batches.slice(1)) {
      if (standing.has(batch.id) || this.said.get(batch.id) === `${batch.txHash}:rolled-back`) continue;
      this.said.set(batch.id, `${batch.txHash}:rolled-back`);
      this.log(`batch ${batch.id} (${short(batch.txHash)}): rolled back on L1${await this.provenBy(batch.id)}`);
    }
    // Standing batches: replay them in order; the first invalid one is proven, what follows it waits.
    let state = new L2State();
    let checked = 0;
    for (const id of canonicalChain(view)) {
      const batch = view.batches[id];
      const next = state.clone();
      const { invalid, txCount } = executeBatch(next, view, batch);
      if (invalid) {
        if (!view.frozen) await this.prove(view, batch, invalid);
        break;
      }
      state = next;
      checked++;
      const key = `${batch.txHash}:valid`;
      if (this.said.get(id) !== key) {
        this.said.set(id, key);
        this.log(`batch ${id} (${short(batch.txHash)}): ${txCount} txs, checked, state root matches`);
      }
    }
    this.status.batchesChecked = checked;
  }

  /** Who proved a rolled-back batch, from its FraudProven event (or the batch that caused the rollback). */
  private async provenBy(batchId: number): Promise<string> {
    const proven = await this.rollup.queryFilter(this.rollup.filters.FraudProven(batchId));
    if (proven.length > 0) {
      const e = proven[proven.length - 1];
      return ` (fraud in chunk ${e.args.chunkIndex} (${FAULTS[Number(e.args.fault)]}) proven by ${e.args.challenger} in tx ${short(e.transactionHash)})`;
    }
    const rolled = await this.rollup.queryFilter(this.rollup.filters.BatchRolledBack());
    const cause = rolled.find((e) => Number(e.args.batchId) <= batchId && Number(e.args.lastBatchId) >= batchId);
    return cause ? ` (with batch ${cause.args.batchId}, caused by batch ${cause.args.cause})` : "";
  }

  private async prove(view: L1View, batch: BatchRecord, invalid: InvalidChunk): Promise<void> {
    const seen = this.firstSeen.get(batch.txHash) ?? Date.now();
    this.firstSeen.set(batch.txHash, seen);
    if (view.now >= batch.finalAt) {
      const key = `${batch.txHash}:final`;
      if (this.said.get(batch.id) !== key) {
        this.said.set(batch.id, key);
        this.log(`batch ${batch.id} (${short(batch.txHash)}): invalid (${invalid.fault}) but already final: too late`);
      }
      return;
    }
    let receipt: ContractTransactionReceipt;
    try {
      if (batch.blobHeader?.fault) {
        // A header that is not valid is proven as it is, its parts opened against the first blob.
        if (!this.blobs) throw new Error("a blob batch needs the archive and KZG");
        receipt = await proveBadBlobHeader(this.rollup, this.signer, this.blobs.kzg, view, batch.id);
      } else {
        // A blob batch's chunk is opened against its blob first (BlobChunks.openChunk), as the Watcher does.
        if (this.blobs) await openBlobChunk(this.rollup, this.signer, this.blobs.kzg, batch, invalid.chunkIndex);
        receipt = await submitFraudProof(this.rollup, this.signer, buildFraudProof(view, batch.id, invalid.chunkIndex));
      }
    } catch (error) {
      // Someone else proved it first, or the chain moved under the proof: the next tick reads what L1 says.
      this.log(
        `batch ${batch.id} (${short(batch.txHash)}): fraud in chunk ${invalid.chunkIndex} (${invalid.fault}), ` +
          `proof failed: ${(error as Error).message.split("\n")[0].slice(0, 160)}`,
      );
      return;
    }
    const landed = await this.rollup.runner!.provider!.getTransactionReceipt(batch.txHash);
    const report = this.describe(receipt);
    const fraud: FraudReport = {
      batchId: batch.id,
      chunkIndex: report.chunkIndex ?? invalid.chunkIndex,
      fault: report.fault ?? invalid.fault,
      proofTx: receipt.hash,
      landedBlock: landed?.blockNumber ?? -1,
      provenBlock: receipt.blockNumber,
      msFromSeen: Date.now() - seen,
    };
    this.status.fraudsProven += 1;
    this.status.lastFraud = fraud;
    this.said.set(batch.id, `${batch.txHash}:rolled-back`);
    this.log(
      `batch ${batch.id} (${short(batch.txHash)}): fraud in chunk ${fraud.chunkIndex} (${fraud.fault}), ` +
        `proof tx ${receipt.hash}, ${report.text}, ` +
        `${fraud.provenBlock - fraud.landedBlock} blocks / ${fraud.msFromSeen} ms after it was seen`,
    );
  }

  /** What a proof's receipt says L1 did: the rollback, the slash and the reward, from its events. */
  private describe(receipt: ContractTransactionReceipt): { text: string; chunkIndex?: number; fault?: string } {
    const parts: string[] = [];
    let chunkIndex: number | undefined;
    let fault: string | undefined;
    for (const log of receipt.logs) {
      let parsed;
      try {
        parsed = this.rollup.interface.parseLog(log);
      } catch {
        continue;
      }
      if (!parsed) continue;
      if (parsed.name === "FraudProven") {
        chunkIndex = Number(parsed.args.chunkIndex);
        fault = FAULTS[Number(parsed.args.fault)];
      } else if (parsed.name === "BatchRolledBack") {
        const [from, to] = [parsed.args.batchId as bigint, parsed.args.lastBatchId as bigint];
        parts.push(from === to ? `batch ${from} rolled back` : `batches ${from}..${to} rolled back`);
      } else if (parsed.name === "OperatorSlashed") {
        const reward = parsed.args.reward as bigint;
        const burnt = parsed.args.burnt as bigint;
        parts.push(
          `operator ${parsed.args.operator} slashed ${formatEther(reward + burnt)} ETH, ` +
            `paid ${formatEther(reward)} ETH to ${parsed.args.beneficiary}`,
        );
      }
    }
    if (parts.length === 0) parts.push("no rollback in its receipt");
    return { text: parts.join(", "), chunkIndex, fault };
  }
}
