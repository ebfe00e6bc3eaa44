import { expect } from "chai";
import { Resvg } from "@resvg/resvg-js";
import { DEFAULT_ASSUMPTIONS } from "../../src/bench/assumptions";
import { buildCharts } from "../../src/bench/charts";
import { computeEconomics } from "../../src/bench/economics";
import { renderReport } from "../../src/bench/report";
import type { BenchResult } from "../../src/bench/result";
import { toCsv, CSV_COLUMNS } from "../../src/bench/result";
import type { BenchRow } from "../../src/bench/types";

function row(partial: Partial<BenchRow> & Pick<BenchRow, "system" | "variant" | "batchSize" | "l1Gas">): BenchRow {
  return {
    id: `${partial.system}/${partial.variant}/${partial.posting ?? "calldata"}/${partial.batchSize}`,
    posting: "calldata",
    hardfork: "osaka",
    measured: true,
    l1Txs: 1,
    gasPerTx: partial.l1Gas / partial.batchSize,
    calldataBytes: 100,
    bytesPerTx: 100 / partial.batchSize,
    floorGasPerTx: 4000 / partial.batchSize,
    floorApplied: false,
    split: {
      intrinsic: 21000,
      calldata: 1600,
      floorTopUp: 0,
      execution: partial.l1Gas - 22600,
      storage: 0,
      proofVerification: 0,
    },
    blobCount: 0,
    blobGasUsed: 0,
    blobGasPerTx: 0,
    storageMethod: "traced",
    gitRevision: "test",
    assumptions: "a=1",
    ...partial,
  };
}

describe("bench: report, charts and CSV", function () {
  const rows = [
    row({ system: "l1", variant: "eth-transfer", batchSize: 1, l1Gas: 22_600 }),
    row({ system: "optimistic", variant: "batch", batchSize: 8, l1Gas: 160_000, note: 'a, "quoted" note' }),
    row({ system: "optimistic", variant: "batch", batchSize: 64, l1Gas: 400_000 }),
    row({ system: "optimistic", variant: "bls-batch", batchSize: 16_384, l1Gas: 8_000_000, floorGasPerTx: 500 }),
    row({ system: "optimistic", variant: "bls-batch", batchSize: 16_384, l1Gas: 4_000_000, hardfork: "cancun" }),
    row({
      system: "optimistic",
      variant: "batch",
      posting: "blob",
      batchSize: 2048,
      l1Gas: 90_000,
      bytesPerTx: 85,
      blobCount: 2,
      blobGasUsed: 262_144,
      blobGasPerTx: 128,
    }),
    row({
      system: "optimistic",
      variant: "bls-batch",
      posting: "blob",
      batchSize: 2048,
      l1Gas: 150_000,
      bytesPerTx: 15,
      blobCount: 2,
      blobGasUsed: 262_144,
      blobGasPerTx: 128,
    }),
    row({ system: "channels", variant: "lifetime", batchSize: 10, l1Gas: 170_000 }),
  ];
  const economics = computeEconomics(rows, DEFAULT_ASSUMPTIONS, "osaka");
  const result: BenchResult = {
    generatedAt: "2026-01-01T00:00:00.000Z",
    gitRevision: "test",
    profile: "quick",
    hardforks: ["osaka", "cancun"],
    durationSeconds: 1,
    assumptions: DEFAULT_ASSUMPTIONS,
    rows,
    gaps: [{ system: "zk", what: "everything", reason: "src/zk is not there yet" }],
    timings: [{ system: "optimistic", what: "BLS sign", ms: 6.25, per: "signature", hardfork: "osaka" }],
    economics,
  };

  describe("# renderReport", function () {
    it("should say what is not measured instead of showing numbers for it", function () {
      const report = renderReport(result, { chartPrefix: "", charts: [], command: "test" });
      expect(report).to.include("zk rollup: **not measured yet**");
      expect(report).to.include("src/zk is not there yet");
      expect(report).to.match(/\| Optimistic rollup, ECDSA \(calldata\) \| calldata \| osaka \| 64 \| 6,250 /);
    });

    it("should show a headline row per signature scheme and posting of the optimistic rollup", function () {
      const report = renderReport(result, { chartPrefix: "", charts: [], command: "test" });
      expect(report).to.match(/\| Optimistic rollup, BLS \(calldata\) \| calldata \| osaka \| 16,384 \| 488 /);
      expect(report).to.match(/\| Optimistic rollup, ECDSA \(blob\) \| blob \| osaka \| 2,048 \| 43\.9 \| 128 /);
      expect(report).to.match(/\| Optimistic rollup, BLS \(blob\) \| blob \| osaka \| 2,048 \| 73\.2 /);
    });

    it("should say of each goal whether its measured figure meets it, and which goals have no figure", function () {
      const report = renderReport(result, { chartPrefix: "", charts: [], command: "test" });
      expect(report).to.match(
        /\| BLS, calldata, osaka, largest batch: ≤ 1\.10× the floor of its bytes \| 0\.98× \(488 \/ 500\) \| met \|/,
      );
      expect(report).to.match(/\| BLS, calldata, osaka, largest batch: ≤ 600 gas per transfer \| 488 gas \| met \|/);
      expect(report).to.match(/\| BLS, calldata, cancun, largest batch: ≤ 300 gas per transfer \| 244 gas \| met \|/);
      expect(report).to.match(
        /\| BLS, blob, osaka, 2,048 transfers: ≤ 50 L1 execution gas per transfer [^|]*\| 73\.2 gas \| \*\*not met\*\* \|/,
      );
      expect(report).to.match(
        /\| ECDSA, blob, osaka, 2,048 transfers: blob gas per transfer = [^|]*\| 128 blob gas: 2 blob\(s\) for 174,080 bytes, which need 2 \| met \|/,
      );
      expect(report).to.match(/\| ECDSA, blob, cancun, 2,048 transfers: ≤ 50 [^|]*\| not measured \|/);
      expect(report).to.include("BLS sign off-chain (osaka run): 6.25 ms per signature");
    });
  });

  describe("# buildCharts", function () {
    it("should draw every chart as SVG that renders", function () {
      const charts = buildCharts(rows, economics, ["osaka", "cancun"]);
      expect(charts.map((c) => c.file)).to.deep.equal(["gas-per-tx.svg", "split.svg", "breakeven.svg", "blocks.svg"]);
      for (const chart of charts) {
        const png = new Resvg(chart.svg, { font: { loadSystemFonts: false } }).render();
        expect(png.width, chart.file).to.be.greaterThan(100);
      }
    });

    it("should draw a gas-per-tx line per combination of signatures and posting", function () {
      const [gasPerTx] = buildCharts(rows, economics, ["osaka", "cancun"]);
      for (const name of [
        "Optimistic rollup, ECDSA (calldata) · osaka",
        "Optimistic rollup, ECDSA (blob) · osaka",
        "Optimistic rollup, BLS (calldata) · osaka",
        "Optimistic rollup, BLS (blob) · osaka",
        "Optimistic rollup, BLS (calldata) · cancun",
      ])
        expect(gasPerTx.svg, name).to.include(name);
    });
  });

  describe("# toCsv", function () {
    it("should write one line per row with quoted fields where needed", function () {
      const lines = toCsv(rows).trim().split("\n");
      expect(lines).to.have.length(rows.length + 1);
      expect(lines[0].split(",")).to.deep.equal([...CSV_COLUMNS]);
      expect(lines[2]).to.include('"a, ""quoted"" note"');
    });
  });
});
