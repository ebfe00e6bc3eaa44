/**
 * The zk L2 node as a user meets it: a `hardhat node` child, the zk rollup (test circuit, N=2) deployed on it,
 * and `npx hardhat zk-node --network localhost` as a child process, spoken to over HTTP only: refusals, a
 * restart after kill -9, and the end to end run with Groth16 proofs (a @deep suite: npm run test:deep).
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEther } from "ethers";
import { requestJson } from "../../src/net/client";
import { ZkNodeClient } from "../../src/node/zk-client";
import { ZkKey } from "../../src/zk/keys";
import type { ZkRollup } from "../../typechain-types";
import { describeDeep } from "../support/deep";
import { refusal, deployZkOn, startChain, startNode, type DevChain, type NodeProc } from "./support";

function suite(this: Mocha.Suite) {
  let chain: DevChain;
  let rollup: ZkRollup;
  let deploymentFile: string;
  let journal: string;
  let node: NodeProc | undefined;
  let api: ZkNodeClient;
  let alice: ZkKey;
  let bob: ZkKey;
  const index = { alice: 0, bob: 0 };

  async function launch(): Promise<void> {
    node = await startNode(chain, "zk-node", [
      ...["--deployment", deploymentFile, "--journal", journal, "--batch-interval", "3600000"],
      ...["--rate", "50", "--burst", "200"],
    ]);
    api = new ZkNodeClient(node.url);
  }

  before(async function () {
    chain = await startChain();
    ({ rollup, deploymentFile } = await deployZkOn(chain));
    journal = join(chain.dir, "zk.journal");
    alice = await ZkKey.fromSeed(randomBytes(32));
    bob = await ZkKey.fromSeed(randomBytes(32));
    const depositor = rollup.connect(await chain.signer(10));
    for (const [name, key] of [
      ["alice", alice],
      ["bob", bob],
    ] as const) {
      await (await depositor.deposit(key.publicKey.ax, key.publicKey.ay, { value: parseEther("1") })).wait();
      index[name] = Number(await rollup.accountCount()) - 1;
    }
    await launch();
  });

  after(async function () {
    if (this.currentTest?.state === "failed" && node) console.error(node.log().slice(-4000));
    await node?.kill("SIGKILL");
    await chain?.stop();
  });

  it("should count a queued L1 deposit in the pending balance", async function () {
    const account = await api.account(index.alice);
    expect(account.pending).to.deep.equal({ balance: parseEther("1"), nonce: 0n });
    expect(account.balance).to.equal(0n);
  });

  it("should refuse bad input with a 4xx and journal nothing", async function () {
    const before = await api.status();
    const good = await api.sign(alice, { from: index.alice, to: index.bob, amount: parseEther("0.1") });
    const cases: [unknown, number, string][] = [
      [
        await api.sign(bob, { from: index.alice, to: index.bob, amount: parseEther("0.1"), nonce: 0n }),
        422,
        "bad-signature",
      ],
      [
        await api.sign(alice, { from: index.alice, to: index.bob, amount: parseEther("0.1"), nonce: 5n }),
        409,
        "bad-nonce",
      ],
      [
        await api.sign(alice, { from: index.alice, to: 200, amount: parseEther("0.1"), nonce: 0n }),
        404,
        "unknown-account",
      ],
      [{ ...good, amount: "123456789012345678901234" }, 400, "invalid-input"],
      [
        await api.sign(alice, { from: index.alice, to: index.bob, amount: parseEther("5"), nonce: 0n }),
        422,
        "insufficient-balance",
      ],
      [{ ...good, signature: "0x00" }, 400, "invalid-input"],
    ];
    for (const [body, status, code] of cases) {
      const error = await refusal(requestJson(`${node!.url}/transfers`, { body }));
      expect([error.status, error.code], error.message).to.deep.equal([status, code]);
    }
    const after = await api.status();
    expect(after).to.include({ journalRecords: before.journalRecords, pendingOps: before.pendingOps });
    expect((await api.account(index.alice)).pending.nonce).to.equal(0n);
  });

  it("should keep an accepted transfer across kill -9 (journalled before the answer)", async function () {
    const sent = await api.sendTransfer(alice, { from: index.alice, to: index.bob, amount: parseEther("0.1") });
    expect(readFileSync(journal, "utf8").trim().split("\n")).to.have.length(sent.seq + 1);
    await node!.kill("SIGKILL");
    await launch();
    expect(node!.log()).to.match(/0 already in batches, 1 pending again, 0 no longer apply/);
    expect((await api.account(index.bob)).pending.balance).to.equal(parseEther("1.1"));
  });

  it("should prove and post the batch, then pay a withdrawal on L1", async function () {
    const posted = await api.postBatch();
    expect(posted.batchNumbers.length).to.be.greaterThan(0);
    expect((await api.account(index.bob)).balance).to.equal(parseEther("1.1"));
    const owner = await chain.signer(10);
    await api.sendWithdrawal(bob, { from: index.bob, amount: parseEther("0.5") });
    await api.postBatch();
    const [exit] = await api.exits(owner.address);
    expect(exit).to.include({ status: "claimable", amount: parseEther("0.5") });
    const claim = await (
      await rollup
        .connect(await chain.signer(11))
        .claimWithdrawal(exit.batchNumber, exit.slot, exit.owner, exit.amount, exit.siblings)
    ).wait();
    // Balances at the claim's block and the one before: a provider may answer a repeated read from its cache.
    const before = await chain.provider.getBalance(owner.address, claim!.blockNumber - 1);
    expect(await chain.provider.getBalance(owner.address, claim!.blockNumber)).to.equal(before + parseEther("0.5"));
    expect((await api.exits(owner.address))[0].status).to.equal("claimed");
    // A restart now finds every journalled operation in a proven batch.
    await node!.kill("SIGKILL");
    await launch();
    expect(node!.log()).to.match(/2 already in batches, 0 pending again, 0 no longer apply/);
  });
}

// Loading the circuit and replaying L1 in two processes costs more than npm test's share: all of it is @deep.
describeDeep("node: zk L2 node process", suite);
