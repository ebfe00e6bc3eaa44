/**
 * The optimistic L2 node on a BlsOptimisticRollup, as a user meets it: a `hardhat node` child, the BLS rollup
 * deployed on it, and `npx hardhat optimistic-node --network localhost` as a child process, spoken to over HTTP.
 * Users register BLS keys on L1 themselves, then send transfers signed with them (POST /bls-transfers); the node
 * checks each signature alone, journals the transfer with its nonce and signature, and posts it as 12 bytes under
 * its chunk's aggregate. What it posted is checked the way a watcher checks it: from L1 alone.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SigningKey, Wallet, parseEther } from "ethers";
import { requestJson } from "../../src/net/client";
import { OptimisticNodeClient } from "../../src/node/optimistic-client";
import { secretKeyFromSeed } from "../../src/encoding/bls";
import { readL1 } from "../../src/optimistic/l1-view";
import { rebuild } from "../../src/optimistic/watcher";
import { BlsKeyRegistry__factory, type OptimisticRollup } from "../../typechain-types";
import { refusal, deployOptimisticOn, startChain, startNode, type DevChain, type NodeProc } from "./support";

describe("node: optimistic L2 node process on the BLS rollup", function () {
  let chain: DevChain;
  let rollup: OptimisticRollup;
  let deploymentFile: string;
  let journal: string;
  let node: NodeProc | undefined;
  let api: OptimisticNodeClient;
  const alice = new SigningKey(Wallet.createRandom().privateKey);
  const bob = new SigningKey(Wallet.createRandom().privateKey);
  const aliceBls = secretKeyFromSeed(randomBytes(32));
  const bobBls = secretKeyFromSeed(randomBytes(32));
  let aliceIndex: number;
  let bobIndex: number;

  async function launch(): Promise<void> {
    node = await startNode(chain, "optimistic-node", [
      "--deployment",
      deploymentFile,
      "--journal",
      journal,
      "--batch-interval",
      "3600000",
    ]);
    api = new OptimisticNodeClient(node.url);
  }

  async function register(secretKey: bigint, owner: SigningKey): Promise<void> {
    const registryAddress = await (rollup as unknown as { BLS_KEYS(): Promise<string> }).BLS_KEYS();
    const registry = BlsKeyRegistry__factory.connect(registryAddress, await chain.signer(11));
    const r = await api.blsKeyRegistration(secretKey, owner);
    await (await registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature)).wait();
  }

  const journalLines = () =>
    readFileSync(journal, "utf8")
      .split("\n")
      .filter((line) => line !== "");

  before(async function () {
    chain = await startChain();
    ({ rollup, deploymentFile } = await deployOptimisticOn(chain, { challengePeriod: 600 }, "bls"));
    journal = join(chain.dir, "optimistic-bls.journal");
    await launch();
    const depositor = await chain.signer(10);
    for (const key of [alice, bob]) {
      const owner = new Wallet(key.privateKey).address;
      await (await rollup.connect(depositor).deposit(owner, { value: parseEther("1") })).wait();
    }
    await api.postBatch();
    aliceIndex = (await api.account(new Wallet(alice.privateKey).address)).index;
    bobIndex = (await api.account(new Wallet(bob.privateKey).address)).index;
  });

  after(async function () {
    if (this.currentTest?.state === "failed" && node) console.error(node.log().slice(-4000));
    await node?.kill("SIGKILL");
    await chain?.stop();
  });

  it("should say it runs the BLS rollup and refuse a transfer whose owner has no BLS key on L1", async function () {
    const status = await api.status();
    expect(status.signatures).to.equal("bls");
    expect(status.blsTxTag).to.match(/^0x[0-9a-f]+$/);
    const refused = await refusal(
      api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: parseEther("0.1") }),
    );
    expect(refused.status).to.equal(422);
    expect(refused.message).to.include("has no BLS key on L1");
    expect((await api.status()).pendingTxs).to.equal(0);
  });

  it("should batch BLS transfers as 12 bytes under one aggregate that L1 data alone checks", async function () {
    await register(aliceBls, alice);
    await register(bobBls, bob);
    const linesBefore = journalLines().length;
    // Two equal transfers differ only in the nonce their sender signed, which names them.
    const first = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: parseEther("0.1") });
    const second = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: parseEther("0.1") });
    const third = await api.sendBlsTransfer(bobBls, { from: bobIndex, to: aliceIndex, amount: 3000n, fee: 20n });
    expect(new Set([first.hash, second.hash, third.hash]).size).to.equal(3);
    // Each record holds the transfer, its nonce and its own signature: 12 + 4 + 96 bytes.
    const records = journalLines().slice(linesBefore);
    expect(records).to.have.length(3);
    for (const line of records) expect((JSON.parse(line) as { data: string }).data).to.have.length(2 + 2 * 112);

    const { batchIds } = await api.postBatch();
    for (const sent of [first, second, third])
      expect(await api.tx(sent.hash)).to.include({ status: "batched", batchId: batchIds[0] });

    const view = await readL1(rollup);
    const [chunk] = view.batches[batchIds[0]].chunks;
    expect(chunk.data.length).to.equal(96 + 3 * 12);
    const rebuilt = rebuild(view);
    expect(rebuilt.invalid).to.equal(undefined);
    const aliceBalance = parseEther("0.8") + 3000n;
    expect(rebuilt.state.account(aliceIndex).balance).to.equal(aliceBalance);
    expect((await api.account(aliceIndex)).balance).to.equal(aliceBalance);
    expect((await api.account(bobIndex)).balance).to.equal(parseEther("1.2") - 3020n);
  });

  it("should refuse a wrong key, a wrong nonce, an unencodable amount and a malformed signature, changing nothing", async function () {
    const journalBefore = readFileSync(journal, "utf8");
    const nonce = (await api.account(aliceIndex)).pending.nonce;
    const cases: { send: () => Promise<unknown>; status: number; says: string }[] = [
      {
        send: () => api.sendBlsTransfer(bobBls, { from: aliceIndex, to: bobIndex, amount: 1000n }),
        status: 422,
        says: "does not verify",
      },
      {
        send: () => api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: 1000n, nonce: nonce + 1 }),
        status: 409,
        says: `signed for nonce ${nonce + 1}, expected ${nonce}`,
      },
      {
        send: () => api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: 123_456_789n }),
        status: 400,
        says: "no exact BLS encoding",
      },
      {
        send: () =>
          requestJson(`${node!.url}/bls-transfers`, {
            body: { from: aliceIndex, to: bobIndex, amount: "1000", fee: "0", nonce, signature: "0x1234" },
          }),
        status: 400,
        says: "signature",
      },
      {
        // 96 bytes of the right length that are no point of G1.
        send: () =>
          requestJson(`${node!.url}/bls-transfers`, {
            body: {
              from: aliceIndex,
              to: bobIndex,
              amount: "1000",
              fee: "0",
              nonce,
              signature: "0x" + "ab".repeat(96),
            },
          }),
        status: 422,
        says: "does not verify",
      },
      {
        send: () => api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: parseEther("5") }),
        status: 422,
        says: "> balance",
      },
    ];
    for (const c of cases) {
      const refused = await refusal(c.send());
      expect(refused.status, refused.message).to.equal(c.status);
      expect(refused.message).to.include(c.says);
    }
    expect(readFileSync(journal, "utf8")).to.equal(journalBefore);
    expect((await api.status()).pendingTxs).to.equal(0);
    expect((await api.account(aliceIndex)).pending.nonce).to.equal(nonce);
  });

  it("should keep an accepted BLS transfer through kill -9 and batch it after the restart", async function () {
    const batched = (await api.batches()).length;
    const sent = await api.sendBlsTransfer(bobBls, { from: bobIndex, to: aliceIndex, amount: 5000n });
    await node!.kill("SIGKILL");
    await launch();
    expect(node!.log()).to.match(/1 pending again/);
    expect(await api.tx(sent.hash)).to.include({ status: "pending" });
    const { batchIds } = await api.postBatch();
    expect(batchIds).to.deep.equal([batched + 1]);
    expect(await api.tx(sent.hash)).to.include({ status: "batched", batchId: batchIds[0] });
    // The transfers batched before the restart are found again in L1's batches, by the nonce each was signed at.
    const rebuilt = rebuild(await readL1(rollup));
    expect(rebuilt.invalid).to.equal(undefined);
    expect(rebuilt.blsTxNames.get(batched)).to.have.length(3);
    expect((await api.account(aliceIndex)).balance).to.equal(parseEther("0.8") + 8000n);
  });
});
