/**
 * `npx hardhat devnet --signatures bls --posting blob`: the devnet runs BlsOptimisticRollup, and its node takes BLS
 * transfers from users who registered BLS keys on L1 themselves, posting them in blobs through the archive; the
 * watcher daemon checks each batch (aggregate included) from L1 and the archive alone. Deep: the devnet starts a
 * chain, deploys and batches on its timer.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { JsonRpcProvider, SigningKey, Wallet, parseEther } from "ethers";
import { BlsKeyRegistry__factory, BlsOptimisticRollup__factory } from "../../typechain-types";
import { describeDeep } from "../support/deep";
import { readDeployment } from "../../src/devnet/deployment";
import { waitReady, type ReadyLine } from "../../src/devnet/ready";
import { OptimisticNodeClient } from "../../src/node/optimistic-client";
import { secretKeyFromSeed } from "../../src/encoding/bls";
import { hardhat, killAll, nodeAccountKeys, type Run } from "./processes";

describeDeep("devnet: the BLS rollup, posting in blobs", function () {
  let devnet: Run;
  let ready: ReadyLine;

  before(async function () {
    devnet = hardhat([
      "devnet",
      "--only",
      "optimistic",
      "--signatures",
      "bls",
      "--posting",
      "blob",
      "--deployment",
      ".devnet/test-bls.json",
    ]);
    ready = await waitReady(devnet.child, "devnet", 300_000);
  });
  after(() => killAll());

  it("should batch a BLS transfer a user signed with the key it registered, and the watcher should check it", async function () {
    this.timeout(240_000);
    const record = readDeployment(ready.deployment as string);
    expect(record.optimistic).to.include({ signatures: "bls", posting: "blob" });
    expect(devnet.stdout()).to.contain("BlsOptimisticRollup");
    const processes = ready.processes as Record<string, string>;
    const api = new OptimisticNodeClient(processes["optimistic-node"]);
    expect((await api.status()).signatures).to.equal("bls");
    const provider = new JsonRpcProvider(ready.url as string, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const student = new Wallet(nodeAccountKeys(12)[11], provider);
      const rollup = BlsOptimisticRollup__factory.connect(record.optimistic!.rollup, student);
      const registry = BlsKeyRegistry__factory.connect(await rollup.BLS_KEYS(), student);
      const alice = new SigningKey(Wallet.createRandom().privateKey);
      const bob = new SigningKey(Wallet.createRandom().privateKey);
      const aliceBls = secretKeyFromSeed(randomBytes(32));
      const r = await api.blsKeyRegistration(aliceBls, alice);
      await (await registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature)).wait();
      for (const key of [alice, bob]) {
        await (await rollup.deposit(new Wallet(key.privateKey).address, { value: parseEther("0.5") })).wait();
      }
      const accountOf = (key: SigningKey) =>
        api.waitFor(
          () => api.account(new Wallet(key.privateKey).address).catch(() => undefined),
          (a) => a !== undefined,
          120_000,
        );
      const [aliceAccount, bobAccount] = [await accountOf(alice), await accountOf(bob)];

      const sent = await api.sendBlsTransfer(aliceBls, {
        from: aliceAccount!.index,
        to: bobAccount!.index,
        amount: parseEther("0.2"),
      });
      const batched = await api.waitForTx(sent.hash, (t) => t.status === "batched", 120_000);
      if (batched.status !== "batched") throw new Error("not batched");
      expect((await api.account(bobAccount!.index)).balance).to.equal(parseEther("0.7"));
      const [event] = await rollup.queryFilter(rollup.filters.BatchSubmitted(batched.batchId), record.fromBlock);
      const tx = (await provider.send("eth_getTransactionByHash", [event.transactionHash])) as { type: string };
      expect(tx.type).to.equal("0x3");
      // The watcher daemon rebuilt that batch from the archive and found its aggregate good.
      const watch = processes.watch;
      let checked = 0;
      for (let i = 0; i < 60 && checked < batched.batchId; i++) {
        checked = ((await (await fetch(`${watch}/status`)).json()) as { batchesChecked: number }).batchesChecked;
        if (checked < batched.batchId) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(checked, devnet.stdout() + devnet.stderr()).to.be.at.least(batched.batchId);
    } finally {
      provider.destroy();
    }
  });
});
