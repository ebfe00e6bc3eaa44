import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { parseEther } from "ethers";
import { fundedFixture } from "./fixtures";
import { emptyExitRoot, submitBatchData } from "./attacks/attacker";
import { signForcedWithdrawal, signTransfer, signWithdraw } from "../../src/optimistic/client";
import { L2Tx, encodeTxs } from "../../src/encoding/tx";
import { FAULTS } from "../../src/optimistic/state";
import { Watcher } from "../../src/optimistic/watcher";
import { batchRecord } from "../../src/optimistic/records";

type Fixture = Awaited<ReturnType<typeof fundedFixture>>;

/**
 * Posts one chunk of hand-made txs on top of the tip (its committed state is the tip's: only the txs are wrong),
 * as raw calldata from the operator, then lets a watcher prove it. Returns the fault L1 emitted.
 */
async function proveChunk(
  f: Fixture,
  txs: L2Tx[],
  options: { deposits?: bigint; forced?: bigint; feeAccount?: number } = {},
): Promise<string> {
  const { rollup, opSigner, challenger, params } = f;
  const before = await rollup.tipId();
  const tip = await batchRecord(rollup, before);
  const state = {
    stateRoot: tip.stateRoot,
    exitRoot: emptyExitRoot(params.chunkSize),
    depositCursor: tip.depositEnd + (options.deposits ?? 0n),
    forcedCursor: tip.forcedEnd + (options.forced ?? 0n),
  };
  const data = submitBatchData(
    rollup,
    ["0x" + encodeTxs(txs).toString("hex")],
    [state],
    f.operatorKey.address,
    options.feeAccount ?? 9,
  );
  await (await opSigner.sendTransaction({ to: await rollup.getAddress(), data })).wait();
  const result = await new Watcher(rollup, challenger).challengeFirstInvalid();
  expect(result, "the watcher found the chunk invalid").to.not.equal(null);
  const proven = result!.receipt.logs
    .map((log) => rollup.interface.parseLog(log))
    .find((e) => e?.name === "FraudProven");
  expect(FAULTS[Number(proven!.args.fault)]).to.equal(result!.invalid.fault);
  expect(await rollup.tipId()).to.equal(tip.height === 0n ? 0n : await rollup.tipId());
  return result!.invalid.fault;
}

function transfer(f: Fixture, from: number, to: number, amount: bigint, fee = 0n, nonce = 0) {
  return signTransfer(f.domain, f.l2[from].signingKey, { from: f.accounts[from], to, amount, fee, nonce });
}

