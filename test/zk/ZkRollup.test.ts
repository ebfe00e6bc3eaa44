/**
 * The zk rollup on L1 with real Groth16 proofs from the test circuit: the verifier round trip, batches,
 * exits, forced exits, freeze and escape. Fixtures deploy through scripts/deploy-zk.ts and post through
 * src/zk/operator.ts, as the scenario driver does.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync } from "fs";
import { deployZkRollup } from "../../scripts/deploy-zk";
import { SNARK_SCALAR_FIELD } from "../../src/merkle";
import { depositLink } from "../../src/zk/account";
import { TEST_CIRCUIT } from "../../src/zk/circuit";
import { exitProof } from "../../src/zk/exits";
import { terminateProver } from "../../src/zk/prover";
import { ZkOperator } from "../../src/zk/operator";
import { replayFromL1 } from "../../src/zk/replay";
import { signTransfer, signWithdraw } from "../../src/zk/state";
import { ETH, genesisState, loadTestCircuit, testKeys } from "./fixtures";

const BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const DELAY = 3600;

async function deployed() {
  const circuit = await loadTestCircuit();
  const keys = await testKeys();
  const [operatorSigner, alice, bob, carol] = await hre.ethers.getSigners();
  const deployment = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator: operatorSigner,
    operatorKey: keys.operator.publicKey,
    forceInclusionDelay: DELAY,
  });
  const operator = new ZkOperator(
    deployment.rollup,
    circuit,
    await genesisState(keys, await deployment.rollup.domain()),
  );
  return { ...deployment, circuit, keys, operator, operatorSigner, alice, bob, carol };
}

/** alice deposits 2 ETH, bob 1 ETH; batch 1 consumes both. */
async function funded() {
  const f = await deployed();
  const { rollup, keys } = f;
  await rollup.connect(f.alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: 2n * ETH });
  await rollup.connect(f.bob).deposit(keys.bob.publicKey.ax, keys.bob.publicKey.ay, { value: ETH });
  await f.operator.sync();
  const batch1 = await f.operator.postNext();
  return { ...f, batch1 };
}

/** Batch 2 built and proven, not posted: alice pays bob 0.5 ETH (fee 0.001), bob withdraws 0.25 ETH. */
async function batch2Proven() {
  const f = await funded();
  const state = f.operator.pendingState;
  f.operator.submit(
    signTransfer(state, f.keys.alice, { from: 1, to: 2, amount: ETH / 2n, fee: ETH / 1000n, nonce: 0n }),
  );
  f.operator.submit(signWithdraw(state, f.keys.bob, { from: 2, amount: ETH / 4n, fee: 0n, nonce: 0n }));
  const prepared = await f.operator.prepareNext();
  return { ...f, prepared };
}

/** Batch 2 posted. */
async function transferred() {
  const f = await loadFixture(batch2Proven);
  const batch2 = await f.operator.post(f.prepared);
  return { ...f, batch2 };
}

