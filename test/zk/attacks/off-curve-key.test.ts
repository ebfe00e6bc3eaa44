/**
 * Attack: a user registers an L2 key that is not a Baby Jubjub point of large order. circomlib's EdDSA template
 * runs its curve arithmetic in every slot, so such a key would make each forced exit of that account
 * unprovable, and anyone could then freeze the rollup by asking for one. Written from the attacker's side:
 * raw `deposit(ax, ay)` calls with hand-picked points.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";
import { keyWithEightTimesYOne } from "../../../src/zk/bad-key";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

interface BabyJub {
  Generator: unknown[];
  subOrder: bigint;
  F: { toObject(e: unknown): bigint };
  mulPointEscalar(p: unknown[], e: bigint): unknown[];
  inCurve(p: unknown[]): boolean;
}

async function deployed() {
  await loadTestCircuit();
  const keys = await testKeys();
  const [operator, mallory] = await hre.ethers.getSigners();
  const deployment = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator,
    operatorKey: keys.operator.publicKey,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildBabyjub } = require("circomlibjs") as { buildBabyjub(): Promise<BabyJub> };
  const babyJub = await buildBabyjub();
  // l·G for the full-group generator G (order 8·l) is a point of order 8.
  const order8 = babyJub.mulPointEscalar(babyJub.Generator, babyJub.subOrder).map((c) => babyJub.F.toObject(c));
  return { ...deployment, keys, mallory, order8 };
}

describe("# attack: off-curve or small-order key (zk)", function () {
  it("should refuse a deposit to a key that is not on Baby Jubjub, or whose order is small", async function () {
    const { rollup, mallory, order8 } = await loadFixture(deployed);
    const bad: [string, bigint, bigint][] = [
      ["off the curve", 1n, 1n],
      ["off the curve, x = 0", 0n, 2n],
      ["off the curve, 8·A at y = 1", keyWithEightTimesYOne().ax, keyWithEightTimesYOne().ay],
      ["the identity", 0n, 1n],
      ["order 2", 0n, R - 1n],
      ["order 8", order8[0], order8[1]],
    ];
    for (const [what, ax, ay] of bad) {
      const data = rollup.interface.encodeFunctionData("deposit", [ax, ay]);
      await expect(mallory.sendTransaction({ to: await rollup.getAddress(), data, value: ETH }), what)
        .to.be.revertedWithCustomError(rollup, "InvalidKey")
        .withArgs(ax, ay);
    }
    expect(await rollup.accountCount()).to.equal(1n);
    // INVARIANT (solvency): nothing was taken in, nothing is owed.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
  });

  it("should take a deposit to a real key, and measure the check", async function () {
    const { rollup, mallory, keys } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    const tx = await rollup.connect(mallory).deposit(ax, ay, { value: ETH });
    const receipt = await tx.wait();
    expect(await rollup.accountCount()).to.equal(2n);
    // The first deposit of a deployment, key check (3,863 gas) and deposit time (a new array: length and slot) included.
    // Gas bounds hold only for the contract as compiled; coverage instrumentation adds gas to every statement.
    if (process.env.L2LAB_COVERAGE !== "1") expect(receipt!.gasUsed).to.be.lessThan(300_000n);
    if (process.env.L2LAB_PRINT_GAS) console.log(`      first deposit: ${receipt!.gasUsed} gas`);
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH);
  });
});
