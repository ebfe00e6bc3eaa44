/**
 * Attack: alice gets bob's signature on a cooperative close, keeps paying bob
 * off-chain (bob's node is asked to countersign newer states), then submits
 * the old close on L1, which pays bob less than the newest state both signed.
 * Alice's messages are built and signed by hand with her key and handed to
 * bob's node; her L1 transaction is a raw call from her account.
 */
import { expect } from "chai";
import { DigestSigner } from "../../../src/channels/crypto";
import { ChannelRefusal } from "../../../src/channels/errors";
import { payDirect } from "../../../src/channels/payments";
import { domainSeparator, hashCooperativeClose, hashState, typedDigest } from "../../../src/channels/state";
import { applyChange } from "../../../src/channels/transitions";
import { ETH, l2Key, load, openFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

describe("attack: old-cooperative-close", function () {
  it("should never let an old cooperative close pay out after a newer state", async function () {
    const f = await load(openFixture);
    payDirect(f.network, "alice", "bob", ETH / 10n); // state #1: 0.9 / 1.1
    const bob = f.network.node("bob");
    const aliceKey = new DigestSigner(l2Key("alice").privateKey);
    const domain = domainSeparator(f.domain);

    // 1. Alice asks bob to close on 0.9 / 1.1 and keeps his signature.
    const [balanceA, balanceB] = [(9n * ETH) / 10n, (11n * ETH) / 10n];
    const closeDigest = typedDigest(domain, hashCooperativeClose(f.channelId, balanceA, balanceB));
    const offer = { channelId: f.channelId, balanceA, balanceB, signature: aliceKey.sign(closeDigest) };
    const bobsClose = bob.acceptCooperativeClose(offer);

    // 2. She pays bob 0.5 more: state #2 signed by her, for bob to countersign.
    const latest = bob.channel(f.channelId).latest;
    const change = { kind: "pay" as const, from: 0 as const, amount: ETH / 2n };
    const { state, locks } = applyChange(latest.state, latest.locks, change);
    const proposal = {
      channelId: f.channelId,
      change,
      state,
      locks,
      signature: aliceKey.sign(typedDigest(domain, hashState(state))),
    };
    try {
      bob.accept(proposal);
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
    }

    // 3. She submits the old close.
    await f.contract
      .connect(f.alice)
      .cooperativeClose(f.channelId, f.parties, balanceA, balanceB, offer.signature, bobsClose.signature);

    // L1 paid what the newest state bob signed gives each side.
    const newest = bob.channel(f.channelId).latest.state;
    expect(await f.l1.payouts(f.channelId, f.parties)).to.deep.equal({ a: newest.balanceA, b: newest.balanceB });
    await expectSolvent(f.contract);
  });
});
