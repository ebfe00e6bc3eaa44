/**
 * The explorer in a real browser (Debian's chromium driven by playwright-core): a `hardhat node` child, the
 * optimistic rollup and a channel contract deployed on it with the deploy code the CLI uses, three channel-node
 * processes and a watchtower process, the explorer's server, and three scenarios run against the chain from other
 * processes (`npx hardhat scenario … --network localhost`), exactly as a workshop runs a lesson in another
 * terminal. The page must show what the chain and the processes did: a batch rolled back, the challenger who
 * proved it, why calls were refused, proven zk batches with their public input and proof verification gas, a
 * payment routed hop by hop, the watchtower's penalty, the gas split, and that the chain stopped and came back.
 * Screenshots go to test-artifacts/explorer/. Load time and update latency are printed, never asserted.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { Interface, formatEther, getAddress, parseEther } from "ethers";
import { freePort, spawnHardhat } from "../node/support";
import { channelNodeArgs, startChain, startTask, stopAll, type Child, type DevChain } from "../p2p/processes";
import { deployOn, type DevDeployment } from "../p2p/deploy";
import { requestJson } from "../../src/net/client";
import { startExplorer, type Explorer } from "../../src/explorer/server";
import { describeDeep } from "../support/deep";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = join(hre.config.paths.root, "test-artifacts", "explorer");

/**
 * Runs a scenario file against the chain as its own process; resolves with what it printed. `retryDropped`: run it
 * once more (from the start, on fresh contracts) when it failed only because the node dropped its connection. The
 * zk scenario's process blocks its thread for seconds while it loads the circuit and proves; a keep-alive socket
 * the node closed meanwhile fails the next request ("other side closed", ECONNRESET) on a busy machine. That is
 * the scenario runner's transport, not what this test checks.
 */
async function runScenario(chain: DevChain, file: string, retryDropped = false): Promise<string> {
  const proc = spawnHardhat(["scenario", file, "--network", "localhost"], { L2LAB_LOCALHOST_URL: chain.url });
  let out = "";
  proc.child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => proc.child.once("exit", resolve));
  if (code === 0) return out;
  const said = `${out}\n${proc.log()}`;
  if (retryDropped && /other side closed|ECONNRESET|socket hang up/.test(said)) {
    console.log(`    ${file}: the node dropped the scenario's connection; running it once more`);
    return runScenario(chain, file, false);
  }
  throw new Error(`${file} failed (${code}):\n${said}`);
}

