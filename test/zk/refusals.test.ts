/**
 * ZkRollup's refusals that need no proof: constructor parameters, keys outside the field, requests for
 * accounts that do not exist or are not yet in the state, escape and refund before a freeze, and the views'
 * bounds. Each is a custom error with the values that failed.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployZkRollup } from "../../scripts/deploy-zk";
import { SNARK_SCALAR_FIELD } from "../../src/merkle";
import { TEST_CIRCUIT } from "../../src/zk/circuit";
import { OpType, encodeOps, makeOp, NOOP, type PackedOp } from "../../src/zk/ops";
import { ETH, loadTestCircuit, testKeys } from "./fixtures";

const F = SNARK_SCALAR_FIELD;
/** A proof of nothing: every refusal below happens before the verifier is asked. */
const NO_PROOF: [[bigint, bigint], [[bigint, bigint], [bigint, bigint]], [bigint, bigint]] = [
  [0n, 0n],
  [
    [0n, 0n],
    [0n, 0n],
  ],
  [0n, 0n],
];

async function deployed() {
  await loadTestCircuit();
  const keys = await testKeys();
  const [operator, alice, bob] = await hre.ethers.getSigners();
  const deployment = await deployZkRollup(hre, {
    circuit: TEST_CIRCUIT,
    operator,
    operatorKey: keys.operator.publicKey,
  });
  return { ...deployment, keys, operator, alice, bob };
}

