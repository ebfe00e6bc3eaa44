/**
 * The benchmark's charts, built from the rows and the economics model:
 *   gas-per-tx.svg   gas per L2 transaction against batch size, every system and the L1 baselines
 *   split.svg        where the gas of each design's largest measured batch goes (per L2 transaction)
 *   breakeven.svg    the operator's break-even L2 fee against batch size (model)
 *   blocks.svg       user transactions one L1 block carries in each design (model)
 */
import type { Economics } from "../economics";
import { designLabel, largestBatchRows, largestRows } from "../economics";
import type { BenchRow } from "../types";
import { barChart } from "./barChart";
import { lineChart, type Series } from "./lineChart";
import { PALETTE } from "./svg";

export interface Chart {
  file: string;
  title: string;
  svg: string;
}

/** The designs the gas-per-tx chart draws, in legend order. */
const DESIGNS = [
  ["optimistic", "calldata", "batch"],
  ["optimistic", "blob", "batch"],
  ["optimistic", "calldata", "bls-batch"],
  ["optimistic", "blob", "bls-batch"],
  ["zk", "calldata", "batch"],
  ["zk", "blob", "batch"],
  ["channels", "calldata", "lifetime"],
] as const;

const SPLIT_PARTS = ["intrinsic", "calldata", "floor top-up", "execution", "storage", "proof verification"] as const;

