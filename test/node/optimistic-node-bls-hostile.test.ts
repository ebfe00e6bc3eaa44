/**
 * The BLS node's handler against hostile users: signatures that are no use (another nonce, the identity, points off
 * the subgroup, one shifted onto another transfer), hostile JSON, and an L1 forced withdrawal that leaves pooled BLS
 * transfers without the funds or the nonce they were signed for. Whatever they send, every batch the node posts
 * must stand (a watcher finds no fault in L1's data) and the node must keep posting.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { SigningKey, Wallet, parseEther } from "ethers";
import { bls12_381 } from "@noble/curves/bls12-381";
import { ApiRequestError, requestJson } from "../../src/net/client";
import { OptimisticNodeClient } from "../../src/node/optimistic-client";
import { G1, decodeSignature, encodeSignature, secretKeyFromSeed } from "../../src/encoding/bls";
import { signBlsTransfer } from "../../src/optimistic/client";
import { signForcedWithdrawal } from "../../src/optimistic/client";
import { readL1 } from "../../src/optimistic/l1-view";
import { rebuild } from "../../src/optimistic/watcher";
import { BlsKeyRegistry__factory, type OptimisticRollup } from "../../typechain-types";
import { refusal, deployOptimisticOn, startChain, startNode, type DevChain, type NodeProc } from "./support";
import { join } from "node:path";

/** A point on G1's curve (y² = x³ + 4) outside its prime-order subgroup, compact [x<48>|y<48>]. */
function pointOutsideSubgroup(): Uint8Array {
  const Fp = bls12_381.fields.Fp;
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.pow(x, 3n), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(rhs);
    } catch {
      continue;
    }
    if (Fp.mul(y, y) !== rhs) continue;
    const point = G1.fromAffine({ x, y });
    try {
      point.assertValidity();
      continue;
    } catch {
      return Uint8Array.from(
        Buffer.concat([
          Buffer.from(x.toString(16).padStart(96, "0"), "hex"),
          Buffer.from(y.toString(16).padStart(96, "0"), "hex"),
        ]),
      );
    }
  }
}

