/**
 * The economics model: measured gas × stated prices. Nothing here is measured; every figure is
 * gas from a benchmark row multiplied by the assumptions (src/bench/assumptions.ts), and the
 * report says so.
 *
 * Fee rules used (EIP-1559, EIP-4844): a transaction pays (base fee + priority fee) per gas; the
 * base fee is burnt and the block producer keeps the priority fee. Blob gas pays the blob base fee,
 * all of it burnt: blobs earn the producer nothing directly.
 */
import type { Assumptions, BenchRow, BenchSystem, Posting } from "./types";

/** Seconds per L1 slot, for transactions per second. */
export const SLOT_SECONDS = 12;

export interface UserCost {
  design: string;
  system: BenchSystem;
  posting: Posting;
  batchSize: number;
  /** L1 cost per user transaction (gas and blob gas at the model's prices), wei. */
  l1CostPerTx: bigint;
  /** What the user pays: on L1 the L1 cost; on a rollup the operator's L2 fee; on a channel its share of L1 cost. */
  userPays: bigint;
  basis: string;
}

export interface OperatorPoint {
  system: BenchSystem;
  /** The batch variant ("batch", "bls-batch"). */
  variant: string;
  posting: Posting;
  batchSize: number;
  /** L1 cost of posting (and proving on L1) one batch, wei. */
  l1CostPerBatch: bigint;
  feesPerBatch: bigint;
  profitPerBatch: bigint;
  /** Smallest L2 fee per transaction that covers the batch's L1 cost, wei. */
  breakEvenFee: bigint;
}

export interface BlockPoint {
  design: string;
  system: BenchSystem;
  posting: Posting;
  /** User transactions per L1 block. */
  userTxsPerBlock: number;
  l1TxsPerBlock: number;
  gasPerBlock: bigint;
  blobsPerBlock: number;
  /** Priority fees the block producer keeps, wei. */
  producerEarnings: bigint;
  /** Base fee and blob fee burnt, wei. */
  burnt: bigint;
  userTxsPerSecond: number;
  /** What limits the block: "gas" or "blobs". */
  limitedBy: "gas" | "blobs";
}

export interface Economics {
  hardfork: string;
  assumptions: Assumptions;
  userCosts: UserCost[];
  operator: OperatorPoint[];
  blocks: BlockPoint[];
}

const SYSTEM_LABEL: Record<BenchSystem, string> = {
  l1: "L1",
  optimistic: "Optimistic rollup",
  zk: "zk rollup",
  channels: "Payment channels",
};

export function designLabel(system: BenchSystem, posting: Posting, variant?: string): string {
  if (system === "l1") {
    if (variant === "eth-transfer") return "L1 ETH transfer";
    return variant === "erc20-transfer-new-holder" ? "L1 ERC-20 transfer, new holder" : "L1 ERC-20 transfer";
  }
  if (system === "channels") return SYSTEM_LABEL.channels;
  // The optimistic rollup's signature scheme is part of the design: "bls-" rows are BlsOptimisticRollup's.
  if (system === "optimistic") return `${SYSTEM_LABEL.optimistic}, ${signaturesOf(variant)} (${posting})`;
  return `${SYSTEM_LABEL[system]} (${posting})`;
}

/** The signature scheme of an optimistic rollup row: "BLS" for its "bls-" variants, else "ECDSA". */
export function signaturesOf(variant?: string): "BLS" | "ECDSA" {
  return variant?.startsWith("bls-") ? "BLS" : "ECDSA";
}

/** Variants that are rollup batches: "batch", and the BLS optimistic rollup's "bls-batch". */
export const BATCH_VARIANTS = ["batch", "bls-batch"];

/** largestRows of every batch variant. */
export function largestBatchRows(rows: BenchRow[]): BenchRow[] {
  return BATCH_VARIANTS.flatMap((variant) => largestRows(rows, variant));
}

function l1Cost(row: BenchRow, a: Assumptions): bigint {
  return BigInt(row.l1Gas) * (a.baseFeePerGas + a.priorityFeePerGas) + BigInt(row.blobGasUsed) * a.blobBaseFeePerGas;
}

/** The measured row of each (system, posting) with the most L2 transactions: the design's best case. */
export function largestRows(rows: BenchRow[], variant: string): BenchRow[] {
  const best = new Map<string, BenchRow>();
  for (const row of rows) {
    if (!row.measured || row.variant !== variant) continue;
    const key = `${row.system}/${row.posting}`;
    const current = best.get(key);
    if (!current || row.batchSize > current.batchSize) best.set(key, row);
  }
  return [...best.values()];
}

