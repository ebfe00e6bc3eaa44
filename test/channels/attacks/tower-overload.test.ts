/**
 * Attack: mallory opens several channels with bob, whose watchtower guards
 * them, pays a little in each (so she revokes her first state), closes them
 * all on the revoked states in one block, and front-runs the tower's first
 * penalty with a copy of it from her own account (it still pays bob, but the
 * tower's own transaction reverts). A tower that stops at its first revert
 * leaves every other stale close to settle. Mallory's transactions are raw
 * calls from her account; the tower is the project's.
 */
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { payDirect } from "../../../src/channels/payments";
import { Watchtower } from "../../../src/channels/watchtower";
import type { Parties, SignedState } from "../../../src/channels/types";
import { DISPUTE_PERIOD, ETH, deployedFixture, load, makeNetwork, openChannel } from "../fixtures";
import { expectSolvent } from "./solvency";

const CHANNELS = 5;
const GWEI = 10n ** 9n;

/** mallory ↔ bob × CHANNELS, 1 ETH from each side; in each mallory paid 0.4 then 0.1 (she revoked state #1). */
async function manyChannelsFixture() {
  const deployed = await deployedFixture();
  const clock = { now: (await hre.ethers.provider.getBlock("latest"))!.timestamp };
  const { network, account } = makeNetwork(deployed, ["mallory", "bob"], clock);
  const channels: { channelId: bigint; parties: Parties; revoked: SignedState }[] = [];
  for (let i = 0; i < CHANNELS; i++) {
    const { channelId, parties } = await openChannel(deployed, network, account, "mallory", "bob", ETH, ETH);
    channels.push({ channelId, parties, revoked: null as unknown as SignedState });
  }
  return { ...deployed, network, account, clock, channels };
}

describe("attack: tower-overload", function () {
  it("should penalise every stale close although its first penalty is front-run", async function () {
    const f = await load(manyChannelsFixture);
    const tower = new Watchtower("tower", f.l1, f.signers[10]);
    f.network.node("bob").watchers.push(tower);
    // Payments go through both nodes after the tower is hired (the tower gets each new state and revocation).
    const revoked = f.channels.map((ch) => {
      const first = f.network.update("mallory", ch.channelId, {
        kind: "pay",
        from: 0,
        amount: (4n * ETH) / 10n,
      });
      f.network.update("mallory", ch.channelId, { kind: "pay", from: 0, amount: ETH / 10n });
      return first;
    });
    expect(await tower.sync()).to.deep.equal([]);
    const mallory = f.account("mallory");
    const c = f.contract.connect(mallory);
    const provider = hre.ethers.provider;

    // Every channel closed on its revoked state #1, all in one block.
    await provider.send("evm_setAutomine", [false]);
    try {
      for (const [i, ch] of f.channels.entries()) {
        const s = revoked[i];
        await c.close(ch.channelId, ch.parties, s.state, s.signatureA, s.signatureB, { gasLimit: 300_000n });
      }
      await provider.send("evm_mine", []);

      // The tower answers; mallory watches the mempool and copies its first transaction with a higher tip.
      const syncing = tower.sync();
      let towerTx: { hash: string; to: string; input: string } | null = null;
      for (let tries = 0; tries < 500 && !towerTx; tries++) {
        const pending = await provider.send("eth_getBlockByNumber", ["pending", true]);
        towerTx = pending.transactions[0] ?? null;
        if (!towerTx) await new Promise((r) => setTimeout(r, 10));
      }
      expect(towerTx, "the tower sent nothing").to.not.equal(null);
      await mallory.sendTransaction({
        to: towerTx!.to,
        data: towerTx!.input,
        gasLimit: 500_000n,
        maxPriorityFeePerGas: 100n * GWEI,
        maxFeePerGas: 1000n * GWEI,
      });
      await provider.send("evm_mine", []);
      await provider.send("evm_setAutomine", [true]);
      const actions = await syncing.catch((e: Error) => e);
      // The tower may report the front-run one as failed, but must not give up on the others.
      if (actions instanceof Error) expect.fail(`the tower gave up: ${actions.message}`);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    // Later syncs (the tower retries what it could not do) and then the dispute period runs out.
    await tower.sync();
    await time.increase(DISPUTE_PERIOD);

    for (const ch of f.channels) {
      expect(await f.l1.payouts(ch.channelId, ch.parties), `channel ${ch.channelId}`).to.deep.equal({
        a: 0n,
        b: 2n * ETH,
      });
      expect((await f.contract.channel(ch.channelId))[0]).to.equal(0n);
    }
    await expectSolvent(f.contract);
  });
});
