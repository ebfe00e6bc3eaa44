import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { FORCE_DELAY, fundedFixture } from "../fixtures";
import { emptyChunkProof, emptyExitRoot, expectSolvent, submitBatchData, wrongRootBatch } from "./attacker";
import { submitFraudProof } from "../../../src/optimistic/watcher";
import { signForcedWithdrawal } from "../../../src/optimistic/client";
import type { OptimisticRollup } from "../../../typechain-types";
import { describeDeep } from "../../support/deep";
import { batchRecord, freezeArgs } from "../../../src/optimistic/records";

/** EIP-7825: the most gas one transaction may use. */
const TX_GAS_CAP = 16_777_216n;

/**
 * Posts `count` valid batches of one empty chunk (the cheapest batch there is) on top of the tip, several per
 * block, as a raw transaction each from the operator's account.
 */
async function spam(rollup: OptimisticRollup, operator: Signer, count: number): Promise<void> {
  const tip = await batchRecord(rollup, await rollup.tipId());
  const chunkSize = Number(await rollup.CHUNK_SIZE());
  const state = {
    stateRoot: tip.stateRoot,
    exitRoot: emptyExitRoot(chunkSize),
    depositCursor: tip.depositEnd,
    forcedCursor: tip.forcedEnd,
  };
  const data = submitBatchData(rollup, ["0x"], [state], await rollup.OPERATOR(), 0);
  const to = await rollup.getAddress();
  let nonce = await operator.getNonce();
  await network.provider.send("evm_setAutomine", [false]);
  try {
    for (let sent = 0; sent < count;) {
      const inBlock = Math.min(200, count - sent);
      for (let i = 0; i < inBlock; i++)
        await operator.sendTransaction({ to, data, nonce: nonce++, gasLimit: 200_000n });
      await network.provider.send("evm_mine", []);
      sent += inBlock;
    }
  } finally {
    await network.provider.send("evm_setAutomine", [true]);
  }
}

/** Gas of the fraud proof of an invalid batch with `count` valid batches posted on top of it. */
async function proofGasUnder(count: number): Promise<bigint> {
  const { rollup, opSigner, challenger } = await loadFixture(fundedFixture);
  await (
    await opSigner.sendTransaction({ to: await rollup.getAddress(), data: await wrongRootBatch(rollup, 0) })
  ).wait();
  const bad = await rollup.tipId();
  await spam(rollup, opSigner, count);
  expect(await rollup.tipId()).to.equal(bad + BigInt(count));
  const receipt = await submitFraudProof(rollup, challenger, await emptyChunkProof(rollup, bad, 0));
  expect(await rollup.tipId()).to.equal(bad - 1n);
  await expectSolvent(rollup);
  return receipt!.gasUsed;
}

/** Gas of freeze() with `count` pending batches on top of the last final one. */
async function freezeGasOver(count: number): Promise<bigint> {
  const { rollup, opSigner, l1, l2, accounts, domain } = await loadFixture(fundedFixture);
  const sig = signForcedWithdrawal(domain, l2[0].signingKey, accounts[0], l1[0].address, 1n, 0n);
  await (await rollup.connect(l1[0]).requestForcedWithdrawal(accounts[0], 1n, sig)).wait();
  await time.increase(FORCE_DELAY);
  await spam(rollup, opSigner, count);
  const receipt = await (await rollup.connect(l1[1]).freeze(...(await freezeArgs(rollup)))).wait();
  expect(await rollup.frozen()).to.equal(true);
  await expectSolvent(rollup);
  return receipt!.gasUsed;
}

describe("# attack: spam-batches", function () {
  this.timeout(300_000);
  // Coverage instruments the contract (and its loops): gas comparisons say nothing then.
  before(function () {
    if (process.env.L2LAB_COVERAGE === "1") this.skip();
  });

  it("should prove a bad batch for the same gas whatever is posted on top of it", async function () {
    const few = await proofGasUnder(10);
    const many = await proofGasUnder(100);
    console.log(`      fraud proof under 10 batches: ${few} gas, under 100: ${many} gas`);
    expect(many - few < 2_000n, `proof gas grows: ${few} → ${many}`).to.equal(true);
  });

  it("should freeze in the same gas whatever the number of pending batches", async function () {
    const few = await freezeGasOver(10);
    const many = await freezeGasOver(100);
    console.log(`      freeze over 10 pending batches: ${few} gas, over 100: ${many} gas`);
    // The caller names the last final batch and the one above it; L1 checks two records, and never searches.
    expect(many - few < 1_000n, `freeze gas grows: ${few} → ${many}`).to.equal(true);
  });
});

describeDeep("# attack: spam-batches (thousands of batches)", function () {
  this.timeout(3_600_000);

  it("should prove a bad batch under 2,000 batches and freeze over them, each under the transaction cap", async function () {
    const { rollup, opSigner, challenger, l1, l2, accounts, domain } = await loadFixture(fundedFixture);
    const sig = signForcedWithdrawal(domain, l2[0].signingKey, accounts[0], l1[0].address, 1n, 0n);
    await (await rollup.connect(l1[0]).requestForcedWithdrawal(accounts[0], 1n, sig)).wait();
    await (
      await opSigner.sendTransaction({ to: await rollup.getAddress(), data: await wrongRootBatch(rollup, 0) })
    ).wait();
    const bad = await rollup.tipId();
    await time.increase(FORCE_DELAY);
    await spam(rollup, opSigner, 2_000);
    const snapshot = await network.provider.send("evm_snapshot", []);
    const proof = await submitFraudProof(rollup, challenger, await emptyChunkProof(rollup, bad, 0));
    expect(await rollup.tipId()).to.equal(bad - 1n);
    await expectSolvent(rollup);
    await network.provider.send("evm_revert", [snapshot]);
    const freeze = await (await rollup.connect(l1[1]).freeze(...(await freezeArgs(rollup)))).wait();
    expect(await rollup.frozen()).to.equal(true);
    console.log(`      2,000 batches: fraud proof ${proof.gasUsed} gas, freeze ${freeze!.gasUsed} gas`);
    expect(proof.gasUsed < TX_GAS_CAP).to.equal(true);
    expect(freeze!.gasUsed < TX_GAS_CAP).to.equal(true);
  });
});
