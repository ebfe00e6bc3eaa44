/**
 * Differential tests of the zk rollup's byte layouts: src/zk (TypeScript) against contracts/zk (Solidity, through
 * contracts/test/ZkCodecHarness.sol), with fast-check properties for the round trips.
 */
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SNARK_SCALAR_FIELD } from "../../src/merkle";
import { batchCommitment } from "../../src/zk/commitment";
import { EncodingError } from "../../src/zk/errors";
import { FLOAT16, FLOAT40, decodeFloat, encodeFloat, isRepresentable } from "../../src/zk/float";
import { OP_BYTES, OpType, PackedOp, decodeOp, decodeOps, encodeOp, encodeOps, opValues } from "../../src/zk/ops";

async function deployHarness() {
  const factory = await hre.ethers.getContractFactory("ZkCodecHarness");
  const harness = await factory.deploy();
  return { harness };
}

const arbOp: fc.Arbitrary<PackedOp> = fc.record({
  type: fc.integer({ min: 0, max: 5 }).map((t) => t as OpType),
  from: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
  to: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
  amountCode: fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
  feeCode: fc.bigInt({ min: 0n, max: (1n << 16n) - 1n }),
});
const arbField = fc.bigInt({ min: 0n, max: SNARK_SCALAR_FIELD - 1n });

describe("# zk codecs", function () {
  describe("# encodeFloat", function () {
    it("should encode 0.001 ETH and 1.5 ETH exactly", function () {
      expect(decodeFloat(encodeFloat(10n ** 15n, FLOAT16), FLOAT16)).to.equal(10n ** 15n);
      expect(decodeFloat(encodeFloat(15n * 10n ** 17n, FLOAT40), FLOAT40)).to.equal(15n * 10n ** 17n);
    });

    it("should not round a value with too many significant digits", function () {
      expect(() => encodeFloat(123456789012n * 10n ** 6n, FLOAT40, "amount")).to.throw(EncodingError, /amount/);
      expect(() => encodeFloat(2049n, FLOAT16)).to.throw(EncodingError);
      expect(() => encodeFloat(-1n, FLOAT40)).to.throw(EncodingError, /negative/);
    });

    it("should round-trip every representable value (property)", function () {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: (1n << 35n) - 1n }), fc.integer({ min: 0, max: 31 }), (m, e) => {
          const value = m * 10n ** BigInt(e);
          expect(decodeFloat(encodeFloat(value, FLOAT40), FLOAT40)).to.equal(value);
        }),
      );
    });

    it("should decode and judge representability like ZkFloat.sol (differential)", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }), async (code) => {
          expect(await harness.decodeFloat(code, 35)).to.equal(decodeFloat(code, FLOAT40));
          const value = decodeFloat(code, FLOAT40);
          expect(await harness.isRepresentable(value, 35)).to.equal(true);
          expect(await harness.isRepresentable(value + 1n, 35)).to.equal(isRepresentable(value + 1n, FLOAT40));
        }),
        { numRuns: 40 },
      );
    });
  });

  describe("# encodeOp", function () {
    it("should lay a transfer out as [type<1>|from<3>|to<3>|amount<5>|fee<2>]", function () {
      const bytes = encodeOp({ type: OpType.Transfer, from: 1, to: 0x020304, amountCode: 0x05n, feeCode: 0x0607n });
      expect(Buffer.from(bytes).toString("hex")).to.equal("02" + "000001" + "020304" + "0000000005" + "0607");
      expect(bytes.length).to.equal(OP_BYTES);
    });

    it("should round-trip any slot (property)", function () {
      fc.assert(
        fc.property(arbOp, (op) => {
          expect(decodeOp(encodeOp(op))).to.deep.equal(op);
        }),
      );
    });

    it("should refuse a type byte above 5 and a partial slot", function () {
      const bytes = encodeOp({ type: OpType.Noop, from: 0, to: 0, amountCode: 0n, feeCode: 0n });
      bytes[0] = 6;
      expect(() => decodeOp(bytes)).to.throw(EncodingError, /type byte 6/);
      expect(() => decodeOps(new Uint8Array(OP_BYTES + 1))).to.throw(EncodingError, /whole number/);
    });

    it("should decode like ZkOps.sol (differential)", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 4 }), async (ops) => {
          const bytes = encodeOps(ops, ops.length);
          for (let slot = 0; slot < ops.length; slot++) {
            const onChain = await harness.decodeOp(bytes, slot);
            const { amount, fee } = opValues(ops[slot]);
            expect([Number(onChain.opType), Number(onChain.from), Number(onChain.to)]).to.deep.equal([
              ops[slot].type,
              ops[slot].from,
              ops[slot].to,
            ]);
            expect([onChain.amount, onChain.fee]).to.deep.equal([amount, fee]);
          }
        }),
        { numRuns: 25 },
      );
    });
  });

  describe("# batchCommitment", function () {
    it("should equal ZkCommitment.compute for any header and ops (differential)", async function () {
      const { harness } = await loadFixture(deployHarness);
      await fc.assert(
        fc.asyncProperty(
          arbField,
          arbField,
          arbField,
          arbField,
          fc.array(arbOp, { maxLength: 4 }),
          async (a, b, c, d, ops) => {
            const bytes = encodeOps(ops, 4);
            const header = { oldRoot: a, newRoot: b, chainBefore: c, chainAfter: d };
            const expected = batchCommitment(header, bytes);
            expect(await harness.commitment(a, b, c, d, bytes)).to.equal(expected);
            expect(expected < 1n << 253n).to.equal(true);
          },
        ),
        { numRuns: 25 },
      );
    });

    it("should refuse a header value that is not reduced modulo r", function () {
      const header = { oldRoot: SNARK_SCALAR_FIELD, newRoot: 0n, chainBefore: 0n, chainAfter: 0n };
      expect(() => batchCommitment(header, new Uint8Array(0))).to.throw(EncodingError, /oldRoot/);
    });
  });
});
