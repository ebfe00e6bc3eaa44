/**
 * Soundness of the circomlib templates RollupBatch relies on that assign a signal with `<--` (a value the
 * prover computes outside the constraints): circuits/test/circomlib_hints.circom instantiates each once. The
 * test computes an honest witness, changes one hinted signal, found by name in the compiled symbol table,
 * and evaluates every constraint of the compiled R1CS: a sound template makes the changed witness break one.
 * A refused input would prove nothing here: the witness generator is what a cheating prover replaces.
 */
import { expect } from "chai";
import { SNARK_SCALAR_FIELD } from "../../src/merkle";
import { compileTamperable, type TamperableCircuit } from "./helpers/witness";

const p = SNARK_SCALAR_FIELD;

interface BabyJub {
  Base8: unknown[];
  F: { toObject(e: unknown): bigint };
  mulPointEscalar(point: unknown[], e: bigint): unknown[];
}

describe("# circomlib hints (`<--`) are constrained", function () {
  this.timeout(120_000);
  let circuit: TamperableCircuit;
  let honest: bigint[];

  before(async function () {
    circuit = await compileTamperable("circomlib_hints");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildBabyjub } = require("circomlibjs") as { buildBabyjub(): Promise<BabyJub> };
    const babyJub = await buildBabyjub();
    const point = (k: bigint) => babyJub.mulPointEscalar(babyJub.Base8, k).map((c) => babyJub.F.toObject(c));
    honest = await circuit.calculator.calculateWitness(
      {
        x: 0xa5n,
        zero: 0n,
        p: point(3n),
        q: point(5n),
        a: [1n, 0n, 1n, 1n], // 13, least significant bit first
        b: [1n, 1n, 0n, 1n], // 11
      },
      true,
    );
  });

  after(function () {
    circuit?.dispose();
  });

  const at = (name: string): number => circuit.at(name);

  function breaks(name: string, value: (honest: bigint) => bigint): number {
    const witness = [...honest];
    const index = at(name);
    witness[index] = ((value(witness[index]) % p) + p) % p;
    expect(witness[index], `${name} was not changed`).to.not.equal(honest[index]);
    return circuit.checker.failures(witness);
  }

  it("should satisfy every constraint with the honest witness", function () {
    expect(circuit.checker.nConstraints).to.be.greaterThan(40);
    expect(circuit.checker.failures(honest)).to.equal(0);
  });

  it("should break when a bit of Num2Bits is flipped, even though it stays a bit", function () {
    // --O2 folds the sum Σ bit·2^i = in into the last bit, so a flipped bit shows up as a non-bit there.
    for (let i = 0; i < 7; i++) {
      expect(
        breaks(`main.bits.out[${i}]`, (b) => 1n - b),
        `bit ${i}`,
      ).to.be.greaterThan(0);
      expect(
        breaks(`main.bits.out[${i}]`, (b) => b + 2n),
        `bit ${i} + 2`,
      ).to.be.greaterThan(0);
    }
  });

  it("should break when IsZero's inv or out is changed for a non-zero input", function () {
    expect(honest[at("main.nonZero.out")]).to.equal(0n);
    expect(breaks("main.nonZero.inv", (v) => v + 1n)).to.be.greaterThan(0);
    expect(breaks("main.nonZero.inv", () => 0n)).to.be.greaterThan(0);
    expect(breaks("main.nonZero.out", () => 1n)).to.be.greaterThan(0);
  });

  it("should leave IsZero's output forced when the input is zero, whatever inv the prover picks", function () {
    // For in = 0, inv is free (out = 1 − in·inv = 1 for any inv): the hint is unconstrained but harmless,
    // because nothing reads inv. The output is what must be forced.
    expect(honest[at("main.isZero.out")]).to.equal(1n);
    expect(breaks("main.isZero.inv", (v) => v + 12345n)).to.equal(0);
    expect(breaks("main.isZero.out", () => 0n)).to.be.greaterThan(0);
  });

  it("should break when BabyAdd's quotient hints xout or yout are changed", function () {
    expect(breaks("main.add.xout", (v) => v + 1n)).to.be.greaterThan(0);
    expect(breaks("main.add.yout", (v) => v + 1n)).to.be.greaterThan(0);
    // The negated point is another curve point, but not the sum.
    expect(breaks("main.add.xout", (v) => -v)).to.be.greaterThan(0);
  });

  it("should break when an Edwards↔Montgomery conversion output is changed", function () {
    // Edwards2Montgomery's outputs feed MontgomeryAdd's inputs, the only name --O2 keeps for them.
    for (const name of ["main.montAdd.in1[0]", "main.montAdd.in1[1]", "main.montAdd.in2[0]", "main.montAdd.in2[1]"]) {
      expect(
        breaks(name, (v) => v + 1n),
        name,
      ).to.be.greaterThan(0);
    }
    expect(breaks("main.toEdwards.out[0]", (v) => v + 1n)).to.be.greaterThan(0);
    expect(breaks("main.toEdwards.out[1]", (v) => v + 1n)).to.be.greaterThan(0);
    // (u, −v) is the Montgomery image of the negated Edwards point: still not the input's image.
    expect(breaks("main.montAdd.in1[1]", (v) => -v)).to.be.greaterThan(0);
  });

  it("should break when the slope hint of MontgomeryAdd or MontgomeryDouble is changed", function () {
    expect(breaks("main.montAdd.lamda", (v) => v + 1n)).to.be.greaterThan(0);
    expect(breaks("main.montDouble.lamda", (v) => v + 1n)).to.be.greaterThan(0);
  });

  it("should break when a bit of BinSum's result is flipped", function () {
    // 13 + 11 = 24 = 0b11000; --O2 folds the top bit into the sum constraint, as for Num2Bits.
    const bits = [0, 1, 2, 3].map((k) => honest[at(`main.sum.out[${k}]`)]);
    expect(bits).to.deep.equal([0n, 0n, 0n, 1n]);
    expect(circuit.has("main.sum.out[4]")).to.equal(false);
    for (let k = 0; k < 4; k++) {
      expect(
        breaks(`main.sum.out[${k}]`, (b) => 1n - b),
        `bit ${k}`,
      ).to.be.greaterThan(0);
    }
  });
});
