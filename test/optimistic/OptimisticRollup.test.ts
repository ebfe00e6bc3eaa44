import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { CHALLENGE_PERIOD, FORCE_DELAY, deployedFixture, freshOperator, fundedFixture, liabilities } from "./fixtures";
import { signForcedWithdrawal, signTransfer, signWithdraw } from "../../src/optimistic/client";
import { readL1 } from "../../src/optimistic/l1-view";
import { Watcher, buildExitClaim, buildFraudProof, rebuild } from "../../src/optimistic/watcher";
import { batchRecord, tipRecord, freezeArgs } from "../../src/optimistic/records";

async function withdrawnFixture() {
  const f = await fundedFixture();
  const { operator, domain, l2, accounts, l1 } = f;
  // (inside a fixture: the fixture's own operator is still in step with the chain here)
  operator.accept(
    signWithdraw(domain, l2[1].signingKey, {
      from: accounts[1],
      recipient: l1[1].address,
      amount: parseEther("0.5"),
      fee: parseEther("0.001"),
      nonce: 0,
    }),
  );
  await operator.postPending();
  const view = await readL1(f.rollup);
  const exit = rebuild(view).exits[0];
  return { ...f, exit, claim: buildExitClaim(view, exit) };
}

describe("# OptimisticRollup", function () {
  describe("# constructor", function () {
    it("should refuse configurations in which fraud cannot be proven or nobody can freeze", async function () {
      const [operator] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("OptimisticRollup");
      const good = [operator.address, parseEther("1"), 3600, 3600, 32, 3600] as const;
      const cases: [number, unknown, string, bigint][] = [
        [4, 128, "chunkSize", 128n], // its worst fraud proof runs out of gas at the 16,777,216 cap
        [4, 48, "chunkSize", 48n],
        [0, ethers.ZeroAddress, "operator", 0n],
        [2, 0, "challengePeriod", 0n],
        [3, 0, "forceInclusionDelay", 0n],
        [5, 0, "depositDeadline", 0n],
      ];
      for (const [position, value, name, reported] of cases) {
        const args = [...good] as unknown[];
        args[position] = value;
        await expect(factory.deploy(...(args as Parameters<typeof factory.deploy>)))
          .to.be.revertedWithCustomError(factory, "InvalidParams")
          .withArgs(name, reported);
      }
      const rollup = await factory.deploy(...good);
      expect(await rollup.MAX_CHUNK_SIZE()).to.equal(64n);
      await factory.deploy(operator.address, parseEther("1"), 3600, 3600, 64, 3600);
    });
  });

  describe("# bond", function () {
    it("should not let anyone but the operator post or bond", async function () {
      const { rollup, l1, opSigner } = await loadFixture(deployedFixture);
      await expect(rollup.connect(l1[0]).submitBatch([], [], l1[0].address, 0))
        .to.be.revertedWithCustomError(rollup, "NotOperator")
        .withArgs(l1[0].address, opSigner.address);
      await expect(rollup.connect(opSigner).bond({ value: parseEther("1") }))
        .to.be.revertedWithCustomError(rollup, "AlreadyBonded")
        .withArgs(opSigner.address);
    });

    it("should return the bond only once every batch is final", async function () {
      const { rollup, opSigner } = await loadFixture(fundedFixture);
      const finalAt = (await batchRecord(rollup, 1)).finalAt;
      await expect(rollup.connect(opSigner).unbond(await tipRecord(rollup)))
        .to.be.revertedWithCustomError(rollup, "BatchesStillPending")
        .withArgs(1, finalAt);
      await time.increase(CHALLENGE_PERIOD);
      await expect(rollup.connect(opSigner).unbond(await tipRecord(rollup))).to.changeEtherBalances(
        [opSigner, rollup],
        [parseEther("1"), -parseEther("1")],
      );
    });
  });

  describe("# submitBatch", function () {
    it("should consume the deposits and emit the commitment", async function () {
      const { rollup, operator } = await loadFixture(fundedFixture);
      const batch = await batchRecord(rollup, 1);
      expect(batch.depositEnd).to.equal(3n);
      expect(await rollup.depositsConsumed()).to.equal(3n);
      expect(batch.stateRoot).to.equal("0x" + operator.state.stateRoot.toString("hex"));
    });

    it("should not take a batch that consumes deposits nobody made", async function () {
      const { rollup, opSigner, operator } = await loadFixture(fundedFixture);
      const root = "0x" + operator.state.stateRoot.toString("hex");
      await expect(
        rollup
          .connect(opSigner)
          .submitBatch(
            ["0x"],
            [{ stateRoot: root, exitRoot: ethers.ZeroHash, depositCursor: 5, forcedCursor: 0 }],
            opSigner.address,
            9,
          ),
      )
        .to.be.revertedWithCustomError(rollup, "NotEnoughDeposits")
        .withArgs(2, 0);
    });
  });

  describe("# proveFraud", function () {
    it("should refuse to roll back a valid chunk and change nothing", async function () {
      const { rollup, challenger } = await loadFixture(fundedFixture);
      const proof = buildFraudProof(await readL1(rollup), 1, 0);
      await expect(rollup.connect(challenger).proveFraud(proof))
        .to.be.revertedWithCustomError(rollup, "ChunkIsValid")
        .withArgs(1, 0);
      expect(await rollup.bonded()).to.equal(true);
    });

    it("should refuse a witness that does not match the committed root", async function () {
      const { rollup, challenger } = await loadFixture(fundedFixture);
      const proof = buildFraudProof(await readL1(rollup), 1, 0);
      const accounts = proof.accounts.map((a) => ({ ...a }));
      accounts[0] = { ...accounts[0], balance: 1n, owner: challenger.address };
      const genesisRoot = (await batchRecord(rollup, 0)).stateRoot;
      await expect(rollup.connect(challenger).proveFraud({ ...proof, accounts }))
        .to.be.revertedWithCustomError(rollup, "InvalidAccountWitness")
        .withArgs(0, genesisRoot);
    });

    it("should roll back, pay half the bond to the challenger and burn the rest", async function () {
      const f = await loadFixture(fundedFixture);
      const { rollup, accounts, challenger } = f;
      const operator = await freshOperator(f);
      await operator.postPending({ kind: "mint", to: accounts[0], amount: parseEther("50") });
      const watcher = new Watcher(rollup, challenger);
      const burn = await rollup.BURN_ADDRESS();
      const balances = async () => Promise.all([challenger, rollup, burn].map((a) => ethers.provider.getBalance(a)));
      const before = await balances();
      const result = await watcher.challengeFirstInvalid();
      const commit = watcher.lastCommit!;
      const gas = result!.receipt.gasUsed * result!.receipt.gasPrice + commit.gasUsed * commit.gasPrice;
      const after = await balances();
      expect(result!.invalid.fault).to.equal("StateRootMismatch");
      expect(after[0] - before[0] + gas).to.equal(parseEther("0.5"));
      expect(before[1] - after[1]).to.equal(parseEther("1"));
      expect(after[2] - before[2]).to.equal(parseEther("0.5"));
      expect(await rollup.isStanding(await batchRecord(rollup, 2))).to.equal(false);
      expect(await rollup.tipId()).to.equal(1n);
      expect(await rollup.bonded()).to.equal(false);
      await expect(rollup.connect(challenger).proveFraud(buildFraudProof(await readL1(rollup), 2, 0)))
        .to.be.revertedWithCustomError(rollup, "BatchNotStanding")
        .withArgs(2, 2);
    });

    it("should not roll back a batch after its window", async function () {
      const f = await loadFixture(fundedFixture);
      const { rollup, accounts, challenger } = f;
      const operator = await freshOperator(f);
      await operator.postPending({ kind: "mint", to: accounts[0], amount: parseEther("50") });
      const proof = buildFraudProof(await readL1(rollup), 2, 0);
      await time.increase(CHALLENGE_PERIOD);
      await expect(rollup.connect(challenger).proveFraud(proof))
        .to.be.revertedWithCustomError(rollup, "BatchAlreadyFinal")
        .withArgs(2, (await batchRecord(rollup, 2)).finalAt);
    });
  });

  describe("# claimExit", function () {
    it("should pay a final exit once", async function () {
      const { rollup, claim, l1 } = await loadFixture(withdrawnFixture);
      await expect(rollup.claimExit(claim))
        .to.be.revertedWithCustomError(rollup, "BatchNotFinal")
        .withArgs(2, (await batchRecord(rollup, 2)).finalAt);
      await time.increase(CHALLENGE_PERIOD);
      await expect(rollup.claimExit(claim)).to.changeEtherBalances(
        [l1[1], rollup],
        [parseEther("0.5"), -parseEther("0.5")],
      );
      await expect(rollup.claimExit(claim))
        .to.be.revertedWithCustomError(rollup, "ExitAlreadyClaimed")
        .withArgs(2, 0, claim.position);
    });

    it("should refuse an exit that is not in the committed exit tree", async function () {
      const { rollup, claim } = await loadFixture(withdrawnFixture);
      await time.increase(CHALLENGE_PERIOD);
      await expect(rollup.claimExit({ ...claim, amount: parseEther("5") }))
        .to.be.revertedWithCustomError(rollup, "InvalidExitProof")
        .withArgs(2, 0, claim.position);
    });

    it("should pay a re-entering recipient once and a refusing one never, without locking others", async function () {
      const f = await loadFixture(fundedFixture);
      f.operator = await freshOperator(f);
      const payee = await (await ethers.getContractFactory("OptimisticReentrantPayee")).deploy();
      const refuser = await (await ethers.getContractFactory("OptimisticReentrantPayee")).deploy();
      const target = [await payee.getAddress(), await refuser.getAddress(), f.l1[2].address];
      target.forEach((recipient, i) =>
        f.operator.accept(
          signWithdraw(f.domain, f.l2[i].signingKey, {
            from: f.accounts[i],
            recipient,
            amount: parseEther("0.25"),
            fee: 0n,
            nonce: 0,
          }),
        ),
      );
      await f.operator.postPending();
      await time.increase(CHALLENGE_PERIOD);
      const view = await readL1(f.rollup);
      const claims = rebuild(view).exits.map((e) => buildExitClaim(view, e));
      await payee.arm(0, await f.rollup.getAddress(), claims[0]);
      await refuser.arm(1, await f.rollup.getAddress(), claims[1]);
      const before = await liabilities(f.rollup);
      await expect(f.rollup.claimExit(claims[0])).to.emit(payee, "Received").withArgs(parseEther("0.25"), false);
      expect(await payee.received()).to.equal(parseEther("0.25"));
      await expect(f.rollup.claimExit(claims[1]))
        .to.be.revertedWithCustomError(f.rollup, "PaymentFailed")
        .withArgs(target[1], parseEther("0.25"));
      await expect(f.rollup.claimExit(claims[2])).to.changeEtherBalance(f.l1[2], parseEther("0.25"));
      expect(await liabilities(f.rollup)).to.equal(before - parseEther("0.5"));
      expect(await ethers.provider.getBalance(f.rollup)).to.equal(await liabilities(f.rollup));
    });
  });

  describe("# freeze", function () {
    it("should freeze only once a forced request is overdue, then let every account escape once", async function () {
      const f = await loadFixture(fundedFixture);
      f.operator = await freshOperator(f);
      const { rollup, domain, l1, l2, accounts } = f;
      // a pending honest transfer that the freeze rolls back
      await time.increase(CHALLENGE_PERIOD);
      f.operator.accept(
        signTransfer(domain, l2[0].signingKey, {
          from: accounts[0],
          to: accounts[1],
          amount: parseEther("0.5"),
          fee: 0n,
          nonce: 0,
        }),
      );
      await f.operator.postPending();
      const sig = signForcedWithdrawal(domain, l2[2].signingKey, accounts[2], l1[2].address, parseEther("1"), 0n);
      await rollup.connect(l1[2]).requestForcedWithdrawal(accounts[2], parseEther("1"), sig);
      const deadline = (await time.latest()) + FORCE_DELAY;
      await expect(rollup.connect(l1[0]).freeze(...(await freezeArgs(rollup))))
        .to.be.revertedWithCustomError(rollup, "RequestNotOverdue")
        .withArgs(0, deadline);
      await time.increase(FORCE_DELAY + 1);
      await expect(rollup.connect(l1[0]).freeze(...(await freezeArgs(rollup))))
        .to.emit(rollup, "RollupFrozen")
        .withArgs(l1[0].address, 1, (await batchRecord(rollup, 1)).stateRoot, 0);
      expect(await rollup.isStanding(await batchRecord(rollup, 2))).to.equal(false);
      const view = await readL1(rollup);
      const { state } = rebuild(view);
      const { signEscape } = await import("../../src/optimistic/client");
      for (let i = 0; i < 3; i++) {
        const account = state.account(accounts[i]);
        const siblings = state.tree.proof(accounts[i]).map((s) => "0x" + s.toString("hex"));
        const escapeSig = signEscape(domain, l2[i].signingKey, accounts[i], l1[i].address);
        await expect(rollup.connect(l1[i]).escape(account, siblings, l1[i].address, escapeSig)).to.changeEtherBalance(
          l1[i],
          parseEther(String(i + 1)),
        );
        await expect(rollup.connect(l1[i]).escape(account, siblings, l1[i].address, escapeSig))
          .to.be.revertedWithCustomError(rollup, "AlreadyEscaped")
          .withArgs(accounts[i]);
      }
      expect(await ethers.provider.getBalance(rollup)).to.equal(0n);
    });

    it("should leave an escape to a recipient that refuses ETH undone, so the owner can escape elsewhere", async function () {
      const f = await loadFixture(fundedFixture);
      const { rollup, domain, l1, l2, accounts } = f;
      await time.increase(CHALLENGE_PERIOD);
      const sig = signForcedWithdrawal(domain, l2[0].signingKey, accounts[0], l1[0].address, parseEther("1"), 0n);
      await rollup.connect(l1[0]).requestForcedWithdrawal(accounts[0], parseEther("1"), sig);
      await time.increase(FORCE_DELAY + 1);
      await rollup.connect(l1[1]).freeze(...(await freezeArgs(rollup)));
      const { state } = rebuild(await readL1(rollup));
      const { signEscape } = await import("../../src/optimistic/client");
      const refuser = await (await ethers.getContractFactory("OptimisticReentrantPayee")).deploy();
      const zero = ethers.ZeroHash;
      const chunk = { stateRoot: zero, exitRoot: zero, dataHash: zero, depositCursor: 0, forcedCursor: 0 };
      // Mode 1 (Refuse) reverts on every payment; the claim it would replay is never used.
      const unused = {
        batch: await batchRecord(rollup, 0),
        chunkIndex: 0,
        chunk,
        chunkProof: [],
        position: 0,
        recipient: l1[0].address,
        amount: 0n,
        exitProof: [],
      };
      await refuser.arm(1, await rollup.getAddress(), unused);
      const account = state.account(accounts[0]);
      const siblings = state.tree.proof(accounts[0]).map((s) => "0x" + s.toString("hex"));
      const hostile = await refuser.getAddress();
      const before = await ethers.provider.getBalance(rollup);
      await expect(
        rollup.escape(account, siblings, hostile, signEscape(domain, l2[0].signingKey, accounts[0], hostile)),
      )
        .to.be.revertedWithCustomError(rollup, "PaymentFailed")
        .withArgs(hostile, account.balance);
      expect(await rollup.escaped(accounts[0])).to.equal(false);
      expect(await ethers.provider.getBalance(rollup)).to.equal(before);
      const own = signEscape(domain, l2[0].signingKey, accounts[0], l1[0].address);
      await expect(rollup.escape(account, siblings, l1[0].address, own)).to.changeEtherBalance(l1[0], account.balance);
    });
  });
});
