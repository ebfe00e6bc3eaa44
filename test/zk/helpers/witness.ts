/**
 * Witness tools for the circuit tests: circom's witness calculator for a built circuit, and an R1CS checker
 * that evaluates every constraint (A·w)(B·w) = C·w on a witness, so a tampered witness is shown to break a
 * constraint rather than merely to be refused by the witness generator.
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";
import { forEachConstraint, readR1cs } from "../../../src/zk/ceremony/r1cs";
import { SNARK_SCALAR_FIELD } from "../../../src/merkle";
import type { CircuitInput } from "../../../src/zk/state";

interface WitnessCalculator {
  calculateWitness(input: CircuitInput, sanityCheck: boolean): Promise<bigint[]>;
}

export async function witnessCalculator(wasmPath: string): Promise<WitnessCalculator> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require(join(dirname(wasmPath), "witness_calculator.js")) as (
    code: Buffer,
  ) => Promise<WitnessCalculator>;
  return build(readFileSync(wasmPath));
}

export interface R1csChecker {
  nConstraints: number;
  /** How many constraints the witness breaks (0: it satisfies the circuit). */
  failures(witness: readonly bigint[]): number;
}

export async function r1csChecker(r1csPath: string): Promise<R1csChecker> {
  const r1cs = await readR1cs(r1csPath);
  // Flatten once: [signal, coef] pairs per matrix per constraint.
  const rows: { signal: number; coef: bigint }[][][] = [];
  forEachConstraint(r1cs, (c, m, terms) => {
    rows[c] ??= [];
    rows[c][m] = terms.map((t) => ({ signal: t.signal, coef: t.coef }));
  });
  const p = SNARK_SCALAR_FIELD;
  const dot = (terms: { signal: number; coef: bigint }[], w: readonly bigint[]): bigint => {
    let sum = 0n;
    for (const t of terms) sum += t.coef * w[t.signal];
    return sum % p;
  };
  return {
    nConstraints: r1cs.header.nConstraints,
    failures(witness) {
      let failed = 0;
      for (const [a, b, c] of rows) {
        if ((dot(a, witness) * dot(b, witness) - dot(c, witness)) % p !== 0n) failed++;
      }
      return failed;
    },
  };
}

/**
 * The witness index of the circuit input holding `value`: inputs sit right after the constant 1 and the
 * public input, in declaration order. Requires the value to be unique among the inputs, so the tamper hits
 * exactly the signal the test names.
 */
export function inputIndex(witness: readonly bigint[], value: bigint, inputs: number, what: string): number {
  const hits: number[] = [];
  for (let i = 2; i < 2 + inputs; i++) if (witness[i] === value) hits.push(i);
  if (hits.length !== 1) throw new Error(`${what}: value ${value} is at witness positions [${hits.join(", ")}]`);
  return hits[0];
}

/** Every witness position holding `value` (for a signal --O2 folded into others, such as the old root). */
export function positionsOf(witness: readonly bigint[], value: bigint): number[] {
  const hits: number[] = [];
  witness.forEach((w, i) => {
    if (w === value) hits.push(i);
  });
  return hits;
}
