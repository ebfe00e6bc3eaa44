/**
 * Attack: alice pays carol through bob (alice → bob → carol). Carol redeems
 * her lock from bob, so bob has paid and holds the preimage; alice then
 * refuses bob's redeem of his incoming lock, though it is in time, and
 * accepts the one update that suits her: bob giving the lock back. A router
 * that answers a refused redeem by cancelling pays carol out of its own
 * pocket. Alice's answers to bob's proposals are her own handler: she refuses
 * every redeem and countersigns anything else.
 */
import { expect } from "chai";
import hre from "hardhat";
import { ChannelRefusal, UpdateNotAllowedError } from "../../../src/channels/errors";
import type { Acceptance, Proposal } from "../../../src/channels/node";
import { payRoute, resolveUpstream, type Hop } from "../../../src/channels/payments";
import { ETH, HTLC_DELTA, lineNetwork, load } from "../fixtures";
import { expectSolvent } from "./solvency";

const lineFixture = () => lineNetwork();

describe("attack: refused-redeem", function () {
  it("should never give up an incoming lock in time because its sender refuses the redeem", async function () {
    const f = await load(lineFixture);
    const amount = (4n * ETH) / 10n;
    const alice = f.network.node("alice");
    const bob = f.network.node("bob");
    const bobBefore = bob.balances(f.ab.channelId).mine + bob.balances(f.bc.channelId).mine;
    const honestAccept = alice.accept.bind(alice);
    alice.accept = (proposal: Proposal): Acceptance => {
      if (proposal.change.kind === "redeem-lock") throw new UpdateNotAllowedError(proposal.channelId, "no");
      return honestAccept(proposal);
    };

    // The route: carol redeems from bob; bob's redeem upstream is refused.
    let refused = false;
    try {
      payRoute(f.network, ["alice", "bob", "carol"], amount, { htlcDelta: HTLC_DELTA, now: f.clock.now });
    } catch (e) {
      if (!(e instanceof ChannelRefusal)) throw e;
      refused = true;
    }
    expect(refused, "alice refused bob's redeem").to.equal(true);
    const [lock] = bob.channel(f.ab.channelId).latest.locks;
    const hops: Hop[] = [{ channelId: f.ab.channelId, sender: "alice", receiver: "bob", lock }];
    // Bob, honest, decides his incoming lock while it is still in time.
    resolveUpstream(f.network, hops, 0);

    // Bob is no poorer: either the lock is still his to claim on L1 (he holds its preimage) or it paid him.
    const record = bob.channel(f.ab.channelId);
    const stillHeld = record.latest.locks.some((l) => l.hashlock === lock.hashlock) && bob.preimages.has(lock.hashlock);
    const bobAfter =
      bob.balances(f.ab.channelId).mine + bob.balances(f.bc.channelId).mine + (stillHeld ? lock.amount : 0n);
    expect(bobAfter >= bobBefore, `bob had ${bobBefore} wei, now ${bobAfter}`).to.equal(true);
    await expectSolvent(f.contract);
  });
});
