/**
 * Any EVM network from configuration. A separate `hardhat node` process plays the remote chain; the
 * commands reach it only through the `remote` network (L2LAB_RPC_URL, L2LAB_PRIVATE_KEYS: keys signed
 * locally, as on a public testnet), and, where a public node's refusals matter, through a gateway that
 * serves like a public node (names itself Geth, refuses evm_* and hardhat_* methods).
 */
import { expect } from "chai";
import hre from "hardhat";
import { JsonRpcProvider } from "ethers";
import { readDeployment } from "../../src/devnet/deployment";
import { waitReady } from "../../src/devnet/ready";
import { freePort } from "../../src/devnet/processes";
import {
  developmentChainSteps,
  isDevelopmentChain,
  isDevelopmentClient,
  requireDevelopmentChain,
  unsupportedNode,
  SUPPORTED_NODE_MAJORS,
} from "../../src/devnet/network";
import { loadScenarioFile } from "../../src/scenario/validate";
import { alive, chain, hardhat, killAll, nodeAccountKeys, publicGateway } from "./processes";
import { describeDeep } from "../support/deep";
import { readFileSync } from "node:fs";

function remoteEnv(url: string): NodeJS.ProcessEnv {
  return { L2LAB_RPC_URL: url, L2LAB_PRIVATE_KEYS: nodeAccountKeys(40).join(",") };
}

describe("# networks", function () {
  describe("# development chains", function () {
    it("should tell development nodes from public ones by their client version", function () {
      expect(isDevelopmentClient("HardhatNetwork/2.29.1/@nomicfoundation/edr/0.12.0")).to.equal(true);
      expect(isDevelopmentClient("anvil/v1.2.3")).to.equal(true);
      expect(isDevelopmentClient("Geth/v1.14.12-stable/linux-amd64/go1.23.4")).to.equal(false);
      expect(isDevelopmentClient("erigon/3.0.0/linux-amd64/go1.23.4")).to.equal(false);
      expect(isDevelopmentClient("")).to.equal(false);
    });

    it("should take the in-process Hardhat chain for a development chain", async function () {
      expect(await isDevelopmentChain(hre)).to.equal(true);
      await requireDevelopmentChain(hre, "a test");
    });

    it("should list the scenario steps that need a development chain", function () {
      const scenario = loadScenarioFile("scenarios/optimistic-fraud-caught.json");
      const steps = developmentChainSteps(scenario.steps);
      const waits = scenario.steps.flatMap((s, i) => (s.do === "wait" ? [`step ${i} (wait)`] : []));
      expect(waits.length).to.be.greaterThan(0);
      expect(steps).to.deep.equal(waits);
      expect(developmentChainSteps(loadScenarioFile("scenarios/optimistic-fault-mint.json").steps)).to.deep.equal([]);
    });
  });

  describe("# Node.js versions", function () {
    it("should state the same Node.js majors in package.json, .nvmrc and the check", function () {
      const engines = (JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node;
      expect(engines).to.equal(SUPPORTED_NODE_MAJORS.map((major) => `^${major}.0.0`).join(" || "));
      expect(readFileSync(".nvmrc", "utf8").trim()).to.equal(String(SUPPORTED_NODE_MAJORS[0]));
      expect(unsupportedNode(process.versions.node)).to.equal(undefined);
      expect(unsupportedNode("18.19.1")).to.match(/needs Node\.js 20 or 22.*this is Node\.js 18\.19\.1.*nvm install/);
      expect(unsupportedNode("23.1.0")).to.be.a("string");
    });
  });

  describeDeep("# a chain run elsewhere", function () {
    let node: Awaited<ReturnType<typeof chain>>;

    before(async function () {
      node = await chain();
    });
    after(() => killAll());

    it("should say to start a node, not HH108, when nothing answers at localhost", async function () {
      const port = await freePort();
      const run = hardhat(["devnet", "--network", "localhost"], { L2LAB_LOCALHOST_URL: `http://127.0.0.1:${port}` });
      expect(await run.exited).to.not.equal(0);
      expect(run.stderr()).to.include(`nothing answers at http://127.0.0.1:${port}`);
      expect(run.stderr()).to.include("start `npx hardhat node` first (or set L2LAB_LOCALHOST_URL");
      expect(run.stderr()).to.not.include("HH108");
    });

    it("should deploy the devnet on a remote-configured network and leave that chain running when stopped", async function () {
      const devnet = hardhat(
        ["devnet", "--network", "remote", "--only", "optimistic,channels", "--deployment", ".devnet/test-remote.json"],
        remoteEnv(node.url),
      );
      const ready = await waitReady(devnet.child, "devnet", 180_000);
      const record = readDeployment(ready.deployment as string);
      const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
      try {
        expect(await provider.getCode(record.optimistic!.rollup)).to.not.equal("0x");
        expect(await provider.getCode(record.channels!.contract)).to.not.equal("0x");
        // Deployed by the configured keys: the channel contract by key 0, the rollup by the operator's key 1.
        const deployer = new (await import("ethers")).Wallet(nodeAccountKeys(1)[0]);
        expect(await provider.getTransactionCount(deployer.address)).to.be.greaterThan(0);
      } finally {
        provider.destroy();
      }
      devnet.child.kill("SIGTERM");
      expect(await devnet.exited).to.equal(0);
      expect(alive(node.run.child.pid!), "the devnet stops only what it started").to.equal(true);
    });
  });
});

describeDeep("networks: scenarios on a public-node-like chain", function () {
  let node: Awaited<ReturnType<typeof chain>>;
  let gateway: Awaited<ReturnType<typeof publicGateway>>;

  before(async function () {
    node = await chain();
    gateway = await publicGateway(node.url);
  });
  after(async function () {
    await killAll();
    await gateway?.close();
  });

  it("should refuse, before sending anything, a scenario that moves time on a public node", async function () {
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const before = await provider.getBlockNumber();
      const run = hardhat(
        ["scenario", "scenarios/optimistic-fraud-caught.json", "--network", "remote"],
        remoteEnv(gateway.url),
      );
      expect(await run.exited).to.equal(1);
      expect(run.stderr()).to.match(/optimistic-fraud-caught\.json: step \d+ \(wait\).* needs a development chain/);
      expect(run.stderr()).to.include("Geth/v1.14.12");
      expect(await provider.getBlockNumber(), "nothing was sent").to.equal(before);
    } finally {
      provider.destroy();
    }
  });

  it("should run a fraud scenario end to end through a gateway that refuses development methods", async function () {
    const run = hardhat(
      ["scenario", "scenarios/optimistic-fault-mint.json", "--network", "remote"],
      remoteEnv(gateway.url),
    );
    const code = await run.exited;
    expect(code, run.stdout() + run.stderr()).to.equal(0);
  });
});
