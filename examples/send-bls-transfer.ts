/**
 * Your own BLS transfer, from another terminal while `npx hardhat devnet --signatures bls` runs:
 *   L2LAB_OPTIMISTIC_URL=http://127.0.0.1:<port> npx hardhat run examples/send-bls-transfer.ts --network localhost
 * Makes a fresh L2 key and BLS key, binds the BLS key to the L2 key on L1 (with its proof of possession), deposits
 * 1 ETH, and sends 0.1 ETH to a friend as a 12-byte BLS transfer; prints the batch that carried it and its bytes.
 */
import { ethers } from "hardhat";
import { randomBytes } from "node:crypto";
import { SigningKey, Wallet, parseEther } from "ethers";
import { OptimisticNodeClient } from "../src/node/optimistic-client";
import { secretKeyFromSeed } from "../src/encoding/bls";

async function main() {
  const node = new OptimisticNodeClient(process.env.L2LAB_OPTIMISTIC_URL ?? "http://127.0.0.1:8600");
  const me = (await ethers.getSigners())[Number(process.env.L2LAB_ACCOUNT ?? 10)]; // your L1 account
  const key = new SigningKey(Wallet.createRandom().privateKey); // your L2 key: it owns the account
  const blsKey = secretKeyFromSeed(randomBytes(32)); // your BLS key: it signs your transfers
  const l2 = new Wallet(key.privateKey).address;
  const status = await node.status();
  if (status.signatures !== "bls") throw new Error("this devnet runs the ECDSA rollup: start it with --signatures bls");
  const rollup = await ethers.getContractAt("BlsOptimisticRollup", status.rollup, me);
  const registry = await ethers.getContractAt("BlsKeyRegistry", await rollup.BLS_KEYS(), me);
  const r = await node.blsKeyRegistration(blsKey, key);
  await (await registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature)).wait();
  console.log(`bound a BLS key to ${l2} on L1 (BlsKeyRegistry ${await registry.getAddress()})`);
  await (await rollup.deposit(l2, { value: parseEther("1") })).wait();
  console.log("deposited 1 ETH on L1; waiting for the node to batch it");
  await node.waitFor(
    () => node.deposits(l2),
    (ds) => ds.some((d) => d.status === "included"),
  );
  const from = (await node.account(l2)).index;
  const friend = await node.openAccount(Wallet.createRandom().address);
  const sent = await node.sendBlsTransfer(blsKey, { from, to: friend.index, amount: parseEther("0.1") });
  const landed = await node.waitForTx(sent.hash, (t) => t.status === "batched");
  if (landed.status !== "batched") throw new Error(`transfer ${sent.hash}: ${landed.status}`);
  const batch = await node.batch(landed.batchId);
  console.log(
    `BLS transfer ${sent.hash} landed in batch ${landed.batchId} (${batch.txs} L2 txs in ${batch.chunks} chunk(s), ` +
      `L1 tx ${batch.l1Tx}): 12 bytes on L1, its signature folded into the chunk's one aggregate`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
