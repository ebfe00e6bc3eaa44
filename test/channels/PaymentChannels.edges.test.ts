/**
 * PaymentChannels at its edges: every refusal with its custom error and the
 * paths the protocol tests do not reach (states signed by hand with both keys,
 * a receiver that refuses ETH, deposits beyond uint96).
 */
import { expect } from "chai";
import hre from "hardhat";
import { setBalance, setCode, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, keccak256 } from "ethers";
import { DigestSigner } from "../../src/channels/crypto";
import { lockProof, locksRoot } from "../../src/channels/locks";
import { domainSeparator, hashState, typedDigest } from "../../src/channels/state";
import type { ChannelState, Lock, SignedState } from "../../src/channels/types";
import { DISPUTE_PERIOD, ETH, HTLC_DELTA, l2Key, load, openFixture, type OpenFixture } from "./fixtures";

/** A state signed by both keys, built by hand (no node checks it). */
function signBoth(f: OpenFixture, state: ChannelState, locks: Lock[] = []): SignedState {
  const digest = typedDigest(domainSeparator(f.domain), hashState(state));
  return {
    state,
    locks,
    signatureA: new DigestSigner(l2Key("alice").privateKey).sign(digest),
    signatureB: new DigestSigner(l2Key("bob").privateKey).sign(digest),
  };
}

const base = (f: OpenFixture): ChannelState => ({
  channelId: f.channelId,
  nonce: 1n,
  depositA: ETH,
  depositB: ETH,
  balanceA: ETH,
  balanceB: ETH,
  locksRoot: ZeroHash,
});

/** PUSH1 0, PUSH1 0, REVERT: the code of an account that refuses every payment. */
const REFUSE_ALL = "0x60006000fd";

