/**
 * The direct powers-of-tau generator against the stock snarkjs commands.
 * INSECURE development ceremony: its secrets are public by design.
 */
import { expect } from "chai";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  DEV_BEACON_HASH,
  InvalidBeaconError,
  InvalidPowerError,
  MAX_PTAU_POWER,
  writePreparedPtau,
} from "../../src/zk/ceremony";
import { snarkjsApi } from "../../src/zk/ceremony/snarkjs-api";
import { stockPreparedPtau } from "../../src/zk/ceremony/stock";
import { FR_MODULUS, frMul, frPow, frPowers, frSub, lagrangeAtTau } from "../../src/zk/ceremony/field";
import { singleThreadCurve } from "../../src/zk/ceremony/snarkjs-internals";

/** Power of the byte-identity test: stock `prepare phase2` is single-threaded, so keep it small. */
const POWER = 8;
const workDir = mkdtempSync(join(tmpdir(), "l2lab-ceremony-ptau-"));

async function stockAndFastPtau() {
  const stock = join(workDir, `stock_${POWER}.ptau`);
  const fast = join(workDir, `fast_${POWER}.ptau`);
  await stockPreparedPtau(POWER, stock);
  await writePreparedPtau(POWER, fast);
  return { stock, fast };
}

describe("Development ceremony: powers of tau", function () {
  after(async function () {
    rmSync(workDir, { recursive: true, force: true });
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  });

  describe("# writePreparedPtau", function () {
    it(`should write the same bytes as powersoftau new + beacon + prepare phase2 at 2^${POWER}`, async function () {
      const { stock, fast } = await loadFixture(stockAndFastPtau);
      const a = readFileSync(fast);
      const b = readFileSync(stock);
      expect(a.length).to.equal(b.length);
      expect(a.equals(b), "the direct file differs from the stock one").to.equal(true);
    });

    it("should be accepted by snarkjs powersoftau verify", async function () {
      const { fast } = await loadFixture(stockAndFastPtau);
      const ok = await snarkjsApi().powersOfTau.verify(fast);
      expect(ok).to.equal(true);
    });

    it("should derive different secrets, hence different points, from a different beacon", async function () {
      const { fast } = await loadFixture(stockAndFastPtau);
      const other = join(workDir, "other_beacon.ptau");
      const beaconHash = DEV_BEACON_HASH.slice(0, -2) + "00"; // same length, last byte changed
      await writePreparedPtau(POWER, other, { beaconHash });
      // Same layout and size, different tau·G1 (the second point of section 2, after the container and header).
      const a = readFileSync(fast);
      const b = readFileSync(other);
      expect(b.length).to.equal(a.length);
      const tauG1At = 12 + 12 + 44 + 12 + 64;
      expect(b.subarray(tauG1At, tauG1At + 64).equals(a.subarray(tauG1At, tauG1At + 64))).to.equal(false);
    });

    it("should report progress", async function () {
      const messages: string[] = [];
      await writePreparedPtau(2, join(workDir, "tiny.ptau"), { onProgress: (m) => messages.push(m) });
      expect(messages.some((m) => /section 12/.test(m))).to.equal(true);
      expect(messages.at(-1)).to.match(/wrote .*tiny\.ptau/);
    });

    it("should not accept a power outside 1..MAX_PTAU_POWER", async function () {
      for (const power of [0, MAX_PTAU_POWER + 1, 2.5]) {
        await expect(writePreparedPtau(power, join(workDir, "bad.ptau")))
          .to.be.rejectedWith(InvalidPowerError, `power ${power} is invalid`)
          .and.eventually.have.property("power", power);
      }
    });

    it("should not accept a beacon that is not hexadecimal bytes", async function () {
      for (const beacon of ["", "abc", "zz", "ab".repeat(256)]) {
        await expect(writePreparedPtau(3, join(workDir, "bad.ptau"), { beaconHash: beacon })).to.be.rejectedWith(
          InvalidBeaconError,
          `beacon hash "${beacon}"`,
        );
      }
      expect(DEV_BEACON_HASH).to.match(/^[0-9a-f]+$/);
    });
  });

  describe("# lagrangeAtTau", function () {
    // tau must lie outside every evaluation domain used below (size M <= 32): at
    // a root of unity of order dividing M the basis formula divides by zero.
    // fast-check favours the bounds, so r - 1 (a square root of 1) comes up often.
    const tau = fc.bigInt({ min: 2n, max: FR_MODULUS - 1n }).filter((t) => frPow(t, 32n) !== 1n);

    it("should refuse a tau inside the domain, naming the order", async function () {
      const curve = await singleThreadCurve();
      for (const p of [1, 3, 5]) {
        const omega = curve.Fr.toObject(curve.Fr.w[p]);
        for (const t of [1n, FR_MODULUS - 1n, omega, frPow(omega, 3n)]) {
          expect(() => lagrangeAtTau(t, omega, p)).to.throw(RangeError, `root of unity of order ${1 << p}`);
        }
      }
    });

    it("should give basis values that sum to 1 and interpolate every power tau^j, j < M", async function () {
      const curve = await singleThreadCurve();
      fc.assert(
        fc.property(tau, fc.integer({ min: 0, max: 5 }), (t, p) => {
          const m = 1 << p;
          const omega = curve.Fr.toObject(curve.Fr.w[p]);
          const l = lagrangeAtTau(t, omega, p);
          for (let j = 0; j < m; j++) {
            // sum_i L_i(tau)·(omega^i)^j = tau^j
            const wj = frPow(omega, BigInt(j));
            const sum = frPowers(wj, m).reduce((acc, w, i) => (acc + frMul(l[i], w)) % FR_MODULUS, 0n);
            if (sum !== frPow(t, BigInt(j))) return false;
          }
          return true;
        }),
        { numRuns: 30 },
      );
    });

    it("should drop exactly the tau^(M-1) term in snarkjs's extra level", async function () {
      const curve = await singleThreadCurve();
      fc.assert(
        fc.property(tau, fc.integer({ min: 1, max: 5 }), (t, p) => {
          const m = 1 << p;
          const omega = curve.Fr.toObject(curve.Fr.w[p]);
          const full = lagrangeAtTau(t, omega, p);
          const dropped = lagrangeAtTau(t, omega, p, true);
          // Interpolating X^(M-1) with the dropped basis gives 0 instead of tau^(M-1); lower powers are unchanged.
          const wTop = frPow(omega, BigInt(m - 1));
          const top = frPowers(wTop, m).reduce((acc, w, i) => (acc + frMul(dropped[i], w)) % FR_MODULUS, 0n);
          const diff = full.map((v, i) => frSub(v, dropped[i]));
          return (
            top === 0n &&
            diff.every(
              (d, i) =>
                d === frMul(frPow(omega, BigInt(i)), frMul(frPow(t, BigInt(m - 1)), frPow(BigInt(m), FR_MODULUS - 2n))),
            )
          );
        }),
        { numRuns: 30 },
      );
    });
  });
});
