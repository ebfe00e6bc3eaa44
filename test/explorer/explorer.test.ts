/**
 * The explorer in a real browser (Debian's chromium driven by playwright-core): a `hardhat node` child, the
 * optimistic rollup deployed on it with the deploy code the CLI uses, the explorer's server, and two scenarios run
 * against the chain from other processes (`npx hardhat scenario … --network localhost`), exactly as a workshop
 * runs a lesson in another terminal. The page must show what the chain did: a batch rolled back, the challenger
 * who proved it, the channels' balances paid out on L1, the gas split, and that the chain stopped and came back.
 * Screenshots go to test-artifacts/explorer/. Load time and update latency are printed, never asserted.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { Interface, formatEther, getAddress } from "ethers";
import { freePort, spawnHardhat, startChain, type DevChain } from "../node/support";
import { deployOptimisticOn } from "../node/support";
import { startExplorer, type Explorer } from "../../src/explorer/server";
import { describeDeep } from "../support/deep";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = join(hre.config.paths.root, "test-artifacts", "explorer");

async function runScenario(chain: DevChain, file: string): Promise<void> {
  const proc = spawnHardhat(["scenario", file, "--network", "localhost"], { L2LAB_LOCALHOST_URL: chain.url });
  let out = "";
  proc.child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => proc.child.once("exit", resolve));
  if (code !== 0) throw new Error(`${file} failed (${code}):\n${out}\n${proc.log()}`);
}

describe("explorer server: reads only, and says which side is not answering", function () {
  this.timeout(60_000);
  let explorer: Explorer;
  let deadPort: number;

  before(async () => {
    // A port nothing listens on: the chain and the node are "not running".
    deadPort = await freePort();
    explorer = await startExplorer({
      rpcUrl: `http://127.0.0.1:${deadPort}`,
      optimisticNode: `http://127.0.0.1:${deadPort}`,
      upstreamTimeoutMs: 2_000,
    });
  });
  after(() => explorer.close());

  async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const answer = await fetch(`${explorer.url}/rpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: answer.status, json: (await answer.json()) as Record<string, unknown> };
  }

  it("refuses every method that is not a read, alone or inside a batch, before forwarding anything", async () => {
    for (const method of [
      "eth_sendTransaction",
      "eth_sendRawTransaction",
      "evm_mine",
      "hardhat_setBalance",
      "eth_sign",
    ]) {
      const single = await post({ jsonrpc: "2.0", id: 1, method, params: [] });
      expect(single.status, method).to.equal(403);
      expect((single.json.error as { message: string }).message).to.contain(
        `${method}: the explorer only forwards read methods`,
      );
    }
    const batch = await post([
      { jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_sendTransaction", params: [{}] },
    ]);
    expect(batch.status).to.equal(403);
  });

  it("answers 502 naming the chain, and the node, when nothing answers there", async () => {
    const read = await post({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
    expect(read.status).to.equal(502);
    expect(read.json.unreachable).to.equal("chain");
    expect(read.json.error).to.contain(`the chain at http://127.0.0.1:${deadPort} is not answering`);
    const node = await fetch(`${explorer.url}/node/optimistic/status`);
    expect(node.status).to.equal(502);
    expect(((await node.json()) as { error: string }).error).to.contain("the optimistic node at");
    const zk = await fetch(`${explorer.url}/node/zk/status`);
    expect(zk.status).to.equal(404);
    expect(((await zk.json()) as { error: string }).error).to.contain("--zk-node URL");
  });

  it("serves the page, ethers and the benchmark's chart modules, and nothing outside the page's folder", async () => {
    expect((await fetch(`${explorer.url}/`)).status).to.equal(200);
    expect((await fetch(`${explorer.url}/vendor/ethers.js`)).status).to.equal(200);
    const bar = await (await fetch(`${explorer.url}/charts/barChart.js`)).text();
    expect(bar).to.contain('from "./svg.js"');
    const config = (await (await fetch(`${explorer.url}/config.json`)).json()) as { abis: Record<string, unknown[]> };
    expect(Object.keys(config.abis)).to.deep.equal(["OptimisticRollup", "ZkRollup", "PaymentChannels"]);
    for (const path of ["/%2e%2e/package.json", "/..%2fpackage.json", "/charts/..%2fmain.js", "/app.ts"]) {
      expect((await fetch(`${explorer.url}${path}`)).status, path).to.equal(404);
    }
    expect((await fetch(`${explorer.url}/config.json`, { method: "DELETE" })).status).to.equal(405);
  });
});

describeDeep("explorer: the page in a real browser against a running chain", function () {
  this.timeout(300_000);
  let chain: DevChain | undefined;
  let restarted: ReturnType<typeof spawnHardhat> | undefined;
  let explorer: Explorer | undefined;
  // playwright-core's types, loaded only when chromium exists.
  let browser: import("playwright-core").Browser | undefined;
  let page: import("playwright-core").Page;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(
        `    pending: ${CHROMIUM} is missing (apt-get install chromium); the explorer's browser test is skipped`,
      );
      return this.skip();
    }
    mkdirSync(SHOTS, { recursive: true });
    chain = await startChain();
    const { deployment } = await deployOptimisticOn(chain);
    explorer = await startExplorer({ rpcUrl: chain.url, deployment, upstreamTimeoutMs: 2_000 });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await explorer?.close();
    await restarted?.kill("SIGKILL");
    await chain?.stop();
  });

  it("shows the deployed rollup's bond, then a caught fraud and routed payments as the scenarios run", async () => {
    const started = Date.now();
    await page.goto(`${explorer!.url}/#/optimistic`);
    await page.waitForSelector("body[data-loaded]");
    const loadMs = Date.now() - started;
    expect(await page.textContent('[data-testid="bond"]')).to.match(/bond \d[\d.]* ETH · bonded/);

    // Update latency: one new block, and the time until the page shows its number.
    const before = Number(await chain!.provider.send("eth_blockNumber", []));
    const mined = Date.now();
    await chain!.provider.send("evm_mine", []);
    await page.waitForSelector(`#head[data-block="${before + 1}"]`);
    const latencyMs = Date.now() - mined;
    console.log(
      `    page load ${loadMs} ms (to the first view drawn from the chain); update after a block ${latencyMs} ms`,
    );

    // One after the other: two scenario processes at once on one hardhat node drop connections on 2 cores.
    await runScenario(chain!, "scenarios/optimistic-fraud-caught.json");
    await runScenario(chain!, "scenarios/channels-route-and-penalty.json");

    // The page has read every block the scenarios mined.
    const head = Number(await chain!.provider.send("eth_blockNumber", []));
    await page.waitForSelector(`#head[data-block="${head}"]`, { timeout: 30_000 });

    // What the chain says happened, read straight from its logs.
    const rollupAbi = (await hre.artifacts.readArtifact("OptimisticRollup")).abi;
    const rollup = new Interface(rollupAbi);
    const proofs = await chain!.provider.getLogs({ fromBlock: 0, topics: [rollup.getEvent("FraudProven")!.topicHash] });
    expect(proofs.length).to.be.greaterThan(0);
    const challenger = getAddress(rollup.parseLog(proofs[0])!.args.challenger);

    await page.waitForSelector(".status-rolled-back");
    const challenges = await page.textContent('[data-testid="challenges"]');
    expect(challenges).to.contain(challenger);
    expect(await page.textContent('[data-testid="batches"]')).to.match(/rolled back \(fraud in batch \d+\)/);
    // The scenario's early claim and its second fraud proof were refused by the contract: reverted calls are listed.
    expect(await page.textContent('[data-testid="refused"]')).to.contain("proveFraud");
    await page.screenshot({ path: join(SHOTS, "optimistic.png"), fullPage: true });

    const channelsAbi = new Interface((await hre.artifacts.readArtifact("PaymentChannels")).abi);
    const closes = await chain!.provider.getLogs({
      fromBlock: 0,
      topics: [
        [
          channelsAbi.getEvent("ChannelCooperativelyClosed")!.topicHash,
          channelsAbi.getEvent("ChannelSettled")!.topicHash,
        ],
      ],
    });
    expect(closes.length).to.be.greaterThan(0);
    await page.goto(`${explorer!.url}/#/channels`);
    await page.waitForSelector('[data-testid="channels"]');
    const channelsText = (await page.textContent('[data-testid="channels"]'))!;
    for (const log of closes) {
      const { args } = channelsAbi.parseLog(log)!;
      expect(channelsText, channelsText).to.contain(
        `${formatEther(args.payoutA)} / ${formatEther(args.payoutB)} ETH (paid out)`,
      );
    }
    expect(channelsText).to.contain("penalized");
    expect(await page.$('[data-testid="channel-graph"]')).to.not.equal(null);
    await page.screenshot({ path: join(SHOTS, "channels.png"), fullPage: true });

    await page.goto(`${explorer!.url}/#/gas`);
    await page.waitForSelector('[data-testid="gas-split"] svg');
    expect(await page.textContent('[data-testid="gas-table"]')).to.match(/optimistic/);
    await page.screenshot({ path: join(SHOTS, "gas.png"), fullPage: true });

    await page.goto(`${explorer!.url}/#/zk`);
    await page.waitForSelector('[data-testid="zk-none"]');
    await page.screenshot({ path: join(SHOTS, "zk.png"), fullPage: true });
  });

  it("says when the chain stops and when it comes back", async () => {
    await page.goto(`${explorer!.url}/#/optimistic`);
    await page.waitForSelector('[data-testid="bond"]');
    const port = new URL(chain!.url).port;
    await chain!.stop();
    await page.waitForSelector('[data-testid="banner-down"]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid="banner-down"]')).to.match(/chain not running/);
    await page.screenshot({ path: join(SHOTS, "chain-down.png"), fullPage: true });

    restarted = spawnHardhat(["node", "--port", port, "--hostname", "127.0.0.1"]);
    restarted.child.stdout!.on("data", () => undefined);
    await page.locator('[data-testid="banner-back"]', { hasText: "chain is back" }).waitFor({ timeout: 120_000 });
    expect(await page.$('[data-testid="banner-down"]')).to.equal(null);
    chain = undefined;
  });
});