describe("# ZkRollup", function () {
  after(terminateProver);

  describe("# constructor", function () {
    it("should start from the root of the operator's empty fee account, computed on L1", async function () {
      const { rollup, keys } = await loadFixture(deployed);
      const state = await genesisState(keys);
      expect(await rollup.stateRoot()).to.equal(state.root);
      expect(await rollup.accountCount()).to.equal(1n);
    });
  });

  describe("# deposit", function () {
    it("should register the account, queue the deposit and link the Poseidon chain as the circuit does", async function () {
      const { rollup, keys, alice } = await loadFixture(deployed);
      const { ax, ay } = keys.alice.publicKey;
      const state = await genesisState(keys);
      const link = depositLink(state.hash, 0n, keys.alice.publicKey, 2n * ETH, 1);
      const tx = rollup.connect(alice).deposit(ax, ay, { value: 2n * ETH });
      await expect(tx).to.emit(rollup, "AccountRegistered").withArgs(1, alice.address, ax, ay);
      await expect(tx).to.emit(rollup, "DepositLinked").withArgs(0, 1, link);
      await expect(tx).to.changeEtherBalances([alice, rollup], [-2n * ETH, 2n * ETH]);
      expect(await rollup.poseidonChain(1)).to.equal(link);
    });

    it("should not take a key coordinate that is not reduced modulo r", async function () {
      const { rollup, keys, alice } = await loadFixture(deployed);
      const ax = keys.alice.publicKey.ax + SNARK_SCALAR_FIELD;
      await expect(rollup.connect(alice).deposit(ax, keys.alice.publicKey.ay, { value: ETH }))
        .to.be.revertedWithCustomError(rollup, "NotInField")
        .withArgs("ax", ax);
    });
  });

  describe("# submitBatch", function () {
    it("should accept a proven batch, consume the deposits and move the root", async function () {
      const { rollup, batch1, operator } = await loadFixture(funded);
      expect(await rollup.stateRoot()).to.equal(operator.state.root);
      expect(await rollup.depositsConsumed()).to.equal(2n);
      await expect(batch1.receipt)
        .to.emit(rollup, "BatchProven")
        .withArgs(1, batch1.built.header.oldRoot, batch1.built.header.newRoot, batch1.built.commitment, () => true, 2);
    });

    it("should round-trip the proof through snarkjs and the exported verifier", async function () {
      const { batch1, circuit, addresses, rollup } = await loadFixture(funded);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const snarkjs = require("snarkjs") as {
        groth16: { verify(v: unknown, p: string[], pr: unknown): Promise<boolean> };
      };
      const vkey = JSON.parse(readFileSync(circuit.artifacts.vkey, "utf8")) as unknown;
      const { a, b, c } = batch1.proof.proof;
      const proofJson = {
        pi_a: [a[0], a[1], 1n].map(String),
        pi_b: [
          [b[0][1], b[0][0]],
          [b[1][1], b[1][0]],
          [1n, 0n],
        ].map((p) => p.map(String)),
        pi_c: [c[0], c[1], 1n].map(String),
        protocol: "groth16",
        curve: "bn128",
      };
      const domain = await rollup.domain();
      const commitment = batch1.built.commitment;
      expect(await snarkjs.groth16.verify(vkey, [String(commitment), String(domain)], proofJson)).to.equal(true);
      const verifier = await hre.ethers.getContractAt("IZkBatchVerifier", addresses.verifier);
      expect(await verifier.verifyProof(a, b, c, [commitment, domain])).to.equal(true);
      expect(await verifier.verifyProof(a, b, c, [commitment + 1n, domain])).to.equal(false);
      expect(await verifier.verifyProof(a, b, c, [commitment + SNARK_SCALAR_FIELD, domain])).to.equal(false);
      // Another deployment's domain: the proof is worth nothing there.
      expect(await verifier.verifyProof(a, b, c, [commitment, domain + 1n])).to.equal(false);
    });

    it("should reject every tampered proof element", async function () {
      const { rollup, prepared } = await loadFixture(batch2Proven);
      const { built, proof } = prepared;
      const p = proof.proof;
      const flat = [p.a[0], p.a[1], p.b[0][0], p.b[0][1], p.b[1][0], p.b[1][1], p.c[0], p.c[1]];
      const send = (e: bigint[]) =>
        rollup.submitBatch(
          built.header.newRoot,
          built.opsBytes,
          [e[0], e[1]],
          [
            [e[2], e[3]],
            [e[4], e[5]],
          ],
          [e[6], e[7]],
        );
      for (let i = 0; i < 8; i++) {
        const e = flat.slice();
        e[i] = (e[i] + 1n) % BASE_FIELD;
        await expect(send(e), `element ${i}`)
          .to.be.revertedWithCustomError(rollup, "InvalidProof")
          .withArgs(2, built.commitment);
      }
      const e = flat.slice();
      e[3] += BASE_FIELD;
      await expect(send(e)).to.be.revertedWithCustomError(rollup, "ProofElementNotInField").withArgs(3, e[3]);
      // The untampered proof lands.
      await expect(send(flat)).to.emit(rollup, "BatchProven");
    });

    it("should reject a replayed proof for the now stale root", async function () {
      const { rollup, batch2 } = await loadFixture(transferred);
      const { a, b, c } = batch2.proof.proof;
      await expect(
        rollup.submitBatch(batch2.built.header.newRoot, batch2.built.opsBytes, a, b, c),
      ).to.be.revertedWithCustomError(rollup, "InvalidProof");
    });

    it("should reject a proof of another batch", async function () {
      const { rollup, batch1, prepared } = await loadFixture(batch2Proven);
      const { a, b, c } = batch1.proof.proof;
      const { built } = prepared;
      await expect(rollup.submitBatch(built.header.newRoot, built.opsBytes, a, b, c))
        .to.be.revertedWithCustomError(rollup, "InvalidProof")
        .withArgs(2, built.commitment);
    });

    it("should reject a claimed root other than the proven one, and one not reduced modulo r", async function () {
      const { rollup, prepared, bob, operatorSigner } = await loadFixture(batch2Proven);
      const { built, proof } = prepared;
      const { a, b, c } = proof.proof;
      const root = built.header.newRoot;
      await expect(rollup.submitBatch(root + 1n, built.opsBytes, a, b, c)).to.be.revertedWithCustomError(
        rollup,
        "InvalidProof",
      );
      await expect(rollup.submitBatch(root + SNARK_SCALAR_FIELD, built.opsBytes, a, b, c))
        .to.be.revertedWithCustomError(rollup, "NotInField")
        .withArgs("newRoot", root + SNARK_SCALAR_FIELD);
      const tamperedOps = Uint8Array.from(built.opsBytes);
      tamperedOps[12] ^= 1; // the fee of the transfer
      await expect(rollup.submitBatch(root, tamperedOps, a, b, c)).to.be.revertedWithCustomError(
        rollup,
        "InvalidProof",
      );
      await expect(rollup.submitBatch(root, built.opsBytes.subarray(1), a, b, c))
        .to.be.revertedWithCustomError(rollup, "OpsLengthMismatch")
        .withArgs(27, 28);
      await expect(rollup.connect(bob).submitBatch(root, built.opsBytes, a, b, c))
        .to.be.revertedWithCustomError(rollup, "NotOperator")
        .withArgs(bob.address, operatorSigner.address);
    });
  });

  describe("# claimWithdrawal", function () {
    it("should pay a proven withdrawal at once, and only once", async function () {
      const { rollup, batch2, bob, carol } = await loadFixture(transferred);
      const [exit] = batch2.exits;
      expect(exit).to.deep.include({ slot: 1, owner: bob.address, amount: ETH / 4n });
      const proof = exitProof(TEST_CIRCUIT.batchSize, batch2.exits, exit.slot);
      const tx = rollup.connect(carol).claimWithdrawal(2, exit.slot, bob.address, exit.amount, proof);
      await expect(tx)
        .to.emit(rollup, "WithdrawalClaimed")
        .withArgs(2, 1, bob.address, ETH / 4n);
      await expect(tx).to.changeEtherBalances([bob, rollup], [ETH / 4n, -ETH / 4n]);
      await expect(rollup.claimWithdrawal(2, exit.slot, bob.address, exit.amount, proof))
        .to.be.revertedWithCustomError(rollup, "AlreadyClaimed")
        .withArgs(2, 1);
    });

    it("should not pay an exit the batch does not hold", async function () {
      const { rollup, batch2, bob, carol } = await loadFixture(transferred);
      const proof = exitProof(TEST_CIRCUIT.batchSize, batch2.exits, 1);
      await expect(rollup.claimWithdrawal(2, 1, bob.address, ETH, proof))
        .to.be.revertedWithCustomError(rollup, "InvalidExitProof")
        .withArgs(2, 1, bob.address, ETH);
      await expect(rollup.claimWithdrawal(2, 1, carol.address, ETH / 4n, proof)).to.be.revertedWithCustomError(
        rollup,
        "InvalidExitProof",
      );
      await expect(rollup.claimWithdrawal(3, 1, bob.address, ETH / 4n, proof))
        .to.be.revertedWithCustomError(rollup, "UnknownBatch")
        .withArgs(3, 2);
    });
  });

  describe("# forced exits, freeze and escape", function () {
    it("should let only the owner ask, and pay a forced exit the next batch answers", async function () {
      const { rollup, operator, alice, bob } = await loadFixture(transferred);
      await expect(rollup.connect(bob).requestForcedExit(1, ETH))
        .to.be.revertedWithCustomError(rollup, "NotAccountOwner")
        .withArgs(1, bob.address, alice.address);
      await expect(rollup.connect(alice).requestForcedExit(1, 1234567890123456789n)).to.be.revertedWithCustomError(
        rollup,
        "AmountNotRepresentable",
      );
      await expect(rollup.connect(alice).requestForcedExit(1, ETH)).to.emit(rollup, "ForcedExitRequested");
      await expect(rollup.freeze()).to.be.revertedWithCustomError(rollup, "NothingOverdue");
      await operator.sync();
      const posted = await operator.postNext();
      await expect(posted.receipt).to.emit(rollup, "ForcedExitAnswered").withArgs(0, 3, true);
      expect(posted.exits).to.deep.equal([{ slot: 0, owner: alice.address, amount: ETH }]);
      expect(operator.state.account(1)?.balance).to.equal(2n * ETH - ETH / 2n - ETH / 1000n - ETH);
      await time.increase(DELAY + 1);
      await expect(rollup.freeze()).to.be.revertedWithCustomError(rollup, "NothingOverdue");
      // An honest node rebuilds the same state from L1 data alone (deposit events, submitBatch calldata).
      const replayed = await replayFromL1(rollup);
      expect(replayed.root).to.equal(operator.state.root);
      expect(replayed.entries()).to.deep.equal(operator.state.entries());
    });

    it("should freeze on an overdue request, then pay every balance, exit and deposit back: no ETH stays", async function () {
      const { rollup, keys, alice, bob, carol, batch2, prepared, operatorSigner } = await loadFixture(transferred);
      // carol deposits but no batch consumes it; alice's forced exit is never answered.
      const { ax, ay } = keys.bob.publicKey;
      await rollup.connect(carol).deposit(ax, ay, { value: ETH });
      await rollup.connect(alice).requestForcedExit(1, ETH);
      await time.increase(DELAY + 1);
      await expect(rollup.connect(carol).freeze())
        .to.emit(rollup, "Frozen")
        .withArgs(0, carol.address, batch2.built.header.newRoot);
      const { a, b, c } = batch2.proof.proof;
      await expect(rollup.submitBatch(0n, batch2.built.opsBytes, a, b, c)).to.be.revertedWithCustomError(
        rollup,
        "RollupFrozen",
      );

      // The L2 state after batch 2, the last proven one (the operator object itself may have moved on).
      const state = prepared.state;
      const aliceLeaf = state.account(1)!;
      await expect(
        rollup.escape(1, aliceLeaf.ax, aliceLeaf.ay, aliceLeaf.balance + 1n, aliceLeaf.nonce, state.siblings(1)),
      ).to.be.revertedWithCustomError(rollup, "InvalidAccountProof");
      const escape = rollup.escape(
        1,
        aliceLeaf.ax,
        aliceLeaf.ay,
        aliceLeaf.balance,
        aliceLeaf.nonce,
        state.siblings(1),
      );
      await expect(escape).to.emit(rollup, "Escaped").withArgs(1, alice.address, aliceLeaf.balance);
      await expect(escape).to.changeEtherBalances([alice, rollup], [aliceLeaf.balance, -aliceLeaf.balance]);
      await expect(rollup.escape(1, aliceLeaf.ax, aliceLeaf.ay, aliceLeaf.balance, aliceLeaf.nonce, state.siblings(1)))
        .to.be.revertedWithCustomError(rollup, "AlreadyEscaped")
        .withArgs(1);
      for (const index of [0, 2]) {
        const leaf = state.account(index)!;
        await rollup.escape(index, leaf.ax, leaf.ay, leaf.balance, leaf.nonce, state.siblings(index));
      }
      const refund = rollup.refundDeposit(2, carol.address, 3, ETH);
      await expect(refund).to.emit(rollup, "DepositRefundPaid").withArgs(2, carol.address, ETH);
      await expect(refund).to.changeEtherBalances([carol, rollup], [ETH, -ETH]);
      const [exit] = batch2.exits;
      await rollup.claimWithdrawal(2, exit.slot, bob.address, exit.amount, exitProof(2, batch2.exits, exit.slot));
      // INVARIANT (solvency): every wei the bridge held went back out.
      expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
      expect(await hre.ethers.provider.getBalance(operatorSigner)).to.be.greaterThan(0n);
    });

    it("should not escape or refund while the rollup runs", async function () {
      const { rollup, operator } = await loadFixture(funded);
      const leaf = operator.state.account(1)!;
      await expect(
        rollup.escape(1, leaf.ax, leaf.ay, leaf.balance, leaf.nonce, operator.state.siblings(1)),
      ).to.be.revertedWithCustomError(rollup, "RollupNotFrozen");
      await expect(rollup.refundDeposit(0, operator.ownerOf(1), 1, 2n * ETH)).to.be.revertedWithCustomError(
        rollup,
        "RollupNotFrozen",
      );
    });
  });
});
