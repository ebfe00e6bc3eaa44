import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { CHALLENGE_PERIOD, fundedFixture } from "../fixtures";
import { emptyExitRoot, expectSolvent, submitBatchData } from "./attacker";
import { batchRecord, freezeArgs } from "../../../src/optimistic/records";

/**
 * The operator never consumes dave's deposit: it keeps posting batches that leave the queue where it is. Without a
 * deadline on deposits, dave could neither be credited nor refunded: a refund needs a freeze, and a freeze needed
 * an overdue forced request, which dave (without an L2 account) cannot make count.
 */
describe("# attack: censor", function () {
  it("should let anyone freeze once a deposit is overdue, and refund it to its depositor", async function () {
    const { rollup, opSigner, challenger: dave, l1, params } = await loadFixture(fundedFixture);
    const amount = parseEther("2");
    await (await rollup.connect(dave).deposit(dave.address, { value: amount })).wait();
    const tip = await batchRecord(rollup, await rollup.tipId());
    const state = {
      stateRoot: tip.stateRoot,
      exitRoot: emptyExitRoot(params.chunkSize),
      depositCursor: tip.depositEnd,
      forcedCursor: tip.forcedEnd,
    };
    const censoring = submitBatchData(rollup, ["0x"], [state], opSigner.address, 0);
    // Batches go on being posted, each leaving dave's deposit in the queue.
    for (let day = 0; day < 3; day++) {
      await time.increase(Math.max(params.depositDeadline, CHALLENGE_PERIOD) / 2);
      await (await opSigner.sendTransaction({ to: await rollup.getAddress(), data: censoring })).wait();
    }
    expect(await rollup.depositsConsumed()).to.equal(3n);
    await expect(rollup.connect(l1[1]).freeze(...(await freezeArgs(rollup)))).to.emit(rollup, "RollupFrozen");
    const before = await ethers.provider.getBalance(dave.address);
    const receipt = await (
      await rollup.connect(dave).refundDeposit(3, dave.address, ethers.zeroPadValue(dave.address, 32), amount)
    ).wait();
    const after = await ethers.provider.getBalance(dave.address);
    expect(after - before + receipt!.gasUsed * receipt!.gasPrice).to.equal(amount);
    await expectSolvent(rollup);
  });
});
