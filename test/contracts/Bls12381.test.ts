import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { bls12_381 } from "@noble/curves/bls12-381";
import { concat, getBytes, hexlify, toBeHex, zeroPadValue } from "ethers";
import {
  FIELD_MODULUS,
  G1,
  G2,
  POP_TAG,
  TX_TAG,
  aggregate,
  decodeG1,
  domainTag,
  encodeG1,
  encodeG2,
  encodeSignature,
  hashToG1,
  padSignature,
  publicKey,
  secretKeyFromSeed,
  sign,
} from "../../src/encoding/bls";
import {
  blsTransferMessage,
  decodeBlsChunk,
  encodeBlsChunk,
  encodeBlsTransfer,
  BlsTransferTx,
} from "../../src/encoding/bls-tx";
import { runs } from "../support/deep";

async function deployHarness() {
  const harness = await (await ethers.getContractFactory("BlsHarness")).deploy();
  return { harness };
}

const call = (to: string, data: Uint8Array) => ethers.provider.call({ to, data: hexlify(data) });
const fp = (v: bigint) => zeroPadValue(toBeHex(v), 64);
const arbScalar = fc.bigInt({ min: 1n, max: bls12_381.params.r - 1n });

describe("# Bls12381 (EIP-2537 precompiles vs src/encoding/bls)", function () {
  it("should find every EIP-2537 precompile at 0x0b to 0x11 on this chain", async function () {
    const g1 = encodeG1(G1.BASE);
    const g2 = encodeG2(G2.BASE);
    const one = getBytes(zeroPadValue("0x01", 32));
    expect(await call("0x000000000000000000000000000000000000000b", getBytes(concat([g1, g1])))).to.equal(
      hexlify(encodeG1(G1.BASE.double())),
    );
    expect(await call("0x000000000000000000000000000000000000000c", getBytes(concat([g1, one])))).to.equal(hexlify(g1));
    expect(await call("0x000000000000000000000000000000000000000d", getBytes(concat([g2, g2])))).to.equal(
      hexlify(encodeG2(G2.BASE.double())),
    );
    expect(await call("0x000000000000000000000000000000000000000e", getBytes(concat([g2, one])))).to.equal(hexlify(g2));
    // e(g1, g2) * e(-g1, g2) == 1
    const pairs = getBytes(concat([g1, g2, encodeG1(G1.BASE.negate()), g2]));
    expect(await call("0x000000000000000000000000000000000000000f", pairs)).to.equal(zeroPadValue("0x01", 32));
    const u = 12345n;
    expect(await call("0x0000000000000000000000000000000000000010", getBytes(fp(u)))).to.equal(
      hexlify(encodeG1(G1.fromAffine(bls12_381.G1.mapToCurve([u]).toAffine()))),
    );
    expect(await call("0x0000000000000000000000000000000000000011", getBytes(concat([fp(u), fp(u + 1n)])))).to.equal(
      hexlify(encodeG2(G2.fromAffine(bls12_381.G2.mapToCurve([u, u + 1n]).toAffine()))),
    );
  });

  it("should encode G1 and G2 points as the precompiles do (scalar multiples agree)", async function () {
    await fc.assert(
      fc.asyncProperty(arbScalar, async (k) => {
        const scalar = getBytes(zeroPadValue(toBeHex(k), 32));
        const g1 = await call(
          "0x000000000000000000000000000000000000000c",
          getBytes(concat([encodeG1(G1.BASE), scalar])),
        );
        expect(g1).to.equal(hexlify(encodeG1(G1.BASE.multiply(k))));
        expect(decodeG1(getBytes(g1)).equals(G1.BASE.multiply(k))).to.equal(true);
        const g2 = await call(
          "0x000000000000000000000000000000000000000e",
          getBytes(concat([encodeG2(G2.BASE), scalar])),
        );
        expect(g2).to.equal(hexlify(encodeG2(G2.BASE.multiply(k))));
      }),
      { numRuns: runs(4, 50) },
    );
  });

  it("should hash to G1 exactly as RFC 9380 in noble-curves does, under the rollup's DSTs", async function () {
    const { harness } = await loadFixture(deployHarness);
    const rollup = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const txDst = domainTag(TX_TAG, 31337n, rollup);
    expect(await harness.domainTag(false, 31337n, rollup)).to.equal(hexlify(txDst));
    expect(await harness.domainTag(true, 31337n, rollup)).to.equal(hexlify(domainTag(POP_TAG, 31337n, rollup)));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (message) => {
        expect(await harness.hashToG1(message, txDst)).to.equal(hexlify(encodeG1(hashToG1(message, txDst))));
      }),
      { numRuns: runs(5, 100) },
    );
    // RFC 9380 appendix J.9.1, BLS12381G1_XMD:SHA-256_SSWU_RO_, msg "abc"
    const rfcDst = new TextEncoder().encode("QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_");
    const point = decodeG1(getBytes(await harness.hashToG1(new TextEncoder().encode("abc"), rfcDst)));
    expect(point.toAffine().x).to.equal(
      0x03567bc5ef9c690c2ab2ecdf6a96ef1c139cc0b2f284dca0a9a7943388a49a3aee664ba5379a7655d3c68900be2f6903n,
    );
  });

  it("should agree with noble-curves on aggregate verification and refuse a bad aggregate", async function () {
    const { harness } = await loadFixture(deployHarness);
    const dst = domainTag(TX_TAG, 31337n, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    const keys = [1, 2, 3].map((i) => secretKeyFromSeed(zeroPadValue(toBeHex(i), 32)));
    const messages = keys.map((_, i) => new TextEncoder().encode(`transfer ${i}`));
    const sig = aggregate(keys.map((k, i) => sign(k, messages[i], dst)));
    const pairsFor = (s: Uint8Array, ms: Uint8Array[]) =>
      concat([
        padSignature(s),
        encodeG2(G2.BASE.negate()),
        ...ms.flatMap((m, i) => [encodeG1(hashToG1(m, dst)), encodeG2(publicKey(keys[i]))]),
      ]);
    expect(await harness.negatedG2Generator()).to.equal(hexlify(encodeG2(G2.BASE.negate())));
    expect(await harness.padG1(encodeSignature(sig))).to.equal(hexlify(encodeG1(sig)));
    expect(await harness.pairingCheck(pairsFor(encodeSignature(sig), messages))).to.deep.equal([true, true]);
    const swapped = [messages[1], messages[0], messages[2]];
    expect(await harness.pairingCheck(pairsFor(encodeSignature(sig), swapped))).to.deep.equal([true, false]);
    // a signature off the curve: the precompile refuses it, which the library reports as invalid, not as a revert
    const offCurve = encodeSignature(sig);
    offCurve[95] ^= 1;
    expect(await harness.pairingCheck(pairsFor(offCurve, messages))).to.deep.equal([false, false]);
    // a point on y^2 = x^3 + 4 outside the subgroup (x = 0 is not on it; search a small x with a square)
    const Fp = bls12_381.fields.Fp;
    let x = 1n;
    let y: bigint | undefined;
    for (; y === undefined; x++) {
      try {
        y = Fp.sqrt(Fp.add(Fp.pow(x, 3n), 4n));
      } catch {
        y = undefined;
      }
    }
    const outside = getBytes(concat([zeroPadValue(toBeHex(x - 1n), 48), zeroPadValue(toBeHex(y), 48)]));
    expect(await harness.pairingCheck(pairsFor(outside, messages))).to.deep.equal([false, false]);
    expect(x - 1n < FIELD_MODULUS).to.equal(true);
  });

  it("should report G2 keys off the curve and outside the subgroup", async function () {
    const { harness } = await loadFixture(deployHarness);
    const key = encodeG2(publicKey(7n));
    expect(await harness.checkG2(key)).to.deep.equal([true, true]);
    const broken = Uint8Array.from(key);
    broken[255] ^= 1;
    expect((await harness.checkG2(broken))[0]).to.equal(false);
  });
});