/** The pairing check alone of a Groth16 verification with four pairs (EIP-1108: 45,000 + 34,000 per pair). */
const PAIRING_GAS = 45_000n + 4n * 34_000n;
const NAMES = ["alice", "bob", "carol"] as const;
type Name = (typeof NAMES)[number];

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
    const tower = await fetch(`${explorer.url}/node/watchtower/events`);
    expect(tower.status).to.equal(404);
    expect(((await tower.json()) as { error: string }).error).to.contain("--watchtower URL");
    const alice = await fetch(`${explorer.url}/node/channel/alice/events`);
    expect(((await alice.json()) as { error: string }).error).to.contain("--channel-node alice=URL");
    const proof = await fetch(`${explorer.url}/verification-gas?to=nope&data=0x12345678&block=1`);
    expect(proof.status).to.equal(400);
    expect(((await proof.json()) as { error: string }).error).to.contain("to=nope: expected");
    const traced = await fetch(`${explorer.url}/verification-gas?to=0x${"11".repeat(20)}&data=0x12345678&block=1`);
    expect(traced.status).to.equal(502);
    expect(((await traced.json()) as { error: string }).error).to.contain("tracing a call to 0x1111");
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
  this.timeout(900_000);
  let chain: DevChain | undefined;
  let deployed: DevDeployment;
  let restarted: ReturnType<typeof spawnHardhat> | undefined;
  let explorer: Explorer | undefined;
  let tower: Child;
  let towerUrl: string;
  const url = {} as Record<Name, string>;
  const ports = {} as Record<Name, number>;
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
    deployed = await deployOn(chain, { optimistic: {}, channels: { disputePeriod: 3600, htlcDelta: 600 } });
    // The channel nodes' and the watchtower's ports are chosen now, so the page knows them from the start; the
    // processes start in their own test (until then the page says they are not running). Fewer processes polling
    // the chain while the scenarios run keeps the one hardhat node answering on a busy machine.
    for (const name of NAMES) {
      ports[name] = await freePort();
      url[name] = `http://127.0.0.1:${ports[name]}`;
    }
    towerUrl = `http://127.0.0.1:${await freePort()}`;
    explorer = await startExplorer({
      rpcUrl: chain.url,
      deployment: deployed.record,
      watchtower: towerUrl,
      channelNodes: url,
      upstreamTimeoutMs: 2_000,
    });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await explorer?.close();
    await restarted?.kill("SIGKILL");
    await stopAll();
  });

  /** Every log of `event` the chain holds, decoded with `contract`'s ABI. */
  async function chainLogs(contract: string, event: string) {
    const iface = new Interface((await hre.artifacts.readArtifact(contract)).abi);
    const logs = await chain!.provider.getLogs({ fromBlock: 0, topics: [iface.getEvent(event)!.topicHash] });
    return logs.map((log) => ({ log, args: iface.parseLog(log)!.args }));
  }

  async function pageHasRead(): Promise<void> {
    const head = Number(await chain!.provider.send("eth_blockNumber", []));
    try {
      await page.waitForSelector(`#head[data-block="${head}"]`, { timeout: 120_000 });
    } catch (error) {
      const shown = `${await page.textContent("#head")}\n${await page.textContent("#banners")}`;
      throw new Error(`the page did not reach block ${head}; it shows:\n${shown}\n${(error as Error).message}`);
    }
  }

  it("shows the deployed rollup's bond, then a caught fraud and routed payments as the scenarios run", async () => {
    const started = Date.now();
    await page.goto(`${explorer!.url}/#/optimistic`);
    await page.waitForSelector("body[data-loaded]");
    const loadMs = Date.now() - started;
    expect(await page.textContent('[data-testid="bond"]')).to.match(/bond \d[\d.]* ETH · bonded/);

    // Update latency: one new block, and the time until the page shows its number.
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = Number(await chain!.provider.send("eth_blockNumber", []));
      const mined = Date.now();
      await chain!.provider.send("evm_mine", []);
      await page.waitForSelector(`#head[data-block="${before + 1}"]`);
      latencies.push(Date.now() - mined);
    }
    console.log(
      `    page load ${loadMs} ms (to the first view drawn from the chain); update after a block ${latencies.join(", ")} ms`,
    );

    // One after the other: two scenario processes at once on one hardhat node drop connections on 2 cores.
    await runScenario(chain!, "scenarios/optimistic-fraud-caught.json");
    await runScenario(chain!, "scenarios/channels-route-and-penalty.json");
    await pageHasRead();

    const proofs = await chainLogs("OptimisticRollup", "FraudProven");
    expect(proofs.length).to.be.greaterThan(0);
    const challenger = getAddress(proofs[0].args.challenger);
    await page.waitForSelector(".status-rolled-back");
    const challenges = await page.textContent('[data-testid="challenges"]');
    expect(challenges).to.contain(challenger);
    expect(await page.textContent('[data-testid="batches"]')).to.match(/rolled back \(fraud in batch \d+\)/);
    // The scenario's early claim and its second fraud proof were refused by the contract: reverted calls are listed
    // with the custom error a re-run at the parent block gives.
    const refused = (await page.textContent('[data-testid="refused"]'))!;
    expect(refused).to.contain("proveFraud");
    expect(refused, refused).to.match(/proveFraud[A-Z][A-Za-z]+\(batchId: \d+/);
    expect(refused, refused).to.match(/claimExitBatchNotFinal\(batchId: \d+, finalAt: \d+\)/);
    await page.screenshot({ path: join(SHOTS, "optimistic.png"), fullPage: true });

    const closes = [
      ...(await chainLogs("PaymentChannels", "ChannelCooperativelyClosed")),
      ...(await chainLogs("PaymentChannels", "ChannelSettled")),
    ];
    expect(closes.length).to.be.greaterThan(0);
    await page.goto(`${explorer!.url}/#/channels`);
    await page.waitForSelector('[data-testid="channels"]');
    const channelsText = (await page.locator('[data-testid="channels"]').allTextContents()).join("\n");
    for (const { args } of closes) {
      expect(channelsText, channelsText).to.contain(
        `${formatEther(args.payoutA)} / ${formatEther(args.payoutB)} ETH (paid out)`,
      );
    }
    expect(channelsText).to.contain("penalized");
    expect(await page.$('[data-testid="channel-graph"]')).to.not.equal(null);
  });

  it("shows proven zk batches with their public input, proof verification gas, deposits and exits", async () => {
    await page.goto(`${explorer!.url}/#/zk`);
    await page.waitForSelector("body[data-loaded]");
    const out = await runScenario(chain!, "scenarios/zk-validity.json", true);
    await pageHasRead();
    const proven = await chainLogs("ZkRollup", "BatchProven");
    expect(proven.length).to.be.greaterThan(1);
    await page.waitForSelector('[data-testid="zk-batches"]');
    // Every batch's proof gas traced (the cell says "…" until the server's trace came back).
    await page.waitForFunction(
      '![...document.querySelectorAll(".proof-gas")].some((cell) => cell.textContent === "…")',
      undefined,
      { timeout: 300_000 },
    );
    const rows = await page.locator('[data-testid="zk-batches"] tbody tr').allTextContents();
    for (const { log, args } of proven) {
      const row = rows.find((r) => r.startsWith(String(args.batchNumber)) && r.includes(args.commitment.toString()));
      expect(row, `batch ${args.batchNumber} with commitment ${args.commitment}:\n${rows.join("\n")}`).to.not.equal(
        undefined,
      );
      const gasUsed = (await chain!.provider.getTransactionReceipt(log.transactionHash))!.gasUsed;
      const cells = await page
        .locator('[data-testid="zk-batches"] tbody tr', { hasText: args.commitment.toString() })
        .locator("td")
        .allTextContents();
      expect(cells[3]).to.equal(String(args.depositsConsumed));
      expect(BigInt(cells[4].replace(/,/g, ""))).to.equal(gasUsed);
      const proofGas = BigInt(cells[5].replace(/,/g, ""));
      expect(proofGas > PAIRING_GAS && proofGas < gasUsed, `proof gas ${proofGas} of ${gasUsed}`).to.equal(true);
    }
    // The scenario's second batch carries bob's withdrawal: its exit can be claimed at once, and bob claimed it.
    expect(rows.join("\n")).to.match(/claimable now \(exit root 0x[0-9a-f]{6}…[0-9a-f]{4}; 1 claimed\)/);
    // The overdraft batch could not be proven: its post was refused with the contract's error, as the scenario saw.
    const said = /reverted with custom error '(InvalidProof)\((\d+),/.exec(out);
    expect(said, out).to.not.equal(null);
    const refused = (await page.locator('[data-testid="refused"]').allTextContents()).join("\n");
    expect(refused).to.contain(`InvalidProof(batchNumber: ${said![2]}`);
    await page.screenshot({ path: join(SHOTS, "zk.png"), fullPage: true });

    await page.goto(`${explorer!.url}/#/gas`);
    await page.waitForSelector('[data-testid="gas-split"] svg');
    const table = (await page.textContent('[data-testid="gas-table"]'))!;
    expect(table)
      .to.match(/optimistic/)
      .and.match(/zk/);
    expect(await page.textContent('[data-testid="gas-split"]')).to.contain("proof verification");
    await page.screenshot({ path: join(SHOTS, "gas.png"), fullPage: true });
  });

  /** Starts the watchtower and the three channel nodes, peers along alice — bob — carol, on the record. */
  async function startChannelProcesses(): Promise<void> {
    const peers: Record<Name, Name[]> = { alice: ["bob"], bob: ["alice", "carol"], carol: ["bob"] };
    const towerStarted = startTask(chain!, "watchtower", [
      "watchtower",
      "--deployment",
      deployed.path,
      "--port",
      towerUrl.split(":")[2],
    ]);
    await Promise.all(
      NAMES.map((name) =>
        startTask(
          chain!,
          name,
          channelNodeArgs(
            name,
            deployed.path,
            ports[name],
            towerUrl,
            peers[name].map((p) => ({ name: p, url: url[p] })),
          ),
        ),
      ),
    );
    tower = (await towerStarted).child;
  }

  /** The rows of the page's table `testid`, once `done` holds for them (the page redraws as the nodes report). */
  async function rowsOnceDone(testid: string, done: (rows: string[]) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await page.locator(`[data-testid="${testid}"] tbody tr`).allTextContents();
      if (done(rows)) return rows;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`table ${testid} not as expected after ${timeoutMs} ms:\n${rows.join("\n")}`);
  }

  it("shows a payment routed alice → bob → carol hop by hop, and the watchtower's penalty", async () => {
    await page.goto(`${explorer!.url}/#/channels`);
    await page.waitForSelector('[data-testid="banner-down"]');
    expect((await page.locator('[data-testid="banner-down"]').allTextContents()).join("\n")).to.contain(
      `channel node alice not running at ${url.alice}`,
    );
    await startChannelProcesses();
    await page.locator('[data-testid="banner-back"]', { hasText: "channel node alice is back" }).waitFor();
    await requestJson(`${url.alice}/control/open`, { body: { peer: "bob", amount: parseEther("1") } });
    await requestJson(`${url.bob}/control/open`, { body: { peer: "carol", amount: parseEther("1") } });
    await requestJson(`${url.alice}/control/pay`, { body: { peer: "bob", amount: parseEther("0.05") } });
    const invoice = await requestJson<{ hashlock: string }>(`${url.carol}/control/invoice`, {
      body: { amount: parseEther("0.1") },
    });
    const paid = await requestJson<{ status: string }>(`${url.alice}/control/pay-route`, {
      body: { to: "carol", amount: parseEther("0.1"), hashlock: invoice.hashlock },
    });
    expect(paid.status).to.equal("paid");
    const short = `${invoice.hashlock.slice(0, 8)}…${invoice.hashlock.slice(-4)}`;
    // The newest payment's hops come first; both locks of each hop settled, sender's and receiver's.
    const rows = await rowsOnceDone(
      "payments",
      (r) =>
        r.length >= 2 && r[0].startsWith(short) && r[0].endsWith("settledsettled") && r[1].endsWith("settledsettled"),
    );
    expect(rows[0]).to.contain("hop 1: alice → bob").and.contain("0.1 ETH");
    expect(rows[1]).to.contain("hop 2: bob → carol").and.contain("0.1 ETH");

    // alice closes on a state she revoked while bob is away: bob's watchtower disputes it alone.
    const ab = (
      await requestJson<{ channels: { channelId: string; peer: string }[] }>(`${url.alice}/control/status`)
    ).channels.find((c) => c.peer === "bob")!;
    await tower.waitFor(new RegExp(`^channel ${ab.channelId}: watching for side B$`));
    await requestJson(`${url.alice}/control/close`, { body: { peer: "bob", mode: "unilateral", state: "stale" } });
    await tower.waitFor(new RegExp(`^channel ${ab.channelId}: disputed a stale close`), 60_000);
    const penalties = (await chainLogs("PaymentChannels", "ChannelPenalized")).filter(
      (p) => p.args.channelId === BigInt(ab.channelId) && p.log.address === deployed.record.channels!.contract,
    );
    expect(penalties).to.have.length(1);
    const towerRow = page.locator('[data-testid="tower"] tr', { hasText: penalties[0].log.transactionHash });
    await towerRow.waitFor({ timeout: 30_000 });
    expect(await towerRow.textContent()).to.contain("penalty");
    await pageHasRead();
    await page.screenshot({ path: join(SHOTS, "channels.png"), fullPage: true });
  });

  it("says when the chain stops and when it comes back", async () => {
    await page.goto(`${explorer!.url}/#/optimistic`);
    await page.waitForSelector('[data-testid="bond"]');
    const port = new URL(chain!.url).port;
    await chain!.node.stop();
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
