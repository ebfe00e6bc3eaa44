/**
 * The optimistic node under load (a measurement, run on demand: `L2LAB_NODE_FIGURES=1 npx hardhat test
 * test/node/optimistic-figures.test.ts`, about 6 minutes): accepted transfers per second over the API, and
 * recovery after `kill -9` with 10,000 journalled transfers, on this machine. It prints the figures and asserts
 * only what must hold whatever the speed: every accepted transfer applied exactly once.
 */
import { expect } from "chai";
import { join } from "node:path";
import { SigningKey, Wallet, parseEther } from "ethers";
import { requestJson } from "../../src/net/client";
import { OptimisticNodeClient } from "../../src/node/optimistic-client";
import { signTransfer } from "../../src/optimistic/client";
import type { TransferTx } from "../../src/encoding/tx";
import { deployOptimisticOn, startChain, startNode, type DevChain, type NodeProc } from "./support";

const SENDERS = 8;
const TOTAL = 10_000;
const AMOUNT = 1_000_000_000n;

// A measurement, not a check CI needs on every run: it runs only when asked for.
const describeFigures = process.env.L2LAB_NODE_FIGURES === "1" ? describe : describe.skip;

describeFigures("node: optimistic node throughput and recovery (L2LAB_NODE_FIGURES=1)", function () {
  let chain: DevChain;
  let node: NodeProc | undefined;
  let deploymentFile: string;
  let journal: string;

  async function launch(): Promise<{ api: OptimisticNodeClient; ms: number }> {
    const started = Date.now();
    node = await startNode(chain, "optimistic-node", [
      ...["--deployment", deploymentFile, "--journal", journal],
      ...["--batch-interval", "3600000", "--batch-size", "512"],
      ...["--rate", "1000000", "--burst", "1000000"],
    ]);
    return { api: new OptimisticNodeClient(node.url), ms: Date.now() - started };
  }

  before(async function () {
    chain = await startChain();
    const deployed = await deployOptimisticOn(chain, { challengePeriod: 600 });
    deploymentFile = deployed.deploymentFile;
    journal = join(chain.dir, "optimistic.journal");
    const { api } = await launch();
    const keys = Array.from({ length: SENDERS }, () => new SigningKey(Wallet.createRandom().privateKey));
    const depositor = await chain.signer(10);
    for (const key of keys) {
      await (
        await deployed.rollup.connect(depositor).deposit(new Wallet(key.privateKey).address, { value: parseEther("1") })
      ).wait();
    }
    const receiver = await api.openAccount(Wallet.createRandom().address);
    await api.postBatch();
    const domain = await api.domain();
    const accounts = await Promise.all(keys.map((key) => api.account(new Wallet(key.privateKey).address)));
    // Signed ahead: the figure is the node's (parse, check, journal, answer), not the wallet's.
    signed = keys.map((key, k) =>
      Array.from({ length: TOTAL / SENDERS }, (_, nonce) =>
        signTransfer(domain, key, { from: accounts[k].index, to: receiver.index, amount: AMOUNT, fee: 0n, nonce }),
      ),
    );
    receiverIndex = receiver.index;
  });
  let signed: TransferTx[][];
  let receiverIndex: number;

  after(async function () {
    await node?.kill("SIGKILL");
    await chain?.stop();
  });

  it("should accept 10,000 transfers, recover them after kill -9, and apply each exactly once", async function () {
    const url = node!.url;
    const started = Date.now();
    await Promise.all(
      signed.map(async (txs) => {
        for (const tx of txs) await requestJson(`${url}/transfers`, { body: tx });
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `      accepted ${TOTAL} transfers from ${SENDERS} concurrent senders in ${seconds.toFixed(1)} s: ` +
        `${(TOTAL / seconds).toFixed(0)} transfers/s (batches of 512 posted on the way)`,
    );
    let api = new OptimisticNodeClient(url);
    const before = await api.status();
    await node!.kill("SIGKILL");

    const relaunched = await launch();
    api = relaunched.api;
    const recovered =
      /recovered in (\d+) ms: (\d+) standing batch\(es\) on L1, (\d+) journal record\(s\): (\d+) already in batches, (\d+) pending again, (\d+) no longer apply/.exec(
        node!.log(),
      );
    expect(recovered, node!.log()).to.not.equal(null);
    const [, ms, batches, records, already, again, dropped] = recovered!.map(Number);
    console.log(
      `      kill -9 with ${records} journalled txs (${already} in ${batches} batches, ${again} pending): recovered in ${ms} ms, ` +
        `process ready ${relaunched.ms} ms after spawn`,
    );
    expect(records).to.equal(before.journalRecords);
    expect(dropped).to.equal(0);
    expect(again).to.equal(before.pendingTxs);
    expect((await api.status()).pendingTxs).to.equal(before.pendingTxs);

    await api.postBatch();
    expect((await api.status()).pendingTxs).to.equal(0);
    expect((await api.account(receiverIndex)).balance).to.equal(BigInt(TOTAL) * AMOUNT);
  });
});
