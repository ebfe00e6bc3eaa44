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
    row({ system: "channels", variant: "lifetime", batchSize: 10, l1Gas: 170_000 }),
  ];
  const economics = computeEconomics(rows, DEFAULT_ASSUMPTIONS, "osaka");
  const result: BenchResult = {
    generatedAt: "2026-01-01T00:00:00.000Z",
    gitRevision: "test",
    profile: "quick",
    hardforks: ["osaka"],
    durationSeconds: 1,
    assumptions: DEFAULT_ASSUMPTIONS,
    rows,
    gaps: [{ system: "zk", what: "everything", reason: "src/zk is not there yet" }],
    timings: [],
    economics,
  };

  describe("# renderReport", function () {
    it("should say what is not measured instead of showing numbers for it", function () {
      const report = renderReport(result, { chartPrefix: "", charts: [], command: "test" });
      expect(report).to.include("zk rollup: **not measured yet**");
      expect(report).to.include("src/zk is not there yet");
      expect(report).to.match(/\| Optimistic rollup \(calldata\) \| calldata \| osaka \| 64 \| 6,250 /);
    });
  });

  describe("# buildCharts", function () {
    it("should draw every chart as SVG that renders", function () {
      const charts = buildCharts(rows, economics, ["osaka"]);
      expect(charts.map((c) => c.file)).to.deep.equal(["gas-per-tx.svg", "split.svg", "breakeven.svg", "blocks.svg"]);
      for (const chart of charts) {
        const png = new Resvg(chart.svg, { font: { loadSystemFonts: false } }).render();
        expect(png.width, chart.file).to.be.greaterThan(100);
      }
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
