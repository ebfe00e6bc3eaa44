/**
 * Attack: the operator sees alice's forced-exit request waiting in the mempool and gets a request of its own
 * (for its fee account) mined first, with a far higher tip. In a rollup that stored requests by queue position
 * or checked a signature over the next request id, hers would land as a stranger's, or as a no-op. Written
 * from the attacker's side: raw requestForcedExit calls raced in one block, then batches proven by hand and
 * posted with raw submitBatch calls.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { raceInOneBlock, type ChainProvider } from "../../../src/channels/mempool";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { exitProof } from "../../../src/zk/exits";
import { proveBatch, terminateProver } from "../../../src/zk/prover";
import { solvencyOf } from "../../../src/zk/solvency";
import { ZkState } from "../../../src/zk/state";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";

const DELAY = 3600;
const MINIMUM = ETH / 1000n;

async function aliceInState() {
  const circuit = await loadTestCircuit();
  const keys = await testKeys();
  const [operator, alice] = await hre.ethers.getSigners();
  const { rollup } = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator,
    operatorKey: keys.operator.publicKey,
    forceInclusionDelay: DELAY,
  });
  await rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: 2n * ETH });
  const state = await ZkState.genesis(TEST_CIRCUIT.treeDepth, keys.operator.publicKey, await rollup.domain());
  const batch1 = state.buildBatch(
    [{ kind: "deposit", index: 1, key: keys.alice.publicKey, amount: 2n * ETH }],
    TEST_CIRCUIT.batchSize,
  );
  const p1 = (await proveBatch(circuit.artifacts, batch1.input)).proof;
  await rollup.connect(operator).submitBatch(batch1.header.newRoot, batch1.opsBytes, p1.a, p1.b, p1.c);
  return { rollup, circuit, state, operator, alice };
}

describe("# attack: front-run a forced exit (zk)", function () {
  after(terminateProver);

  it("should record the victim's request as hers and pay it, whatever the operator got mined first", async function () {
    const { rollup, circuit, state, operator, alice } = await loadFixture(aliceInState);
    const provider = hre.ethers.provider as unknown as ChainProvider;
    const raced = await raceInOneBlock(
      provider,
      (fees) => rollup.connect(alice).requestForcedExit(1, ETH, fees),
      (fees) => rollup.connect(operator).requestForcedExit(0, MINIMUM, fees),
    );
    if ("notSent" in raced.attacker) throw new Error(`the attacker's request was not sent: ${raced.attacker.notSent}`);
    expect(raced.attacker.blockNumber).to.equal(raced.victim.blockNumber);
    expect(raced.attacker.index).to.be.lessThan(raced.victim.index);
    expect(raced.attacker.status).to.equal(1);
    expect(raced.victim.status).to.equal(1);

    // L1 recorded alice's request under her account and amount, at the place after the operator's.
    const requested = raced.victim.logs
      .map((l) => rollup.interface.parseLog(l))
      .find((e) => e?.name === "ForcedExitRequested");
    expect(requested?.args.requestId).to.equal(1n);
    expect(requested?.args.account).to.equal(1n);
    expect(requested?.args.owner).to.equal(alice.address);
    expect(requested?.args.amount).to.equal(ETH);
    const stored = await rollup.forcedExit(1);
    expect(stored.account).to.equal(1n);
    expect(stored.amount).to.equal(ETH);
    expect(await rollup.accountOwner(stored.account)).to.equal(alice.address);
    expect(await rollup.forcedExitQueue()).to.deep.equal([0n, 2n]);

    // Honoured like any other: the next batch must answer both, in order. The fee account is empty, so the
    // operator's is refused; alice's pays.
    const batch2 = state.buildBatch(
      [
        { kind: "forced-exit", from: 0, amount: MINIMUM },
        { kind: "forced-exit", from: 1, amount: ETH },
      ],
      TEST_CIRCUIT.batchSize,
    );
    const p2 = (await proveBatch(circuit.artifacts, batch2.input)).proof;
    await expect(rollup.connect(operator).submitBatch(batch2.header.newRoot, batch2.opsBytes, p2.a, p2.b, p2.c))
      .to.emit(rollup, "ForcedExitAnswered")
      .withArgs(0, 2, false)
      .and.to.emit(rollup, "ForcedExitAnswered")
      .withArgs(1, 2, true);
    const exits = [{ slot: 1, owner: alice.address, amount: ETH }];
    const claim = rollup.claimWithdrawal(2, 1, alice.address, ETH, exitProof(TEST_CIRCUIT.batchSize, exits, 1));
    await expect(claim).to.changeEtherBalances([alice, rollup], [ETH, -ETH]);

    // INVARIANT (solvency): the rollup holds what it owes (alice's remaining L2 balance), from the chain alone.
    const s = await solvencyOf(rollup);
    expect(s.solvent).to.equal(true);
    expect(s.balances).to.equal(ETH);
    expect(s.held).to.equal(ETH);
  });
});
