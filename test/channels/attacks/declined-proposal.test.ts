/**
 * Attack: bob proposes state #2 (he pays alice 0.5). Alice "declines" it, so
 * bob's node drops it, but she keeps bob's signature. Bob then pays her 0.1
 * instead, and alice countersigns that. If bob's second state reuses nonce #2,
 * alice holds two co-signed states at #2 and closes on the one that pays her
 * 0.5: bob has no newer state to answer with.
 * Alice's messages are built and signed by hand with her key and handed to
 * bob's node; her L1 transactions are raw calls from her account.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { DigestSigner } from "../../../src/channels/crypto";
import { payDirect } from "../../../src/channels/payments";
import { domainSeparator, hashRevocation, hashState, typedDigest } from "../../../src/channels/state";
import { DISPUTE_PERIOD, ETH, l2Key, load, openFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

describe("attack: declined-proposal", function () {
  it("should let no declined proposal pay out after the state that replaced it", async function () {
    const f = await load(openFixture);
    payDirect(f.network, "alice", "bob", ETH / 10n); // state #1, honest: 0.9 / 1.1
    const bob = f.network.node("bob");
    const aliceKey = new DigestSigner(l2Key("alice").privateKey);
    const domain = domainSeparator(f.domain);

    // Bob proposes to pay alice 0.5; she declines, and bob drops the proposal.
    const declined = bob.propose(f.channelId, { kind: "pay", from: 1, amount: (5n * ETH) / 10n });
    bob.abandon(f.channelId);
    // Alice countersigns the declined proposal herself and keeps it.
    const kept = {
      state: declined.state,
      signatureA: aliceKey.sign(typedDigest(domain, hashState(declined.state))),
      signatureB: declined.signature,
    };

    // Bob pays alice 0.1 instead; alice answers as bob's node expects and gets his revocation.
    const paid = bob.propose(f.channelId, { kind: "pay", from: 1, amount: ETH / 10n });
    const revokedNonce = paid.state.nonce - 1n;
    bob.complete({
      channelId: f.channelId,
      signature: aliceKey.sign(typedDigest(domain, hashState(paid.state))),
      revocation: {
        nonce: revokedNonce,
        signature: aliceKey.sign(typedDigest(domain, hashRevocation(f.channelId, revokedNonce))),
      },
    });
    const newest = bob.channel(f.channelId).latest;
    const bobsBalance = newest.state.balanceB;

    // Alice closes on the declined state; bob answers with what his node holds.
    await f.contract.connect(f.alice).close(f.channelId, f.parties, kept.state, kept.signatureA, kept.signatureB);
    if (newest.state.nonce > kept.state.nonce) {
      const record = bob.channel(f.channelId);
      const revocation =
        record.theirRevocation && record.theirRevocation.nonce >= kept.state.nonce ? record.theirRevocation : null;
      await f.l1.dispute(f.bob, f.channelId, f.parties, kept.state, newest, revocation);
    }
    if ((await f.l1.status(f.channelId)) === "closing") {
      await time.increase(DISPUTE_PERIOD);
      const closing = (await f.l1.closingInfo(f.channelId)).state;
      await f.contract.connect(f.outsider).settle(f.channelId, f.parties, closing);
    }
    const payouts = await f.l1.payouts(f.channelId, f.parties);
    expect(
      payouts.b >= bobsBalance,
      `bob was paid ${payouts.b} wei, his newest state gives him ${bobsBalance}`,
    ).to.equal(true);
    await expectSolvent(f.contract);
  });
});
