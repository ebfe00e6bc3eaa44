/**
 * Attack: the operator censors a deposit. It keeps posting valid batches but never consumes alice's deposit
 * (deposits are consumed in order, so every later one waits too). Alice has no L2 account yet, so no forced
 * exit can help her. Written from the operator's side: empty batches are built, proven and posted by hand.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { terminateProver } from "../../../src/zk/prover";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";

const DEADLINE = 7200;

async function censoring() {
  const circuit = await loadTestCircuit();
  const keys = await testKeys();
  const [operator, alice, carol] = await hre.ethers.getSigners();
  const { rollup } = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator,
    operatorKey: keys.operator.publicKey,
    forceInclusionDelay: 3600,
    depositDeadline: DEADLINE,
  });
  await rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: ETH });
  // The operator simply never consumes it (posting empty batches meanwhile changes nothing L1 checks:
  // scenarios/zk-attack-spam-batches.json shows one).
  void circuit;
  return { rollup, alice, carol, operator };
}

describe("# attack: censor a deposit (zk)", function () {
  after(terminateProver);

  it("should let anyone freeze once a deposit waits past the deadline, and refund it to its sender", async function () {
    const { rollup, alice, carol } = await loadFixture(censoring);
    expect(await rollup.depositsConsumed()).to.equal(0n);
    await expect(rollup.connect(carol).freeze()).to.be.revertedWithCustomError(rollup, "NothingOverdue");
    await time.increase(DEADLINE + 1);
    await expect(rollup.connect(carol).freeze())
      .to.emit(rollup, "FrozenOnDeposit")
      .withArgs(0, carol.address, () => true);
    expect(await rollup.frozen()).to.equal(true);
    const refund = rollup.connect(alice).refundDeposit(0, alice.address, 1, ETH);
    await expect(refund).to.changeEtherBalances([alice, rollup], [ETH, -ETH]);
    // INVARIANT (solvency): nothing is owed any more and nothing is left.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
  });
});
