/**
 * Attack: the operator is a contract (a forwarder it owns), so its batches are inner calls, not the input of
 * the transactions that carry them; another posts a batch with non-standard calldata (the ops bytes unpadded
 * and placed after the proof). A node that rebuilds the state from top-level calldata alone would lose track,
 * and users could not build escape proofs. Written from the attacker's side: batches are proven by hand and
 * sent as raw calldata through the forwarder.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { concat, toBeHex, zeroPadValue } from "ethers";
import { deployZkRollup } from "../../../scripts/deploy-zk";
import { TEST_CIRCUIT } from "../../../src/zk/circuit";
import { proveBatch, terminateProver } from "../../../src/zk/prover";
import { replayFromL1 } from "../../../src/zk/replay";
import { ZkState } from "../../../src/zk/state";
import { ETH, loadTestCircuit, testKeys } from "../fixtures";

const DELAY = 3600;

async function postedThroughForwarder() {
  const circuit = await loadTestCircuit();
  const keys = await testKeys();
  const [owner, alice, bob] = await hre.ethers.getSigners();
  const forwarder = await hre.ethers.deployContract("ZkBatchForwarder", owner);
  // The rollup's operator is the forwarder contract.
  const { rollup } = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator: owner,
    operatorAddress: await forwarder.getAddress(),
    operatorKey: keys.operator.publicKey,
    forceInclusionDelay: DELAY,
  });
  await rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: 2n * ETH });
  await rollup.connect(bob).deposit(keys.bob.publicKey.ax, keys.bob.publicKey.ay, { value: ETH });
  const state = await ZkState.genesis(TEST_CIRCUIT.treeDepth, keys.operator.publicKey, await rollup.domain());
  const batch1 = state.buildBatch(
    [
      { kind: "deposit", index: 1, key: keys.alice.publicKey, amount: 2n * ETH },
      { kind: "deposit", index: 2, key: keys.bob.publicKey, amount: ETH },
    ],
    TEST_CIRCUIT.batchSize,
  );
  const p1 = (await proveBatch(circuit.artifacts, batch1.input)).proof;
  // Odd calldata: the ops' offset points past two junk words after the proof, and the bytes are unpadded.
  const word = (v: bigint | number) => zeroPadValue(toBeHex(v), 32);
  const selector = rollup.interface.getFunction("submitBatch").selector;
  const head = [word(batch1.header.newRoot), word(12 * 32)]; // newRoot, offset of ops (after a, b, c and junk)
  const proofWords = [p1.a[0], p1.a[1], p1.b[0][0], p1.b[0][1], p1.b[1][0], p1.b[1][1], p1.c[0], p1.c[1]].map(word);
  const odd = concat([
    selector,
    ...head,
    ...proofWords,
    word(0xdead),
    word(0xbeef),
    word(batch1.opsBytes.length),
    batch1.opsBytes,
  ]);
  // Sent through the forwarder, which is the operator: the batch is an inner call, not the transaction's input.
  await forwarder.connect(owner).forward(await rollup.getAddress(), odd);
  return { rollup, state, keys, alice, bob };
}

describe("# attack: batches posted through a contract, with odd calldata (zk)", function () {
  after(terminateProver);

  it("should let any user rebuild the state from L1 and escape with it", async function () {
    const { rollup, state, alice, bob } = await loadFixture(postedThroughForwarder);
    expect(await rollup.batchCount()).to.equal(1n);
    expect(await rollup.stateRoot()).to.equal(state.root);
    const rebuilt = await replayFromL1(rollup);
    expect(rebuilt.root).to.equal(state.root);
    // The operator stops; bob forces an exit nobody answers, then everyone escapes with the rebuilt state.
    await rollup.connect(bob).requestForcedExit(2, ETH / 2n);
    await time.increase(DELAY + 1);
    await rollup.connect(bob).freeze();
    for (const [who, index] of [
      [alice, 1],
      [bob, 2],
    ] as const) {
      const leaf = rebuilt.account(index)!;
      await expect(
        rollup.escape(index, leaf.ax, leaf.ay, leaf.balance, leaf.nonce, rebuilt.siblings(index)),
      ).to.changeEtherBalance(who, leaf.balance);
    }
    // INVARIANT (solvency): every wei came back.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
  });
});
