/**
 * Attack: alice closes on a state she revoked, and when bob's penalty
 * transaction shows up she gets an update to the newest state mined ahead of
 * it (a higher fee), hoping the close on the old state then costs her nothing.
 * Alice is written against the ABI: her own transactions, from her account.
 */
import { expect } from "chai";
import hre from "hardhat";
import { payDirect } from "../../../src/channels/payments";
import type { SignedState } from "../../../src/channels/types";
import { ETH, load, openFixture, type OpenFixture } from "../fixtures";
import { expectSolvent } from "./solvency";

const GWEI = 10n ** 9n;

/** alice → bob 0.3 (state #1), then bob → alice 0.1 (state #2): alice revoked #1. */
async function revokedFixture(): Promise<OpenFixture & { first: SignedState; second: SignedState }> {
  const f = await openFixture();
  const first = payDirect(f.network, "alice", "bob", (3n * ETH) / 10n);
  const second = payDirect(f.network, "bob", "alice", ETH / 10n);
  return { ...f, first, second };
}

describe("attack: dodge-penalty", function () {
  it("should not let a cheater escape the penalty by getting the newest state mined before the penalty", async function () {
    const f = await load(revokedFixture);
    const c = f.contract;
    // Alice closes on state #1, which she revoked when state #2 was signed.
    await c.connect(f.alice).close(f.channelId, f.parties, f.first.state, f.first.signatureA, f.first.signatureB);
    const revocation = f.network.node("bob").channel(f.channelId).theirRevocation!;
    expect(revocation.nonce).to.equal(1n);

    await hre.network.provider.send("evm_setAutomine", [false]);
    try {
      // Bob's penalty is in the mempool...
      const s = f.second;
      const penalty = await c
        .connect(f.bob)
        .dispute(f.channelId, f.parties, f.first.state, s.state, s.signatureA, s.signatureB, revocation, {
          maxPriorityFeePerGas: 1n * GWEI,
          maxFeePerGas: 100n * GWEI,
          gasLimit: 500_000n,
        });
      // ...and alice, seeing it, sends the newest state with a higher fee and no revocation.
      const dodge = await c
        .connect(f.alice)
        .dispute(
          f.channelId,
          f.parties,
          f.first.state,
          s.state,
          s.signatureA,
          s.signatureB,
          { nonce: 0n, signature: "0x" },
          { maxPriorityFeePerGas: 50n * GWEI, maxFeePerGas: 200n * GWEI, gasLimit: 500_000n },
        );
      await hre.network.provider.send("evm_mine", []);
      const [dodgeReceipt, penaltyReceipt] = await Promise.all([
        hre.ethers.provider.getTransactionReceipt(dodge.hash),
        hre.ethers.provider.getTransactionReceipt(penalty.hash),
      ]);
      // Both were mined in the same block, alice's first.
      expect(dodgeReceipt!.blockNumber).to.equal(penaltyReceipt!.blockNumber);
      expect(dodgeReceipt!.index).to.be.lessThan(penaltyReceipt!.index);
    } finally {
      await hre.network.provider.send("evm_setAutomine", [true]);
    }

    // Whatever alice's update did, bob was paid the whole channel and alice nothing.
    const paid = await f.l1.payouts(f.channelId, f.parties);
    expect(paid).to.deep.equal({ a: 0n, b: 2n * ETH });
    expect((await c.channel(f.channelId))[0]).to.equal(0n);
    await expectSolvent(c);
  });
});
