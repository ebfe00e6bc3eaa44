import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, parseEther } from "ethers";
import { fundedFixture } from "../fixtures";
import { expectSolvent, raceInOneBlock } from "./attacker";
import { signForcedWithdrawal } from "../../../src/optimistic/client";
import type { OptimisticRollup } from "../../../typechain-types";

/** The nonce a wallet signs its next forced withdrawal for, as L1 will check it. */
async function nextForcedNonce(rollup: OptimisticRollup, sender: string): Promise<bigint> {
  return rollup.forcedNonce(sender);
}

/**
 * Alice asks L1 for a forced withdrawal; the operator sees her transaction waiting and gets a request of its own
 * mined first (a higher fee). If her signature named a global request index, hers would now recover to a garbage
 * signer and be stored as a no-op the operator may "process" without paying.
 */
describe("# attack: front-run-forced", function () {
  it("should record the victim's request as hers whatever is mined before it", async function () {
    const { rollup, opSigner, l1, l2, accounts, domain } = await loadFixture(fundedFixture);
    const alice = l1[0];
    const amount = parseEther("0.5");
    const aliceSig = signForcedWithdrawal(
      domain,
      l2[0].signingKey,
      accounts[0],
      alice.address,
      amount,
      await nextForcedNonce(rollup, alice.address),
    );
    const attackerKey = Wallet.createRandom();
    const attackerSig = signForcedWithdrawal(
      domain,
      attackerKey.signingKey,
      accounts[1],
      opSigner.address,
      1n,
      await nextForcedNonce(rollup, opSigner.address),
    );
    const [victim, attacker] = await raceInOneBlock(
      (fees) =>
        rollup.connect(alice).requestForcedWithdrawal(accounts[0], amount, aliceSig, { ...fees, gasLimit: 300_000n }),
      (fees) =>
        rollup.connect(opSigner).requestForcedWithdrawal(accounts[1], 1n, attackerSig, { ...fees, gasLimit: 300_000n }),
    );
    expect(attacker!.index < victim!.index, "the attacker's request was mined first").to.equal(true);
    expect(victim!.status).to.equal(1);
    const recorded = victim!.logs
      .map((log) => rollup.interface.parseLog(log))
      .find((e) => e?.name === "ForcedWithdrawalRequested");
    expect(recorded!.args.signer).to.equal(l2[0].address);
    expect(recorded!.args.account).to.equal(BigInt(accounts[0]));
    await expectSolvent(rollup);
  });
});
