/**
 * Attack: alice locks a payment to bob under keccak256(bytes32(0)), the hash
 * of the one preimage the contract reads as "no preimage", closes, and
 * reveals the zero preimage on L1: if L1 records it, the lock is neither
 * redeemable (a zero preimage is refused) nor refundable (it counts as
 * revealed in time), and its ETH is stuck for good. Alice's proposal is built
 * and signed by hand and handed to bob's node; her L1 calls are raw.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, ZeroHash } from "ethers";
import { DigestSigner } from "../../../src/channels/crypto";
import { ChannelRefusal } from "../../../src/channels/errors";
import { lockProof, locksRoot } from "../../../src/channels/locks";
import { domainSeparator, hashState, typedDigest } from "../../../src/channels/state";
import { applyChange } from "../../../src/channels/transitions";
import type { Lock, SignedState } from "../../../src/channels/types";
import { DISPUTE_PERIOD, ETH, HTLC_DELTA, l2Key, load, openFixture, type OpenFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

const ZERO_HASHLOCK = keccak256(ZeroHash);

/** Closes on `signed`, reveals the zero preimage, waits out everything and tries to decide the lock. */
async function strike(f: OpenFixture, signed: SignedState, lock: Lock): Promise<void> {
  const c = f.contract.connect(f.alice);
  await c.close(f.channelId, f.parties, signed.state, signed.signatureA, signed.signatureB);
  await c.revealSecret(ZeroHash).catch(() => undefined); // refused or not, the attack goes on
  await time.increase(DISPUTE_PERIOD + 2 * HTLC_DELTA);
  await c.settle(f.channelId, f.parties, signed.state);
  const proof = lockProof([lock], 0);
  await c.refundLock(f.channelId, f.parties, lock, proof).catch(() => undefined);
  await f.contract
    .connect(f.bob)
    .redeemLock(f.channelId, f.parties, lock, proof, ZeroHash)
    .catch(() => undefined);
}

describe("attack: frozen-lock", function () {
  it("should not let bob's node take a lock on keccak256(0), or else still resolve it", async function () {
    const f = await load(openFixture);
    const alice = new DigestSigner(l2Key("alice").privateKey);
    const bob = f.network.node("bob");
    const lock: Lock = { sender: 0, amount: ETH / 4n, expiry: f.clock.now + HTLC_DELTA, hashlock: ZERO_HASHLOCK };
    const latest = bob.channel(f.channelId).latest;
    const change = { kind: "add-lock" as const, lock };
    const { state, locks } = applyChange(latest.state, latest.locks, change);
    const signature = alice.sign(typedDigest(domainSeparator(f.domain), hashState(state)));
    let accepted = true;
    try {
      bob.accept({ channelId: f.channelId, change, state, locks, signature });
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      accepted = false;
    }
    if (accepted) await strike(f, bob.channel(f.channelId).latest, lock);
    else expect(bob.channel(f.channelId).latest.state.nonce).to.equal(0n);
    // Either way nothing is stuck: the channel is open and untouched, or settled with its lock decided.
    const [status, , , , locked] = await f.contract.channel(f.channelId);
    expect(accepted ? [status, locked] : [status]).to.deep.equal(accepted ? [0n, 0n] : [1n]);
    await expectSolvent(f.contract);
  });

  it("should refund a keccak256(0) lock after its expiry even if a state holding one was signed", async function () {
    const f = await load(openFixture);
    const lock: Lock = { sender: 0, amount: ETH / 4n, expiry: f.clock.now + HTLC_DELTA, hashlock: ZERO_HASHLOCK };
    // A state both keys signed (an older node, or a careless one), built and signed by hand.
    const state = {
      channelId: f.channelId,
      nonce: 1n,
      depositA: ETH,
      depositB: ETH,
      balanceA: ETH - lock.amount,
      balanceB: ETH,
      locksRoot: locksRoot([lock]),
    };
    const digest = typedDigest(domainSeparator(f.domain), hashState(state));
    const signed: SignedState = {
      state,
      locks: [lock],
      signatureA: new DigestSigner(l2Key("alice").privateKey).sign(digest),
      signatureB: new DigestSigner(l2Key("bob").privateKey).sign(digest),
    };
    await strike(f, signed, lock);
    expect((await f.contract.channel(f.channelId))[0]).to.equal(0n);
    expect(await f.l1.payouts(f.channelId, f.parties)).to.deep.equal({ a: ETH, b: ETH });
    await expectSolvent(f.contract);
  });
});
