/**
 * Groth16 proving of zk batches with snarkjs, in process: the witness from circom's WebAssembly generator, then
 * the proof from the zkey. snarkjs keeps worker threads alive: call `terminateProver()` when done (tests do it
 * in an `after` hook) or the process does not exit.
 */
import type { CircuitArtifacts } from "./ceremony/artifacts";
import { ProverError } from "./errors";
import type { CircuitInput } from "./state";

/** A proof in the order the Solidity verifier takes it (b's coordinates swapped, as snarkjs exports them). */
export interface SolidityProof {
  a: [bigint, bigint];
  b: [[bigint, bigint], [bigint, bigint]];
  c: [bigint, bigint];
}

export interface BatchProof {
  proof: SolidityProof;
  publicSignals: bigint[];
  witnessMs: number;
  provingMs: number;
}

interface SnarkjsProof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
}

interface Snarkjs {
  wtns: { calculate(input: unknown, wasm: string, out: { type: "mem"; data?: Uint8Array }): Promise<void> };
  groth16: {
    prove(
      zkey: string,
      wtns: { type: "mem"; data?: Uint8Array },
    ): Promise<{ proof: SnarkjsProof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: SnarkjsProof): Promise<boolean>;
  };
}

function snarkjs(): Snarkjs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("snarkjs") as Snarkjs;
}

/** Converts snarkjs's proof to the verifier's argument order. */
export function toSolidityProof(proof: SnarkjsProof): SolidityProof {
  const n = (s: string): bigint => BigInt(s);
  return {
    a: [n(proof.pi_a[0]), n(proof.pi_a[1])],
    b: [
      [n(proof.pi_b[0][1]), n(proof.pi_b[0][0])],
      [n(proof.pi_b[1][1]), n(proof.pi_b[1][0])],
    ],
    c: [n(proof.pi_c[0]), n(proof.pi_c[1])],
  };
}

/**
 * Proves one batch: computes the witness (which fails at once if the input breaks a constraint) and the proof.
 * Reports each phase on `onProgress`.
 */
export async function proveBatch(
  artifacts: Pick<CircuitArtifacts, "wasm" | "zkey">,
  input: CircuitInput,
  onProgress?: (message: string) => void,
): Promise<BatchProof> {
  const lib = snarkjs();
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  const t0 = Date.now();
  onProgress?.("computing the witness");
  try {
    await lib.wtns.calculate(input, artifacts.wasm, wtns);
  } catch (error) {
    throw new ProverError(
      `witness: the batch breaks a circuit constraint (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const t1 = Date.now();
  onProgress?.(`witness in ${t1 - t0} ms; proving (Groth16)`);
  const { proof, publicSignals } = await lib.groth16.prove(artifacts.zkey, wtns);
  const t2 = Date.now();
  onProgress?.(`proof in ${t2 - t1} ms`);
  return {
    proof: toSolidityProof(proof),
    publicSignals: publicSignals.map((s) => BigInt(s)),
    witnessMs: t1 - t0,
    provingMs: t2 - t1,
  };
}

/** Ends snarkjs's worker threads so the process can exit. */
export async function terminateProver(): Promise<void> {
  const curve = (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128;
  await curve?.terminate();
}
