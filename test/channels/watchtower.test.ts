import { expect } from "chai";
import hre from "hardhat";
import { Wallet } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { payDirect } from "../../src/channels/payments";
import { Watchtower } from "../../src/channels/watchtower";
import { DISPUTE_PERIOD, ETH, load, openFixture } from "./fixtures";

describe("Watchtower", function () {
  describe("# sync", function () {
    it("should answer a stale close against its client with the penalty", async function () {
      const f = await load(openFixture);
      const tower = new Watchtower("tower", f.l1, f.outsider);
      f.network.node("bob").watchers.push(tower);
      const first = payDirect(f.network, "alice", "bob", ETH / 10n);
      payDirect(f.network, "alice", "bob", ETH / 10n);
      expect(tower.heldNonce(f.channelId)).to.equal(2n);
      expect(await tower.sync()).to.deep.equal([]);

      await f.l1.close(f.alice, f.channelId, f.parties, first);
      const actions = await tower.sync();
      expect(actions).to.have.length(1);
      expect(actions[0].outcome).to.contain("penalty");
      const paid = await f.l1.payouts(f.channelId, f.parties);
      expect(paid).to.deep.equal({ a: 0n, b: 2n * ETH });
      expect(await tower.sync()).to.deep.equal([]);
    });

    it("should leave its client's own close and an up-to-date close alone", async function () {
      const f = await load(openFixture);
      const tower = new Watchtower("tower", f.l1, f.outsider);
      f.network.node("bob").watchers.push(tower);
      const latest = payDirect(f.network, "alice", "bob", ETH / 10n);
      await f.l1.close(f.alice, f.channelId, f.parties, latest);
      expect(await tower.sync()).to.deep.equal([]);
      await time.increase(DISPUTE_PERIOD);
      await f.l1.settle(f.bob, f.channelId, f.parties, latest.state);
      expect(await f.l1.payouts(f.channelId, f.parties)).to.deep.equal({ a: ETH - ETH / 10n, b: ETH + ETH / 10n });
    });

    it("should only replace the state when it holds no revocation covering the close", async function () {
      const f = await load(openFixture);
      const tower = new Watchtower("tower", f.l1, f.outsider);
      const first = payDirect(f.network, "alice", "bob", ETH / 10n);
      // Bob hands the tower state #2 but not yet alice's revocation of #1 (as between messages 2 and 3).
      const second = payDirect(f.network, "alice", "bob", ETH / 10n);
      tower.watch({ channelId: f.channelId, parties: f.parties, clientSide: 1, latest: second, revocation: null });
      await f.l1.close(f.alice, f.channelId, f.parties, first);
      const actions = await tower.sync();
      expect(actions[0].outcome).to.not.contain("penalty");
      expect((await f.l1.closingInfo(f.channelId)).state.nonce).to.equal(2n);
    });

    it("should keep a close it could not answer and answer it at a later sync", async function () {
      const f = await load(openFixture);
      // A tower account with no ETH: its first dispute cannot even be sent.
      const broke = Wallet.createRandom().connect(hre.ethers.provider);
      const tower = new Watchtower("tower", f.l1, broke);
      f.network.node("bob").watchers.push(tower);
      const first = payDirect(f.network, "alice", "bob", ETH / 10n);
      payDirect(f.network, "alice", "bob", ETH / 10n);
      await f.l1.close(f.alice, f.channelId, f.parties, first);
      const failed = await tower.sync();
      expect(failed).to.have.length(2); // tried, and tried once more in the same sync
      expect(failed.every((a) => a.receipt === null)).to.equal(true);
      expect(failed[1].outcome).to.contain("tries again at its next sync");
      expect(tower.backlog).to.deep.equal([f.channelId]);

      await f.outsider.sendTransaction({ to: broke.address, value: ETH });
      const retried = await tower.sync();
      expect(retried).to.have.length(1);
      expect(retried[0].outcome).to.contain("penalty");
      expect(tower.backlog).to.deep.equal([]);
      expect(await f.l1.payouts(f.channelId, f.parties)).to.deep.equal({ a: 0n, b: 2n * ETH });
    });

    it("should penalise a stale close even after a dispute put the newest state in its place", async function () {
      const f = await load(openFixture);
      const tower = new Watchtower("tower", f.l1, f.outsider);
      f.network.node("bob").watchers.push(tower);
      const first = payDirect(f.network, "alice", "bob", ETH / 10n);
      const second = payDirect(f.network, "alice", "bob", ETH / 10n);
      await f.l1.close(f.alice, f.channelId, f.parties, first);
      await f.l1.dispute(f.alice, f.channelId, f.parties, first.state, second, null);
      const actions = await tower.sync();
      expect(actions.map((a) => a.outcome).join()).to.contain("penalty");
      expect(await f.l1.payouts(f.channelId, f.parties)).to.deep.equal({ a: 0n, b: 2n * ETH });
    });

    it("should not keep a state or a revocation that is not properly signed", async function () {
      const f = await load(openFixture);
      const tower = new Watchtower("tower", f.l1, f.outsider, 0, f.domain);
      f.network.node("bob").watchers.push(tower);
      const first = payDirect(f.network, "alice", "bob", ETH / 10n);
      expect(tower.heldNonce(f.channelId)).to.equal(1n);
      const forged = { ...first, state: { ...first.state, nonce: 9n, balanceB: 2n * ETH, balanceA: 0n } };
      tower.watch({ channelId: f.channelId, parties: f.parties, clientSide: 1, latest: forged, revocation: null });
      const badRevocation = { nonce: 5n, signature: first.signatureB };
      tower.watch({
        channelId: f.channelId,
        parties: f.parties,
        clientSide: 1,
        latest: first,
        revocation: badRevocation,
      });
      expect(tower.heldNonce(f.channelId)).to.equal(1n);
      expect(tower.refused).to.have.length(2);
    });
  });
});
