import { expect } from "chai";
import { DEFAULT_ASSUMPTIONS } from "../../src/bench/assumptions";
import { computeEconomics, formatWei } from "../../src/bench/economics";
import type { BenchRow } from "../../src/bench/types";

function row(partial: Partial<BenchRow> & Pick<BenchRow, "system" | "variant" | "batchSize" | "l1Gas">): BenchRow {
  return {
    id: `${partial.system}/${partial.variant}/${partial.posting ?? "calldata"}/${partial.batchSize}`,
    posting: "calldata",
    hardfork: "osaka",
    measured: true,
    l1Txs: 1,
    gasPerTx: partial.l1Gas / partial.batchSize,
    calldataBytes: 0,
    bytesPerTx: 0,
    floorGasPerTx: 0,
    floorApplied: false,
    split: {
      intrinsic: 21000,
      calldata: 0,
      floorTopUp: 0,
      execution: partial.l1Gas - 21000,
      storage: 0,
      proofVerification: 0,
    },
    blobCount: 0,
    blobGasUsed: 0,
    blobGasPerTx: 0,
    storageMethod: "traced",
    gitRevision: "test",
    assumptions: "",
    ...partial,
  };
}

describe("bench: economics model", function () {
  const a = {
    ...DEFAULT_ASSUMPTIONS,
    baseFeePerGas: 10n ** 9n,
    priorityFeePerGas: 10n ** 8n,
    blobBaseFeePerGas: 1n,
    blockGasLimit: 30_000_000n,
    maxBlobsPerBlock: 6,
    l2FeePerTx: 10n ** 12n,
  };
  const rows = [
    row({ system: "l1", variant: "eth-transfer", batchSize: 1, l1Gas: 21_000 }),
    row({ system: "optimistic", variant: "batch", batchSize: 100, l1Gas: 121_000 }),
    row({ system: "optimistic", variant: "batch", batchSize: 1000, l1Gas: 1_021_000 }),
    row({
      system: "optimistic",
      variant: "batch",
      posting: "blob",
      batchSize: 1000,
      l1Gas: 60_000,
      blobCount: 1,
      blobGasUsed: 131_072,
    }),
  ];

  describe("# computeEconomics", function () {
    it("should fill a block with plain transfers up to the gas limit and pay the producer only the tip", function () {
      const e = computeEconomics(rows, a, "osaka");
      const eth = e.blocks.find((b) => b.design === "L1 ETH transfer")!;
      expect(eth.userTxsPerBlock).to.equal(1428);
      expect(eth.producerEarnings).to.equal(1428n * 21_000n * 10n ** 8n);
      expect(eth.burnt).to.equal(1428n * 21_000n * 10n ** 9n);
    });

    it("should limit blob batches by blobs per block and burn the blob fee", function () {
      const e = computeEconomics(rows, a, "osaka");
      const blob = e.blocks.find((b) => b.posting === "blob")!;
      expect(blob.limitedBy).to.equal("blobs");
      expect(blob.l1TxsPerBlock).to.equal(6);
      expect(blob.userTxsPerBlock).to.equal(6000);
      expect(blob.burnt).to.equal(6n * 60_000n * 10n ** 9n + 6n * 131_072n);
    });

    it("should give a break-even fee that exactly covers the batch's L1 cost", function () {
      const e = computeEconomics(rows, a, "osaka");
      for (const point of e.operator) {
        expect(point.breakEvenFee * BigInt(point.batchSize) >= point.l1CostPerBatch).to.equal(true);
        expect((point.breakEvenFee - 1n) * BigInt(point.batchSize) < point.l1CostPerBatch).to.equal(true);
        expect(point.profitPerBatch).to.equal(point.feesPerBatch - point.l1CostPerBatch);
      }
      const small = e.operator.find((p) => p.posting === "calldata" && p.batchSize === 100)!;
      expect(small.l1CostPerBatch).to.equal(121_000n * 11n * 10n ** 8n);
    });

    it("should not mix in rows of another hardfork or computed rows", function () {
      const e = computeEconomics(
        [
          ...rows,
          row({ system: "zk", variant: "batch", batchSize: 4096, l1Gas: 1, measured: false }),
          row({ system: "zk", variant: "batch", batchSize: 8, l1Gas: 500_000, hardfork: "cancun" }),
        ],
        a,
        "osaka",
      );
      expect(e.operator.some((p) => p.system === "zk")).to.equal(false);
    });
  });

  describe("# formatWei", function () {
    it("should print small amounts in gwei and large ones in ETH, signs kept", function () {
      expect(formatWei(1_500_000_000n)).to.equal("1.5 gwei");
      expect(formatWei(-(10n ** 18n))).to.equal("-1 ETH");
      expect(formatWei(0n)).to.equal("0");
    });
  });
});