describe("node: hostile users of the BLS node", function () {
  let chain: DevChain;
  let rollup: OptimisticRollup;
  let node: NodeProc;
  let launch: () => Promise<void>;
  /** The hashes of the transfers the forced withdrawal left unable to run. */
  const droppedHashes: string[] = [];
  let api: OptimisticNodeClient;
  let txTag: Uint8Array;
  const alice = new SigningKey(Wallet.createRandom().privateKey);
  const bob = new SigningKey(Wallet.createRandom().privateKey);
  const aliceBls = secretKeyFromSeed(randomBytes(32));
  const bobBls = secretKeyFromSeed(randomBytes(32));
  let aliceIndex: number;
  let bobIndex: number;

  const send = (body: Record<string, unknown>) => requestJson(`${node.url}/bls-transfers`, { body });
  const signed = (secretKey: bigint, from: number, to: number, amount: bigint, nonce: number) =>
    signBlsTransfer(txTag, secretKey, { from, to, amount, fee: 0n }, nonce);
  const hex = (b: Uint8Array) => "0x" + Buffer.from(b).toString("hex");

  before(async function () {
    chain = await startChain();
    let deploymentFile: string;
    ({ rollup, deploymentFile } = await deployOptimisticOn(chain, { challengePeriod: 600 }, "bls"));
    launch = async () => {
      node = await startNode(chain, "optimistic-node", [
        "--deployment",
        deploymentFile,
        "--journal",
        join(chain.dir, "hostile.journal"),
        "--batch-interval",
        "3600000",
      ]);
      api = new OptimisticNodeClient(node.url);
    };
    await launch();
    const depositor = await chain.signer(10);
    for (const key of [alice, bob]) {
      const owner = new Wallet(key.privateKey).address;
      await (await rollup.connect(depositor).deposit(owner, { value: parseEther("1") })).wait();
    }
    await api.postBatch();
    aliceIndex = (await api.account(new Wallet(alice.privateKey).address)).index;
    bobIndex = (await api.account(new Wallet(bob.privateKey).address)).index;
    const registryAddress = await (rollup as unknown as { BLS_KEYS(): Promise<string> }).BLS_KEYS();
    const registry = BlsKeyRegistry__factory.connect(registryAddress, await chain.signer(11));
    for (const [secretKey, owner] of [
      [aliceBls, alice],
      [bobBls, bob],
    ] as const) {
      const r = await api.blsKeyRegistration(secretKey, owner);
      await (await registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature)).wait();
    }
    const status = await api.status();
    txTag = Uint8Array.from(Buffer.from(status.blsTxTag!.slice(2), "hex"));
  });

  after(async function () {
    if (this.currentTest?.state === "failed" && node) console.error(node.log().slice(-4000));
    await node?.kill("SIGKILL");
    await chain?.stop();
  });

  it("should refuse replays, useless points and hostile JSON without pooling or journalling anything", async function () {
    const nonce = (await api.account(aliceIndex)).pending.nonce;
    const accepted = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: 1000n });
    // The same request again, and its signature claimed for the next nonce.
    const first = signed(aliceBls, aliceIndex, bobIndex, 1000n, nonce);
    const body = (over: Record<string, unknown> = {}) => ({
      from: aliceIndex,
      to: bobIndex,
      amount: "1000",
      fee: "0",
      nonce: nonce + 1,
      signature: hex(first.signature),
      ...over,
    });
    // Two transfers whose signatures are shifted by the same point: their sum is right, neither is.
    const a = signed(aliceBls, aliceIndex, bobIndex, 2000n, nonce + 1);
    const b = signed(aliceBls, aliceIndex, bobIndex, 3000n, nonce + 2);
    const shiftedA = encodeSignature(decodeSignature(a.signature).add(G1.BASE));
    const pending = (await api.status()).pendingTxs;
    const cases: { body: Record<string, unknown>; status: number }[] = [
      { body: body({ nonce }), status: 409 },
      { body: body(), status: 422 },
      { body: body({ signature: "0x" + "00".repeat(96) }), status: 422 },
      { body: body({ signature: hex(pointOutsideSubgroup()) }), status: 422 },
      { body: body({ amount: "2000", signature: hex(shiftedA) }), status: 422 },
      { body: body({ amount: "-1000" }), status: 400 },
      { body: body({ amount: 1000 }), status: 400 },
      { body: body({ amount: "1e3" }), status: 400 },
      { body: body({ amount: "9".repeat(79) }), status: 400 },
      { body: body({ amount: "20480000000000000000000000000000000" }), status: 400 },
      { body: body({ from: -1 }), status: 400 },
      { body: body({ from: 2 ** 32 }), status: 400 },
      { body: body({ from: 1.5 }), status: 400 },
      { body: body({ nonce: "1" }), status: 400 },
      { body: body({ signature: "0x" + "zz".repeat(96) }), status: 400 },
      { body: body({ extra: 1 }), status: 400 },
      { body: body({ type: "transfer" }), status: 400 },
    ];
    for (const c of cases) {
      const refused = await refusal(send(c.body));
      expect(refused.status, `${JSON.stringify(c.body)}: ${refused.message}`).to.equal(c.status);
    }
    expect((await api.status()).pendingTxs).to.equal(pending);
    // The honest pair still goes in, and the batch that carries everything stands.
    await send(body({ amount: "2000", signature: hex(a.signature) }));
    await send(body({ amount: "3000", nonce: nonce + 2, signature: hex(b.signature) }));
    const { batchIds } = await api.postBatch();
    expect(batchIds).to.have.length(1);
    expect(await api.tx(accepted.hash)).to.include({ status: "batched" });
    const rebuilt = rebuild(await readL1(rollup));
    expect(rebuilt.invalid).to.equal(undefined);
    expect(rebuilt.state.account(aliceIndex).nonce).to.equal(nonce + 3);
  });

  it("should keep posting valid batches when an L1 forced withdrawal takes what pooled BLS transfers spend", async function () {
    const start = await api.account(aliceIndex);
    expect(start.pending.nonce).to.equal(start.nonce);
    // Alice pools two transfers, then asks L1 to force most of her balance out: the first no longer fits and the
    // second was signed for the nonce after it.
    const spend = parseEther("0.7");
    const t1 = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: spend });
    const t2 = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: parseEther("0.01") });
    const t3 = await api.sendBlsTransfer(bobBls, { from: bobIndex, to: aliceIndex, amount: 7000n });
    const exitTo = await chain.signer(12);
    const forced = parseEther("0.5");
    const signature = signForcedWithdrawal(
      await api.domain(),
      alice,
      aliceIndex,
      await exitTo.getAddress(),
      forced,
      await rollup.forcedNonce(await exitTo.getAddress()),
    );
    await (await rollup.connect(exitTo).requestForcedWithdrawal(aliceIndex, forced, signature)).wait();

    const { batchIds } = await api.postBatch();
    expect(batchIds, node.log().slice(-2000)).to.have.length(1);
    const view = await readL1(rollup);
    const rebuilt = rebuild(view);
    expect(rebuilt.invalid).to.equal(undefined);
    // INVARIANT: the forced exit is served and Alice pays nothing she did not sign for at the nonce it ran at.
    expect(rebuilt.state.forcedCursor).to.equal(1);
    expect(rebuilt.state.account(aliceIndex)).to.include({
      nonce: start.nonce,
      balance: start.balance - forced + 7000n,
    });
    expect(await api.tx(t1.hash)).to.include({ status: "dropped" });
    expect(await api.tx(t2.hash)).to.include({ status: "dropped" });
    droppedHashes.push(t1.hash, t2.hash);
    expect(await api.tx(t3.hash)).to.include({ status: "batched", batchId: batchIds[0] });
    // Alice signs again at her real nonce, and it goes through.
    const again = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: parseEther("0.01") });
    const next = await api.postBatch();
    expect(next.batchIds).to.have.length(1);
    expect(await api.tx(again.hash)).to.include({ status: "batched" });
    expect(rebuild(await readL1(rollup)).invalid).to.equal(undefined);
  });
  it("should not let a transfer to the operator's fee account before it exists stop the next batch", async function () {
    const operator = (await api.status()).operator;
    expect(await refusal(api.account(operator))).to.have.property("status", 404);
    // The first fee opens the operator's account in the pool, where a transfer to it applies; in the batch both
    // share a chunk, and the fee is credited only at its end.
    const paid = await api.sendBlsTransfer(bobBls, { from: bobIndex, to: aliceIndex, amount: 1000n, fee: 1n });
    const feeIndex = (await api.account(operator)).index;
    const toFees = await send({
      from: aliceIndex,
      to: feeIndex,
      amount: "1000",
      fee: "0",
      nonce: (await api.account(aliceIndex)).pending.nonce,
      signature: hex(
        signed(aliceBls, aliceIndex, feeIndex, 1000n, (await api.account(aliceIndex)).pending.nonce).signature,
      ),
    }).then(
      () => "accepted",
      (error: ApiRequestError) => error.status,
    );
    expect(toFees).to.equal(404);
    const { batchIds } = await api.postBatch();
    expect(batchIds, `transfer to the fee account: ${toFees}\n${node.log().slice(-1500)}`).to.have.length(1);
    expect(await api.tx(paid.hash)).to.include({ status: "batched", batchId: batchIds[0] });
    expect(rebuild(await readL1(rollup)).invalid).to.equal(undefined);
    // Once the account is on L1, it takes transfers like any other.
    const later = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: feeIndex, amount: 1000n });
    expect((await api.postBatch()).batchIds).to.have.length(1);
    expect(await api.tx(later.hash)).to.include({ status: "batched" });
    expect(rebuild(await readL1(rollup)).state.account(feeIndex)).to.include({ balance: 1001n });
  });

  it("should bound the signature checks one client can make it run, so a flood of bad signatures cannot stall it", async function () {
    // Each body passes every cheap check (a keyed sender, an amount it can pay, its nonce, a G1 point) and
    // fails only the pairing, which costs tens of ms of the node's one thread.
    const nonce = (await api.account(aliceIndex)).pending.nonce;
    const bad = {
      from: aliceIndex,
      to: bobIndex,
      amount: "0",
      fee: "0",
      nonce,
      signature: hex(encodeSignature(G1.BASE)),
    };
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () =>
        send(bad).then(
          () => 200,
          (error: ApiRequestError) => error.status,
        ),
      ),
    );
    const ms = Date.now() - started;
    const checked = statuses.filter((s) => s === 422).length;
    const limited = statuses.filter((s) => s === 429).length;
    expect(checked + limited, JSON.stringify(statuses)).to.equal(100);
    expect(checked, `${checked} signature checks in ${ms} ms`).to.be.at.most(40);
    // The node still answers, and still takes a good transfer from the same client once its budget refills.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await api.status()).pendingTxs).to.equal(0);
    const good = await api.sendBlsTransfer(aliceBls, { from: aliceIndex, to: bobIndex, amount: 1000n });
    expect(await api.tx(good.hash)).to.include({ status: "pending" });
  });
  it("should start again after kill -9 with every journal record, those that no longer apply included", async function () {
    const pending = (await api.status()).pendingTxs;
    await node.kill("SIGKILL");
    await launch();
    expect(node.log()).to.match(new RegExp(`${pending} pending again, ${droppedHashes.length} no longer apply`));
    for (const hash of droppedHashes) expect(await api.tx(hash)).to.include({ status: "dropped" });
    const { batchIds } = await api.postBatch();
    expect(batchIds).to.have.length(1);
    expect(rebuild(await readL1(rollup)).invalid).to.equal(undefined);
  });
});
