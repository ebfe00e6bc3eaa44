/**
 * Attack: carol takes bob's lock of a payment alice → bob → carol and goes
 * silent; bob closes their channel and waits out the dispute period. Just
 * before her lock expires carol shows the preimage on L1, so the lock is hers
 * at settle. A router that then gives its own incoming lock back to alice
 * pays carol out of its own pocket. Carol's transaction is a raw call from her
 * account; bob follows the project's recovery code.
 */
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import { payRoute, resolveUpstream, type Hop } from "../../../src/channels/payments";
import { DISPUTE_PERIOD, ETH, HTLC_DELTA, lineNetwork, load } from "../fixtures";
import { expectSolvent } from "./solvency";

const lineFixture = () => lineNetwork();

describe("attack: late-reveal", function () {
  it("should leave the honest router no poorer when the staller reveals the preimage on L1 at the last moment", async function () {
    const f = await load(lineFixture);
    const amount = (4n * ETH) / 10n;
    const bobBefore =
      f.network.node("bob").balances(f.ab.channelId).mine + f.network.node("bob").balances(f.bc.channelId).mine;
    const result = payRoute(f.network, ["alice", "bob", "carol"], amount, {
      htlcDelta: HTLC_DELTA,
      now: f.clock.now,
      stall: "carol",
    });
    expect(result.status).to.equal("stalled");
    const hops = (result as { hops: Hop[] }).hops;
    const down = hops[1];
    const preimage = f.network.node("carol").preimages.get(down.lock.hashlock)!;

    // Bob closes with carol on the newest state, holding his lock.
    const record = f.network.node("bob").channel(f.bc.channelId);
    await f.l1.close(f.account("bob"), f.bc.channelId, f.bc.parties, record.latest);
    // Carol, silent until a minute before her lock's expiry, reveals on L1 (her own transaction).
    await time.increaseTo(down.lock.expiry - 60);
    await f.contract.connect(f.account("carol")).revealSecret(preimage);
    f.clock.now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;

    // Bob, honest: learns what L1 revealed, then decides his upstream lock.
    for (const [hashlock, revealed] of await f.l1.revealedPreimages()) {
      f.network.node("bob").learnPreimage(hashlock, revealed);
    }
    resolveUpstream(f.network, hops, 0);

    // The dispute period ends; bob settles, and the lock goes where L1 says.
    await time.increase(DISPUTE_PERIOD);
    await f.l1.settleWithLocks(
      f.account("bob"),
      f.bc.channelId,
      f.bc.parties,
      record.latest.state,
      record.latest.locks,
      [ZeroHash],
    );
    const bcPaid = await f.l1.payouts(f.bc.channelId, f.bc.parties);
    const bobAfter = f.network.node("bob").balances(f.ab.channelId).mine + bcPaid.a;
    expect(bobAfter >= bobBefore, `bob had ${bobBefore}, now ${bobAfter}`).to.equal(true);
    // The payment completed: alice paid, carol was paid on L1.
    expect(f.network.node("alice").balances(f.ab.channelId).mine).to.equal(ETH - amount);
    expect(bcPaid.b).to.equal(ETH + amount);
    await expectSolvent(f.contract);
  });
});
