/**
 * Typed access to the public snarkjs API (its CommonJS build) for the parts
 * the setup uses, and a guard for its threaded curve: snarkjs builds one
 * BN254 curve with worker threads on first use and keeps it in
 * `globalThis.curve_bn128`; left running it keeps the process alive.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { snarkjsInternals } from "./snarkjs-internals";

export interface VerificationKey {
  protocol: string;
  curve: string;
  nPublic: number;
  [field: string]: unknown;
}

export interface Groth16Proof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol?: string;
  curve?: string;
}

export interface SnarkjsApi {
  groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasmPath: string,
      zkeyPath: string,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: Groth16Proof): Promise<boolean>;
    exportSolidityCallData(proof: Groth16Proof, publicSignals: string[]): Promise<string>;
  };
  zKey: {
    verifyFromR1cs(r1csPath: string, ptauPath: string, zkeyPath: string): Promise<boolean>;
    exportVerificationKey(zkeyPath: string): Promise<VerificationKey>;
    exportSolidityVerifier(zkeyPath: string, templates: { groth16: string }): Promise<string>;
    newZKey(r1csPath: string, ptauPath: string, zkeyPath: string): Promise<unknown>;
    beacon(
      oldPath: string,
      newPath: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
    ): Promise<Uint8Array | false>;
  };
  powersOfTau: {
    newAccumulator(curve: unknown, power: number, path: string): Promise<unknown>;
    beacon(oldPath: string, newPath: string, name: string, beaconHash: string, iterationsExp: number): Promise<unknown>;
    preparePhase2(oldPath: string, newPath: string): Promise<unknown>;
    verify(ptauPath: string): Promise<boolean>;
  };
  curves: { getCurveFromName(name: string): Promise<{ terminate(): Promise<void> }> };
}

export function snarkjsApi(): SnarkjsApi {
  snarkjsInternals(); // checks the pinned versions
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("snarkjs") as SnarkjsApi;
}

let users = 0;
let ownCurve = false;

/**
 * Runs `fn`, which may make snarkjs build its threaded curve. If no such
 * curve existed when the first of any overlapping calls began, the curve is
 * terminated when the last one ends; a curve the caller already had is left alone.
 */
export async function withSnarkjsCurve<T>(fn: () => Promise<T>): Promise<T> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  if (users++ === 0) ownCurve = g.curve_bn128 == null;
  try {
    return await fn();
  } finally {
    if (--users === 0 && ownCurve) {
      ownCurve = false;
      await g.curve_bn128?.terminate();
    }
  }
}
