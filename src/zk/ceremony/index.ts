/**
 * The l2lab development trusted setup: Groth16 keys in seconds, identical to
 * what stock snarkjs writes for the same public beacon.
 *
 * INSECURE BY DESIGN. tau, alpha and beta come from a public beacon, so anyone
 * can forge a proof of any statement against these keys, and a phase-2
 * contribution does not repair that. They exist for local devnets, tests and
 * teaching. A real deployment needs a real multi-party ceremony.
 *
 * - `writePreparedPtau(power, out)`: a prepared powers-of-tau file, as
 *   `powersoftau new` + `beacon` + `prepare phase2` would write it.
 * - `writeZkey(r1cs, ptau, out)`: a circuit's final zkey, as `groth16 setup` would.
 * - `setupCircuit(name)` (./artifacts): everything a circuit needs, cached.
 */
import { writePreparedPtau as writePtau, type PtauOptions } from "./ptau-writer";
import { writeZkey as writeKey, type ZkeyOptions } from "./zkey-writer";

export { DEV_BEACON_HASH, DEV_BEACON_ITERATIONS_EXP, DEV_CONTRIBUTION_NAME, deriveDevSecrets } from "./beacon";
export * from "./errors";
export type { PtauOptions, ZkeyOptions };
export { MAX_PTAU_POWER } from "./ptau-writer";

/**
 * Writes the prepared powers-of-tau file of `power` (2^power) to `outPath`.
 * INSECURE: its secrets are public; development and teaching only.
 */
export async function writePreparedPtau(
  power: number,
  outPath: string,
  opts?: { beaconHash?: string; onProgress?: (msg: string) => void; threads?: number },
): Promise<void> {
  await writePtau(power, outPath, opts);
}

/**
 * Writes the Groth16 zkey of the circuit `r1csPath` for a development
 * powers-of-tau file to `outPath`. INSECURE: development and teaching only.
 */
export async function writeZkey(
  r1csPath: string,
  ptauPath: string,
  outPath: string,
  opts?: { onProgress?: (m: string) => void; threads?: number },
): Promise<void> {
  await writeKey(r1csPath, ptauPath, outPath, opts);
}
