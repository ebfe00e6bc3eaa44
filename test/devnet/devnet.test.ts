/**
 * `npx hardhat devnet` as a workshop runs it: its own chain on a free loopback port, the systems
 * deployed through Ignition, the record written, the process list supervised; SIGTERM stops every
 * process it started (checked by pid). The L2 nodes, watcher and channel nodes are other tasks: the
 * devnet starts those that exist and names the others as skipped.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { describeDeep } from "../support/deep";
import { Contract, JsonRpcProvider, Wallet, parseEther } from "ethers";
import { readDeployment } from "../../src/devnet/deployment";
import { DEVNET_PROCESSES } from "../../src/devnet/processes";
import { waitReady, type ReadyLine } from "../../src/devnet/ready";
import { gone, hardhat, killAll, nodeAccountKeys, type Run } from "./processes";

describe("# npx hardhat devnet", function () {
  let devnet: Run;
  let ready: ReadyLine;

  before(async function () {
    devnet = hardhat(["devnet", "--only", "optimistic,channels", "--deployment", ".devnet/test-own-chain.json"]);
    // The explorer starts once every other process is up: one more Hardhat start after theirs.
    ready = await waitReady(devnet.child, "devnet", 300_000);
  });
  after(() => killAll());

  it("should start its own chain on a free loopback port and deploy the systems asked for", async function () {
    expect(ready.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const record = readDeployment(ready.deployment as string);
    expect(record.chainId).to.equal(31337);
    expect(record.optimistic?.rollup).to.be.a("string");
    expect(record.channels?.contract).to.be.a("string");
    expect(record.zk, "zk was not asked for").to.equal(undefined);
    const provider = new JsonRpcProvider(ready.url as string, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      expect(await provider.getCode(record.optimistic!.rollup)).to.not.equal("0x");
      expect(await provider.getCode(record.channels!.contract)).to.not.equal("0x");
      // The operator bonded: the rollup holds the bond.
      expect(await provider.getBalance(record.optimistic!.rollup)).to.be.greaterThan(0n);
    } finally {
      provider.destroy();
    }
  });

  it("should take a deposit from a student's own key on its chain", async function () {
    const record = readDeployment(ready.deployment as string);
    const provider = new JsonRpcProvider(ready.url as string, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const student = new Wallet(nodeAccountKeys(12)[11], provider);
      const rollup = new Contract(
        record.optimistic!.rollup,
        [
          "function deposit(address l2Owner) payable",
          "event DepositQueued(uint256 indexed index, address indexed sender, bytes32 indexed recipient, uint256 amount, bytes32 chainHash)",
        ],
        student,
      );
      const receipt = await (await rollup.deposit(student.address, { value: parseEther("0.5") })).wait();
      const queued = receipt.logs
        .map((log: { topics: string[]; data: string }) => rollup.interface.parseLog(log))
        .find(Boolean);
      expect(queued?.name).to.equal("DepositQueued");
      expect(queued?.args.sender).to.equal(student.address);
      expect(queued?.args.amount).to.equal(parseEther("0.5"));
    } finally {
      provider.destroy();
    }
  });

  it("should name every process of the list it could not start, and start the others", function () {
    const wanted = DEVNET_PROCESSES.filter((p) => p.system !== "zk").map((p) => p.name);
    const started = Object.keys(ready.processes as object);
    const skipped = ready.skipped as string[];
    expect([...started, ...skipped].sort()).to.deep.equal([...wanted].sort());
    for (const name of skipped) expect(devnet.stderr()).to.include(`skipped ${name}: this checkout has no`);
  });

  it("should start the explorer, given the URL of every process that serves one", async function () {
    const processes = ready.processes as Record<string, string | null>;
    expect(ready.explorer).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(devnet.stdout()).to.include(ready.explorer as string);
    const config = (await (await fetch(`${ready.explorer}/config.json`)).json()) as {
      deployment: { chainId: number };
      nodes: { optimistic: string | null; zk: string | null; watchtower: string | null; channels: object };
    };
    expect(config.deployment.chainId).to.equal(31337);
    expect(config.nodes.optimistic).to.equal(processes["optimistic-node"] ?? null);
    expect(config.nodes.zk, "zk was not asked for").to.equal(null);
    expect(config.nodes.watchtower).to.equal(processes.watchtower ?? null);
    const channelNodes = Object.fromEntries(
      DEVNET_PROCESSES.filter((p) => p.task === "channel-node" && processes[p.name]).map((p) => [
        p.name,
        processes[p.name],
      ]),
    );
    expect(config.nodes.channels).to.deep.equal(channelNodes);
    // Through the explorer, the watchtower's own record (read-only GET /events).
    if (processes.watchtower) {
      const events = await fetch(`${ready.explorer}/node/watchtower/events`);
      expect(events.status).to.equal(200);
      expect(await events.json()).to.deep.equal({ events: [] });
    }
  });

  it("should stop every process it started on SIGTERM", async function () {
    const pids = Object.values(ready.pids as Record<string, number>);
    expect(pids.length, "the devnet, its chain and the devnet process on that chain").to.be.greaterThanOrEqual(3);
    devnet.child.kill("SIGTERM");
    expect(await devnet.exited).to.equal(0);
    expect(await gone(pids), "pids still alive after the devnet stopped").to.deep.equal([]);
  });
});

describeDeep("devnet: stopped while it starts", function () {
  after(() => killAll());

  it("should stop its chain and the devnet on that chain when SIGTERM comes during deployment", async function () {
    const devnet = hardhat(["devnet", "--only", "optimistic", "--deployment", ".devnet/test-early-stop.json"]);
    const deadline = Date.now() + 180_000;
    // The inner devnet has started once it names the network it deploys on.
    while (!/network "localhost"/.test(devnet.stderr()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const chainPid = Number(/pid (\d+)/.exec(devnet.stderr())?.[1]);
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(devnet.child.pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    expect(children).to.include(chainPid);
    expect(children.length, "the chain and the devnet on it").to.equal(2);
    devnet.child.kill("SIGTERM");
    await devnet.exited;
    expect(await gone(children), "pids still alive after the devnet stopped").to.deep.equal([]);
  });
});
