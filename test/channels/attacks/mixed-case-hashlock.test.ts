/**
 * Attack: bob gives alice an invoice (a hashlock). Alice pays it with a lock
 * whose hashlock is the same 32 bytes written in upper case: L1 reads the
 * same bytes, but bob's node looks its preimages up by the text and cannot
 * redeem the lock. Alice waits for the expiry and takes the lock back.
 * Alice's proposals are built and signed by hand and handed to bob's node.
 */
import { expect } from "chai";
import { DigestSigner } from "../../../src/channels/crypto";
import { ChannelRefusal } from "../../../src/channels/errors";
import { domainSeparator, hashState, typedDigest } from "../../../src/channels/state";
import { applyChange, type Change } from "../../../src/channels/transitions";
import type { Lock } from "../../../src/channels/types";
import { ETH, HTLC_DELTA, l2Key, load, openFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

describe("attack: mixed-case-hashlock", function () {
  it("should never take a lock its node cannot redeem with the preimage it holds", async function () {
    const f = await load(openFixture);
    const bob = f.network.node("bob");
    const aliceKey = new DigestSigner(l2Key("alice").privateKey);
    const domain = domainSeparator(f.domain);
    const invoice = bob.createInvoice();
    const record = bob.channel(f.channelId);
    const before = record.latest.state.balanceB;

    const lock: Lock = {
      sender: 0,
      amount: ETH / 4n,
      expiry: f.clock.now + HTLC_DELTA,
      hashlock: "0x" + invoice.slice(2).toUpperCase(),
    };
    const change: Change = { kind: "add-lock", lock };
    const next = applyChange(record.latest.state, record.latest.locks, change);
    const signature = aliceKey.sign(typedDigest(domain, hashState(next.state)));
    let accepted = true;
    try {
      bob.accept({ channelId: f.channelId, change, ...next, signature });
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      accepted = false;
    }
    if (accepted) {
      // Bob's node looks up the preimage of each lock owed to him, as it does to redeem it (claimOwedLocks).
      const owed = record.latest.locks.filter((l) => l.sender !== record.side);
      for (const l of owed) {
        expect(bob.preimages.get(l.hashlock), `bob cannot redeem the lock under ${l.hashlock}`).to.not.equal(undefined);
      }
    }
    expect(before).to.equal(ETH);
    await expectSolvent(f.contract);
  });
});
