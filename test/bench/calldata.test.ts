import { expect } from "chai";
import fc from "fast-check";
import {
  CalldataError,
  chargedGas,
  countBytes,
  floorCalldataGas,
  splitGas,
  splitTotal,
  standardCalldataGas,
  tokens,
} from "../../src/bench/calldata";

describe("bench: calldata pricing", function () {
  describe("# countBytes", function () {
    it("should count zero and non-zero bytes of hex and of bytes alike", function () {
      expect(countBytes("0x00ff0001")).to.deep.equal({ zeroBytes: 2, nonZeroBytes: 2 });
      expect(countBytes(new Uint8Array([0, 0, 7]))).to.deep.equal({ zeroBytes: 2, nonZeroBytes: 1 });
      expect(countBytes("0x")).to.deep.equal({ zeroBytes: 0, nonZeroBytes: 0 });
    });

    it("should not accept odd-length or non-hex input", function () {
      expect(() => countBytes("0x123")).to.throw(CalldataError, /not 0x-prefixed hex/);
      expect(() => countBytes("12")).to.throw(CalldataError);
    });
  });

  describe("# standardCalldataGas / floorCalldataGas", function () {
    it("should price 4/16 and 10/40 gas per zero/non-zero byte", function () {
      const counts = { zeroBytes: 3, nonZeroBytes: 5 };
      expect(tokens(counts)).to.equal(23n);
      expect(standardCalldataGas(counts)).to.equal(3n * 4n + 5n * 16n);
      expect(floorCalldataGas(counts)).to.equal(3n * 10n + 5n * 40n);
    });
  });

  describe("# chargedGas", function () {
    it("should charge the floor only from Prague on and only when execution is small", function () {
      const counts = { zeroBytes: 0, nonZeroBytes: 1000 };
      expect(chargedGas(counts, 0n, "cancun")).to.equal(21_000n + 16_000n);
      expect(chargedGas(counts, 0n, "osaka")).to.equal(21_000n + 40_000n);
      expect(chargedGas(counts, 100_000n, "osaka")).to.equal(21_000n + 16_000n + 100_000n);
    });
  });

  describe("# splitGas", function () {
    it("should add up to gasUsed and report the floor exactly when it set the price", function () {
      fc.assert(
        fc.property(
          fc.nat(5000),
          fc.nat(5000),
          fc.bigInt({ min: 0n, max: 2_000_000n }),
          fc.constantFrom("cancun", "prague", "osaka"),
          (zeroBytes, nonZeroBytes, execution, hardfork) => {
            const counts = { zeroBytes, nonZeroBytes };
            const gasUsed = chargedGas(counts, execution, hardfork);
            const storage = execution / 3n;
            const { split, floorApplied } = splitGas({
              gasUsed,
              counts,
              hardfork,
              tracedExecution: execution,
              storage,
              proofVerification: 0n,
            });
            expect(splitTotal(split)).to.equal(gasUsed);
            const floorWins =
              hardfork !== "cancun" && floorCalldataGas(counts) > standardCalldataGas(counts) + execution;
            expect(floorApplied).to.equal(floorWins);
            expect(split.floorTopUp > 0n).to.equal(
              floorWins && floorCalldataGas(counts) > standardCalldataGas(counts) + execution,
            );
            expect(split.storage).to.equal(storage);
          },
        ),
      );
    });

    it("should not accept a gasUsed below intrinsic plus calldata", function () {
      expect(() =>
        splitGas({
          gasUsed: 21_000n,
          counts: { zeroBytes: 0, nonZeroBytes: 1 },
          hardfork: "osaka",
          storage: 0n,
          proofVerification: 0n,
        }),
      ).to.throw(CalldataError, /below intrinsic \+ calldata 21016/);
    });
  });
});
