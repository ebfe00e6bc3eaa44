/**
 * Attack: dust. A user fills the account tree with 1-wei deposits (each one takes an account index for good),
 * or floods the forced-exit queue with 1-wei requests that the operator must answer in order, one slot each.
 * Written from the attacker's side: raw deposit and requestForcedExit calls.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { ZkKey } from "../../../src/zk/keys";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";

const MINIMUM = ETH / 1000n;

async function deployed() {
  await loadTestCircuit();
  const keys = await testKeys();
  const [operator, mallory] = await hre.ethers.getSigners();
  const { rollup } = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator,
    operatorKey: keys.operator.publicKey,
  });
  return { rollup, operator, mallory };
}

describe("# attack: dust deposits and forced exits (zk)", function () {
  it("should refuse a deposit below the minimum, and take one at it", async function () {
    const { rollup, mallory } = await loadFixture(deployed);
    const key = (await ZkKey.fromSeed(new Uint8Array(32).fill(0x77))).publicKey;
    const data = rollup.interface.encodeFunctionData("deposit", [key.ax, key.ay]);
    const to = await rollup.getAddress();
    await expect(mallory.sendTransaction({ to, data, value: 1n }))
      .to.be.revertedWithCustomError(rollup, "BelowMinimum")
      .withArgs("deposit", 1n, MINIMUM);
    await expect(mallory.sendTransaction({ to, data, value: MINIMUM - 1n })).to.be.revertedWithCustomError(
      rollup,
      "BelowMinimum",
    );
    await mallory.sendTransaction({ to, data, value: MINIMUM });
    expect(await rollup.accountCount()).to.equal(2n);
    // INVARIANT (solvency): the one deposit taken is held.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(MINIMUM);
  });

  it("should refuse a forced exit below the minimum", async function () {
    const { rollup, operator } = await loadFixture(deployed);
    // The operator's fee account 0 is in the state from genesis, so its owner may ask at once.
    const data = rollup.interface.encodeFunctionData("requestForcedExit", [0, 1n]);
    await expect(operator.sendTransaction({ to: await rollup.getAddress(), data }))
      .to.be.revertedWithCustomError(rollup, "BelowMinimum")
      .withArgs("forced exit", 1n, MINIMUM);
    await expect(rollup.connect(operator).requestForcedExit(0, MINIMUM)).to.emit(rollup, "ForcedExitRequested");
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
  });
});
