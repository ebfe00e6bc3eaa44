/**
 * What a workload gets: the Hardhat runtime, the profile, a progress display, `record` to turn the
 * L1 transactions it sent into benchmark rows, and `time` for off-chain timings (reported, never
 * asserted). Also posts a batch's bytes as blobs to a stand-in inbox, for a system that has no blob
 * posting of its own (the zk rollup; the optimistic rollup posts its own blobs).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { keccak256 } from "ethers";
import { analyzeMeasurement } from "./analyze";
import { BLOB_GAS_PER_BLOB, MAX_BLOBS_PER_TX, hardhatWallet, kzgLibrary, packBlobs } from "./blobs";
import { countBytes } from "./calldata";
import { deployBlobInbox } from "./deploy";
import type { Profile } from "./profile";
import type { BenchRow, BenchSystem, L1TxRecord, Measurement, Timing } from "./types";
import type { BlobInbox } from "../../typechain-types";

/** Hardhat account that sends blob transactions (high, so workloads' own accounts keep their nonces). */
export const BLOB_SENDER_INDEX = 39;

export interface Progress {
  /** Marks one planned step done. */
  tick(label: string): void;
  /** Prints a line without breaking the progress display. */
  log(line: string): void;
}

/** One system's part of the benchmark. */
export interface Workload {
  system: BenchSystem;
  title: string;
  /** null when the system can be measured; otherwise what is missing. */
  unavailable(): string | null;
  /** How many progress steps `run` will report under this profile. */
  plan(profile: Profile): number;
  run(ctx: BenchContext): Promise<void>;
}

export class BenchContext {
  readonly rows: BenchRow[] = [];
  /** Things a workload could not measure, with the reason: shown in the report. */
  readonly gaps: { system: BenchSystem; what: string; reason: string }[] = [];
  /** Off-chain wall-clock figures, in milliseconds: shown in the report, never in the snapshot. */
  readonly timings: Timing[] = [];
  private inbox?: BlobInbox;

  constructor(
    readonly hre: HardhatRuntimeEnvironment,
    readonly hardfork: string,
    readonly profile: Profile,
    readonly progress: Progress,
    private readonly rowMeta: { gitRevision: string; assumptions: string },
  ) {}

  /** Analyses the transactions of one measurement and keeps the row. */
  async record(measurement: Measurement): Promise<BenchRow> {
    const row = await analyzeMeasurement({ hre: this.hre, hardfork: this.hardfork, ...this.rowMeta }, measurement);
    this.rows.push(row);
    return row;
  }

  /** Keeps a figure computed from measured rows (never a measurement), with its formula. */
  addComputed(row: BenchRow): void {
    if (row.measured) throw new Error(`addComputed: row ${row.id} claims to be measured`);
    this.rows.push(row);
  }

  gap(system: BenchSystem, what: string, reason: string): void {
    this.gaps.push({ system, what, reason });
    this.progress.log(`  not measured: ${system} ${what}: ${reason}`);
  }

  /** Keeps an off-chain timing of this process (its hardfork attached). */
  time(timing: Omit<Timing, "hardfork">): void {
    this.timings.push({ ...timing, hardfork: this.hardfork });
  }

  /** Forgets the blob inbox: call after resetting the chain. */
  chainReset(): void {
    this.inbox = undefined;
  }

  /**
   * Posts `payload` (a batch's bytes, exactly as the rollup posts them in calldata) in blobs to the
   * BlobInbox, at most MAX_BLOBS_PER_TX blobs per transaction, and records the row.
   */
  async postBlobBatch(opts: {
    system: BenchSystem;
    variant: string;
    batchSize: number;
    payload: Uint8Array;
    postStateRoot?: string;
    note?: string;
    /** Further L1 transactions the blob posting needs (a zk batch's proof verification). */
    extraTxs?: L1TxRecord[];
    calldataVaries?: boolean;
  }): Promise<BenchRow> {
    const { ethers } = this.hre;
    const wallet = hardhatWallet(this.hre, BLOB_SENDER_INDEX, ethers.provider);
    const kzg = await kzgLibrary();
    if (!this.inbox) {
      this.inbox = await deployBlobInbox(this.hre);
      // A rollup in use has recorded batches before: one unmeasured first batch keeps the one-off
      // initialisation of the batch counter (a 20,000-gas SSTORE) out of every measured row.
      const warmUp = await wallet.sendTransaction({
        type: 3,
        to: await this.inbox.getAddress(),
        data: this.inbox.interface.encodeFunctionData("recordBlobBatch", [keccak256("0x00"), 1]),
        blobs: packBlobs(new Uint8Array(1)),
        kzg,
        gasLimit: 500_000n,
        maxFeePerBlobGas: 10n ** 12n,
      });
      await warmUp.wait();
    }
    const blobs = packBlobs(opts.payload);
    const root = opts.postStateRoot ?? keccak256(opts.payload);
    const txs: L1TxRecord[] = [];
    const inboxAddress = await this.inbox.getAddress();
    for (let first = 0; first < blobs.length; first += MAX_BLOBS_PER_TX) {
      const group = blobs.slice(first, first + MAX_BLOBS_PER_TX);
      const txCount = first === 0 ? opts.batchSize : 1;
      const data = this.inbox.interface.encodeFunctionData("recordBlobBatch", [root, txCount]);
      const tx = await wallet.sendTransaction({
        type: 3,
        to: inboxAddress,
        data,
        blobs: group,
        kzg,
        // Node estimation cannot see blob hashes; the inbox needs far less than this.
        gasLimit: 500_000n,
        maxFeePerBlobGas: 10n ** 12n,
      });
      await tx.wait();
      txs.push({ label: `recordBlobBatch (${group.length} blobs)`, hash: tx.hash });
    }
    return this.record({
      system: opts.system,
      variant: opts.variant,
      posting: "blob",
      batchSize: opts.batchSize,
      txs: [...txs, ...(opts.extraTxs ?? [])],
      payload: countBytes(opts.payload),
      calldataVaries: opts.calldataVaries,
      note:
        opts.note ??
        `BlobInbox stand-in: records blobhash() of ${blobs.length} blob(s) (${blobs.length * BLOB_GAS_PER_BLOB} blob gas) and one batch commitment`,
    });
  }
}
