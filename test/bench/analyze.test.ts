import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { analyzeMeasurement, MeasurementError } from "../../src/bench/analyze";
import { deployBenchToken } from "../../src/bench/deploy";
import type { Measurement } from "../../src/bench/types";

describe("bench: analyzeMeasurement", function () {
  async function tokenDeployed() {
    const [sender, holder, other] = await hre.ethers.getSigners();
    const token = await deployBenchToken(hre);
    await (await token.transfer(holder.address, 10n)).wait();
    return { token, sender, holder, other };
  }

  const ctx = () => ({ hre, hardfork: hre.config.networks.hardhat.hardfork, gitRevision: "test", assumptions: "" });
  const measurement = (hash: string, extra: Partial<Measurement> = {}): Measurement => ({
    system: "l1",
    variant: "test",
    posting: "calldata",
    batchSize: 1,
    txs: [{ label: "test", hash }],
    ...extra,
  });

  describe("# analyzeMeasurement", function () {
    it("should split a plain ETH transfer into intrinsic gas only", async function () {
      const { sender, other } = await loadFixture(tokenDeployed);
      const tx = await sender.sendTransaction({ to: other.address, value: 1n });
      const row = await analyzeMeasurement(ctx(), measurement(tx.hash));
      expect(row.l1Gas).to.equal(21_000);
      expect(row.split).to.deep.equal({
        intrinsic: 21_000,
        calldata: 0,
        floorTopUp: 0,
        execution: 0,
        storage: 0,
        proofVerification: 0,
      });
    });

    it("should count an ERC-20 transfer's two SSTOREs as storage and add up to gasUsed", async function () {
      const { token, holder } = await loadFixture(tokenDeployed);
      const tx = await token.transfer(holder.address, 1n);
      const receipt = await tx.wait();
      const row = await analyzeMeasurement(ctx(), measurement(tx.hash));
      // Both balances non-zero before and after, both slots warm after their SLOAD: 2 × 2,900.
      expect(row.split.storage).to.equal(5_800);
      expect(Object.values(row.split).reduce((a, b) => a + b, 0)).to.equal(Number(receipt!.gasUsed));
      expect(row.floorApplied).to.equal(false);
    });

    it("should find the EIP-7623 floor on data sent to an account without code", async function () {
      const { sender, other } = await loadFixture(tokenDeployed);
      const data = "0x" + "ab".repeat(1000);
      const tx = await sender.sendTransaction({ to: other.address, data });
      const row = await analyzeMeasurement(ctx(), measurement(tx.hash, { batchSize: 10 }));
      expect(row.bytesPerTx).to.equal(100);
      expect(row.floorGasPerTx).to.equal(4_000);
      if (ctx().hardfork === "cancun") {
        expect(row.l1Gas).to.equal(21_000 + 16_000);
        expect(row.floorApplied).to.equal(false);
      } else {
        expect(row.l1Gas).to.equal(21_000 + 40_000);
        expect(row.floorApplied).to.equal(true);
        expect(row.split.floorTopUp).to.equal(24_000);
      }
    });

    it("should not measure a transaction that does not exist", async function () {
      await expect(analyzeMeasurement(ctx(), measurement("0x" + "11".repeat(32)))).to.be.rejectedWith(
        MeasurementError,
        /not found/,
      );
    });
  });
});
