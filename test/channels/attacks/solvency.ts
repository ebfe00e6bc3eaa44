/**
 * The solvency check every channel attack ends with, read from the chain
 * alone: the contract holds at least every open or closing channel's deposits,
 * the ETH still in pending locks of settled channels, and the deferred payouts.
 */
import { expect } from "chai";
import hre from "hardhat";
import type { PaymentChannels } from "../../../typechain-types";

export async function expectSolvent(contract: PaymentChannels, deferredTo: string[] = []): Promise<void> {
  const count = await contract.channelCount();
  let owed = 0n;
  for (let id = 1n; id <= count; id++) {
    const [, depositA, depositB, , locked] = await contract.channel(id);
    owed += depositA + depositB + locked;
  }
  for (const account of deferredTo) owed += await contract.deferredPayouts(account);
  const held = await hre.ethers.provider.getBalance(await contract.getAddress());
  expect(held >= owed, `the contract holds ${held} wei but owes ${owed}`).to.equal(true);
}
