/**
 * Witness tools for the circuit tests: circom's witness calculator for a built circuit, and an R1CS checker
 * that evaluates every constraint (A·w)(B·w) = C·w on a witness, so a tampered witness is shown to break a
 * constraint rather than merely to be refused by the witness generator.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { PROJECT_ROOT } from "../../../src/zk/ceremony/artifacts";
import { circomCompiler } from "../../../src/zk/ceremony/circom";
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
  /**
   * The same count for a witness that differs from a satisfying one only at `changed` positions: only the
   * constraints those signals appear in can break, so only they are evaluated.
   */
  failuresAfterChange(witness: readonly bigint[], changed: readonly number[]): number;
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
  const broken = (row: { signal: number; coef: bigint }[][], witness: readonly bigint[]): boolean => {
    const [a = [], b = [], c = []] = row;
    return (dot(a, witness) * dot(b, witness) - dot(c, witness)) % p !== 0n;
  };
  const constraintsOf = new Map<number, number[]>();
  rows.forEach((row, index) => {
    for (const signal of new Set(row.flat().map((t) => t.signal))) {
      const list = constraintsOf.get(signal) ?? [];
      list.push(index);
      constraintsOf.set(signal, list);
    }
  });
  return {
    nConstraints: r1cs.header.nConstraints,
    failures(witness) {
      return rows.filter((row) => broken(row, witness)).length;
    },
    failuresAfterChange(witness, changed) {
      const touched = new Set(changed.flatMap((signal) => constraintsOf.get(signal) ?? []));
      return [...touched].filter((index) => broken(rows[index], witness)).length;
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

/** A test circuit compiled once with its symbol table: find a signal's witness position by its full name. */
export interface TamperableCircuit {
  checker: R1csChecker;
  calculator: WitnessCalculator;
  /** Witness position of `name` (main.add.xout); throws if --O2 folded it away. */
  at(name: string): number;
  has(name: string): boolean;
  /** Removes the build folder. */
  dispose(): void;
}

/**
 * Compiles circuits/test/<name>.circom as every project circuit is (--O2), with its R1CS, witness
 * calculator and symbol table, into a fresh temporary folder.
 */
export async function compileTamperable(name: string): Promise<TamperableCircuit> {
  const dir = mkdtempSync(join(tmpdir(), `l2lab-${name}-`));
  const compiler = circomCompiler(PROJECT_ROOT);
  const source = join(PROJECT_ROOT, "circuits", "test", `${name}.circom`);
  const library = realpathSync(join(PROJECT_ROOT, "node_modules"));
  execFileSync(
    process.execPath,
    [compiler.cli, source, "--r1cs", "--wasm", "--sym", "--O2", "-o", dir, "-l", library],
    {
      cwd: "/",
      stdio: "pipe",
    },
  );
  const position = new Map<string, number>();
  for (const line of readFileSync(join(dir, `${name}.sym`), "utf8").split("\n")) {
    const [, witness, , signal] = line.split(",");
    if (signal && Number(witness) >= 0) position.set(signal, Number(witness));
  }
  return {
    checker: await r1csChecker(join(dir, `${name}.r1cs`)),
    calculator: await witnessCalculator(join(dir, `${name}_js`, `${name}.wasm`)),
    at(signal) {
      const index = position.get(signal);
      if (index === undefined) throw new Error(`${signal} is not in the witness (folded by --O2?)`);
      return index;
    },
    has: (signal) => position.has(signal),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
