/**
 * Lesson 3 checks (docs/lessons/03-zk-validity): the learner's Float40 codes and public input against the
 * project's TypeScript (src/zk) and against ZkFloat and ZkCommitment on L1, without proving anything.
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SNARK_SCALAR_FIELD } from "../../src/merkle";
import { batchCommitment } from "../../src/zk/commitment";
import { FLOAT40, encodeFloat, isRepresentable } from "../../src/zk/float";
import { encodeOps, makeOp, OpType } from "../../src/zk/ops";
import * as exercise from "../../docs/lessons/03-zk-validity/exercise";
import * as solution from "../../docs/lessons/03-zk-validity/solution";
import { attempt, expectSameValue, hex32, implementations } from "./check";

const ETH = 10n ** 18n;
const arbField = fc.bigInt({ min: 0n, max: SNARK_SCALAR_FIELD - 1n });
const arbHeader = fc.record({ oldRoot: arbField, newRoot: arbField, chainBefore: arbField, chainAfter: arbField });
/** A representable amount: up to 10 significant digits times a power of ten. */
const arbAmount = fc
  .tuple(fc.bigInt({ min: 0n, max: 9_999_999_999n }), fc.integer({ min: 0, max: 20 }))
  .map(([mantissa, exponent]) => mantissa * 10n ** BigInt(exponent));

async function harnessFixture() {
  return { harness: await hre.ethers.deployContract("ZkCodecHarness") };
}

/** Two slots as the operator packs them: a deposit and a transfer with a fee. */
const sampleOps = (): Uint8Array =>
  encodeOps([makeOp(OpType.Deposit, 0, 1, 2n * ETH, 0n), makeOp(OpType.Transfer, 1, 2, ETH / 2n, ETH / 1000n)], 2);

for (const { label, impl } of implementations<typeof exercise>(exercise, solution)) {
  describe(`# lesson 03-zk-validity (${label})`, function () {
    describe("# encodeFloat40", function () {
      it("should give the project's code, which ZkFloat decodes on L1 to the same wei", async function () {
        const { harness } = await loadFixture(harnessFixture);
        const code = await attempt(this, () => impl.encodeFloat40((15n * ETH) / 10n));
        expect(code).to.equal(encodeFloat((15n * ETH) / 10n, FLOAT40));
        for (const value of [0n, 1n, (1n << 35n) - 1n, 34_359_738_370n, 123_456_789n * 10n ** 9n, ETH / 1000n]) {
          const ours = impl.encodeFloat40(value);
          expect(ours, `code of ${value}`).to.equal(encodeFloat(value, FLOAT40));
          expect(await harness.decodeFloat(ours, 35)).to.equal(value);
        }
        fc.assert(
          fc.property(arbAmount, (value) => {
            const ours = impl.encodeFloat40(value);
            expect(ours, `${value} wei: code ${encodeFloat(value, FLOAT40)} expected, yours is ${ours}`).to.equal(
              encodeFloat(value, FLOAT40),
            );
          }),
          { numRuns: 200 },
        );
      });

      it("should refuse, not round, an amount with no exact code", async function () {
        const { harness } = await loadFixture(harnessFixture);
        await attempt(this, () => impl.encodeFloat40(1n));
        const tooPrecise = 123_456_789_012n * 10n ** 6n;
        expect(await harness.isRepresentable(tooPrecise, 35)).to.equal(false);
        expect(() => impl.encodeFloat40(tooPrecise)).to.throw(/123456789012000000/);
        fc.assert(
          fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), (value) => {
            if (!isRepresentable(value, FLOAT40)) {
              expect(() => impl.encodeFloat40(value), `${value} wei has no exact code: yours gave one`).to.throw();
              return;
            }
            const ours = impl.encodeFloat40(value);
            expect(ours, `${value} wei: code ${encodeFloat(value, FLOAT40)} expected, yours is ${ours}`).to.equal(
              encodeFloat(value, FLOAT40),
            );
          }),
          { numRuns: 200 },
        );
      });
    });

    describe("# publicInput", function () {
      it("should equal the commitment ZkCommitment builds on L1 from the same header and ops", async function () {
        const { harness } = await loadFixture(harnessFixture);
        const header = { oldRoot: 1n, newRoot: 2n, chainBefore: 3n, chainAfter: SNARK_SCALAR_FIELD - 1n };
        const ops = sampleOps();
        const ours = await attempt(this, () => impl.publicInput(header, ops));
        expect(ours).to.equal(
          await harness.commitment(header.oldRoot, header.newRoot, header.chainBefore, header.chainAfter, ops),
        );
        expect(ours).to.be.lessThan(SNARK_SCALAR_FIELD);
        await fc.assert(
          fc.asyncProperty(arbHeader, fc.uint8Array({ maxLength: 14 * 4 }), async (h, bytes) => {
            const fromL1 = await harness.commitment(h.oldRoot, h.newRoot, h.chainBefore, h.chainAfter, bytes);
            expect(fromL1).to.equal(batchCommitment(h, bytes));
            expectSameValue(impl.publicInput(h, bytes), fromL1, "public input (ZkCommitment on L1)", {
              oldRoot: h.oldRoot,
              newRoot: h.newRoot,
              chainBefore: h.chainBefore,
              chainAfter: h.chainAfter,
              ops: `0x${Buffer.from(bytes).toString("hex")}`,
            });
          }),
          { numRuns: 15 },
        );
      });

      it("should change with any claimed root, chain value or op: a proof of one batch fits no other", async function () {
        await attempt(this, () =>
          impl.publicInput({ oldRoot: 0n, newRoot: 0n, chainBefore: 0n, chainAfter: 0n }, sampleOps()),
        );
        fc.assert(
          fc.property(
            arbHeader,
            fc.constantFrom("oldRoot", "newRoot", "chainBefore", "chainAfter", "ops"),
            fc.integer({ min: 0, max: 27 }),
            (header, what, byte) => {
              const ops = sampleOps();
              const honest = impl.publicInput(header, ops);
              if (what === "ops") {
                const forged = Uint8Array.from(ops);
                forged[byte] ^= 1;
                expect(
                  impl.publicInput(header, forged),
                  `flipping bit 0 of ops byte ${byte} left ${hex32(honest)}`,
                ).to.not.equal(honest);
                return;
              }
              const claimed = { ...header, [what]: (header[what] + 1n) % SNARK_SCALAR_FIELD };
              expect(
                impl.publicInput(claimed, ops),
                `${what} ${hex32(header[what])} → ${hex32(claimed[what])} left the public input at ${hex32(honest)}`,
              ).to.not.equal(honest);
            },
          ),
          { numRuns: 100 },
        );
      });
    });
  });
}
