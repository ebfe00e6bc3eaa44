/**
 * The report's section on the optimistic rollup's variants: the BLS rows against the EIP-7623 floor of their
 * bytes and Hubble's 441 gas per transfer, and the design goals of the BLS and blob variants, each met or not with
 * its measured figure. Goals are reported, never asserted: a test checks the section's shape, not the figures.
 */
import { ANCHORS } from "./anchors";
import { PAYLOAD_BYTES_PER_BLOB } from "./blobs";
import { dec, int, table } from "./markdown";
import type { BenchResult } from "./result";
import type { BenchRow } from "./types";

const HUBBLE = ANCHORS.find((a) => a.project.startsWith("Hubble"))!;
/** Transfers per batch at which the blob goals are stated. */
export const BLOB_GOAL_BATCH = 2048;

const times = (x: number) => `${x.toFixed(2)}×`;

/** The measured row of `variant`/`posting` under `hardfork` with the most transfers (or exactly `batchSize`). */
function pick(rows: BenchRow[], variant: string, posting: string, hardfork: string, batchSize?: number) {
  const own = rows.filter(
    (r) =>
      r.measured &&
      r.system === "optimistic" &&
      r.variant === variant &&
      r.posting === posting &&
      r.hardfork === hardfork &&
      (batchSize === undefined || r.batchSize === batchSize),
  );
  return own.length ? own.reduce((best, r) => (r.batchSize > best.batchSize ? r : best)) : undefined;
}

/** Blobs the row's data bytes need at 126,976 payload bytes per blob: the data "rounded to the blob". */
export function blobsForData(row: BenchRow): number {
  return Math.max(1, Math.ceil(Math.round(row.bytesPerTx * row.batchSize) / PAYLOAD_BYTES_PER_BLOB));
}

interface Goal {
  goal: string;
  row?: BenchRow;
  figure: (r: BenchRow) => string;
  met: (r: BenchRow) => boolean;
}

export function renderVariantGoals(result: BenchResult): string {
  const rows = result.rows;
  const out: string[] = [];
  out.push("### BLS transfers against the floor and Hubble's 441, and the variants' goals", "");
  const bls = rows
    .filter((r) => r.measured && r.system === "optimistic" && r.variant === "bls-batch" && r.posting === "calldata")
    .sort((a, b) => a.hardfork.localeCompare(b.hardfork) || a.batchSize - b.batchSize);
  if (bls.length === 0) out.push("BLS batches: not measured yet.", "");
  else {
    out.push(
      `Hubble: ${HUBBLE.figure} per transfer at 12 bytes (${HUBBLE.pricing}). *× floor* = gas per transfer / the EIP-7623 floor of the bytes each transfer puts on L1 (its 12 bytes, its share of the chunk's 96-byte aggregate and of the batch's states).`,
      "",
    );
    out.push(
      table(
        [
          "hardfork",
          "transfers",
          "gas / transfer",
          "bytes / transfer",
          "floor / transfer",
          "× floor",
          "× Hubble's 441",
        ],
        bls.map((r) => [
          r.hardfork,
          int(r.batchSize),
          dec(r.gasPerTx),
          dec(r.bytesPerTx),
          dec(r.floorGasPerTx),
          times(r.gasPerTx / r.floorGasPerTx),
          times(r.gasPerTx / HUBBLE.gas!),
        ]),
      ),
      "",
    );
  }

  const goals: Goal[] = [
    {
      goal: "BLS, calldata, osaka, largest batch: ≤ 1.10× the floor of its bytes",
      row: pick(rows, "bls-batch", "calldata", "osaka"),
      figure: (r) => `${times(r.gasPerTx / r.floorGasPerTx)} (${dec(r.gasPerTx)} / ${dec(r.floorGasPerTx)})`,
      met: (r) => r.gasPerTx <= 1.1 * r.floorGasPerTx,
    },
    {
      goal: "BLS, calldata, osaka, largest batch: ≤ 600 gas per transfer",
      row: pick(rows, "bls-batch", "calldata", "osaka"),
      figure: (r) => `${dec(r.gasPerTx)} gas`,
      met: (r) => r.gasPerTx <= 600,
    },
    {
      goal: "BLS, calldata, cancun, largest batch: ≤ 300 gas per transfer",
      row: pick(rows, "bls-batch", "calldata", "cancun"),
      figure: (r) => `${dec(r.gasPerTx)} gas`,
      met: (r) => r.gasPerTx <= 300,
    },
  ];
  for (const variant of ["batch", "bls-batch"])
    for (const hardfork of result.hardforks) {
      const row = pick(rows, variant, "blob", hardfork, BLOB_GOAL_BATCH);
      const who = `${variant === "batch" ? "ECDSA" : "BLS"}, blob, ${hardfork}, ${int(BLOB_GOAL_BATCH)} transfers`;
      goals.push(
        {
          goal: `${who}: ≤ 50 L1 execution gas per transfer (all of the posting transaction's gas, 21,000 and calldata included)`,
          row,
          figure: (r) => `${dec(r.gasPerTx)} gas`,
          met: (r) => r.gasPerTx <= 50,
        },
        {
          goal: `${who}: blob gas per transfer = its data bytes rounded to the blob`,
          row,
          figure: (r) =>
            `${dec(r.blobGasPerTx)} blob gas: ${r.blobCount} blob(s) for ${int(r.bytesPerTx * r.batchSize)} bytes, which need ${blobsForData(r)}`,
          met: (r) => r.blobCount === blobsForData(r),
        },
      );
    }
  out.push(
    table(
      ["goal", "measured", "met"],
      goals.map((g) => [
        g.goal,
        g.row ? g.figure(g.row) : "not measured",
        g.row ? (g.met(g.row) ? "met" : "**not met**") : "",
      ]),
    ),
    "",
  );

  // What else the variants cost: the BLS fraud proof, the worst blob opening, the BLS code off-chain.
  const extra: string[] = [];
  for (const r of rows.filter((x) => x.measured && x.variant === "fraud-proof:bad-aggregate"))
    extra.push(`- Bad-aggregate fraud proof (${r.hardfork}): ${int(r.l1Gas)} gas (${r.l1Txs} L1 txs).`);
  for (const r of rows.filter((x) => x.measured && x.variant.endsWith("blob-opening")))
    extra.push(
      `- Worst blob opening, ${r.variant.startsWith("bls-") ? "BLS" : "ECDSA"} (${r.hardfork}): ${int(r.l1Gas)} gas: ${r.note ?? ""}.`,
    );
  for (const t of (result.timings ?? []).filter((x) => x.what.startsWith("BLS")))
    extra.push(`- ${t.what} off-chain (${t.hardfork} run): ${t.ms.toFixed(2)} ms per ${t.per}.`);
  if (extra.length) out.push(...extra, "");
  return out.join("\n");
}