describe("# BlsCodec (Solidity vs src/encoding/bls-tx)", function () {
  const arbAmount = fc
    .tuple(fc.bigInt({ min: 0n, max: 2047n }), fc.integer({ min: 0, max: 31 }))
    .map(([m, e]) => m * 10n ** BigInt(e));
  const arbFee = fc
    .tuple(fc.bigInt({ min: 0n, max: 7n }), fc.integer({ min: 0, max: 31 }))
    .map(([m, e]) => m * 10n ** BigInt(e));
  const arbTransfer = fc.record({
    type: fc.constant("bls-transfer" as const),
    from: fc.integer({ min: 0, max: 0xffffffff }),
    to: fc.integer({ min: 0, max: 0xffffffff }),
    amount: arbAmount,
    fee: arbFee,
  });

  it("should decode 12-byte transfers and build the signed message exactly as TypeScript does", async function () {
    const { harness } = await loadFixture(deployHarness);
    await fc.assert(
      fc.asyncProperty(arbTransfer, fc.integer({ min: 0, max: 0xffffffff }), async (t, nonce) => {
        const bytes = encodeBlsTransfer(t);
        expect(bytes.length).to.equal(12);
        const decoded = await harness.decodeTransfer(Buffer.concat([Buffer.from([0xaa]), bytes]), 1);
        expect([Number(decoded.from), Number(decoded.to), decoded.amount, decoded.fee]).to.deep.equal([
          t.from,
          t.to,
          t.amount,
          t.fee,
        ]);
        expect(await harness.transferMessage({ from: t.from, to: t.to, amount: t.amount, fee: t.fee }, nonce)).to.equal(
          hexlify(blsTransferMessage(t, nonce)),
        );
      }),
      { numRuns: runs(15, 200) },
    );
  });

  it("should round-trip chunks of BLS transfers and other txs through the TypeScript codec", function () {
    fc.assert(
      fc.property(
        fc.array(arbTransfer, { maxLength: 8 }),
        fc.uint8Array({ minLength: 96, maxLength: 96 }),
        (txs, sig) => {
          const chunk = encodeBlsChunk(sig, [...txs, { type: "deposit", to: 3 }] as (
            BlsTransferTx | { type: "deposit"; to: number }
          )[]);
          const decoded = decodeBlsChunk(chunk);
          expect(hexlify(decoded.signature)).to.equal(hexlify(sig));
          expect(decoded.txs).to.deep.equal([...txs, { type: "deposit", to: 3 }]);
        },
      ),
      { numRuns: runs(100, 1000) },
    );
  });
});
