import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { BENCH_TOKEN_SUPPLY, deployBenchToken } from "../../src/bench/deploy";

describe("BenchToken", function () {
  async function deployed() {
    const [owner, alice, bob] = await hre.ethers.getSigners();
    const token = await deployBenchToken(hre);
    return { token, owner, alice, bob };
  }

  describe("# transfer", function () {
    it("should move tokens and emit Transfer", async function () {
      const { token, owner, alice } = await loadFixture(deployed);
      await expect(token.transfer(alice.address, 5n))
        .to.emit(token, "Transfer")
        .withArgs(owner.address, alice.address, 5n);
      expect(await token.balanceOf(alice.address)).to.equal(5n);
      expect(await token.balanceOf(owner.address)).to.equal(BENCH_TOKEN_SUPPLY - 5n);
    });

    it("should not move more than the sender holds", async function () {
      const { token, alice, bob } = await loadFixture(deployed);
      await expect(token.connect(alice).transfer(bob.address, 1n))
        .to.be.revertedWithCustomError(token, "InsufficientBalance")
        .withArgs(alice.address, 0n, 1n);
    });

    it("should not send to the zero address", async function () {
      const { token, owner } = await loadFixture(deployed);
      await expect(token.transfer(hre.ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(token, "TransferToZeroAddress")
        .withArgs(owner.address);
    });
  });

  describe("# transferFrom", function () {
    it("should spend the allowance and not exceed it", async function () {
      const { token, owner, alice, bob } = await loadFixture(deployed);
      await expect(token.approve(alice.address, 10n))
        .to.emit(token, "Approval")
        .withArgs(owner.address, alice.address, 10n);
      await token.connect(alice).transferFrom(owner.address, bob.address, 4n);
      expect(await token.allowance(owner.address, alice.address)).to.equal(6n);
      await expect(token.connect(alice).transferFrom(owner.address, bob.address, 7n))
        .to.be.revertedWithCustomError(token, "InsufficientAllowance")
        .withArgs(owner.address, alice.address, 6n, 7n);
    });
  });
});
