/**
 * `setupCircuit(name)`: everything a circuit needs for Groth16 proving and
 * on-chain verification, built on demand and cached.
 *
 *   circuits/<name>.circom ──circom2──▶ r1cs + wasm witness generator
 *   power K = circuit power + 1 ──────▶ prepared ptau (direct, or stock with `stock`)
 *   r1cs + ptau ──────────────────────▶ zkey ──▶ verification key JSON
 *                                           └──▶ contracts/zk/verifiers/<Name>Verifier.sol
 *
 * Each artifact lives under the cache folder (default `.zk-cache/`, ignored by
 * git) at a path carrying the hash of all its inputs (sources with every
 * include, compiler version, K, beacon, snarkjs version, fast or stock), so a
 * second run finds everything and does nothing, and a stale artifact is never
 * used. The verifier is committed (the keys are deterministic), rewritten only
 * when its content differs.
 *
 * INSECURE BY DESIGN: the keys come from a public beacon; anyone can forge
 * proofs. Development and teaching only.
 */
import { existsSync, mkdirSync, readFileSync } from "fs";
import { basename, join, resolve } from "path";
import { DEV_BEACON_HASH, DEV_BEACON_ITERATIONS_EXP } from "./beacon";
import { ensureArtifact, hashParts, writeFileAtomic } from "./cache";
import { circomCompiler, circuitSourceHash, compileCircuit } from "./circom";
import { CircuitCompileError } from "./errors";
import type { ProgressFn } from "./progress";
import { writePreparedPtau } from "./ptau-writer";
import { readR1cs } from "./r1cs";
import { PINNED_SNARKJS } from "./snarkjs-internals";
import { stockPreparedPtau, stockZkey } from "./stock";
import { exportVerificationKey, exportVerifierSource } from "./verifier";
import { writeZkey } from "./zkey-writer";

export interface CircuitArtifacts {
  r1cs: string;
  /** The witness generator (circom's WebAssembly). */
  wasm: string;
  zkey: string;
  /** Verification key JSON (snarkjs format). */
  vkey: string;
  verifierSol: string;
  ptau: string;
  /** Constraints in the r1cs. */
  constraints: number;
  /** Power K of the powers-of-tau file (2^K), at least the circuit's domain power + 1. */
  power: number;
}

export interface SetupOptions {
  /** Folder of `<name>.circom`; default `<project>/circuits`. */
  circuitsDir?: string;
  /** Cache folder; default `<project>/.zk-cache`. */
  cacheDir?: string;
  /** Use the stock snarkjs commands (slow) instead of the direct writers. */
  stock?: boolean;
  /** Verifier contract name; default PascalCase(name) + "Verifier" (rollup_2 → Rollup2Verifier). */
  verifierContractName?: string;
  /** Where the verifier .sol goes; default `<project>/contracts/zk/verifiers`. */
  verifierDir?: string;
  onProgress?: ProgressFn;
}

/** The project root (where hardhat.config.ts is), three levels above this folder. */
export const PROJECT_ROOT = resolve(__dirname, "..", "..", "..");

/**
 * Cache layout version: bump when this code changes an artifact's bytes for a
 * reason its key cannot see (e.g. the verifier's header text).
 */
const CACHE_VERSION = "1";

/** rollup_2 → Rollup2Verifier */
export function defaultVerifierName(circuit: string): string {
  const pascal = circuit
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
  return `${pascal}Verifier`;
}

/** snarkjs's domain power for a circuit: 2^p > nConstraints + nPublic. */
export function circuitPower(nConstraints: number, nPublic: number): number {
  return 31 - Math.clz32(nConstraints + nPublic) + 1;
}

/** The powers-of-tau file (cached) of power K for this mode; built if missing. */
export async function ensurePtau(
  power: number,
  opts: { cacheDir?: string; stock?: boolean; onProgress?: ProgressFn } = {},
): Promise<string> {
  const cacheDir = opts.cacheDir ?? join(PROJECT_ROOT, ".zk-cache");
  const mode = opts.stock ? "stock" : "fast";
  const key = hashParts(
    CACHE_VERSION,
    "ptau",
    mode,
    String(power),
    DEV_BEACON_HASH,
    String(DEV_BEACON_ITERATIONS_EXP),
    PINNED_SNARKJS,
  );
  const path = join(cacheDir, "ptau", `insecure_dev_pot${power}_${mode}_${key.slice(0, 16)}.ptau`);
  await ensureArtifact(
    path,
    (tmp) =>
      opts.stock
        ? stockPreparedPtau(power, tmp, { onProgress: opts.onProgress })
        : writePreparedPtau(power, tmp, { onProgress: opts.onProgress }),
    opts.onProgress,
  );
  return path;
}

