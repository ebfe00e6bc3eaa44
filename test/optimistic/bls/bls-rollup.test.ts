import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, hexlify, parseEther } from "ethers";
import { deployOptimistic } from "../../../scripts/deploy-optimistic";
import { G2, encodeG2, encodeSignature, publicKey, secretKeyFromSeed, sign } from "../../../src/encoding/bls";
import { BlsChunkTx, encodeBlsChunk } from "../../../src/encoding/bls-tx";
import { aggregateChunk, keyRegistration, rollupTags } from "../../../src/optimistic/bls";
import { readL1 } from "../../../src/optimistic/l1-view";
import { L2State } from "../../../src/optimistic/state";
import { buildFraudProof, rebuild, submitFraudProof } from "../../../src/optimistic/watcher";
import { BlsKeyRegistry__factory, type BlsOptimisticRollup } from "../../../typechain-types";
import { liabilities } from "../fixtures";

const CHUNK = 64;
const EIP_7825_CAP = 16_777_216n;
const hex = (b: Buffer | Uint8Array) => hexlify(b);

/** A BLS rollup with `users` L2 owners, each with a registered key and a deposit credited in batch 1. */
async function blsFixture(users: number) {
  const [opSigner, funder, challenger] = await ethers.getSigners();
  const { rollup: deployed, params } = await deployOptimistic(
    hre,
    opSigner,
    { challengePeriod: 7200, chunkSize: CHUNK, batchSize: 4096 },
    { signatures: "bls" },
  );
  const rollup = deployed as unknown as BlsOptimisticRollup;
  const address = await rollup.getAddress();
  const { chainId } = await ethers.provider.getNetwork();
  const tags = rollupTags(chainId, address);
  const registry = BlsKeyRegistry__factory.connect(await rollup.BLS_KEYS(), funder);
  const domain = Buffer.from((await rollup.DOMAIN_SEPARATOR()).slice(2), "hex");
  const l2 = Array.from({ length: users }, (_, i) => new Wallet(ethers.keccak256(ethers.toUtf8Bytes(`bls user ${i}`))));
  const secret = new Map(l2.map((w) => [w.address.toLowerCase(), secretKeyFromSeed(w.privateKey)]));
  for (const w of l2) {
    const r = keyRegistration(secret.get(w.address.toLowerCase())!, w.signingKey, domain, tags.pop);
    await (await registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature)).wait();
    await (await rollup.connect(funder).deposit(w.address, { value: parseEther("1") })).wait();
  }
  const feeRecipient = Wallet.createRandom().address;
  const post = async (txs: BlsChunkTx[], signature?: (state: L2State, txs: BlsChunkTx[]) => Uint8Array) => {
    const view = await readL1(rollup as never);
    const state = rebuild(view).state;
    const ctx = {
      domain,
      chunkSize: CHUNK,
      depositEnd: view.deposits.length,
      forcedEnd: state.forcedCursor,
      feeRecipient,
      feeAccount: users,
      deposits: view.deposits,
      forced: view.forced,
      bls: true,
    };
    const zero = new Uint8Array(96);
    const probe = state.clone();
    const outcome = probe.executeChunk(encodeBlsChunk(zero, txs), ctx);
    expect(outcome.fault).to.equal("None");
    const sig = signature
      ? signature(state, txs)
      : encodeSignature(aggregateChunk(outcome, (o) => secret.get(o)!, tags.tx));
    const chunk = encodeBlsChunk(sig, txs);
    const after = state.clone();
    const done = after.executeChunk(chunk, ctx);
    const states = [
      {
        stateRoot: hex(after.stateRoot),
        exitRoot: hex(done.exitRoot),
        depositCursor: after.depositCursor,
        forcedCursor: after.forcedCursor,
      },
    ];
    const receipt = await (
      await rollup.connect(opSigner).submitBatch([hex(chunk)], states, feeRecipient, users)
    ).wait();
    return { receipt, chunk, batchId: Number(await rollup.tipId()) };
  };
  await post(l2.map((_, i) => ({ type: "deposit" as const, to: i })));
  return { rollup, registry, params, l2, secret, tags, domain, post, challenger, opSigner, funder };
}

const transfers = (n: number, users: number): BlsChunkTx[] =>
  Array.from({ length: n }, (_, i) => ({
    type: "bls-transfer" as const,
    from: i % users,
    to: (i + 1) % users,
    amount: BigInt(1 + i) * 10n ** 12n,
    fee: 10n ** 12n,
  }));

