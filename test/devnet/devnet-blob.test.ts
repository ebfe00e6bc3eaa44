/**
 * `npx hardhat devnet --posting blob`: the blob archive in front of the chain is the devnet's public endpoint, the
 * optimistic node posts its batches in blobs through it, and the watcher daemon reads the blobs from it. Deep: the
 * devnet starts a chain, deploys and waits for a batch on its timer.
 */
import { expect } from "chai";
import { JsonRpcProvider, Wallet, parseEther } from "ethers";
import { OptimisticRollup__factory } from "../../typechain-types";
import { describeDeep } from "../support/deep";
import { readDeployment } from "../../src/devnet/deployment";
import { waitReady, type ReadyLine } from "../../src/devnet/ready";
import { ArchiveClient } from "../../src/optimistic/blob-archive";
import { hardhat, killAll, nodeAccountKeys, type Run } from "./processes";

describeDeep("devnet: posting in blobs through the blob archive", function () {
  let devnet: Run;
  let ready: ReadyLine;

  before(async function () {
    devnet = hardhat([
      "devnet",
      "--only",
      "optimistic",
      "--posting",
      "blob",
      "--deployment",
      ".devnet/test-blob-posting.json",
    ]);
    ready = await waitReady(devnet.child, "devnet", 300_000);
  });
  after(() => killAll());

  it("should post a deposit's batch in a blob through its public endpoint, and the watcher should read it", async function () {
    this.timeout(180_000);
    const record = readDeployment(ready.deployment as string);
    expect(record.optimistic?.posting).to.equal("blob");
    // The public endpoint printed to users is the archive, not the chain behind it.
    expect(ready.url).to.equal(record.optimistic?.archive);
    expect(ready.url).to.not.equal(ready.chain);
    expect(devnet.stdout()).to.contain("L1 JSON-RPC (public)");
    const provider = new JsonRpcProvider(ready.url as string, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const student = new Wallet(nodeAccountKeys(12)[11], provider);
      const rollup = OptimisticRollup__factory.connect(record.optimistic!.rollup, student);
      await (await rollup.deposit(student.address, { value: parseEther("0.5") })).wait();
      // The node batches the deposit on its timer, as a type-3 transaction sent through the archive.
      let tip = 0n;
      for (let i = 0; i < 120 && tip === 0n; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        tip = await rollup.tipId();
      }
      expect(tip, "the node posted no batch").to.be.greaterThan(0n);
      // Batch 0 is the genesis, from the deployment transaction: the node's first batch is batch 1.
      const [event] = await rollup.queryFilter(rollup.filters.BatchSubmitted(1n), record.fromBlock);
      const tx = (await provider.send("eth_getTransactionByHash", [event.transactionHash])) as {
        type: string;
        blobVersionedHashes: string[];
      };
      expect(tx.type).to.equal("0x3");
      const blob = await new ArchiveClient(ready.url as string).getBlob(tx.blobVersionedHashes[0]);
      expect(blob?.length).to.equal(131_072);
      // The watcher daemon rebuilt the batch from the archive's blob.
      const watch = (ready.processes as Record<string, string>).watch;
      let checked = 0;
      for (let i = 0; i < 60 && checked === 0; i++) {
        const status = (await (await fetch(`${watch}/status`)).json()) as { batchesChecked: number };
        checked = status.batchesChecked;
        if (checked === 0) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const output = devnet.stdout() + devnet.stderr();
      expect(checked, output).to.be.greaterThan(0);
      expect(output).to.contain("reads blobs from the blob archive");
      expect(output).to.contain("posts batches in blobs through the blob archive");
    } finally {
      provider.destroy();
    }
  });
});