export function computeEconomics(rows: BenchRow[], a: Assumptions, hardfork: string): Economics {
  const own = rows.filter((r) => r.hardfork === hardfork && r.measured);
  const baselines = own.filter(
    (r) => r.system === "l1" && (r.variant === "eth-transfer" || r.variant === "erc20-transfer"),
  );
  const batches = largestBatchRows(own.filter((r) => r.system === "optimistic" || r.system === "zk"));
  const channels = largestRows(
    own.filter((r) => r.system === "channels"),
    "lifetime",
  );

  const userCosts: UserCost[] = [];
  for (const row of baselines) {
    const cost = l1Cost(row, a);
    userCosts.push({
      design: designLabel("l1", row.posting, row.variant),
      system: "l1",
      posting: row.posting,
      batchSize: 1,
      l1CostPerTx: cost,
      userPays: cost,
      basis: `${row.l1Gas} gas × (base + priority)`,
    });
  }
  for (const row of batches) {
    userCosts.push({
      design: designLabel(row.system, row.posting, row.variant),
      system: row.system,
      posting: row.posting,
      batchSize: row.batchSize,
      l1CostPerTx: l1Cost(row, a) / BigInt(row.batchSize),
      userPays: a.l2FeePerTx,
      basis: `L2 fee; L1 share = batch cost / ${row.batchSize}`,
    });
  }
  for (const row of channels) {
    const share = l1Cost(row, a) / BigInt(row.batchSize);
    userCosts.push({
      design: designLabel("channels", row.posting),
      system: "channels",
      posting: row.posting,
      batchSize: row.batchSize,
      l1CostPerTx: share,
      userPays: share,
      basis: `channel lifetime L1 cost / ${row.batchSize} payments`,
    });
  }

  const operator: OperatorPoint[] = own
    .filter((r) => (r.system === "optimistic" || r.system === "zk") && BATCH_VARIANTS.includes(r.variant))
    .sort(
      (x, y) =>
        x.system.localeCompare(y.system) ||
        x.variant.localeCompare(y.variant) ||
        x.posting.localeCompare(y.posting) ||
        x.batchSize - y.batchSize,
    )
    .map((row) => {
      const cost = l1Cost(row, a);
      const fees = a.l2FeePerTx * BigInt(row.batchSize);
      const n = BigInt(row.batchSize);
      return {
        system: row.system,
        variant: row.variant,
        posting: row.posting,
        batchSize: row.batchSize,
        l1CostPerBatch: cost,
        feesPerBatch: fees,
        profitPerBatch: fees - cost,
        breakEvenFee: (cost + n - 1n) / n,
      };
    });

  const blocks: BlockPoint[] = [];
  const blockFor = (design: string, row: BenchRow, userTxsPerL1Tx: number) => {
    const gasPerL1Tx = BigInt(row.l1Gas) / BigInt(row.l1Txs);
    const blobsPerL1Tx = row.blobCount / row.l1Txs;
    const byGas = Number(a.blockGasLimit / gasPerL1Tx);
    const byBlobs = blobsPerL1Tx > 0 ? Math.floor(a.maxBlobsPerBlock / blobsPerL1Tx) : Number.POSITIVE_INFINITY;
    const l1TxsPerBlock = Math.min(byGas, byBlobs);
    const gasPerBlock = gasPerL1Tx * BigInt(l1TxsPerBlock);
    const blobsPerBlock = Math.round(blobsPerL1Tx * l1TxsPerBlock);
    const userTxsPerBlock = Math.floor(l1TxsPerBlock * userTxsPerL1Tx);
    blocks.push({
      design,
      system: row.system,
      posting: row.posting,
      userTxsPerBlock,
      l1TxsPerBlock,
      gasPerBlock,
      blobsPerBlock,
      producerEarnings: gasPerBlock * a.priorityFeePerGas,
      burnt: gasPerBlock * a.baseFeePerGas + BigInt(blobsPerBlock) * 131_072n * a.blobBaseFeePerGas,
      userTxsPerSecond: Math.round((userTxsPerBlock / SLOT_SECONDS) * 10) / 10,
      limitedBy: byBlobs < byGas ? "blobs" : "gas",
    });
  };
  for (const row of baselines) blockFor(designLabel("l1", row.posting, row.variant), row, 1);
  for (const row of batches)
    blockFor(
      `${designLabel(row.system, row.posting, row.variant)}, ${row.batchSize}/batch`,
      row,
      row.batchSize / row.l1Txs,
    );
  for (const row of channels)
    blockFor(
      `${designLabel("channels", row.posting)}, ${row.batchSize} payments/lifetime`,
      row,
      row.batchSize / row.l1Txs,
    );

  return { hardfork, assumptions: a, userCosts, operator, blocks };
}

/** wei → a short ETH or gwei string for tables (edges only; the model keeps bigint wei). */
export function formatWei(wei: bigint): string {
  const negative = wei < 0n;
  const abs = negative ? -wei : wei;
  const sign = negative ? "-" : "";
  if (abs === 0n) return "0";
  if (abs < 10n ** 15n) {
    return `${sign}${(Number(abs) / 1e9).toLocaleString("en-US", { maximumFractionDigits: 3 })} gwei`;
  }
  return `${sign}${trim(Number(abs) / 1e18, 6)} ETH`;
}

function trim(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, "");
}