/**
 * Builds (or finds in the cache) everything circuit `name` needs. `name` is
 * the path of the .circom file under the circuits folder without extension:
 * "rollup_2" or "test/ceremony_small"; its last segment names the artifacts.
 */
export async function setupCircuit(circuit: string, opts: SetupOptions = {}): Promise<CircuitArtifacts> {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(circuit)) {
    throw new CircuitCompileError(circuit, "name must be letters, digits, _ and -, in /-separated folders");
  }
  const name = basename(circuit);
  const report = opts.onProgress;
  const circuitsDir = resolve(opts.circuitsDir ?? join(PROJECT_ROOT, "circuits"));
  const cacheDir = resolve(opts.cacheDir ?? join(PROJECT_ROOT, ".zk-cache"));
  const verifierDir = resolve(opts.verifierDir ?? join(PROJECT_ROOT, "contracts", "zk", "verifiers"));
  const source = join(circuitsDir, `${circuit}.circom`);
  if (!existsSync(source)) throw new CircuitCompileError(name, `${source} does not exist`);
  const mode = opts.stock ? "stock" : "fast";

  // 1. r1cs and witness generator.
  const compiler = circomCompiler(PROJECT_ROOT);
  const libraries = [join(PROJECT_ROOT, "node_modules")];
  const sourceKey = circuitSourceHash(source, libraries, PROJECT_ROOT, compiler);
  const buildDir = join(cacheDir, "circuits", `${name}_${sourceKey.slice(0, 16)}`);
  await ensureArtifact(
    buildDir,
    async (tmp) => {
      report?.(`circuit ${name}: compiling with circom2 ${compiler.version}`);
      mkdirSync(tmp, { recursive: true });
      await compileCircuit(source, tmp, libraries, compiler);
    },
    report,
  );
  const r1csPath = join(buildDir, `${name}.r1cs`);
  const wasmPath = join(buildDir, `${name}_js`, `${name}.wasm`);
  const r1cs = await readR1cs(r1csPath);
  const h = r1cs.header;
  const power = circuitPower(h.nConstraints, h.nOutputs + h.nPubInputs) + 1;
  report?.(`circuit ${name}: ${h.nConstraints} constraints, powers of tau 2^${power}`);

  // 2. powers of tau.
  const ptauPath = await ensurePtau(power, { cacheDir, stock: opts.stock, onProgress: report });

  // 3. zkey, verification key.
  const r1csHash = hashParts(readFileSync(r1csPath));
  const zkeyKey = hashParts(CACHE_VERSION, "zkey", mode, r1csHash, basename(ptauPath), PINNED_SNARKJS).slice(0, 16);
  const zkeyPath = join(cacheDir, "keys", `${name}_insecure_dev_${mode}_${zkeyKey}.zkey`);
  await ensureArtifact(
    zkeyPath,
    (tmp) =>
      opts.stock
        ? stockZkey(r1csPath, ptauPath, tmp, report)
        : writeZkey(r1csPath, ptauPath, tmp, { onProgress: report }),
    report,
  );
  const vkeyPath = join(cacheDir, "keys", `${name}_insecure_dev_${mode}_${zkeyKey}.vkey.json`);
  await ensureArtifact(vkeyPath, async (tmp) => {
    const vkey = await exportVerificationKey(zkeyPath);
    await writeFileAtomic(tmp, `${JSON.stringify(vkey, null, 2)}\n`);
  });

  // 4. Solidity verifier: cached by key, copied into contracts/ only when it differs.
  const contractName = opts.verifierContractName ?? defaultVerifierName(name);
  // The header names the circuit path, the contract and the sizes: all part of the key.
  const solKey = hashParts(CACHE_VERSION, zkeyKey, contractName, circuit, String(h.nConstraints), String(power));
  const cachedSol = join(cacheDir, "keys", `${name}_insecure_dev_${mode}_${solKey.slice(0, 16)}.${contractName}.sol`);
  await ensureArtifact(cachedSol, async (tmp) => {
    const sol = await exportVerifierSource(zkeyPath, {
      contractName,
      circuitName: circuit,
      constraints: h.nConstraints,
      ptauPower: power,
      projectRoot: PROJECT_ROOT,
    });
    await writeFileAtomic(tmp, sol);
  });
  const verifierSol = join(verifierDir, `${contractName}.sol`);
  const wanted = readFileSync(cachedSol);
  if (!existsSync(verifierSol) || !readFileSync(verifierSol).equals(wanted)) {
    report?.(`circuit ${name}: writing ${verifierSol}`);
    await writeFileAtomic(verifierSol, wanted);
  }

  return {
    r1cs: r1csPath,
    wasm: wasmPath,
    zkey: zkeyPath,
    vkey: vkeyPath,
    verifierSol,
    ptau: ptauPath,
    constraints: h.nConstraints,
    power,
  };
}
