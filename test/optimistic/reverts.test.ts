import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HDNodeWallet, parseEther } from "ethers";
import { CHALLENGE_PERIOD, FORCE_DELAY, fundedFixture } from "./fixtures";
import { emptyChunkProof, emptyExitRoot, sendRaw, submitBatchData, wrongRootBatch } from "./attacks/attacker";
import { L2Tx, encodeTxs } from "../../src/encoding/tx";
import { signEscape, signForcedWithdrawal } from "../../src/optimistic/client";
import { readL1 } from "../../src/optimistic/l1-view";
import { buildFraudProof, chunkProof, commitment, fraudCommitment, rebuild } from "../../src/optimistic/watcher";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { batchRecord, tipRecord, freezeArgs } from "../../src/optimistic/records";

const ZERO32 = ethers.ZeroHash;
/** Hardhat's default accounts: account 0 is the rollup's operator in the fixtures. */
const MNEMONIC = "test test test test test test test test test test test junk";

/** Malformed calls each revert with the custom error that names what is wrong, and change nothing. */
describe("# OptimisticRollup refusals", function () {
  it("should refuse malformed batches", async function () {
    const { rollup, opSigner, params } = await loadFixture(fundedFixture);
    const tip = await batchRecord(rollup, 1);
    const state = (depositCursor: bigint, forcedCursor = 0n) => ({
      stateRoot: tip.stateRoot,
      exitRoot: emptyExitRoot(params.chunkSize),
      depositCursor,
      forcedCursor,
    });
    const op = rollup.connect(opSigner);
    await expect(op.submitBatch([], [], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ChunkCountOutOfRange")
      .withArgs(0, 0, 256);
    await expect(op.submitBatch(["0x"], [state(3n), state(3n)], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ChunkCountOutOfRange")
      .withArgs(1, 2, 256);
    await expect(op.submitBatch(Array(257).fill("0x"), Array(257).fill(state(3n)), opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ChunkCountOutOfRange")
      .withArgs(257, 257, 256);
    await expect(op.submitBatch(["0x"], [state(3n)], ethers.ZeroAddress, 0)).to.be.revertedWithCustomError(
      rollup,
      "ZeroFeeRecipient",
    );
    await expect(op.submitBatch(["0x"], [state(2n)], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "DepositCursorBackwards")
      .withArgs(2, 3);
    await expect(op.submitBatch(["0x"], [state(3n, 1n)], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ForcedCursorOutOfRange")
      .withArgs(1, 0, 0);
    // Each chunk's cursors lie between the parent's and the last chunk's.
    await expect(op.submitBatch(["0x", "0x"], [state(2n), state(3n)], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ChunkCursorOutOfOrder")
      .withArgs(0, 2, 0);
    await expect(op.submitBatch(["0x", "0x"], [state(4n), state(3n)], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ChunkCursorOutOfOrder")
      .withArgs(0, 4, 0);
    const tooLarge = "0x" + "00".repeat(params.chunkSize * 101 + 1);
    await expect(op.submitBatch([tooLarge], [state(3n)], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "ChunkTooLarge")
      .withArgs(0, params.chunkSize * 101 + 1, params.chunkSize * 101);
    expect(await rollup.tipId()).to.equal(1n);
  });

  it("should refuse a wrong bond, and batches while unbonded", async function () {
    const { rollup, opSigner } = await loadFixture(fundedFixture);
    await time.increase(CHALLENGE_PERIOD);
    await (await rollup.connect(opSigner).unbond(await tipRecord(rollup))).wait();
    await expect(rollup.connect(opSigner).bond({ value: 1n }))
      .to.be.revertedWithCustomError(rollup, "WrongBondAmount")
      .withArgs(1, parseEther("1"));
    await expect(rollup.connect(opSigner).submitBatch(["0x"], [], opSigner.address, 0))
      .to.be.revertedWithCustomError(rollup, "NotBonded")
      .withArgs(opSigner.address);
    await expect(rollup.connect(opSigner).unbond(await tipRecord(rollup))).to.be.revertedWithCustomError(
      rollup,
      "NotBonded",
    );
  });

  it("should refuse fraud proofs that do not match what L1 committed", async function () {
    const { rollup, challenger } = await loadFixture(fundedFixture);
    const proof = buildFraudProof(await readL1(rollup), 1, 0);
    const as = rollup.connect(challenger);
    // The genesis stands and is final from the start; a record L1 never committed to does not stand.
    await expect(as.proveFraud({ ...proof, batch: await batchRecord(rollup, 0) }))
      .to.be.revertedWithCustomError(rollup, "BatchAlreadyFinal")
      .withArgs(0, 0);
    await expect(as.proveFraud({ ...proof, batch: { ...(await batchRecord(rollup, 1)), chunkCount: 2n } }))
      .to.be.revertedWithCustomError(rollup, "BatchNotStanding")
      .withArgs(1, 1);
    await expect(as.proveFraud({ ...proof, parent: await batchRecord(rollup, 1) }))
      .to.be.revertedWithCustomError(rollup, "NotTheParent")
      .withArgs(1, 1);
    await expect(as.proveFraud({ ...proof, chunkIndex: 1 }))
      .to.be.revertedWithCustomError(rollup, "ChunkOutOfRange")
      .withArgs(1, 1, 1);
    await expect(as.proveFraud({ ...proof, postProof: proof.postProof.slice(1) }))
      .to.be.revertedWithCustomError(rollup, "InvalidChunkProof")
      .withArgs(1, 0);
    await expect(as.proveFraud({ ...proof, chunkData: "0x01" }))
      .to.be.revertedWithCustomError(rollup, "ChunkDataMismatch")
      .withArgs(1, 0, proof.post.dataHash);
  });

  it("should refuse claims that are not final or not proven", async function () {
    const { rollup, l1 } = await loadFixture(fundedFixture);
    const view = await readL1(rollup);
    const batch = view.batches[1];
    const claim = {
      batch: batch.record,
      chunkIndex: 0,
      chunk: commitment(batch, 0),
      chunkProof: chunkProof(batch, 0),
      position: 0,
      recipient: l1[0].address,
      amount: 1n,
      exitProof: Array(5).fill(ZERO32),
    };
    await expect(rollup.claimExit({ ...claim, batch: { ...batch.record, id: 9n } }))
      .to.be.revertedWithCustomError(rollup, "BatchNotStanding")
      .withArgs(9, 1);
    await expect(rollup.claimExit(claim)).to.be.revertedWithCustomError(rollup, "BatchNotFinal");
    await time.increase(CHALLENGE_PERIOD);
    await expect(rollup.claimExit({ ...claim, chunkProof: [] }))
      .to.be.revertedWithCustomError(rollup, "InvalidChunkProof")
      .withArgs(1, 0);
    await expect(rollup.claimExit(claim)).to.be.revertedWithCustomError(rollup, "InvalidExitProof").withArgs(1, 0, 0);
    await expect(rollup.claimExit({ ...claim, exitProof: [] }))
      .to.be.revertedWithCustomError(rollup, "InvalidExitProof")
      .withArgs(1, 0, 0);
    expect(await rollup.isFinal(batch.record)).to.equal(true);
    expect(await rollup.isFinal({ ...batch.record, id: 9n })).to.equal(false);
  });

  it("should refuse an early freeze, then every entry point a frozen rollup closes, and bad escapes", async function () {
    const { rollup, opSigner, l1, l2, accounts, domain, challenger } = await loadFixture(fundedFixture);
    await expect(rollup.forcedRequest(0)).to.be.revertedWithCustomError(rollup, "UnknownForcedRequest").withArgs(0, 0);
    await expect(rollup.freeze(...(await freezeArgs(rollup))))
      .to.be.revertedWithCustomError(rollup, "NothingOverdue")
      .withArgs(0, 0);
    await (await rollup.connect(challenger).deposit(challenger.address, { value: 5n })).wait();
    await expect(rollup.freeze(...(await freezeArgs(rollup)))).to.be.revertedWithCustomError(
      rollup,
      "DepositNotOverdue",
    );
    await expect(rollup.connect(l1[0]).deposit(ethers.ZeroAddress, { value: 1n })).to.be.revertedWithCustomError(
      rollup,
      "ZeroL2Owner",
    );
    await time.increase(Math.max(CHALLENGE_PERIOD, FORCE_DELAY, 24 * 3600) + 1);
    await (await rollup.connect(l1[2]).freeze(...(await freezeArgs(rollup)))).wait();
    await expect(rollup.connect(opSigner).bond({ value: parseEther("1") })).to.be.revertedWithCustomError(
      rollup,
      "RollupIsFrozen",
    );
    await expect(rollup.freeze(...(await freezeArgs(rollup)))).to.be.revertedWithCustomError(rollup, "RollupIsFrozen");
    await expect(rollup.connect(opSigner).submitBatch(["0x"], [], opSigner.address, 0)).to.be.revertedWithCustomError(
      rollup,
      "RollupIsFrozen",
    );
    await expect(rollup.connect(opSigner).unbond(await tipRecord(rollup))).to.be.revertedWithCustomError(
      rollup,
      "RollupIsFrozen",
    );
    await expect(rollup.connect(l1[0]).deposit(l2[0].address, { value: 1n })).to.be.revertedWithCustomError(
      rollup,
      "RollupIsFrozen",
    );
    const sig = signForcedWithdrawal(domain, l2[0].signingKey, accounts[0], l1[0].address, 1n, 0n);
    await expect(rollup.connect(l1[0]).requestForcedWithdrawal(accounts[0], 1n, sig)).to.be.revertedWithCustomError(
      rollup,
      "RollupIsFrozen",
    );
    const { state } = rebuild(await readL1(rollup));
    const account = state.account(accounts[0]);
    const siblings = state.tree.proof(accounts[0]).map((s) => "0x" + s.toString("hex"));
    const stranger = signEscape(domain, l2[1].signingKey, accounts[0], l1[1].address);
    await expect(rollup.connect(l1[1]).escape(account, siblings, l1[1].address, stranger))
      .to.be.revertedWithCustomError(rollup, "InvalidL2Signature")
      .withArgs(l2[1].address, l2[0].address);
    const own = signEscape(domain, l2[0].signingKey, accounts[0], l1[0].address);
    await expect(
      rollup.connect(l1[0]).escape({ ...account, balance: account.balance + 1n }, siblings, l1[0].address, own),
    ).to.be.revertedWithCustomError(rollup, "InvalidAccountProof");
    await expect(rollup.connect(l1[0]).escape(account, siblings, l1[0].address, own)).to.changeEtherBalance(
      l1[0],
      account.balance,
    );
  });

  /** Queues a deposit and a forced request, then posts one chunk of `txs` consuming both; returns its proof. */
  async function witnessedProof(txs: L2Tx[]) {
    const f = await loadFixture(fundedFixture);
    const { rollup, opSigner, l1, l2, accounts, domain, params, operatorKey } = f;
    await (await rollup.connect(l1[0]).deposit(l2[0].address, { value: 5n })).wait();
    const sig = signForcedWithdrawal(domain, l2[1].signingKey, accounts[0], l1[1].address, 1n, 0n);
    await (await rollup.connect(l1[1]).requestForcedWithdrawal(accounts[0], 1n, sig)).wait();
    const tip = await batchRecord(rollup, 1);
    const state = {
      stateRoot: tip.stateRoot,
      exitRoot: emptyExitRoot(params.chunkSize),
      depositCursor: 4n,
      forcedCursor: 1n,
    };
    const data = submitBatchData(rollup, ["0x" + encodeTxs(txs).toString("hex")], [state], operatorKey.address, 9);
    await (await opSigner.sendTransaction({ to: await rollup.getAddress(), data })).wait();
    return { ...f, proof: buildFraudProof(await readL1(rollup), 2, 0) };
  }

  it("should refuse fraud proofs with missing or wrong deposit and account witnesses", async function () {
    // Alice's deposit credited to bob's account, then the forced request (a no-op).
    const { rollup, challenger, accounts, proof } = await witnessedProof([
      { type: "deposit", to: 1 },
      { type: "forced-exit" },
    ]);
    expect(accounts[1]).to.equal(1);
    const as = rollup.connect(challenger);
    await expect(as.proveFraud({ ...proof, deposits: [] }))
      .to.be.revertedWithCustomError(rollup, "MissingWitness")
      .withArgs("deposit", 0);
    await expect(as.proveFraud({ ...proof, deposits: [{ ...proof.deposits[0], amount: 6n }] }))
      .to.be.revertedWithCustomError(rollup, "InvalidDepositWitness")
      .withArgs(3);
    await expect(as.proveFraud({ ...proof, accounts: [] }))
      .to.be.revertedWithCustomError(rollup, "MissingWitness")
      .withArgs("account", 0);
    // A witness of an account without owner must be all zero: otherwise it is not a leaf of the tree.
    const root = (await batchRecord(rollup, 1)).stateRoot;
    await expect(
      as.proveFraud({ ...proof, accounts: [{ ...proof.accounts[0], owner: ethers.ZeroAddress, balance: 1n }] }),
    )
      .to.be.revertedWithCustomError(rollup, "InvalidAccountWitness")
      .withArgs(1, root);
  });

  it("should refuse fraud proofs with missing or wrong forced-request witnesses", async function () {
    const { rollup, challenger, proof } = await witnessedProof([{ type: "forced-exit" }, { type: "deposit", to: 1 }]);
    const as = rollup.connect(challenger);
    await expect(as.proveFraud({ ...proof, forced: [] }))
      .to.be.revertedWithCustomError(rollup, "MissingWitness")
      .withArgs("forced", 0);
    await expect(as.proveFraud({ ...proof, forced: [{ ...proof.forced[0], amount: 2n }] }))
      .to.be.revertedWithCustomError(rollup, "InvalidForcedWitness")
      .withArgs(0);
  });

  it("should refuse a bond below two wei", async function () {
    const [operator] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("OptimisticRollup");
    await expect(factory.deploy(operator.address, 1, 3600, 3600, 32, 3600))
      .to.be.revertedWithCustomError(factory, "InvalidParams")
      .withArgs("bond", 1);
    await expect(factory.deploy(operator.address, 2, 3600, 3600, 0, 3600))
      .to.be.revertedWithCustomError(factory, "InvalidParams")
      .withArgs("chunkSize", 0);
    // Chunk trees are binary: a chunk size that is not a power of two is refused.
    await expect(factory.deploy(operator.address, 2, 3600, 3600, 3, 3600))
      .to.be.revertedWithCustomError(factory, "InvalidParams")
      .withArgs("chunkSize", 3);
  });
  it("should keep each forced request as its signer's, and refuse an index beyond the queue", async function () {
    const { rollup, l1, l2, accounts, domain } = await loadFixture(fundedFixture);
    const sig = signForcedWithdrawal(domain, l2[0].signingKey, accounts[0], l1[1].address, 7n, 0n);
    const receipt = await (await rollup.connect(l1[1]).requestForcedWithdrawal(accounts[0], 7n, sig)).wait();
    const block = await ethers.provider.getBlock(receipt!.blockNumber);
    const [requestHash, requestedAt] = await rollup.forcedRequest(0);
    expect(requestHash).to.equal(
      ethers.solidityPackedKeccak256(
        ["uint32", "address", "address", "uint256"],
        [accounts[0], l2[0].address, l1[1].address, 7n],
      ),
    );
    expect(requestedAt).to.equal(BigInt(block!.timestamp));
    await expect(rollup.forcedRequest(1)).to.be.revertedWithCustomError(rollup, "UnknownForcedRequest").withArgs(1, 1);
  });

  it("should refuse a deposit above what an L2 balance holds (2^128 - 1 wei)", async function () {
    const { rollup, l1, l2 } = await loadFixture(fundedFixture);
    const max = 2n ** 128n - 1n;
    await ethers.provider.send("hardhat_setBalance", [l1[0].address, ethers.toQuantity(2n ** 130n)]);
    await expect(rollup.connect(l1[0]).deposit(l2[0].address, { value: max + 1n }))
      .to.be.revertedWithCustomError(rollup, "DepositTooLarge")
      .withArgs(max + 1n, max);
    expect(await rollup.depositCount()).to.equal(3n);
  });

  it("should keep a commitment's first block, and refuse its proof in that same block", async function () {
    const { rollup, opSigner, challenger, l1 } = await loadFixture(fundedFixture);
    await sendRaw(rollup, opSigner, await wrongRootBatch(rollup, 0));
    const proof = await emptyChunkProof(rollup, 2n, 0);
    const data = rollup.interface.encodeFunctionData("proveFraud", [proof]);
    const mine = fraudCommitment(challenger.address, data);
    const first = await (await rollup.connect(challenger).commitFraudProof(mine)).wait();
    await expect(rollup.connect(challenger).commitFraudProof(mine))
      .to.emit(rollup, "FraudProofCommitted")
      .withArgs(challenger.address, mine);
    // A second commitment does not move the first one's block (it would only delay the reveal).
    expect(await rollup.fraudCommitments(mine)).to.equal(BigInt(first!.blockNumber));

    // Someone else commits and reveals in one block: the proof is refused, the batch stands.
    const theirs = fraudCommitment(l1[2].address, data);
    const as = rollup.connect(l1[2]);
    await ethers.provider.send("evm_setAutomine", [false]);
    let hashes: string[];
    try {
      const commit = await as.commitFraudProof(theirs, { gasLimit: 100_000n });
      const reveal = await as.proveFraud(proof, { gasLimit: 5_000_000n });
      hashes = [commit.hash, reveal.hash];
      await ethers.provider.send("evm_mine", []);
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
    const [committed, revealed] = await Promise.all(hashes.map((h) => ethers.provider.getTransactionReceipt(h)));
    expect(revealed!.blockNumber).to.equal(committed!.blockNumber);
    expect([committed!.status, revealed!.status]).to.deep.equal([1, 0]);
    expect(await rollup.fraudCommitments(theirs)).to.equal(BigInt(committed!.blockNumber));
    expect(await rollup.tipId()).to.equal(2n);
    // From a later block on, the proof is taken.
    await expect(rollup.connect(l1[2]).proveFraud(proof)).to.emit(rollup, "FraudProven");
    expect(await rollup.tipId()).to.equal(1n);
    expect(await rollup.fraudCommitments(theirs)).to.equal(0n);
    // The rolled-back batch never becomes final, so nothing it committed can be claimed.
    await time.increase(CHALLENGE_PERIOD);
    const rolledBack = await batchRecord(rollup, 2);
    expect(await rollup.isFinal(rolledBack)).to.equal(false);
    const exit = {
      batch: rolledBack,
      chunkIndex: 0,
      chunk: proof.post,
      chunkProof: proof.postProof,
      position: 0,
      recipient: l1[2].address,
      amount: 1n,
      exitProof: [],
    };
    await expect(rollup.claimExit(exit)).to.be.revertedWithCustomError(rollup, "BatchNotStanding").withArgs(2, 2);
  });

  it("should refuse a proof of a later chunk whose previous chunk is not the batch's", async function () {
    const { rollup, opSigner, challenger, params } = await loadFixture(fundedFixture);
    const tip = await batchRecord(rollup, 1);
    const state = (stateRoot: string) => ({
      stateRoot,
      exitRoot: emptyExitRoot(params.chunkSize),
      depositCursor: tip.depositEnd,
      forcedCursor: tip.forcedEnd,
    });
    const wrong = ethers.keccak256(ethers.toUtf8Bytes("not a state root"));
    await sendRaw(
      rollup,
      opSigner,
      submitBatchData(rollup, ["0x", "0x"], [state(tip.stateRoot), state(wrong)], opSigner.address, 0),
    );
    const proof = buildFraudProof(await readL1(rollup), 2, 1);
    const as = rollup.connect(challenger);
    await expect(as.proveFraud({ ...proof, preProof: [] }))
      .to.be.revertedWithCustomError(rollup, "InvalidChunkProof")
      .withArgs(2, 0);
    await expect(as.proveFraud({ ...proof, pre: { ...proof.pre, stateRoot: wrong } }))
      .to.be.revertedWithCustomError(rollup, "InvalidChunkProof")
      .withArgs(2, 0);
    expect(await rollup.tipId()).to.equal(2n);
  });

  it("should freeze an unbonded operator's rollup without paying the caller", async function () {
    const { rollup, opSigner, l1, l2, accounts, domain } = await loadFixture(fundedFixture);
    await time.increase(CHALLENGE_PERIOD);
    await (await rollup.connect(opSigner).unbond(await tipRecord(rollup))).wait();
    const sig = signForcedWithdrawal(domain, l2[0].signingKey, accounts[0], l1[0].address, 1n, 0n);
    await (await rollup.connect(l1[0]).requestForcedWithdrawal(accounts[0], 1n, sig)).wait();
    await time.increase(FORCE_DELAY + 1);
    const bridge = await ethers.provider.getBalance(await rollup.getAddress());
    await expect(rollup.connect(l1[2]).freeze(...(await freezeArgs(rollup))))
      .to.emit(rollup, "RollupFrozen")
      .withArgs(l1[2].address, 1, anyValue, 0);
    expect(await rollup.frozen()).to.equal(true);
    // No bond is held, so nothing is slashed: the bridge keeps exactly what the users own.
    expect(await ethers.provider.getBalance(await rollup.getAddress())).to.equal(bridge);
    expect(bridge).to.equal(parseEther("6"));
  });

  it("should refuse a batch from the operator's EIP-7702-delegated account, whoever sends the transaction", async function () {
    const { rollup, opSigner, challenger, params } = await loadFixture(fundedFixture);
    const operator = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/0").connect(ethers.provider);
    expect(operator.address).to.equal(opSigner.address);
    const forwarder = await (await ethers.getContractFactory("Forwarder", challenger)).deploy();
    const tip = await batchRecord(rollup, 1);
    const inner = submitBatchData(
      rollup,
      ["0x"],
      [
        {
          stateRoot: tip.stateRoot,
          exitRoot: emptyExitRoot(params.chunkSize),
          depositCursor: tip.depositEnd,
          forcedCursor: tip.forcedEnd,
        },
      ],
      opSigner.address,
      0,
    );
    const { chainId } = await ethers.provider.getNetwork();
    const auth = await operator.authorize({
      address: await forwarder.getAddress(),
      nonce: await operator.getNonce(),
      chainId,
    });
    // The challenger sponsors the delegation and calls the operator's account: the rollup sees the operator as
    // msg.sender, but the transaction is the challenger's.
    const data = forwarder.interface.encodeFunctionData("forward", [await rollup.getAddress(), inner]);
    const reason = (origin: string) =>
      rollup.interface.encodeErrorResult("PosterNotOrigin", [operator.address, origin, 23]);
    await expect(
      challenger.sendTransaction({
        type: 4,
        to: operator.address,
        data,
        authorizationList: [auth],
        gasLimit: 1_000_000n,
        // Explicit EIP-1559 fees: a network with a fixed gas price (as under coverage) would add a gasPrice.
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 1n,
      }),
    )
      .to.be.revertedWithCustomError(forwarder, "ForwardFailed")
      .withArgs(await rollup.getAddress(), reason(challenger.address));
    // The delegation stays (an authorization applies even when the call reverts): now the operator's own
    // transaction, straight to the rollup, still comes from an account with code.
    expect((await ethers.provider.getCode(operator.address)).slice(0, 8)).to.equal("0xef0100");
    await expect(opSigner.sendTransaction({ to: await rollup.getAddress(), data: inner, gasLimit: 1_000_000n }))
      .to.be.revertedWithCustomError(rollup, "PosterNotOrigin")
      .withArgs(operator.address, operator.address, 23);
    expect(await rollup.tipId()).to.equal(1n);
  });
});
