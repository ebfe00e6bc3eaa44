/**
 * The optimistic L2 node as a user meets it: a `hardhat node` child, the rollup deployed on it, and
 * `npx hardhat optimistic-node --network localhost` as a child process, spoken to over HTTP only. Batches go
 * out when the test asks (POST /batches; the timer is set far off), so every case knows what L1 holds.
 */
import { expect } from "chai";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SigningKey, Wallet, parseEther } from "ethers";
import { ApiRequestError, requestJson } from "../../src/net/client";
import { OptimisticNodeClient } from "../../src/node/optimistic-client";
import { signEscape, signTransfer } from "../../src/optimistic/client";
import type { OptimisticRollup } from "../../typechain-types";
import { DEEP } from "../support/deep";
import {
  refusal,
  deployOptimisticOn,
  spawnHardhat,
  startChain,
  startNode,
  type DevChain,
  type NodeProc,
} from "./support";
import { freezeArgs } from "../../src/optimistic/records";

const CHALLENGE_PERIOD = 600;

/** A bare HTTP request, so malformed input reaches the node exactly as sent. */
function raw(port: number, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    let data = "";
    socket.on("data", (chunk) => (data += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve({ status: Number(data.split(" ")[1] ?? "0"), body: data.split("\r\n\r\n")[1] }));
  });
}

