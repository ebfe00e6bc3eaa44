import { expect } from "chai";
import { parseEther } from "ethers";
import type { PaymentChannels } from "../../typechain-types";
import { ROLES } from "../../src/devnet/deployment";
import { ApiRequestError, requestJson } from "../../src/net/client";
import { deployOn, type DevDeployment } from "./deploy";
import { channelNodeArgs, freePort, startChain, startTask, stopAll, type Child, type DevChain } from "./processes";
import { describeDeep } from "../support/deep";

interface ChannelView {
  channelId: string;
  peer: string;
  side: "A" | "B";
  status: string;
  nonce: string;
  mine: string;
  theirs: string;
  locks: number;
}
interface NodeStatus {
  name: string;
  account: string;
  channels: ChannelView[];
}

const NAMES = ["alice", "bob", "carol"] as const;
type Name = (typeof NAMES)[number];

/**
 * Three channel nodes, each its own `npx hardhat channel-node` process with its own key, and a watchtower process,
 * against a `hardhat node` child: they open channels, route a payment alice → bob → carol hop by hop over loopback
 * HTTP, refuse hostile messages, close cooperatively, and the tower punishes a revoked-state close while its client
 * is offline.
 */
describeDeep("# devnet: channel nodes and watchtower processes", function () {
  let chain: DevChain;
  let deployed: DevDeployment;
  let contract: PaymentChannels;
  const url = {} as Record<Name, string>;
  const child = {} as Record<Name, Child>;
  let tower: Child;

  const status = (name: Name) => requestJson<NodeStatus>(`${url[name]}/control/status`);
  const channelOf = async (name: Name, peer: Name): Promise<ChannelView> => {
    const found = (await status(name)).channels.filter((c) => c.peer === peer);
    expect(found, `${name} has a channel with ${peer}`).to.have.length.greaterThan(0);
    return found[found.length - 1];
  };
  const accountOf = async (name: Name) =>
    (await deployed.signer(ROLES.firstChannelNode + NAMES.indexOf(name))).getAddress();

  /** The status code a raw request gets, with the body as given (not JSON-encoded when a string). */
  async function rawStatus(target: string, body: unknown): Promise<number> {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    await response.text();
    return response.status;
  }

  before(async function () {
    chain = await startChain();
    deployed = await deployOn(chain, { channels: { disputePeriod: 3600, htlcDelta: 600 } });
    contract = deployed.channels!.contract;
    const ports = {} as Record<Name, number>;
    for (const name of NAMES) {
      ports[name] = await freePort();
      url[name] = `http://127.0.0.1:${ports[name]}`;
    }
    const peers: Record<Name, Name[]> = { alice: ["bob"], bob: ["alice", "carol"], carol: ["bob"] };
    // The tower and the three nodes start side by side: each process spends seconds loading before it serves.
    const towerUrl = `http://127.0.0.1:${await freePort()}`;
    const towerStarted = startTask(
      chain,
      "watchtower",
      ["watchtower", "--deployment", deployed.path, "--poll-ms", "200", "--port", towerUrl.split(":")[2]],
      // Configured as for a public chain: RPC URL and keys from the environment.
      { remote: true },
    );
    const started = await Promise.all(
      NAMES.map((name) =>
        startTask(
          chain,
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
    NAMES.forEach((name, i) => (child[name] = started[i].child));
    tower = (await towerStarted).child;
  });

  after(async function () {
    await stopAll();
  });

  it("should open channels and route a payment alice → bob → carol over loopback HTTP", async function () {
    await requestJson(`${url.alice}/control/open`, { body: { peer: "bob", amount: parseEther("1") } });
    await requestJson(`${url.bob}/control/open`, { body: { peer: "carol", amount: parseEther("1") } });
    const direct = await requestJson<{ nonce: string; mine: string }>(`${url.alice}/control/pay`, {
      body: { peer: "bob", amount: parseEther("0.05") },
    });
    expect([direct.nonce, direct.mine]).to.deep.equal(["1", parseEther("0.95").toString()]);
    await child.alice.waitFor(/^alice: paid bob 0\.05 ETH on channel 1 \(state #1\)$/);
    await child.bob.waitFor(/^bob: received 0\.05 ETH from alice on channel 1 \(state #1\)$/);
    const invoice = await requestJson<{ hashlock: string }>(`${url.carol}/control/invoice`, {
      body: { amount: parseEther("0.1") },
    });
    const paid = await requestJson<{ status: string; route: string[] }>(`${url.alice}/control/pay-route`, {
      body: { to: "carol", amount: parseEther("0.1"), hashlock: invoice.hashlock },
    });
    expect(paid.status).to.equal("paid");
    expect(paid.route).to.deep.equal(["alice", "bob", "carol"]);
    const ab = await channelOf("alice", "bob");
    expect([ab.mine, ab.theirs, ab.locks]).to.deep.equal([
      parseEther("0.85").toString(),
      parseEther("0.15").toString(),
      0,
    ]);
    const ba = await channelOf("bob", "alice");
    expect([ba.mine, ba.nonce]).to.deep.equal([parseEther("0.15").toString(), ab.nonce]);
    const bc = await channelOf("bob", "carol");
    expect([bc.mine, bc.theirs, bc.locks]).to.deep.equal([
      parseEther("0.9").toString(),
      parseEther("0.1").toString(),
      0,
    ]);
    const cb = await channelOf("carol", "bob");
    expect(cb.mine).to.equal(parseEther("0.1").toString());
    await child.carol.waitFor(/^carol: paid 0\.1 ETH by bob under 0x[0-9a-f]{8}… \(redeemed\)$/);
    await child.bob.waitFor(/^bob: redeemed 0\.1 ETH from alice under /);
  });

  it("should give every lock back, hop by hop, when the payee refuses a routed payment", async function () {
    const [abBefore, bcBefore] = [await channelOf("alice", "bob"), await channelOf("bob", "carol")];
    // carol's invoice asks for more than alice locks: carol cancels bob's lock, bob then cancels alice's.
    const invoice = await requestJson<{ hashlock: string }>(`${url.carol}/control/invoice`, {
      body: { amount: parseEther("0.2") },
    });
    const outcome = await requestJson<{ status: string; reason: string }>(`${url.alice}/control/pay-route`, {
      body: { to: "carol", amount: parseEther("0.1"), hashlock: invoice.hashlock, route: ["bob", "carol"] },
    });
    expect(outcome.status).to.equal("refused");
    expect(outcome.reason).to.equal("carol wants 0.2 ETH, the lock holds 0.1 ETH");
    // Each node's own record (GET /events, read by the explorer): every lock of this payment failed, hop by hop.
    const locksOf = async (name: Name) =>
      (
        await requestJson<{
          locks: { hashlock: string; direction: string; peer: string; state: string; reason?: string }[];
        }>(`${url[name]}/events`)
      ).locks
        .filter((l) => l.hashlock === invoice.hashlock)
        .map((l) => [l.direction, l.peer, l.state, l.reason]);
    const refusal = "carol wants 0.2 ETH, the lock holds 0.1 ETH";
    expect(await locksOf("alice")).to.deep.equal([["out", "bob", "failed", refusal]]);
    expect(await locksOf("bob")).to.deep.equal([
      ["in", "alice", "failed", refusal],
      ["out", "carol", "failed", refusal],
    ]);
    expect(await locksOf("carol")).to.deep.equal([["in", "bob", "failed", refusal]]);
    const [ab, bc] = [await channelOf("alice", "bob"), await channelOf("bob", "carol")];
    expect([ab.mine, ab.theirs, ab.locks]).to.deep.equal([abBefore.mine, abBefore.theirs, 0]);
    expect([bc.mine, bc.theirs, bc.locks]).to.deep.equal([bcBefore.mine, bcBefore.theirs, 0]);
    expect(BigInt(ab.nonce)).to.equal(BigInt(abBefore.nonce) + 2n);
  });

  it("should refuse malformed, unknown, stale and forged messages with a 4xx and change nothing", async function () {
    const before = await status("bob");
    const ab = await channelOf("bob", "alice");
    const id = ab.channelId;
    const nonce = BigInt(ab.nonce);
    const signature = "0x" + "11".repeat(64) + "1b";
    const state = (n: bigint) => ({
      channelId: id,
      nonce: n.toString(),
      depositA: parseEther("1").toString(),
      depositB: "0",
      balanceA: parseEther("0.75").toString(),
      balanceB: parseEther("0.25").toString(),
      locksRoot: "0x" + "00".repeat(32),
    });
    const pay = { kind: "pay", from: 0, amount: parseEther("0.1").toString() };
    const propose = `${url.bob}/p2p/propose`;
    expect(await rawStatus(propose, '{"channelId": 1,')).to.equal(400);
    expect(await rawStatus(propose, { channelId: id, change: pay })).to.equal(400);
    expect(
      await rawStatus(propose, { channelId: "-1", change: pay, state: state(nonce), locks: [], signature }),
    ).to.equal(400);
    expect(
      await rawStatus(propose, {
        channelId: "999",
        change: pay,
        state: { ...state(nonce + 1n), channelId: "999" },
        locks: [],
        signature,
      }),
    ).to.equal(404);
    // A replay of the state both hold already: stale.
    expect(
      await rawStatus(propose, { channelId: id, change: pay, state: state(nonce), locks: [], signature }),
    ).to.equal(409);
    // The next state, but not signed by alice's key.
    expect(
      await rawStatus(propose, { channelId: id, change: pay, state: state(nonce + 1n), locks: [], signature }),
    ).to.equal(401);
    expect(
      await rawStatus(`${url.bob}/p2p/revoke`, {
        channelId: id,
        revocation: { nonce: (nonce - 1n).toString(), signature },
      }),
    ).to.equal(401);
    expect(
      await rawStatus(`${url.bob}/p2p/forward`, { channelId: id, hashlock: "0x" + "22".repeat(32), next: ["carol"] }),
    ).to.equal(404);
    expect(await rawStatus(`${url.bob}/control/pay`, { peer: "alice", amount: "1e18" })).to.equal(400);
    expect(await rawStatus(`${url.bob}/control/pay`, { peer: "alice", amount: parseEther("5").toString() })).to.equal(
      409,
    );
    const opened = { channelId: id, name: "mallory", url: url.alice };
    expect(await rawStatus(`${url.bob}/p2p/opened`, opened)).to.equal(409);
    expect(await status("bob")).to.deep.equal(before);
    try {
      await requestJson(`${url.bob}/control/pay`, { body: { peer: "dave", amount: 1n } });
      expect.fail("paid an unknown peer");
    } catch (error) {
      expect((error as ApiRequestError).status).to.equal(404);
    }
  });

  it("should close a channel cooperatively over the wire, paid as L1 says", async function () {
    const bc = await channelOf("bob", "carol");
    const closed = await requestJson<{ tx: string; outcome: string }>(`${url.bob}/control/close`, {
      body: { peer: "carol" },
    });
    expect(closed.outcome).to.equal("settled at once, paid A 0.9 ETH and B 0.1 ETH");
    const events = await contract.queryFilter(contract.filters.ChannelCooperativelyClosed(BigInt(bc.channelId)));
    expect(events).to.have.length(1);
    expect([events[0].args.payoutA, events[0].args.payoutB]).to.deep.equal([parseEther("0.9"), parseEther("0.1")]);
    expect((await channelOf("carol", "bob")).status).to.equal("settled");
  });

  it("should have the watchtower process punish a close on a revoked state while its client is offline", async function () {
    const ab = await channelOf("alice", "bob");
    await tower.waitFor(new RegExp(`^channel ${ab.channelId}: watching for side B$`));
    await child.bob.stop();
    expect([child.bob.process.exitCode, child.bob.process.signalCode]).to.deep.equal([0, null]);
    const closed = await requestJson<{ outcome: string }>(`${url.alice}/control/close`, {
      body: { peer: "bob", mode: "unilateral", state: "stale" },
    });
    expect(closed.outcome).to.match(/^closing on state #1, settles at \d+ unless disputed$/);
    const [alice, bob] = [await accountOf("alice"), await accountOf("bob")];
    const line = await tower.waitFor(
      new RegExp(`^channel ${ab.channelId}: disputed a stale close \\(tx 0x[0-9a-f]{64}\\): penalty`),
    );
    expect(line).to.contain(`${alice} closed on revoked state #1, 1.0 ETH to ${bob}`);
    const penalties = await contract.queryFilter(contract.filters.ChannelPenalized(BigInt(ab.channelId)));
    expect(penalties).to.have.length(1);
    expect([penalties[0].args.cheater, penalties[0].args.beneficiary, penalties[0].args.amount]).to.deep.equal([
      alice,
      bob,
      parseEther("1"),
    ]);
    // Solvency from the chain: both channels are done and the contract keeps nothing it owes nobody.
    const [statusAb] = await contract.channel(BigInt(ab.channelId));
    expect(statusAb).to.equal(0n);
    expect(await chain.provider.getBalance(await contract.getAddress())).to.equal(0n);
  });
});
