/**
 * Integer edge: each side's deposit fits in uint96, but their sum need not.
 * A state that leaves more than 2^96 - 1 wei in locks is settled into the
 * 96-bit field that holds a settled channel's locked ETH: the amount is cut
 * short and the locks, each within the old amount, can no longer be paid.
 * Both parties act straight against the ABI from their own accounts.
 */
import { expect } from "chai";
import hre from "hardhat";
import { setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256 } from "ethers";
import { DigestSigner } from "../../../src/channels/crypto";
import { lockProof, locksRoot } from "../../../src/channels/locks";
import { domainSeparator, hashState, typedDigest } from "../../../src/channels/state";
import type { ChannelState, Lock, Parties } from "../../../src/channels/types";
import { DISPUTE_PERIOD, deployedFixture, l2Key } from "../fixtures";
import { expectSolvent } from "./solvency";

const MAX96 = 2n ** 96n - 1n;

describe("attack: truncated-locks", function () {
  it("should never hold more ETH in one channel than its settled locks can pay out", async function () {
    const f = await deployedFixture();
    const [alice, bob] = [f.signers[1], f.signers[2]];
    await setBalance(alice.address, 4n * MAX96);
    await setBalance(bob.address, 4n * MAX96);
    const parties: Parties = {
      accountA: alice.address,
      accountB: bob.address,
      signerA: l2Key("alice").address,
      signerB: l2Key("bob").address,
    };
    const c = f.contract;
    await c.connect(alice).open(parties, { value: MAX96 });
    const channelId = await c.channelCount();
    let refused = false;
    try {
      await c.connect(bob).deposit(channelId, parties, { value: MAX96 });
    } catch (e) {
      expect((e as Error).message).to.contain("DepositTooLarge");
      refused = true;
    }

    if (!refused) {
      // A state that locks everything: one lock each way, each of the whole of one deposit.
      const now = await time.latest();
      const preimages = ["0x" + "11".repeat(32), "0x" + "22".repeat(32)];
      const locks: Lock[] = preimages.map((p, i) => ({
        sender: i as 0 | 1,
        amount: MAX96,
        expiry: now + 2 * DISPUTE_PERIOD,
        hashlock: keccak256(p),
      }));
      const state: ChannelState = {
        channelId,
        nonce: 1n,
        depositA: MAX96,
        depositB: MAX96,
        balanceA: 0n,
        balanceB: 0n,
        locksRoot: locksRoot(locks),
      };
      const digest = typedDigest(domainSeparator(f.domain), hashState(state));
      const sigA = new DigestSigner(l2Key("alice").privateKey).sign(digest);
      const sigB = new DigestSigner(l2Key("bob").privateKey).sign(digest);
      await c.connect(alice).close(channelId, parties, state, sigA, sigB);
      await time.increase(DISPUTE_PERIOD);
      await c.connect(bob).settle(channelId, parties, state);
      // Each receiver redeems its lock with the preimage, in time.
      const removed = new Set<number>();
      for (const [i, who] of [bob, alice].entries()) {
        await c.connect(who).redeemLock(channelId, parties, locks[i], lockProof(locks, i, removed), preimages[i]);
        removed.add(i);
      }
    } else {
      // The deposit state: alice holds everything, no locks.
      const opening = {
        channelId,
        nonce: 0n,
        depositA: MAX96,
        depositB: 0n,
        balanceA: MAX96,
        balanceB: 0n,
        locksRoot: "0x" + "00".repeat(32),
      };
      await c.connect(alice).close(channelId, parties, opening, "0x", "0x");
      await time.increase(DISPUTE_PERIOD);
      await c.connect(bob).settle(channelId, parties, opening);
    }
    // Everything was paid out: the channel is idle and the contract holds nothing.
    expect((await c.channel(channelId))[0]).to.equal(0n);
    expect(await hre.ethers.provider.getBalance(f.address)).to.equal(0n);
    await expectSolvent(c);
  });
});
