/**
 * Attack: alice keeps paying bob but never hands over her revocation of the
 * state before, so that every older state stays one she can close on with no
 * risk of a penalty. Her proposals are built and signed by hand and handed to
 * bob's node; she never sends message 3 (her revocation).
 */
import { expect } from "chai";
import { DigestSigner } from "../../../src/channels/crypto";
import { ChannelRefusal } from "../../../src/channels/errors";
import { payDirect } from "../../../src/channels/payments";
import { domainSeparator, hashState, typedDigest } from "../../../src/channels/state";
import { applyChange } from "../../../src/channels/transitions";
import type { SignedState } from "../../../src/channels/types";
import { ETH, l2Key, load, openFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

describe("attack: withhold-revocation", function () {
  it("should take no new state from a payer that withholds its revocation of the state before", async function () {
    const f = await load(openFixture);
    payDirect(f.network, "alice", "bob", ETH / 10n); // state #1, honest: bob holds alice's revocation of #0
    const alice = new DigestSigner(l2Key("alice").privateKey);
    const domain = domainSeparator(f.domain);
    const bob = f.network.node("bob");
    const cosigned: SignedState[] = [];
    for (let i = 0; i < 4; i++) {
      const latest = bob.channel(f.channelId).latest;
      const change = { kind: "pay" as const, from: 0 as const, amount: ETH / 10n };
      const { state, locks } = applyChange(latest.state, latest.locks, change);
      const signature = alice.sign(typedDigest(domain, hashState(state)));
      try {
        const acceptance = bob.accept({ channelId: f.channelId, change, state, locks, signature });
        cosigned.push({ state, locks, signatureA: signature, signatureB: acceptance.signature });
      } catch (e) {
        if (!(e instanceof ChannelRefusal)) throw e;
        break;
      }
    }
    // Every state older than bob's newest but one is covered by a revocation bob holds: a close on it is penalised.
    const record = bob.channel(f.channelId);
    const revokedUpTo = record.theirRevocation?.nonce ?? -1n;
    expect(
      revokedUpTo >= record.latest.state.nonce - 2n,
      `bob holds #${record.latest.state.nonce}, revocation #${revokedUpTo}`,
    ).to.equal(true);

    // Alice closes on the oldest co-signed state bob holds no revocation of; bob answers with his newest.
    const oldest = cosigned.length > 1 ? cosigned[0] : bob.channel(f.channelId).earliest!;
    await f.contract.connect(f.alice).close(f.channelId, f.parties, oldest.state, oldest.signatureA, oldest.signatureB);
    const revocation = revokedUpTo >= oldest.state.nonce ? record.theirRevocation : null;
    await f.l1.dispute(f.bob, f.channelId, f.parties, oldest.state, record.latest, revocation);
    await expectSolvent(f.contract);
  });
});
