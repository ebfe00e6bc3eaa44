import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash } from "ethers";
import { deployChannels } from "../../scripts/deploy-channels";
import { lockProof } from "../../src/channels/locks";
import { payDirect } from "../../src/channels/payments";
import { DigestSigner } from "../../src/channels/crypto";
import { domainSeparator, hashState, typedDigest } from "../../src/channels/state";
import type { Lock, SignedState } from "../../src/channels/types";
import { DISPUTE_PERIOD, ETH, HTLC_DELTA, l2Key, load, openFixture, type OpenFixture } from "./fixtures";

const CLOSING = 2;
const OPEN = 1;
const NONE = 0;

/** Two payments alice → bob: states #1 (0.7/1.3) and #2 (0.5/1.5). */
async function twoPaymentsFixture(): Promise<OpenFixture & { first: SignedState; second: SignedState }> {
  const f = await openFixture();
  const first = payDirect(f.network, "alice", "bob", (3n * ETH) / 10n);
  const second = payDirect(f.network, "alice", "bob", (2n * ETH) / 10n);
  return { ...f, first, second };
}

/** alice → bob holds one 0.25 lock (state #1); bob knows the preimage. */
async function oneLockFixture(): Promise<OpenFixture & { lock: Lock; preimage: string; signed: SignedState }> {
  const f = await openFixture();
  const hashlock = f.network.node("bob").createInvoice();
  const preimage = f.network.node("bob").preimages.get(hashlock)!;
  const lock: Lock = { sender: 0, amount: ETH / 4n, expiry: f.clock.now + 2 * HTLC_DELTA, hashlock };
  const signed = f.network.update("alice", f.channelId, { kind: "add-lock", lock });
  return { ...f, lock, preimage, signed };
}

/** oneLockFixture, closed by alice on the lock state and settled after the dispute period. */
async function settledWithLockFixture(): Promise<Awaited<ReturnType<typeof oneLockFixture>>> {
  const f = await oneLockFixture();
  await f.l1.close(f.alice, f.channelId, f.parties, f.signed);
  await time.increase(DISPUTE_PERIOD);
  return f;
}