export function buildCharts(rows: BenchRow[], economics: Economics, hardforks: string[]): Chart[] {
  const charts: Chart[] = [];
  const primary = economics.hardfork;
  const measured = rows.filter((r) => r.measured);

  // 1. Gas per L2 tx against batch size.
  const series: Series[] = [];
  for (const hardfork of hardforks) {
    const dashed = hardfork !== primary;
    for (const [system, posting, variant] of DESIGNS) {
      const points = measured
        .filter((r) => r.hardfork === hardfork && r.system === system && r.posting === posting && r.variant === variant)
        .map((r) => [r.batchSize, r.gasPerTx] as [number, number]);
      if (points.length === 0) continue;
      // One colour per design, so a design's osaka (solid) and cancun (dashed) lines match.
      const color =
        PALETTE[DESIGNS.findIndex(([s, p, v]) => s === system && p === posting && v === variant) % PALETTE.length];
      series.push({ name: `${designLabel(system, posting, variant)} · ${hardfork}`, points, dashed, color });
    }
  }
  const computedZk = rows.filter(
    (r) => !r.measured && r.system === "zk" && r.hardfork === primary && r.posting === "calldata",
  );
  if (computedZk.length > 0) {
    series.push({
      name: `zk rollup (calldata), computed · ${primary}`,
      points: computedZk.map((r) => [r.batchSize, r.gasPerTx]),
      dashed: true,
      color: "#999999",
    });
  }
  const lines = measured
    .filter((r) => r.system === "l1" && r.hardfork === primary && r.variant !== "erc20-transfer-new-holder")
    .map((r) => ({
      name: `${designLabel("l1", r.posting, r.variant)} (${r.l1Gas})`,
      y: r.gasPerTx,
      color: r.variant === "eth-transfer" ? "#000000" : "#666666",
    }));
  if (series.length > 0) {
    charts.push({
      file: "gas-per-tx.svg",
      title: "L1 gas per L2 transaction against batch size",
      svg: lineChart({
        title: "L1 gas per L2 transaction",
        subtitle:
          (hardforks.length > 1
            ? `solid: ${primary}; dashed: ${hardforks.filter((h) => h !== primary).join(", ")}`
            : `hardfork ${primary}`) + "; blob rows count L1 gas only (blob gas is separate)",
        xLabel: "L2 transactions per batch (payments per channel lifetime)",
        yLabel: "L1 gas per L2 transaction (log)",
        series,
        lines,
      }),
    });
  }

  // 2. The split of each design's largest measured batch, per L2 tx.
  const splitRows = [
    ...measured.filter((r) => r.system === "l1" && r.hardfork === primary),
    ...hardforks.flatMap((h) =>
      largestBatchRows(measured.filter((r) => r.hardfork === h && r.system !== "l1")).concat(
        largestRows(
          measured.filter((r) => r.hardfork === h && r.system === "channels"),
          "lifetime",
        ),
      ),
    ),
  ];
  if (splitRows.length > 0) {
    charts.push({
      file: "split.svg",
      title: "Where the L1 gas goes",
      svg: barChart({
        title: "Where the L1 gas goes: share of each design's gas (label: gas per L2 tx)",
        subtitle:
          "largest measured batch of each design; storage = SSTOREs in the opcode trace; proof verification measured alone",
        valueLabel: "share of the L1 gas (%)",
        max: 100,
        parts: [...SPLIT_PARTS],
        bars: splitRows.map((r) => {
          // Shares, so a 200-gas rollup transfer and a 50,000-gas L1 transfer are both readable.
          const n = r.l1Gas / 100;
          return {
            label: `${designLabel(r.system, r.posting, r.variant)} ×${r.batchSize} · ${r.hardfork}`,
            segments: [
              { part: "intrinsic", value: r.split.intrinsic / n },
              { part: "calldata", value: r.split.calldata / n },
              { part: "floor top-up", value: r.split.floorTopUp / n },
              { part: "execution", value: r.split.execution / n },
              { part: "storage", value: r.split.storage / n },
              { part: "proof verification", value: r.split.proofVerification / n },
            ],
            annotation: `${Math.round(r.gasPerTx).toLocaleString("en-US")} gas${r.blobGasPerTx > 0 ? ` + ${Math.round(r.blobGasPerTx).toLocaleString("en-US")} blob gas` : ""}`,
          };
        }),
      }),
    });
  }

  // 3. Break-even L2 fee (model).
  const breakEven: Series[] = [];
  const designOf = (p: Economics["operator"][number]) => `${p.system}/${p.variant}/${p.posting}`;
  for (const key of new Set(economics.operator.map(designOf))) {
    const points = economics.operator.filter((p) => designOf(p) === key);
    breakEven.push({
      name: designLabel(points[0].system, points[0].posting, points[0].variant),
      points: points.map((p) => [p.batchSize, Number(p.breakEvenFee) / 1e9] as [number, number]),
    });
  }
  if (breakEven.length > 0) {
    charts.push({
      file: "breakeven.svg",
      title: "Operator break-even L2 fee against batch size (model)",
      svg: lineChart({
        title: "Operator break-even L2 fee (model: measured gas × assumed prices)",
        subtitle: `base ${Number(economics.assumptions.baseFeePerGas) / 1e9} gwei + tip ${Number(economics.assumptions.priorityFeePerGas) / 1e9} gwei, blob base fee ${Number(economics.assumptions.blobBaseFeePerGas) / 1e9} gwei · ${primary}`,
        xLabel: "L2 transactions per batch",
        yLabel: "break-even fee per L2 tx, gwei (log)",
        series: breakEven,
        lines: [
          {
            name: `assumed L2 fee (${Number(economics.assumptions.l2FeePerTx) / 1e9} gwei)`,
            y: Number(economics.assumptions.l2FeePerTx) / 1e9,
          },
        ],
      }),
    });
  }

  // 4. Throughput and producer earnings per block (model).
  if (economics.blocks.length > 0) {
    charts.push({
      file: "blocks.svg",
      title: "User transactions per L1 block, and what the block producer earns (model)",
      svg: barChart({
        title: "User transactions one L1 block carries (model)",
        subtitle: `block gas limit ${economics.assumptions.blockGasLimit}, ${economics.assumptions.maxBlobsPerBlock} blobs per block; label: producer's priority fees per block`,
        valueLabel: "user transactions per L1 block (log)",
        parts: ["user transactions"],
        log: true,
        bars: economics.blocks.map((b) => ({
          label: b.design,
          segments: [{ part: "user transactions", value: Math.max(b.userTxsPerBlock, 1) }],
          annotation: `${b.userTxsPerBlock} · ${(Number(b.producerEarnings) / 1e18).toFixed(5)} ETH`,
        })),
      }),
    });
  }
  return charts;
}
