/**
 * Attack: bob has proposed state #2 and waits for alice's answer. Alice does
 * not answer it; she sends a proposal of her own for #2 (a conflicting state at
 * the same nonce), which bob countersigns, and only then answers bob's
 * proposal, with her revocation of #2. If bob completes his own update on top
 * of hers, he revokes "every state up to #2", his newest included: when he
 * closes on it, alice takes the whole channel with that revocation.
 * Alice's messages are built and signed by hand with her key and handed to
 * bob's node; her L1 transactions are raw calls from her account.
 */
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { DigestSigner } from "../../../src/channels/crypto";
import { ChannelRefusal } from "../../../src/channels/errors";
import { payDirect } from "../../../src/channels/payments";
import { domainSeparator, hashRevocation, hashState, typedDigest } from "../../../src/channels/state";
import { applyChange } from "../../../src/channels/transitions";
import type { Revocation } from "../../../src/channels/types";
import { DISPUTE_PERIOD, ETH, l2Key, load, openFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

/** Runs one hostile message through the victim's handler; a refusal ends that step of the attack. */
function refused(step: () => void): boolean {
  try {
    step();
    return false;
  } catch (e) {
    if (!(e instanceof ChannelRefusal)) throw e;
    return true;
  }
}

describe("attack: crossed-proposal", function () {
  it("should never make a node revoke its own newest state when a proposal crosses its own", async function () {
    const f = await load(openFixture);
    payDirect(f.network, "alice", "bob", ETH / 10n); // state #1, honest: 0.9 / 1.1
    const bob = f.network.node("bob");
    const aliceKey = new DigestSigner(l2Key("alice").privateKey);
    const domain = domainSeparator(f.domain);
    const fromBob: Revocation[] = [];

    // Bob proposes #2: he pays alice 0.1 (1.0 / 1.0). It waits for alice's answer.
    const bobsProposal = bob.propose(f.channelId, { kind: "pay", from: 1, amount: ETH / 10n });

    // Alice crosses it with her own #2: she pays bob 1 wei. Bob is asked to countersign it.
    const latest = bob.channel(f.channelId).latest;
    const change = { kind: "pay" as const, from: 0 as const, amount: 1n };
    const { state, locks } = applyChange(latest.state, latest.locks, change);
    const signature = aliceKey.sign(typedDigest(domain, hashState(state)));
    refused(() => {
      fromBob.push(bob.accept({ channelId: f.channelId, change, state, locks, signature }).revocation);
    });

    // Alice now answers bob's own #2: her countersignature and her revocation of #2.
    const countersignature = aliceKey.sign(typedDigest(domain, hashState(bobsProposal.state)));
    const aliceRevocation = {
      nonce: 2n,
      signature: aliceKey.sign(typedDigest(domain, hashRevocation(f.channelId, 2n))),
    };
    refused(() => {
      fromBob.push(bob.complete({ channelId: f.channelId, signature: countersignature, revocation: aliceRevocation }));
    });

    const newest = bob.channel(f.channelId).latest;
    // Bob closes on his newest state; alice answers with the highest revocation she got from him.
    const bobsBalance = newest.state.balanceB;
    await f.l1.close(f.bob, f.channelId, f.parties, newest);
    const best = fromBob.reduce<Revocation | null>((b, r) => (b && b.nonce >= r.nonce ? b : r), null);
    if (best && best.nonce >= newest.state.nonce) {
      await f.contract.connect(f.alice).dispute(f.channelId, f.parties, newest.state, newest.state, "0x", "0x", best);
    }
    if ((await f.l1.status(f.channelId)) === "closing") {
      await time.increase(DISPUTE_PERIOD);
      await f.contract.connect(f.bob).settle(f.channelId, f.parties, newest.state);
    }
    const paid = await f.l1.payouts(f.channelId, f.parties);
    expect(paid.b >= bobsBalance, `bob was paid ${paid.b} wei, his newest state gives him ${bobsBalance}`).to.equal(
      true,
    );
    // INVARIANT: a node never revokes the state it would close with.
    for (const revocation of fromBob) expect(revocation.nonce < newest.state.nonce).to.equal(true);

    await expectSolvent(f.contract);
  });
});