describe("# ZkRollup refusals without a proof", function () {
  it("should refuse constructor parameters it cannot serve", async function () {
    const { addresses, keys, operator } = await loadFixture(deployed);
    const factory = await hre.ethers.getContractFactory("ZkRollup", operator);
    const { ax, ay } = keys.operator.publicKey;
    const args = (over: Partial<Record<string, bigint>>) =>
      [
        addresses.verifier,
        addresses.Poseidon2,
        addresses.Poseidon4,
        over.treeDepth ?? 8n,
        over.batchSize ?? 2n,
        3600n,
        over.depositDeadline ?? 3600n,
        operator.address,
        over.ax ?? ax,
        over.ay ?? ay,
      ] as const;
    const cases: [Partial<Record<string, bigint>>, string, unknown[]][] = [
      [{ treeDepth: 0n }, "InvalidParameter", ["treeDepth", 0n]],
      [{ treeDepth: 25n }, "InvalidParameter", ["treeDepth", 25n]],
      [{ batchSize: 0n }, "InvalidParameter", ["batchSize", 0n]],
      [{ batchSize: 3n }, "InvalidParameter", ["batchSize", 3n]],
      [{ depositDeadline: 0n }, "InvalidParameter", ["depositDeadline", 0n]],
      [{ depositDeadline: 1n << 32n }, "InvalidParameter", ["depositDeadline", 1n << 32n]],
      [{ ax: F }, "NotInField", ["operatorAx", F]],
      [{ ay: F }, "NotInField", ["operatorAy", F]],
      [{ ax: 1n, ay: 1n }, "InvalidKey", [1n, 1n]],
    ];
    for (const [over, error, values] of cases) {
      await expect(
        factory.deploy(...args(over)),
        JSON.stringify(over, (_, v) => String(v)),
      )
        .to.be.revertedWithCustomError(factory, error)
        .withArgs(...values);
    }
  });

  it("should refuse a deposit key outside the field", async function () {
    const { rollup, keys, alice } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    await expect(rollup.connect(alice).deposit(ax + F, ay, { value: ETH }))
      .to.be.revertedWithCustomError(rollup, "NotInField")
      .withArgs("ax", ax + F);
    await expect(rollup.connect(alice).deposit(ax, ay + F, { value: ETH }))
      .to.be.revertedWithCustomError(rollup, "NotInField")
      .withArgs("ay", ay + F);
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
  });

  it("should refuse a forced exit of an unknown account or of one no batch has put in the state yet", async function () {
    const { rollup, keys, alice } = await loadFixture(deployed);
    await expect(rollup.connect(alice).requestForcedExit(7, ETH))
      .to.be.revertedWithCustomError(rollup, "UnknownAccount")
      .withArgs(0, 7);
    await rollup.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: ETH });
    await expect(rollup.connect(alice).requestForcedExit(1, ETH))
      .to.be.revertedWithCustomError(rollup, "AccountNotInState")
      .withArgs(1);
    // INVARIANT (solvency): the deposit is held, nothing else moved.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH);
  });

  it("should refuse escape and refund before a freeze, and out-of-range views", async function () {
    const { rollup, keys, alice } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    await rollup.connect(alice).deposit(ax, ay, { value: ETH });
    await expect(rollup.escape(1, ax, ay, ETH, 0, [])).to.be.revertedWithCustomError(rollup, "RollupNotFrozen");
    await expect(rollup.refundDeposit(0, alice.address, 1, ETH)).to.be.revertedWithCustomError(
      rollup,
      "RollupNotFrozen",
    );
    await expect(rollup.exitRoot(0)).to.be.revertedWithCustomError(rollup, "UnknownBatch").withArgs(0, 0);
    await expect(rollup.accountOwner(9)).to.be.revertedWithCustomError(rollup, "UnknownAccount").withArgs(0, 9);
    expect(await rollup.accountOf(ax, ay, alice.address)).to.deep.equal([true, 1n]);
    // The same key under another owner is another account, and none exists.
    expect(await rollup.accountOf(ax, ay, await rollup.getAddress())).to.deep.equal([false, 0n]);
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH);
  });

  it("should refuse escape values outside the field once frozen", async function () {
    const { rollup, keys, alice, depositDeadline } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    await rollup.connect(alice).deposit(ax, ay, { value: ETH });
    await time.increase(depositDeadline + 1);
    await expect(rollup.freeze()).to.emit(rollup, "FrozenOnDeposit");
    const siblings = new Array<bigint>(TEST_CIRCUIT.treeDepth).fill(0n);
    const cases: [string, bigint[]][] = [
      ["ax", [F, ay, 0n, 0n]],
      ["ay", [ax, F, 0n, 0n]],
      ["balance", [ax, ay, F, 0n]],
      ["nonce", [ax, ay, 0n, F]],
    ];
    for (const [name, [x, y, balance, nonce]] of cases) {
      await expect(rollup.escape(0, x, y, balance, nonce, siblings))
        .to.be.revertedWithCustomError(rollup, "NotInField")
        .withArgs(name, F);
    }
    // INVARIANT (solvency): nothing left; alice's deposit is still refundable.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH);
  });

  it("should refuse a deposit of 2^128 wei or more, which the circuit could never consume", async function () {
    const { rollup, keys, alice } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    await hre.network.provider.send("hardhat_setBalance", [alice.address, "0x" + (1n << 130n).toString(16)]);
    await expect(rollup.connect(alice).deposit(ax, ay, { value: 1n << 128n }))
      .to.be.revertedWithCustomError(rollup, "AmountNotRepresentable")
      .withArgs(1n << 128n);
    expect(await rollup.accountCount()).to.equal(1n);
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(0n);
  });

  it("should refuse a new account once the tree is full, and still take deposits to existing ones", async function () {
    const { addresses, keys, operator, alice, bob } = await loadFixture(deployed);
    // A depth-1 tree holds the fee account and one more.
    const factory = await hre.ethers.getContractFactory("ZkRollup", operator);
    const { ax, ay } = keys.operator.publicKey;
    const small = await factory.deploy(
      addresses.verifier,
      addresses.Poseidon2,
      addresses.Poseidon4,
      1n,
      2n,
      3600n,
      3600n,
      operator.address,
      ax,
      ay,
    );
    await small.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: ETH });
    await expect(small.connect(bob).deposit(keys.bob.publicKey.ax, keys.bob.publicKey.ay, { value: ETH }))
      .to.be.revertedWithCustomError(small, "TreeFull")
      .withArgs(1n);
    await small.connect(alice).deposit(keys.alice.publicKey.ax, keys.alice.publicKey.ay, { value: ETH });
    expect(await small.accountCount()).to.equal(2n);
    // INVARIANT (solvency): both deposits are held and queued; bob's was never taken.
    expect(await hre.ethers.provider.getBalance(small)).to.equal(2n * ETH);
    expect(await small.depositCount()).to.equal(2n);
    await expect(small.poseidonChain(3)).to.be.revertedWithCustomError(small, "DepositCountOutOfRange").withArgs(3, 2);
  });

  it("should refuse, before any proof check, a batch whose slots L1 cannot account for", async function () {
    const { rollup, keys, operator, alice } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    await rollup.connect(alice).deposit(ax, ay, { value: ETH });
    const root = await rollup.stateRoot();
    const submit = (ops: PackedOp[]) =>
      rollup.connect(operator).submitBatch(root, encodeOps(ops, TEST_CIRCUIT.batchSize), ...NO_PROOF);
    // Slot 1 carries type 6, which no op has.
    const unknown = encodeOps([NOOP, NOOP], TEST_CIRCUIT.batchSize);
    unknown[14] = 6;
    await expect(rollup.connect(operator).submitBatch(root, unknown, ...NO_PROOF))
      .to.be.revertedWithCustomError(rollup, "UnknownOpType")
      .withArgs(1, 6);
    // A withdrawal from an account L1 never assigned: nobody to pay.
    await expect(submit([makeOp(OpType.Withdraw, 9, 0, ETH, 0n), NOOP]))
      .to.be.revertedWithCustomError(rollup, "UnknownAccount")
      .withArgs(0, 9);
    // A forced exit nobody asked for.
    await expect(submit([makeOp(OpType.ForcedExit, 0, 0, ETH, 0n), NOOP]))
      .to.be.revertedWithCustomError(rollup, "ForcedExitMismatch")
      .withArgs(0, 0, 0, ETH);
    // The operator's fee account is in the state from genesis, so its owner may ask.
    await rollup.connect(operator).requestForcedExit(0, ETH);
    await expect(submit([NOOP, makeOp(OpType.ForcedExitRefused, 0, 0, 2n * ETH, 0n)]))
      .to.be.revertedWithCustomError(rollup, "ForcedExitMismatch")
      .withArgs(1, 0, 0, 2n * ETH);
    await expect(submit([makeOp(OpType.ForcedExit, 1, 0, ETH, 0n), NOOP]))
      .to.be.revertedWithCustomError(rollup, "ForcedExitMismatch")
      .withArgs(0, 0, 1, ETH);
    // Two deposit slots, one deposit waiting.
    await expect(
      submit([makeOp(OpType.Deposit, 1, 1, ETH, 0n), makeOp(OpType.Deposit, 1, 1, ETH, 0n)]),
    ).to.be.revertedWithCustomError(rollup, "NotEnoughDeposits");
    expect(await rollup.stateRoot()).to.equal(root);
    expect(await rollup.batchCount()).to.equal(0n);
    expect(await rollup.forcedExitQueue()).to.deep.equal([0n, 1n]);
  });

  it("should refuse every state change once frozen but the ways out, and name a bad escape", async function () {
    const { rollup, keys, operator, alice, depositDeadline } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    await rollup.connect(alice).deposit(ax, ay, { value: ETH });
    await time.increase(depositDeadline + 1);
    await rollup.freeze();
    const root = await rollup.stateRoot();
    await expect(rollup.connect(alice).deposit(ax, ay, { value: ETH })).to.be.revertedWithCustomError(
      rollup,
      "RollupFrozen",
    );
    await expect(rollup.connect(operator).requestForcedExit(0, ETH)).to.be.revertedWithCustomError(
      rollup,
      "RollupFrozen",
    );
    await expect(rollup.freeze()).to.be.revertedWithCustomError(rollup, "RollupFrozen");
    await expect(
      rollup.connect(operator).submitBatch(root, encodeOps([], TEST_CIRCUIT.batchSize), ...NO_PROOF),
    ).to.be.revertedWithCustomError(rollup, "RollupFrozen");
    await expect(rollup.escape(5, ax, ay, 0n, 0n, [])).to.be.revertedWithCustomError(rollup, "UnknownAccount");
    await expect(rollup.escape(0, ax, ay, 0n, 0n, [0n]))
      .to.be.revertedWithCustomError(rollup, "WrongProofLength")
      .withArgs(1, TEST_CIRCUIT.treeDepth);
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH);
  });

  it("should keep a refund whose sender refuses ETH, so it can be paid when it accepts", async function () {
    const { rollup, keys, alice, depositDeadline } = await loadFixture(deployed);
    const { ax, ay } = keys.alice.publicKey;
    // A contract with no receive function deposits, then refuses its refund.
    const forwarder = await (await hre.ethers.getContractFactory("Forwarder", alice)).deploy();
    const data = rollup.interface.encodeFunctionData("deposit", [ax, ay]);
    await forwarder.connect(alice).forward(await rollup.getAddress(), data, { value: ETH });
    const sender = await forwarder.getAddress();
    await time.increase(depositDeadline + 1);
    await rollup.freeze();
    await expect(rollup.refundDeposit(0, sender, 1, ETH))
      .to.be.revertedWithCustomError(rollup, "PayoutFailed")
      .withArgs(sender, ETH);
    // INVARIANT (solvency): the refund is still owed and still held.
    expect(await hre.ethers.provider.getBalance(rollup)).to.equal(ETH);
  });
});