describe("PaymentChannels (edges)", function () {
  describe("# constructor and open", function () {
    it("should refuse a zero or oversized dispute period", async function () {
      const factory = await hre.ethers.getContractFactory("PaymentChannels");
      const contract = await factory.deploy(1);
      for (const period of [0n, 2n ** 32n]) {
        await expect(factory.deploy(period))
          .to.be.revertedWithCustomError(contract, "InvalidDisputePeriod")
          .withArgs(period);
      }
    });

    it("should refuse every malformed set of parties and a deposit beyond uint96", async function () {
      const f = await load(openFixture);
      const ok = { ...f.parties };
      const bad = [
        { ...ok, accountA: f.bob.address },
        { ...ok, accountB: ZeroAddress },
        { ...ok, accountB: ok.accountA },
        { ...ok, signerA: ZeroAddress },
        { ...ok, signerB: ZeroAddress },
        { ...ok, signerB: ok.signerA },
      ];
      for (const parties of bad) {
        await expect(f.contract.connect(f.alice).open(parties)).to.be.revertedWithCustomError(
          f.contract,
          "InvalidParties",
        );
      }
      const huge = 2n ** 96n;
      await setBalance(f.alice.address, huge * 3n);
      await setBalance(f.bob.address, huge * 3n);
      await expect(f.contract.connect(f.alice).open(ok, { value: huge }))
        .to.be.revertedWithCustomError(f.contract, "DepositTooLarge")
        .withArgs(0n, huge);
      for (const who of [f.alice, f.bob]) {
        await expect(
          f.contract.connect(who).deposit(f.channelId, ok, { value: huge - ETH }),
        ).to.be.revertedWithCustomError(f.contract, "DepositTooLarge");
      }
    });
  });

  describe("# states L1 refuses", function () {
    it("should refuse unknown deposits, locks without a root and a funding state that is not one", async function () {
      const f = await load(openFixture);
      const close = (s: SignedState) =>
        f.contract.connect(f.alice).close(f.channelId, f.parties, s.state, s.signatureA, s.signatureB);
      await expect(close(signBoth(f, { ...base(f), depositB: 2n * ETH }))).to.be.revertedWithCustomError(
        f.contract,
        "UnknownDeposits",
      );
      await expect(close(signBoth(f, { ...base(f), depositA: 2n * ETH }))).to.be.revertedWithCustomError(
        f.contract,
        "UnknownDeposits",
      );
      await expect(close(signBoth(f, { ...base(f), balanceA: ETH / 2n })))
        .to.be.revertedWithCustomError(f.contract, "LocksWithoutRoot")
        .withArgs(f.channelId, ETH / 2n);
      const funding = { ...base(f), nonce: 0n };
      for (const wrong of [
        { ...funding, balanceA: ETH / 2n, balanceB: (3n * ETH) / 2n },
        { ...funding, balanceA: ETH / 2n, locksRoot: keccak256("0x01") },
        { ...funding, balanceB: ETH / 2n, locksRoot: keccak256("0x01") },
        { ...funding, locksRoot: keccak256("0x01") },
      ]) {
        await expect(
          f.contract.connect(f.alice).close(f.channelId, f.parties, wrong, "0x", "0x"),
        ).to.be.revertedWithCustomError(f.contract, "FundingStateMismatch");
      }
    });

    it("should refuse a lock set that does not add up, and split a remainder no lock claims", async function () {
      const f = await load(openFixture);
      const lock: Lock = { sender: 1, amount: ETH / 4n, expiry: f.clock.now + HTLC_DELTA, hashlock: keccak256("0x02") };
      // The parties signed a state leaving 0.5 ETH locked under one 0.25 lock.
      const state = { ...base(f), balanceB: ETH / 2n, locksRoot: locksRoot([lock]) };
      const signed = signBoth(f, state, [lock]);
      await f.l1.close(f.alice, f.channelId, f.parties, signed);
      await time.increase(DISPUTE_PERIOD);
      await expect(f.contract.settleWithLocks(f.channelId, f.parties, state, [lock], [ZeroHash]))
        .to.be.revertedWithCustomError(f.contract, "LocksDoNotAddUp")
        .withArgs(f.channelId, ETH / 4n, ETH / 2n);
      await f.l1.settle(f.bob, f.channelId, f.parties, state);
      await expect(f.contract.refundLock(f.channelId, f.parties, lock, lockProof([lock], 0)))
        .to.emit(f.contract, "LockedRemainderSplit")
        .withArgs(f.channelId, ETH / 4n);
      expect(await f.l1.payouts(f.channelId, f.parties)).to.deep.equal({ a: ETH, b: ETH / 2n + ETH / 4n });
    });

    it("should cap a lock at what the state left locked", async function () {
      const f = await load(openFixture);
      const big: Lock = { sender: 0, amount: ETH, expiry: f.clock.now + HTLC_DELTA, hashlock: keccak256("0x03") };
      const small: Lock = { ...big, amount: 1n, hashlock: keccak256("0x04") };
      const state = { ...base(f), balanceA: ETH - 1n, locksRoot: locksRoot([big, small]) };
      await f.l1.close(f.alice, f.channelId, f.parties, signBoth(f, state, [big, small]));
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, state);
      await expect(f.contract.refundLock(f.channelId, f.parties, big, lockProof([big, small], 0)))
        .to.be.revertedWithCustomError(f.contract, "LockExceedsLocked")
        .withArgs(f.channelId, ETH, 1n);
    });
  });

  describe("# locks sent by B, and secrets", function () {
    it("should pay a lock sent by B to A, refuse a second reveal, and show a settled channel's locked ETH", async function () {
      const f = await load(openFixture);
      const preimage = keccak256("0x05");
      const lock: Lock = {
        sender: 1,
        amount: ETH / 4n,
        expiry: f.clock.now + 2 * DISPUTE_PERIOD,
        hashlock: keccak256(preimage),
      };
      const state = { ...base(f), balanceB: (3n * ETH) / 4n, locksRoot: locksRoot([lock]) };
      await f.l1.close(f.bob, f.channelId, f.parties, signBoth(f, state, [lock]));
      await f.l1.revealSecret(f.alice, preimage);
      await expect(f.l1.revealSecret(f.bob, preimage)).to.be.revertedWithCustomError(
        f.contract,
        "SecretAlreadyRevealed",
      );
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, state);
      const [status, , , , locked] = await f.contract.channel(f.channelId);
      expect([status, locked]).to.deep.equal([3n, ETH / 4n]);
      await expect(f.contract.redeemLock(f.channelId, f.parties, lock, [], preimage)).to.changeEtherBalances(
        [f.alice, f.contract],
        [ETH / 4n, -ETH / 4n],
      );
    });
  });

  describe("# deferred payouts", function () {
    it("should keep a payout a receiver refuses, and let it withdraw it once it accepts ETH", async function () {
      const f = await load(openFixture);
      await expect(f.contract.connect(f.bob).withdrawDeferred())
        .to.be.revertedWithCustomError(f.contract, "NothingToWithdraw")
        .withArgs(f.bob.address);
      // Bob's account refuses every payment (code that reverts); alice closes everything to one side.
      await setCode(f.bob.address, REFUSE_ALL);
      const offer = f.network.node("alice").offerCooperativeClose(f.channelId);
      const answer = f.network.node("bob").acceptCooperativeClose(offer);
      await expect(
        f.l1.cooperativeClose(
          f.alice,
          f.channelId,
          f.parties,
          offer.balanceA,
          offer.balanceB,
          offer.signature,
          answer.signature,
        ),
      )
        .to.emit(f.contract, "PayoutDeferred")
        .withArgs(f.bob.address, ETH);
      expect(await f.contract.deferredPayouts(f.bob.address)).to.equal(ETH);
      await hre.network.provider.request({ method: "hardhat_impersonateAccount", params: [f.bob.address] });
      const bob = await hre.ethers.getSigner(f.bob.address);
      await expect(f.contract.connect(bob).withdrawDeferred())
        .to.be.revertedWithCustomError(f.contract, "TransferFailed")
        .withArgs(f.bob.address, ETH);
      await setCode(f.bob.address, "0x");
      await expect(f.contract.connect(bob).withdrawDeferred()).to.changeEtherBalances([f.bob, f.contract], [ETH, -ETH]);
      await hre.network.provider.request({ method: "hardhat_stopImpersonatingAccount", params: [f.bob.address] });
    });

    it("should pay nothing to a side whose balance is zero", async function () {
      const f = await load(openFixture);
      const state = { ...base(f), balanceA: 0n, balanceB: 2n * ETH };
      const signed = signBoth(f, state);
      await f.l1.close(f.alice, f.channelId, f.parties, signed);
      await time.increase(DISPUTE_PERIOD);
      await expect(f.contract.settle(f.channelId, f.parties, state)).to.changeEtherBalances(
        [f.alice, f.bob],
        [0n, 2n * ETH],
      );
    });
  });
});