describe("# BlsOptimisticRollup", function () {
  const fourUsers = () => blsFixture(4);

  it("should accept an honest chunk of BLS transfers and refuse a fraud proof against it (ChunkIsValid)", async function () {
    const f = await loadFixture(fourUsers);
    const { batchId } = await f.post(transfers(8, 4));
    const view = await readL1(f.rollup as never);
    expect(rebuild(view).invalid).to.equal(undefined);
    const proof = buildFraudProof(view, batchId, 0);
    await expect(f.rollup.connect(f.challenger).proveFraud(proof))
      .to.be.revertedWithCustomError(f.rollup, "ChunkIsValid")
      .withArgs(batchId, 0);
  });

  for (const [name, forge] of [
    ["a transfer signed for another amount", "amount"],
    ["one sender's signature left out", "missing"],
    ["a signature that is not a curve point", "off-curve"],
  ] as const) {
    it(`should let the watcher find and prove a bad aggregate: ${name}`, async function () {
      const f = await loadFixture(fourUsers);
      const { batchId } = await f.post(transfers(8, 4), (state, txs) => {
        const probe = state.clone();
        const outcome = probe.executeChunk(encodeBlsChunk(new Uint8Array(96), txs), {
          domain: f.domain,
          chunkSize: CHUNK,
          depositEnd: probe.depositCursor,
          forcedEnd: probe.forcedCursor,
          feeRecipient: ethers.ZeroAddress,
          feeAccount: 4,
          deposits: [],
          forced: [],
          bls: true,
        });
        const messages = outcome.blsMessages.map((m) => ({ ...m }));
        if (forge === "amount") messages[3].message = Buffer.from(messages[3].message).fill(7, 8, 40);
        if (forge === "missing") messages.splice(5, 1);
        const sig = encodeSignature(
          messages.map((m) => sign(f.secret.get(m.owner)!, m.message, f.tags.tx)).reduce((a, b) => a.add(b)),
        );
        if (forge === "off-curve") sig[95] ^= 1;
        return sig;
      });
      const before = await liabilities(f.rollup as never);
      const view = await readL1(f.rollup as never);
      const found = rebuild(view).invalid;
      expect(found).to.deep.include({ batchId, chunkIndex: 0, fault: "BadAggregate" });
      const proof = buildFraudProof(view, batchId, 0);
      const receipt = await submitFraudProof(f.rollup as never, f.challenger, proof);
      const proven = receipt.logs.map((l) => f.rollup.interface.parseLog(l)).find((e) => e?.name === "FraudProven");
      expect(proven?.args.fault).to.equal(17n); // Fault.BadAggregate
      expect(await f.rollup.tipId()).to.equal(BigInt(batchId - 1));
      expect(await f.rollup.bonded()).to.equal(false);
      // Solvency: the bridge holds what L2 owes once the bad batch is gone (the bond left with the slash).
      const owed = await liabilities(f.rollup as never);
      expect(owed).to.equal(before - f.params.bond);
      expect(await ethers.provider.getBalance(await f.rollup.getAddress())).to.be.gte(owed);
    });
  }

  it("should prove a bad aggregate over the largest chunk (64 BLS transfers) under the EIP-7825 cap", async function () {
    const f = await loadFixture(fourUsers);
    const { batchId, receipt } = await f.post(transfers(CHUNK, 4), () =>
      encodeSignature(sign(1n, Buffer.from("x"), f.tags.tx)),
    );
    const view = await readL1(f.rollup as never);
    const proof = buildFraudProof(view, batchId, 0);
    const proved = await submitFraudProof(f.rollup as never, f.challenger, proof);
    console.log(
      `      bad-aggregate proof, ${CHUNK} BLS transfers: ${proved.gasUsed} gas; posting that batch: ${receipt!.gasUsed} gas`,
    );
    expect(proved.gasUsed < EIP_7825_CAP).to.equal(true);
  });
});

