import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { fundedFixture } from "../fixtures";
import { submitFraudProof } from "../../../src/optimistic/watcher";
import { emptyChunkProof, expectSolvent, sendRaw, wrongRootBatch } from "./attacker";

/**
 * The operator posts invalid batches in a row and proves them itself, newest first, hoping each proof pays it half
 * a bond out of the users' deposits.
 */
describe("# attack: self-slash", function () {
  it("should not pay the operator more than half of one bond", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    const bond = await rollup.BOND();
    const batches = 4;
    const before = await ethers.provider.getBalance(opSigner.address);
    let spentOnGas = 0n;
    const ids: bigint[] = [];
    for (let i = 0; i < batches; i++) {
      const receipt = await sendRaw(rollup, opSigner, await wrongRootBatch(rollup, i));
      spentOnGas += receipt.gasUsed * receipt.gasPrice;
      ids.push(await rollup.tipId());
    }
    for (let i = batches - 1; i >= 0; i--) {
      const proof = await emptyChunkProof(rollup, ids[i], i);
      const receipt = await submitFraudProof(rollup, opSigner, proof, {
        onCommit: (r) => (spentOnGas += r.gasUsed * r.gasPrice),
      });
      spentOnGas += receipt.gasUsed * receipt.gasPrice;
    }
    const gained = (await ethers.provider.getBalance(opSigner.address)) + spentOnGas - before;
    expect(await rollup.tipId()).to.equal(1n);
    expect(gained <= bond / 2n, `the operator gained ${gained} wei`).to.equal(true);
    expect(await ethers.provider.getBalance(await rollup.getAddress())).to.equal(parseEther("6"));
    await expectSolvent(rollup);
  });
});