describe("node: optimistic L2 node process", function () {
  let chain: DevChain;
  let rollup: OptimisticRollup;
  let deploymentFile: string;
  let journal: string;
  let node: NodeProc | undefined;
  let api: OptimisticNodeClient;
  const alice = new SigningKey(Wallet.createRandom().privateKey);
  const bob = new SigningKey(Wallet.createRandom().privateKey);
  const aliceAddress = new Wallet(alice.privateKey).address;
  const bobAddress = new Wallet(bob.privateKey).address;
  let aliceIndex: number;
  let bobIndex: number;

  async function launch(batchInterval = 3_600_000): Promise<void> {
    node = await startNode(chain, "optimistic-node", [
      "--deployment",
      deploymentFile,
      "--journal",
      journal,
      "--batch-interval",
      String(batchInterval),
      "--rate",
      "50",
      "--burst",
      "200",
      "--max-body",
      "4096",
    ]);
    api = new OptimisticNodeClient(node.url);
  }

  before(async function () {
    chain = await startChain();
    ({ rollup, deploymentFile } = await deployOptimisticOn(chain, { challengePeriod: CHALLENGE_PERIOD }));
    journal = join(chain.dir, "optimistic.journal");
    await launch();
  });

  after(async function () {
    if (this.currentTest?.state === "failed" && node) console.error(node.log().slice(-4000));
    await node?.kill("SIGKILL");
    await chain?.stop();
  });

  describe("# deposits and transfers", function () {
    it("should batch an L1 deposit and show the L2 balance it made", async function () {
      const depositor = await chain.signer(10);
      await (await rollup.connect(depositor).deposit(aliceAddress, { value: parseEther("2") })).wait();
      expect((await api.deposits(aliceAddress))[0]).to.include({ status: "queued", amount: parseEther("2") });

      const { batchIds } = await api.postBatch();
      expect(batchIds).to.have.length(1);
      const [deposit] = await api.deposits(aliceAddress);
      expect(deposit).to.include({ status: "included", batchId: batchIds[0] });
      const account = await api.account(aliceAddress);
      aliceIndex = account.index;
      expect(account).to.deep.include({ balance: parseEther("2"), nonce: 0 });
      expect(Number(await rollup.tipId())).to.equal(batchIds[0]);
    });

    it("should journal a signed transfer before answering and land it in the next batch", async function () {
      ({ index: bobIndex } = await api.openAccount(bobAddress));
      const sent = await api.sendTransfer(alice, { to: bobIndex, amount: parseEther("0.5"), fee: 1000n });
      expect(sent.status).to.equal("pending");
      // On disk before the answer: the record's bytes are the transfer's.
      const lines = readFileSync(journal, "utf8").trim().split("\n");
      expect(JSON.parse(lines[sent.seq]).seq).to.equal(sent.seq);
      expect((await api.tx(sent.hash)).status).to.equal("pending");
      expect((await api.account(aliceIndex)).pending).to.deep.equal({ balance: parseEther("1.5") - 1000n, nonce: 1 });

      const { batchIds } = await api.postBatch();
      expect(await api.tx(sent.hash)).to.include({ status: "batched", batchId: batchIds[0] });
      expect((await api.account(bobIndex)).balance).to.equal(parseEther("0.5"));
      expect((await api.batch(batchIds[0])).status).to.equal("challengeable");
    });
  });

  describe("# bad input", function () {
    /** What must not move when a request is refused. */
    async function snapshot() {
      const status = await api.status();
      return {
        journal: readFileSync(journal, "utf8"),
        pending: status.pendingTxs,
        alice: await api.account(aliceIndex),
        bob: await api.account(bobIndex),
      };
    }
    let before: Awaited<ReturnType<typeof snapshot>>;
    let transfer: ReturnType<typeof signTransfer>;
    beforeEach(async function () {
      before = await snapshot();
      transfer = signTransfer(await api.domain(), alice, {
        from: aliceIndex,
        to: bobIndex,
        amount: 1000n,
        fee: 0n,
        nonce: before.alice.pending.nonce,
      });
    });
    afterEach(async function () {
      expect(await snapshot()).to.deep.equal(before);
    });
    const body = (value: unknown) =>
      JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

    it("should refuse malformed JSON with 400 bad-json", async function () {
      const port = Number(new URL(node!.url).port);
      const text = '{"from": 0,';
      const answer = await raw(
        port,
        `POST /transfers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
      );
      expect(answer.status).to.equal(400);
      expect(JSON.parse(answer.body).error.code).to.equal("bad-json");
    });

    it("should refuse a signature by another key with 422 bad-signature", async function () {
      const forged = signTransfer(await api.domain(), bob, { ...transfer });
      const error = await refusal(requestJson(`${node!.url}/transfers`, { body: forged }));
      expect([error.status, error.code]).to.deep.equal([422, "bad-signature"]);
      expect(error.message).to.include(aliceAddress.toLowerCase());
    });

    it("should refuse a BLS transfer with 409 not-bls: this rollup takes ECDSA transfers", async function () {
      const body = {
        from: aliceIndex,
        to: bobIndex,
        amount: "1000",
        fee: "0",
        nonce: 0,
        signature: "0x" + "00".repeat(96),
      };
      const error = await refusal(requestJson(`${node!.url}/bls-transfers`, { body }));
      expect([error.status, error.code]).to.deep.equal([409, "not-bls"]);
      expect((await api.status()).signatures).to.equal("ecdsa");
    });

    it("should refuse a wrong nonce with 409 bad-nonce, naming the expected one", async function () {
      const stale = signTransfer(await api.domain(), alice, { ...transfer, nonce: 0 });
      const error = await refusal(requestJson(`${node!.url}/transfers`, { body: stale }));
      expect([error.status, error.code]).to.deep.equal([409, "bad-nonce"]);
      expect(error.message).to.include(`nonce 0, expected ${before.alice.pending.nonce}`);
    });

    it("should refuse an unknown sender or recipient with 404 unknown-account", async function () {
      const toNobody = signTransfer(await api.domain(), alice, { ...transfer, to: 999 });
      const error = await refusal(requestJson(`${node!.url}/transfers`, { body: toNobody }));
      expect([error.status, error.code]).to.deep.equal([404, "unknown-account"]);
      expect(error.message).to.include("recipient account 999");
      const missing = await refusal(api.account("0x000000000000000000000000000000000000dEaD"));
      expect([missing.status, missing.code]).to.deep.equal([404, "unknown-account"]);
    });

    it("should refuse amounts out of range with 400 naming the field, and an overdraft with 422", async function () {
      const error = await refusal(
        requestJson(`${node!.url}/transfers`, {
          body: JSON.parse(body({ ...transfer, amount: "123456789012345678901", fee: "-1", extra: 1 })),
        }),
      );
      expect([error.status, error.code]).to.deep.equal([400, "invalid-input"]);
      expect(error.message).to.include("amount:").and.include("fee:").and.include("extra");
      const big = signTransfer(await api.domain(), alice, { ...transfer, amount: parseEther("100") });
      const overdraft = await refusal(requestJson(`${node!.url}/transfers`, { body: big }));
      expect([overdraft.status, overdraft.code]).to.deep.equal([422, "insufficient-balance"]);
    });

    it("should refuse an oversized body with 413 and a non-JSON body with 415", async function () {
      const port = Number(new URL(node!.url).port);
      const big = body({ ...transfer, padding: "x".repeat(5000) });
      const tooBig = await raw(
        port,
        `POST /transfers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n${big}`,
      );
      expect(tooBig.status).to.equal(413);
      const form = "from=0";
      const notJson = await raw(
        port,
        `POST /transfers HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\nConnection: close\r\n\r\n${form}`,
      );
      expect(notJson.status).to.equal(415);
    });
  });

  describe("# durability", function () {
    it("should lose no accepted tx and apply none twice after kill -9 and a restart", async function () {
      const start = await api.account(bobIndex);
      const aliceStart = await api.account(aliceIndex);
      const amount = 1_000_000n;
      // Five transfers go into a batch, five more stay pending: then the node dies without warning.
      for (let i = 0; i < 5; i++) await api.sendTransfer(alice, { to: bobIndex, amount });
      const { batchIds } = await api.postBatch();
      expect(batchIds).to.have.length(1);
      const pendingHashes: string[] = [];
      for (let i = 0; i < 5; i++) pendingHashes.push((await api.sendTransfer(alice, { to: bobIndex, amount })).hash);
      const journalled = (await api.status()).journalRecords;
      await node!.kill("SIGKILL");

      await launch();
      expect(node!.log()).to.match(/already in batches, 5 pending again, 0 no longer apply/);
      const status = await api.status();
      expect(status).to.include({ pendingTxs: 5, journalRecords: journalled, tipId: batchIds[0] });
      for (const hash of pendingHashes) expect((await api.tx(hash)).status).to.equal("pending");
      expect((await api.account(bobIndex)).pending.balance).to.equal(start.balance + 10n * amount);

      await api.postBatch();
      expect((await api.account(bobIndex)).balance).to.equal(start.balance + 10n * amount);
      expect((await api.account(aliceIndex)).nonce).to.equal(aliceStart.nonce + 10);
      expect((await api.status()).pendingTxs).to.equal(0);
    });
  });

  describe("# withdrawals", function () {
    it("should give a claim for a withdrawal once its batch is final, which L1 pays once", async function () {
      const recipient = Wallet.createRandom().address;
      const sent = await api.sendWithdrawal(alice, { recipient, amount: parseEther("0.25") });
      await api.postBatch();
      const [exit] = await api.exits(recipient);
      expect(exit).to.include({ status: "challengeable", amount: parseEther("0.25") });
      expect((await api.tx(sent.hash)).status).to.equal("batched");

      await chain.provider.send("evm_increaseTime", [CHALLENGE_PERIOD + 1]);
      await chain.provider.send("evm_mine", []);
      const [claimable] = await api.exits(recipient);
      expect(claimable.status).to.equal("claimable");
      const claimer = await chain.signer(11);
      await (await rollup.connect(claimer).claimExit(claimable.claim)).wait();
      expect(await chain.provider.getBalance(recipient)).to.equal(parseEther("0.25"));
      expect((await api.exits(recipient))[0].status).to.equal("claimed");
    });
  });

  describe("# examples/send-transfer.ts", function () {
    // A third hardhat process and the batch timer's waits: @deep (npm run test:deep) keeps npm test short.
    (DEEP ? it : it.skip)(
      "@deep should deposit, transfer, withdraw and claim from another process, with the batch timer on",
      async function () {
        await node!.kill("SIGTERM");
        expect(node!.log()).to.match(/stopped/);
        await launch(1_000);
        const example = spawnHardhat(["run", "examples/send-transfer.ts", "--network", "localhost"], {
          L2LAB_LOCALHOST_URL: chain.url,
          L2LAB_OPTIMISTIC_URL: node!.url,
          L2LAB_ACCOUNT: "12",
        });
        let out = "";
        example.child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
        const code = await new Promise((resolve) => example.child.once("exit", resolve));
        expect(code, `${out}\n${example.log()}`).to.equal(0);
        expect(out)
          .to.match(/landed in batch \d+/)
          .and.match(/claimed 0\.5 ETH on L1 in block \d+/);
      },
    );
  });

  describe("# escapes", function () {
    it("should give the escape proof of an account once the rollup is frozen, which L1 pays", async function () {
      // A deposit no batch consumes past its deadline lets anyone freeze the rollup.
      const depositor = await chain.signer(10);
      await (await rollup.connect(depositor).deposit(bobAddress, { value: parseEther("0.01") })).wait();
      await chain.provider.send("evm_increaseTime", [Number(await rollup.DEPOSIT_DEADLINE()) + 1]);
      await (await rollup.connect(await chain.signer(13)).freeze(...(await freezeArgs(rollup)))).wait();
      const answer = await requestJson<{
        frozen: boolean;
        escaped: boolean;
        account: { index: number; owner: string; balance: string; nonce: number };
        siblings: string[];
      }>(`${node!.url}/escapes/${aliceIndex}`);
      expect(answer).to.include({ frozen: true, escaped: false });
      expect(answer.account.owner).to.equal(aliceAddress.toLowerCase());
      const recipient = Wallet.createRandom().address;
      const signature = signEscape(await api.domain(), alice, aliceIndex, recipient);
      await (
        await rollup.connect(await chain.signer(13)).escape(answer.account, answer.siblings, recipient, signature)
      ).wait();
      expect(await chain.provider.getBalance(recipient))
        .to.equal(BigInt(answer.account.balance))
        .and.to.be.greaterThan(0n);
      const unknown = await refusal(requestJson(`${node!.url}/escapes/4000`));
      expect([unknown.status, unknown.code]).to.deep.equal([404, "unknown-account"]);
    });
  });

  describe("# rate limit", function () {
    it("should answer a flood from one client with 429 and keep serving", async function () {
      const answers = await Promise.all(
        Array.from({ length: 600 }, () =>
          requestJson(`${node!.url}/status`).then(
            () => 200,
            (error: ApiRequestError) => error.status,
          ),
        ),
      );
      // 200 at once, then 50 a second: 600 requests would need 8 s to pass unrefused.
      const limited = answers.filter((s) => s === 429).length;
      expect(limited).to.be.greaterThan(0);
      expect(answers.filter((s) => s !== 200 && s !== 429)).to.deep.equal([]);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await api.status()).system).to.equal("optimistic");
    });
  });
});
