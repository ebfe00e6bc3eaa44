/**
 * Your own L2 transfer, from another terminal while the devnet runs:
 *   L2LAB_OPTIMISTIC_URL=http://127.0.0.1:<port> npx hardhat run examples/send-transfer.ts --network localhost
 * Deposits 1 ETH on L1 for a fresh L2 key, sends 0.1 to a friend on L2, withdraws 0.5 and claims it on L1.
 */
import { ethers, network } from "hardhat";
import { SigningKey, Wallet, formatEther, parseEther } from "ethers";
import { OptimisticNodeClient } from "../src/node/optimistic-client";

async function main() {
  const node = new OptimisticNodeClient(process.env.L2LAB_OPTIMISTIC_URL ?? "http://127.0.0.1:8600");
  const me = (await ethers.getSigners())[Number(process.env.L2LAB_ACCOUNT ?? 10)]; // your L1 account
  const key = new SigningKey(Wallet.createRandom().privateKey); // your L2 key: it signs every L2 tx
  const l2 = new Wallet(key.privateKey).address;
  const { rollup: address, challengePeriod } = await node.status();
  const rollup = await ethers.getContractAt("OptimisticRollup", address, me);
  await (await rollup.deposit(l2, { value: parseEther("1") })).wait();
  console.log(`deposited 1 ETH on L1 for ${l2}; waiting for the node to batch it`);
  await node.waitFor(
    () => node.deposits(l2),
    (ds) => ds.some((d) => d.status === "included"),
  );
  const friend = await node.openAccount(Wallet.createRandom().address);
  const sent = await node.sendTransfer(key, { to: friend.index, amount: parseEther("0.1") });
  const landed = await node.waitForTx(sent.hash, (t) => t.status === "batched");
  console.log(`transfer ${sent.hash} landed in batch ${"batchId" in landed ? landed.batchId : "?"}`);
  const out = await node.sendWithdrawal(key, { recipient: me.address, amount: parseEther("0.5") });
  await node.waitForTx(out.hash, (t) => t.status === "batched");
  console.log(`withdrawal batched; a dev chain moves time ${challengePeriod} s past the challenge period`);
  await network.provider.send("evm_increaseTime", [challengePeriod + 1]);
  await network.provider.send("evm_mine", []);
  const exits = await node.waitFor(
    () => node.exits(me.address),
    (es) => es.some((e) => e.status === "claimable"),
  );
  const exit = exits.find((e) => e.status === "claimable")!;
  const receipt = await (await rollup.claimExit(exit.claim)).wait();
  console.log(`claimed ${formatEther(exit.amount)} ETH on L1 in block ${receipt!.blockNumber}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