describe("# BlsKeyRegistry", function () {
  const oneUser = () => blsFixture(1);

  it("should register a key once, with its event, and refuse a second one", async function () {
    const f = await loadFixture(oneUser);
    const w = f.l2[0];
    expect(await f.registry.hasBlsKey(w.address)).to.equal(true);
    expect(await f.registry.blsKeyOf(w.address)).to.equal(
      hex(encodeG2(publicKey(f.secret.get(w.address.toLowerCase())!))),
    );
    const r = keyRegistration(5n, w.signingKey, f.domain, f.tags.pop);
    await expect(f.registry.registerBlsKey(r.key, r.possessionProof, r.ownerSignature))
      .to.be.revertedWithCustomError(f.registry, "BlsKeyAlreadyRegistered")
      .withArgs(w.address);
    const fresh = Wallet.createRandom();
    const s = keyRegistration(9n, fresh.signingKey, f.domain, f.tags.pop);
    await expect(f.registry.registerBlsKey(s.key, s.possessionProof, s.ownerSignature))
      .to.emit(f.registry, "BlsKeyRegistered")
      .withArgs(fresh.address, ethers.keccak256(s.key), hex(s.key));
  });

  it("should refuse a rogue key: without a valid proof of possession, or with another key's", async function () {
    const f = await loadFixture(oneUser);
    const attacker = Wallet.createRandom();
    // pk_rogue = pk_attacker - pk_victim: the attacker knows no secret key for it, so it cannot sign its PoP.
    const victimKey = publicKey(f.secret.get(f.l2[0].address.toLowerCase())!);
    const rogue = encodeG2(publicKey(11n).subtract(victimKey));
    const honest = keyRegistration(11n, attacker.signingKey, f.domain, f.tags.pop);
    const sig = attacker.signingKey.sign(
      (await import("../../../src/optimistic/bls")).blsKeyDigest(f.domain, rogue),
    ).serialized;
    await expect(f.registry.registerBlsKey(rogue, honest.possessionProof, sig))
      .to.be.revertedWithCustomError(f.registry, "BadPossessionProof")
      .withArgs(attacker.address, ethers.keccak256(rogue));
    // a PoP made for another owner does not transfer
    const other = keyRegistration(13n, Wallet.createRandom().signingKey, f.domain, f.tags.pop);
    const mine = keyRegistration(13n, attacker.signingKey, f.domain, f.tags.pop);
    await expect(
      f.registry.registerBlsKey(mine.key, other.possessionProof, mine.ownerSignature),
    ).to.be.revertedWithCustomError(f.registry, "BadPossessionProof");
  });

  it("should refuse keys off the curve, outside the subgroup or at infinity, and unsigned registrations", async function () {
    const f = await loadFixture(oneUser);
    const who = Wallet.createRandom();
    const r = keyRegistration(17n, who.signingKey, f.domain, f.tags.pop);
    const { blsKeyDigest } = await import("../../../src/optimistic/bls");
    const signed = (key: Uint8Array) => who.signingKey.sign(blsKeyDigest(f.domain, key)).serialized;
    const off = Uint8Array.from(r.key);
    off[255] ^= 1;
    await expect(f.registry.registerBlsKey(off, r.possessionProof, signed(off)))
      .to.be.revertedWithCustomError(f.registry, "BlsKeyNotOnCurve")
      .withArgs(ethers.keccak256(off));
    // a point of E'(Fp2) outside G2: the map to the curve before cofactor clearing
    const { bls12_381 } = await import("@noble/curves/bls12-381");
    const Fp2 = bls12_381.fields.Fp2;
    let outside: Uint8Array | undefined;
    for (let x = 1n; !outside; x++) {
      const xx = Fp2.create({ c0: x, c1: 0n });
      const rhs = Fp2.add(Fp2.pow(xx, 3n), Fp2.create({ c0: 4n, c1: 4n }));
      try {
        const y = Fp2.sqrt(rhs);
        const p = G2.fromAffine({ x: xx, y });
        if (!p.isTorsionFree()) outside = encodeG2Unchecked(xx, y);
      } catch {
        continue;
      }
    }
    await expect(f.registry.registerBlsKey(outside, r.possessionProof, signed(outside))).to.be.revertedWithCustomError(
      f.registry,
      "BlsKeyNotInSubgroup",
    );
    const zero = new Uint8Array(256);
    await expect(f.registry.registerBlsKey(zero, new Uint8Array(96), signed(zero))).to.be.revertedWithCustomError(
      f.registry,
      "BlsKeyIsInfinity",
    );
    await expect(f.registry.registerBlsKey(r.key, r.possessionProof, "0x")).to.be.revertedWithCustomError(
      f.registry,
      "InvalidOwnerSignature",
    );
  });
});

function encodeG2Unchecked(x: { c0: bigint; c1: bigint }, y: { c0: bigint; c1: bigint }): Uint8Array {
  const w = (v: bigint) => ethers.zeroPadValue(ethers.toBeHex(v), 64);
  return ethers.getBytes(ethers.concat([w(x.c0), w(x.c1), w(y.c0), w(y.c1)]));
}
