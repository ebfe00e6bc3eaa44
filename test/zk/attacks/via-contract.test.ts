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
  const data1 = rollup.interface.encodeFunctionData("submitBatch", [
    batch1.header.newRoot,
    batch1.opsBytes,
    p1.a,
    p1.b,
    p1.c,
  ]);
  await forwarder.connect(owner).forward(await rollup.getAddress(), data1);

  // Batch 2, top level but with odd calldata: the ops' offset points past the proof and the bytes are unpadded.
  // Posted through the forwarder too (the operator is the contract).
  const batch2 = state.buildBatch([{ kind: "forced-exit", from: 1, amount: ETH / 2n }], TEST_CIRCUIT.batchSize);
  await rollup.connect(alice).requestForcedExit(1, ETH / 2n);
  const p2 = (await proveBatch(circuit.artifacts, batch2.input)).proof;
  const word = (v: bigint | number) => zeroPadValue(toBeHex(v), 32);
  const selector = rollup.interface.getFunction("submitBatch").selector;
  const head = [word(batch2.header.newRoot), word(12 * 32)]; // newRoot, offset of ops (after a, b, c)
  const proofWords = [p2.a[0], p2.a[1], p2.b[0][0], p2.b[0][1], p2.b[1][0], p2.b[1][1], p2.c[0], p2.c[1]].map(word);
  const odd = concat([
    selector,
    ...head,
    ...proofWords,
    word(0),
    word(0),
    word(batch2.opsBytes.length),
    batch2.opsBytes,
  ]);
  await forwarder.connect(owner).forward(await rollup.getAddress(), odd);
  return { rollup, state, keys, alice, bob };
}

describe("# attack: batches posted through a contract, with odd calldata (zk)", function () {
  after(terminateProver);

  it("should let any user rebuild the state from L1 and escape with it", async function () {
    const { rollup, state, alice, bob } = await loadFixture(postedThroughForwarder);
    expect(await rollup.batchCount()).to.equal(2n);
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
    // INVARIANT (solvency): what is left is alice's forced exit of batch 2, not yet claimed.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH / 2n);
  });
});