describe("# OptimisticRollup fault kinds", function () {
  it("should prove a transfer from an account that does not exist", async function () {
    const f = await loadFixture(fundedFixture);
    const tx = { ...transfer(f, 0, f.accounts[1], 1n), from: 77 };
    expect(await proveChunk(f, [tx])).to.equal("UnknownSender");
  });

  it("should prove a transfer to an account that does not exist", async function () {
    const f = await loadFixture(fundedFixture);
    expect(await proveChunk(f, [transfer(f, 0, 77, 1n)])).to.equal("UnknownRecipient");
  });

  it("should prove a deposit tx beyond the deposits the batch consumed", async function () {
    const f = await loadFixture(fundedFixture);
    expect(await proveChunk(f, [{ type: "deposit", to: f.accounts[0] }])).to.equal("DepositOutOfRange");
  });

  it("should prove a deposit credited to another key's account", async function () {
    const f = await loadFixture(fundedFixture);
    await (await f.rollup.connect(f.l1[0]).deposit(f.l2[0].address, { value: parseEther("1") })).wait();
    expect(await proveChunk(f, [{ type: "deposit", to: f.accounts[1] }], { deposits: 1n })).to.equal(
      "DepositToForeignAccount",
    );
  });

  it("should prove a forced exit beyond the requests the batch processed", async function () {
    const f = await loadFixture(fundedFixture);
    expect(await proveChunk(f, [{ type: "forced-exit" }])).to.equal("ForcedOutOfRange");
  });

  it("should prove fees credited to an account the fee recipient does not own", async function () {
    const f = await loadFixture(fundedFixture);
    const tx = transfer(f, 0, f.accounts[1], 1n, parseEther("0.001"));
    expect(await proveChunk(f, [tx], { feeAccount: f.accounts[2] })).to.equal("FeeToForeignAccount");
  });

  it("should prove the registration of an account that exists", async function () {
    const f = await loadFixture(fundedFixture);
    const tx: L2Tx = { type: "register", index: f.accounts[0], owner: f.challenger.address };
    expect(await proveChunk(f, [tx])).to.equal("BadRegistration");
  });

  it("should prove a chunk of more txs than the chunk size", async function () {
    const f = await loadFixture(fundedFixture);
    const txs: L2Tx[] = Array.from({ length: f.params.chunkSize + 1 }, (_, i) => ({
      type: "register",
      index: 100 + i,
      owner: ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(i + 1), 20)),
    }));
    expect(await proveChunk(f, txs)).to.equal("TooManyTxs");
  });

  it("should take a forced exit another key requested as a no-op, and prove a second one beyond the requests", async function () {
    const f = await loadFixture(fundedFixture);
    // dave's key signs for alice's account: the request is stored, and processing it changes nothing.
    const sig = signForcedWithdrawal(f.domain, f.l2[1].signingKey, f.accounts[0], f.l1[1].address, 1n, 0n);
    await (await f.rollup.connect(f.l1[1]).requestForcedWithdrawal(f.accounts[0], 1n, sig)).wait();
    const tip = await batchRecord(f.rollup, await f.rollup.tipId());
    // The first forced exit is the request, processed as a no-op (not the owner's key); the second has none.
    const fault = await proveChunk(f, [{ type: "forced-exit" }, { type: "forced-exit" }], { forced: 1n });
    expect(fault).to.equal("ForcedOutOfRange");
    expect(tip.forcedEnd).to.equal(0n);
  });
  it("should prove a transfer signed with a nonce other than the account's", async function () {
    const f = await loadFixture(fundedFixture);
    expect(await proveChunk(f, [transfer(f, 0, f.accounts[1], 1n, 0n, 5)])).to.equal("BadNonce");
  });

  it("should prove a withdrawal of more than the sender's balance", async function () {
    const f = await loadFixture(fundedFixture);
    // Alice holds 1 ETH on L2; she signs a withdrawal of 1 ETH plus a 1-wei fee.
    const tx = signWithdraw(f.domain, f.l2[0].signingKey, {
      from: f.accounts[0],
      recipient: f.l1[0].address,
      amount: parseEther("1"),
      fee: 1n,
      nonce: 0,
    });
    expect(await proveChunk(f, [tx])).to.equal("Overdraft");
  });

  it("should prove the registration of the zero key", async function () {
    const f = await loadFixture(fundedFixture);
    const tx: L2Tx = { type: "register", index: 100, owner: ethers.ZeroAddress };
    expect(await proveChunk(f, [tx])).to.equal("BadRegistration");
  });

  it("should honour a forced exit of the owner's key, take one beyond the balance as a no-op, and prove a third beyond the requests", async function () {
    const f = await loadFixture(fundedFixture);
    const balance = parseEther("1");
    // Alice's own key asks for 1 wei (honoured), then for more than her account holds (a no-op).
    const honoured = signForcedWithdrawal(f.domain, f.l2[0].signingKey, f.accounts[0], f.l1[0].address, 1n, 0n);
    await (await f.rollup.connect(f.l1[0]).requestForcedWithdrawal(f.accounts[0], 1n, honoured)).wait();
    const tooMuch = signForcedWithdrawal(f.domain, f.l2[0].signingKey, f.accounts[0], f.l1[0].address, balance, 1n);
    await (await f.rollup.connect(f.l1[0]).requestForcedWithdrawal(f.accounts[0], balance, tooMuch)).wait();
    // Both requests execute without a fault on L1 (the honoured one writes the account and an exit), so the
    // first fault L1 finds is the third forced exit, for which no request was processed.
    const fault = await proveChunk(f, [{ type: "forced-exit" }, { type: "forced-exit" }, { type: "forced-exit" }], {
      forced: 2n,
    });
    expect(fault).to.equal("ForcedOutOfRange");
  });

  it("should prove a chunk that commits a deposit cursor its txs did not reach", async function () {
    const f = await loadFixture(fundedFixture);
    await (await f.rollup.connect(f.l1[0]).deposit(f.l2[0].address, { value: parseEther("1") })).wait();
    expect(await proveChunk(f, [], { deposits: 1n })).to.equal("DepositCursorMismatch");
  });

  it("should prove a chunk that commits a forced cursor its txs did not reach", async function () {
    const f = await loadFixture(fundedFixture);
    const sig = signForcedWithdrawal(f.domain, f.l2[0].signingKey, f.accounts[0], f.l1[0].address, 1n, 0n);
    await (await f.rollup.connect(f.l1[0]).requestForcedWithdrawal(f.accounts[0], 1n, sig)).wait();
    expect(await proveChunk(f, [], { forced: 1n })).to.equal("ForcedCursorMismatch");
  });
});