describe("PaymentChannels", function () {
  describe("# open", function () {
    it("should hold both deposits and emit ChannelOpened", async function () {
      const f = await load(openFixture);
      const [status, depositA, depositB] = await f.contract.channel(f.channelId);
      expect([status, depositA, depositB]).to.deep.equal([BigInt(OPEN), ETH, ETH]);
      await expect(f.contract.connect(f.alice).open(f.parties, { value: ETH }))
        .to.emit(f.contract, "ChannelOpened")
        .withArgs(2n, f.alice.address, f.bob.address, f.parties.signerA, f.parties.signerB, ETH);
      await expect(f.contract.connect(f.alice).open(f.parties, { value: ETH })).to.changeEtherBalances(
        [f.alice, f.contract],
        [-ETH, ETH],
      );
    });

    it("should not open for someone else or with the same signer twice", async function () {
      const f = await load(openFixture);
      const p = f.parties;
      await expect(f.contract.connect(f.bob).open(p))
        .to.be.revertedWithCustomError(f.contract, "InvalidParties")
        .withArgs(p.accountA, p.accountB, p.signerA, p.signerB);
      const same = { ...p, signerB: p.signerA };
      await expect(f.contract.connect(f.alice).open(same)).to.be.revertedWithCustomError(f.contract, "InvalidParties");
    });
  });

  describe("# deposit", function () {
    it("should add to the sender's side and refuse outsiders", async function () {
      const f = await load(openFixture);
      await expect(f.contract.connect(f.bob).deposit(f.channelId, f.parties, { value: ETH }))
        .to.emit(f.contract, "ChannelDeposited")
        .withArgs(f.channelId, f.bob.address, ETH, 2n * ETH);
      await expect(f.contract.connect(f.outsider).deposit(f.channelId, f.parties, { value: 1n }))
        .to.be.revertedWithCustomError(f.contract, "NotAParty")
        .withArgs(f.channelId, f.outsider.address);
      const wrong = { ...f.parties, accountB: f.outsider.address };
      await expect(
        f.contract.connect(f.alice).deposit(f.channelId, wrong, { value: 1n }),
      ).to.be.revertedWithCustomError(f.contract, "WrongParties");
    });
  });

  describe("# cooperativeClose", function () {
    it("should pay both sides at once", async function () {
      const f = await load(twoPaymentsFixture);
      const offer = f.network.node("alice").offerCooperativeClose(f.channelId);
      const answer = f.network.node("bob").acceptCooperativeClose(offer);
      const send = () =>
        f.contract
          .connect(f.bob)
          .cooperativeClose(f.channelId, f.parties, offer.balanceA, offer.balanceB, offer.signature, answer.signature);
      await expect(send()).to.changeEtherBalances([f.alice, f.bob, f.contract], [ETH / 2n, (3n * ETH) / 2n, -2n * ETH]);
      await expect(send()).to.be.revertedWithCustomError(f.contract, "WrongStatus").withArgs(f.channelId, OPEN, NONE);
    });

    it("should not pay balances that do not add up or that one party alone signed", async function () {
      const f = await load(twoPaymentsFixture);
      const offer = f.network.node("alice").offerCooperativeClose(f.channelId);
      await expect(f.contract.cooperativeClose(f.channelId, f.parties, 2n * ETH, ETH, offer.signature, offer.signature))
        .to.be.revertedWithCustomError(f.contract, "BalancesDoNotAddUp")
        .withArgs(f.channelId, 3n * ETH, 2n * ETH);
      await expect(
        f.contract.cooperativeClose(
          f.channelId,
          f.parties,
          offer.balanceA,
          offer.balanceB,
          offer.signature,
          offer.signature,
        ),
      )
        .to.be.revertedWithCustomError(f.contract, "InvalidSignature")
        .withArgs(f.channelId, f.parties.signerB, f.parties.signerA);
    });
  });

  describe("# close", function () {
    it("should start the dispute period on a state both signed", async function () {
      const f = await load(twoPaymentsFixture);
      const tx = f.l1.close(f.alice, f.channelId, f.parties, f.second);
      await expect(tx).to.emit(f.contract, "ChannelClosed");
      const [status, , , settleAt] = await f.contract.channel(f.channelId);
      expect(status).to.equal(BigInt(CLOSING));
      expect(settleAt).to.equal(BigInt((await time.latest()) + DISPUTE_PERIOD));
    });

    it("should refuse a bad signature and a state signed by only one party", async function () {
      const f = await load(twoPaymentsFixture);
      const s = f.second;
      const c = f.contract.connect(f.alice);
      await expect(c.close(f.channelId, f.parties, s.state, s.signatureA, s.signatureA))
        .to.be.revertedWithCustomError(f.contract, "InvalidSignature")
        .withArgs(f.channelId, f.parties.signerB, f.parties.signerA);
      await expect(c.close(f.channelId, f.parties, s.state, s.signatureA, "0x"))
        .to.be.revertedWithCustomError(f.contract, "InvalidSignature")
        .withArgs(f.channelId, f.parties.signerB, ZeroAddress);
      const tampered = { ...s.state, balanceA: s.state.balanceA + 1n, balanceB: s.state.balanceB - 1n };
      await expect(c.close(f.channelId, f.parties, tampered, s.signatureA, s.signatureB)).to.be.revertedWithCustomError(
        f.contract,
        "InvalidSignature",
      );
    });

    it("should refuse a state for another channel, contract or chain", async function () {
      const f = await load(twoPaymentsFixture);
      const s = f.second;
      await f.contract.connect(f.alice).open(f.parties, { value: ETH });
      await expect(f.contract.connect(f.alice).close(2n, f.parties, s.state, s.signatureA, s.signatureB))
        .to.be.revertedWithCustomError(f.contract, "StateForOtherChannel")
        .withArgs(2n, f.channelId);
      // The same ids on a second contract: the domain differs, so the signatures recover other addresses.
      const other = await deployChannels(hre, { disputePeriod: DISPUTE_PERIOD });
      await other.contract.connect(f.alice).open(f.parties, { value: ETH });
      await other.contract.connect(f.bob).deposit(1n, f.parties, { value: ETH });
      await expect(
        other.contract.connect(f.alice).close(1n, f.parties, s.state, s.signatureA, s.signatureB),
      ).to.be.revertedWithCustomError(other.contract, "InvalidSignature");
      // Signed for another chain id: same contract, still refused.
      const foreign = domainSeparator({ chainId: 1n, verifyingContract: f.address });
      const sign = (name: string): string =>
        new DigestSigner(l2Key(name).privateKey).sign(typedDigest(foreign, hashState(s.state)));
      await expect(
        f.contract.connect(f.alice).close(f.channelId, f.parties, s.state, sign("alice"), sign("bob")),
      ).to.be.revertedWithCustomError(f.contract, "InvalidSignature");
    });

    it("should refuse an outsider and a state that pays more than its deposits", async function () {
      const f = await load(twoPaymentsFixture);
      await expect(f.l1.close(f.outsider, f.channelId, f.parties, f.second))
        .to.be.revertedWithCustomError(f.contract, "NotAParty")
        .withArgs(f.channelId, f.outsider.address);
      const funding = { ...f.second.state, nonce: 0n, balanceA: 2n * ETH, balanceB: ETH, locksRoot: ZeroHash };
      await expect(f.contract.connect(f.alice).close(f.channelId, f.parties, funding, "0x", "0x"))
        .to.be.revertedWithCustomError(f.contract, "BalancesDoNotAddUp")
        .withArgs(f.channelId, 3n * ETH, 2n * ETH);
    });
  });

  describe("# dispute", function () {
    it("should give the whole channel to the other side when the closer revoked its state", async function () {
      const f = await load(twoPaymentsFixture);
      await f.l1.close(f.alice, f.channelId, f.parties, f.first);
      const revocation = f.network.node("bob").channel(f.channelId).theirRevocation!;
      expect(revocation.nonce).to.equal(1n);
      const tx = f.l1.dispute(f.outsider, f.channelId, f.parties, f.first.state, f.second, revocation);
      await expect(tx)
        .to.emit(f.contract, "ChannelPenalized")
        .withArgs(f.channelId, f.alice.address, f.bob.address, 1n, 1n, 2n * ETH);
      await expect(
        f.l1.dispute(f.outsider, f.channelId, f.parties, f.first.state, f.second, revocation),
      ).to.be.revertedWithCustomError(f.contract, "WrongStatus");
    });

    it("should pay the penalty in full to the other side", async function () {
      const f = await load(twoPaymentsFixture);
      await f.l1.close(f.alice, f.channelId, f.parties, f.first);
      const revocation = f.network.node("bob").channel(f.channelId).theirRevocation!;
      const s = f.second;
      await expect(
        f.contract
          .connect(f.bob)
          .dispute(f.channelId, f.parties, f.first.state, s.state, s.signatureA, s.signatureB, revocation),
      ).to.changeEtherBalances([f.alice, f.bob, f.contract], [0n, 2n * ETH, -2n * ETH]);
    });

    it("should only replace the closing state without a revocation, and settle on the newer one", async function () {
      const f = await load(twoPaymentsFixture);
      await f.l1.close(f.alice, f.channelId, f.parties, f.first);
      await expect(f.l1.dispute(f.bob, f.channelId, f.parties, f.first.state, f.second, null))
        .to.emit(f.contract, "ChannelUpdated")
        .withArgs(f.channelId, f.bob.address, 2n, Object.values(f.second.state));
      await time.increase(DISPUTE_PERIOD);
      await expect(f.contract.settle(f.channelId, f.parties, f.second.state)).to.changeEtherBalances(
        [f.alice, f.bob],
        [ETH / 2n, (3n * ETH) / 2n],
      );
    });

    it("should still penalise a stale close after a newer state replaced it, and only with the closer's revocation", async function () {
      const f = await load(twoPaymentsFixture);
      await f.l1.close(f.alice, f.channelId, f.parties, f.first);
      // Alice herself puts the newest state in place of the one she closed with...
      await f.l1.dispute(f.alice, f.channelId, f.parties, f.first.state, f.second, null);
      // ...a revocation by the wrong side proves nothing...
      const wrong = f.network.node("alice").channel(f.channelId).theirRevocation!;
      await expect(
        f.l1.dispute(f.bob, f.channelId, f.parties, f.second.state, f.second, wrong),
      ).to.be.revertedWithCustomError(f.contract, "InvalidSignature");
      // ...but hers of the nonce she closed with still does.
      const revocation = f.network.node("bob").channel(f.channelId).theirRevocation!;
      await expect(f.l1.dispute(f.bob, f.channelId, f.parties, f.second.state, f.second, revocation))
        .to.emit(f.contract, "ChannelPenalized")
        .withArgs(f.channelId, f.alice.address, f.bob.address, 1n, 1n, 2n * ETH);
    });

    it("should refuse a state that is not newer, a revocation too old and a late dispute", async function () {
      const f = await load(twoPaymentsFixture);
      await f.l1.close(f.alice, f.channelId, f.parties, f.second);
      await expect(f.l1.dispute(f.bob, f.channelId, f.parties, f.second.state, f.first, null))
        .to.be.revertedWithCustomError(f.contract, "StateNotNewer")
        .withArgs(f.channelId, 2n, 1n);
      await expect(
        f.l1.dispute(f.bob, f.channelId, f.parties, f.first.state, f.second, null),
      ).to.be.revertedWithCustomError(f.contract, "ClosingStateMismatch");
      const third = payDirectAfterClose(f);
      const old = { nonce: 1n, signature: f.network.node("bob").channel(f.channelId).theirRevocation!.signature };
      await expect(f.l1.dispute(f.bob, f.channelId, f.parties, f.second.state, third, old))
        .to.be.revertedWithCustomError(f.contract, "RevocationTooOld")
        .withArgs(f.channelId, 1n, 2n);
      await time.increase(DISPUTE_PERIOD);
      await expect(
        f.l1.dispute(f.bob, f.channelId, f.parties, f.second.state, third, null),
      ).to.be.revertedWithCustomError(f.contract, "DisputePeriodOver");
    });
  });

  describe("# settle", function () {
    it("should wait for the dispute period, pay the closing state and refuse a second settle", async function () {
      const f = await load(twoPaymentsFixture);
      await f.l1.close(f.bob, f.channelId, f.parties, f.second);
      const [, , , settleAt] = await f.contract.channel(f.channelId);
      await expect(f.l1.settle(f.alice, f.channelId, f.parties, f.second.state))
        .to.be.revertedWithCustomError(f.contract, "DisputePeriodNotOver")
        .withArgs(f.channelId, settleAt, (now: bigint) => now < BigInt(settleAt));
      await time.increase(DISPUTE_PERIOD);
      await expect(f.l1.settle(f.alice, f.channelId, f.parties, f.second.state))
        .to.emit(f.contract, "ChannelSettled")
        .withArgs(f.channelId, ETH / 2n, (3n * ETH) / 2n, 0n);
      await expect(f.l1.settle(f.alice, f.channelId, f.parties, f.second.state))
        .to.be.revertedWithCustomError(f.contract, "WrongStatus")
        .withArgs(f.channelId, CLOSING, NONE);
    });

    it("should pay back a top-up the closing state did not know of", async function () {
      const f = await load(twoPaymentsFixture);
      await f.contract.connect(f.alice).deposit(f.channelId, f.parties, { value: ETH });
      await f.l1.close(f.bob, f.channelId, f.parties, f.second);
      await time.increase(DISPUTE_PERIOD);
      await expect(f.contract.settle(f.channelId, f.parties, f.second.state)).to.changeEtherBalances(
        [f.alice, f.bob, f.contract],
        [ETH + ETH / 2n, (3n * ETH) / 2n, -3n * ETH],
      );
    });
  });

  describe("# redeemLock and refundLock", function () {
    it("should keep a pending lock after settle and pay it to the receiver with the preimage", async function () {
      const f = await load(settledWithLockFixture);
      await expect(f.l1.settle(f.bob, f.channelId, f.parties, f.signed.state))
        .to.emit(f.contract, "ChannelSettled")
        .withArgs(f.channelId, (3n * ETH) / 4n, ETH, ETH / 4n);
      // The dispute period (1 day) outlived the lock (2 h): only a reveal by the expiry would have saved it.
      await expect(f.l1.redeemLock(f.bob, f.channelId, f.parties, f.lock, [], f.preimage))
        .to.be.revertedWithCustomError(f.contract, "LockExpired")
        // The time L1 saw is the block's: past the expiry, whatever wall time a loaded machine let pass.
        .withArgs(f.channelId, f.lock.hashlock, f.lock.expiry, (now: bigint) => now > BigInt(f.lock.expiry));
      await expect(f.contract.refundLock(f.channelId, f.parties, f.lock, [])).to.changeEtherBalances(
        [f.alice, f.contract],
        [ETH / 4n, -ETH / 4n],
      );
      await expect(f.l1.refundLock(f.outsider, f.channelId, f.parties, f.lock, [])).to.be.revertedWithCustomError(
        f.contract,
        "WrongStatus",
      );
    });

    it("should redeem in time after a reveal during the dispute period, and refuse a wrong preimage", async function () {
      const f = await load(oneLockFixture);
      await f.l1.close(f.alice, f.channelId, f.parties, f.signed);
      await expect(f.l1.revealSecret(f.bob, f.preimage))
        .to.emit(f.contract, "SecretRevealed")
        .withArgs(f.lock.hashlock, f.preimage);
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, f.signed.state);
      await expect(f.l1.refundLock(f.alice, f.channelId, f.parties, f.lock, [])).to.be.revertedWithCustomError(
        f.contract,
        "LockRedeemable",
      );
      await expect(f.l1.redeemLock(f.bob, f.channelId, f.parties, f.lock, [], ZeroHash))
        .to.be.revertedWithCustomError(f.contract, "WrongPreimage")
        .withArgs(f.lock.hashlock, hre.ethers.keccak256(ZeroHash));
      await expect(f.contract.redeemLock(f.channelId, f.parties, f.lock, [], f.preimage)).to.changeEtherBalances(
        [f.bob, f.contract],
        [ETH / 4n, -ETH / 4n],
      );
      expect((await f.contract.channel(f.channelId))[0]).to.equal(BigInt(NONE));
    });

    it("should refuse to reveal the zero preimage, and publish every preimage used to redeem", async function () {
      const f = await load(oneLockFixture);
      await expect(f.l1.revealSecret(f.bob, ZeroHash)).to.be.revertedWithCustomError(f.contract, "ZeroPreimage");
      await f.l1.close(f.alice, f.channelId, f.parties, f.signed);
      await f.l1.revealSecret(f.bob, f.preimage);
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, f.signed.state);
      await expect(f.l1.redeemLock(f.bob, f.channelId, f.parties, f.lock, [], f.preimage))
        .to.emit(f.contract, "PreimageRevealed")
        .withArgs(f.lock.hashlock, f.preimage);
    });

    it("should refuse a refund before the expiry and a lock that is not in the root", async function () {
      const f = await load(oneLockFixture);
      const hashlock2 = f.network.node("bob").createInvoice();
      const lock2: Lock = { ...f.lock, hashlock: hashlock2, amount: ETH / 10n };
      const signed = f.network.update("alice", f.channelId, { kind: "add-lock", lock: lock2 });
      await f.l1.close(f.alice, f.channelId, f.parties, signed);
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, signed.state);
      const forged = { ...f.lock, amount: ETH };
      await expect(
        f.l1.refundLock(f.alice, f.channelId, f.parties, forged, lockProof(signed.locks, 0)),
      ).to.be.revertedWithCustomError(f.contract, "LockNotInRoot");
      await f.l1.refundLock(f.alice, f.channelId, f.parties, f.lock, lockProof(signed.locks, 0));
      // A decided lock has left the tree: it cannot be paid twice.
      await expect(
        f.l1.refundLock(f.alice, f.channelId, f.parties, f.lock, lockProof(signed.locks, 0)),
      ).to.be.revertedWithCustomError(f.contract, "LockNotInRoot");
      const [, , , , locked] = await f.contract.channel(f.channelId);
      expect(locked).to.equal(ETH / 10n);
      await expect(
        f.contract.refundLock(f.channelId, f.parties, lock2, lockProof(signed.locks, 1, new Set([0]))),
      ).to.changeEtherBalances([f.alice, f.contract], [ETH / 10n, -ETH / 10n]);
      expect((await f.contract.channel(f.channelId))[0]).to.equal(BigInt(NONE));
    });

    it("should settle and decide every lock in one transaction with settleWithLocks", async function () {
      const f = await load(oneLockFixture);
      const hashlock = f.network.node("alice").createInvoice();
      const expiry = f.clock.now + 3 * DISPUTE_PERIOD;
      const back: Lock = { sender: 1, amount: ETH / 10n, expiry, hashlock };
      const signed = f.network.update("bob", f.channelId, { kind: "add-lock", lock: back });
      await f.l1.close(f.bob, f.channelId, f.parties, signed);
      await time.increase(DISPUTE_PERIOD);
      const send = (locks: Lock[], preimages: string[]) =>
        f.contract.settleWithLocks(f.channelId, f.parties, signed.state, locks, preimages);
      // The alice → bob lock expired unredeemed (2 h); bob → alice is redeemed with alice's preimage.
      const alicePreimage = f.network.node("alice").preimages.get(hashlock)!;
      await expect(send(signed.locks, [ZeroHash])).to.be.revertedWithCustomError(f.contract, "LockListMismatch");
      const inflated = { ...signed.locks[1], amount: ETH };
      await expect(send([signed.locks[0], inflated], [ZeroHash, alicePreimage])).to.be.revertedWithCustomError(
        f.contract,
        "LockSetMismatch",
      );
      await expect(send(signed.locks, [ZeroHash, f.preimage]))
        .to.be.revertedWithCustomError(f.contract, "WrongPreimage")
        .withArgs(back.hashlock, hre.ethers.keccak256(f.preimage));
      await expect(send(signed.locks, [ZeroHash, ZeroHash]))
        .to.be.revertedWithCustomError(f.contract, "LockNotExpired")
        .withArgs(f.channelId, back.hashlock, expiry, (now: bigint) => now <= BigInt(expiry));
      // balances 0.75 / 0.9, alice gets her expired 0.25 back and bob's 0.1
      await expect(send(signed.locks, [ZeroHash, alicePreimage])).to.changeEtherBalances(
        [f.alice, f.bob, f.contract],
        [(3n * ETH) / 4n + ETH / 4n + ETH / 10n, (9n * ETH) / 10n, -2n * ETH],
      );
    });

    it("should refuse a refund before the lock expires", async function () {
      const f = await load(openFixture);
      const hashlock = f.network.node("bob").createInvoice();
      const lock: Lock = {
        sender: 0,
        amount: ETH / 4n,
        expiry: f.clock.now + DISPUTE_PERIOD + 10 * HTLC_DELTA,
        hashlock,
      };
      const signed = f.network.update("alice", f.channelId, { kind: "add-lock", lock });
      await f.l1.close(f.alice, f.channelId, f.parties, signed);
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, signed.state);
      await expect(f.l1.refundLock(f.alice, f.channelId, f.parties, lock, []))
        .to.be.revertedWithCustomError(f.contract, "LockNotExpired")
        .withArgs(f.channelId, hashlock, lock.expiry, (now: bigint) => now <= BigInt(lock.expiry));
    });
  });
});

/** A third state made off-chain after the close (the nodes still consider the channel open). */
function payDirectAfterClose(f: OpenFixture): SignedState {
  return payDirect(f.network, "alice", "bob", ETH / 10n);
}
