/**
 * `setupCircuit(name)`: everything a circuit needs for Groth16 proving and
 * on-chain verification, built on demand and cached.
 *
 *   circuits/<name>.circom ──circom2──▶ r1cs + wasm witness generator
 *   mode "random" (default):   r1cs ──▶ zkey from fresh CSPRNG secrets (no ptau)
 *   mode "deterministic":      power K = circuit power + 1 ──▶ prepared ptau (direct, or stock with `stock`)
 *                              r1cs + ptau ──▶ zkey (delta = 1) ──snarkjs zkey beacon──▶ zkey
 *   zkey ──▶ verification key JSON
 *        └─▶ Solidity verifier (snarkjs template) ──solc-js──▶ abi + bytecode, deployed from the cache
 *
 * Each artifact lives under the cache folder (default `.zk-cache/`, ignored by
 * git) at a path carrying the hash of all its inputs (sources with every
 * include, compiler version, mode, K, beacon, snarkjs version, fast or stock),
 * so a second run finds everything and does nothing, and a stale artifact is
 * never used. Random keys are drawn once per cache (one clone) and reused.
 *
 * Trust (docs/zk-ceremony.md): random keys are as safe as the machine that ran
 * the setup, which dropped its secrets; deterministic keys come from a public
 * beacon and anyone can forge proofs against them (development and teaching
 * only), although their phase-2 beacon makes delta differ from gamma.
 */
import { existsSync, mkdirSync, readFileSync } from "fs";
import type { InterfaceAbi } from "ethers";
import { basename, join, resolve } from "path";
import { rm } from "fs/promises";
import { DEV_BEACON_HASH, DEV_BEACON_ITERATIONS_EXP } from "./beacon";
import { ensureArtifact, hashParts, writeFileAtomic } from "./cache";
import { circomCompiler, circuitSourceHash, compileCircuit } from "./circom";
import { CircuitCompileError } from "./errors";
import type { ProgressFn } from "./progress";
import { writePreparedPtau } from "./ptau-writer";
import { readR1cs } from "./r1cs";
import { PINNED_SNARKJS } from "./snarkjs-internals";
import { snarkjsApi, withSnarkjsCurve } from "./snarkjs-api";
import { stockPreparedPtau, stockZkey } from "./stock";
import { compileVerifier, exportVerificationKey, exportVerifierSource, type KeyMode } from "./verifier";
import { writeRandomZkey, writeZkey } from "./zkey-writer";

export type { KeyMode };

export interface CircuitArtifacts {
  r1cs: string;
  /** The witness generator (circom's WebAssembly). */
  wasm: string;
  zkey: string;
  /** Verification key JSON (snarkjs format). */
  vkey: string;
  /** The verifier's Solidity source (in the cache: keys differ per clone in random mode). */
  verifierSol: string;
  /** The verifier compiled by solc-js: JSON `{ contractName, abi, bytecode }` (see `readVerifierArtifact`). */
  verifierArtifact: string;
  /** The powers-of-tau file (deterministic mode only; random keys need none). */
  ptau: string | undefined;
  mode: KeyMode;
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
  /**
   * "random" (default): secrets from the OS CSPRNG, dropped after the setup. "deterministic": the public
   * development beacon, reproducible byte for byte (tests, cross-checks with stock snarkjs): INSECURE.
   */
  mode?: KeyMode;
  /** Deterministic mode with the stock snarkjs commands (slow) instead of the direct writers. */
  stock?: boolean;
  /** Verifier contract name; default PascalCase(name) + "Verifier" (rollup_2 → Rollup2Verifier). */
  verifierContractName?: string;
  onProgress?: ProgressFn;
}

/** The project root (where hardhat.config.ts is), three levels above this folder. */
export const PROJECT_ROOT = resolve(__dirname, "..", "..", "..");

/**
 * Cache layout version: bump when this code changes an artifact's bytes for a
 * reason its key cannot see (e.g. the verifier's header text).
 */
const CACHE_VERSION = "2";

/**
 * The phase-2 beacon of deterministic keys (`snarkjs zkey beacon`): public, so it only makes delta differ from
 * gamma; it is the ASCII text "l2lab dev ceremony: phase 2".
 */
export const DEV_PHASE2_BEACON_HASH = "6c326c61622064657620636572656d6f6e793a2070686173652032";
export const DEV_PHASE2_CONTRIBUTION_NAME = "l2lab INSECURE development phase-2 beacon";

/** The verifier's compiled form, as `setupCircuit` writes it. */
export interface VerifierArtifact {
  contractName: string;
  abi: InterfaceAbi;
  bytecode: string;
}

export function readVerifierArtifact(path: string): VerifierArtifact {
  return JSON.parse(readFileSync(path, "utf8")) as VerifierArtifact;
}

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

/** `snarkjs zkey beacon` with the public development phase-2 beacon: delta becomes a public value other than 1. */
async function phase2Beacon(inPath: string, outPath: string): Promise<void> {
  const api = snarkjsApi();
  const ok = await withSnarkjsCurve(() =>
    api.zKey.beacon(inPath, outPath, DEV_PHASE2_CONTRIBUTION_NAME, DEV_PHASE2_BEACON_HASH, DEV_BEACON_ITERATIONS_EXP),
  );
  if (ok === false) throw new CircuitCompileError(inPath, "snarkjs zkey beacon refused the development beacon");
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
  const source = join(circuitsDir, `${circuit}.circom`);
  if (!existsSync(source)) throw new CircuitCompileError(name, `${source} does not exist`);
  const keyMode: KeyMode = opts.stock ? "deterministic" : (opts.mode ?? "random");
  // The file-name tag: random keys are unique to this cache; deterministic ones are the same everywhere.
  const mode = keyMode === "random" ? "random" : `insecure_dev_${opts.stock ? "stock" : "fast"}`;

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

  // 2. zkey: fresh secrets, or the development ptau plus a public phase-2 beacon.
  const r1csHash = hashParts(readFileSync(r1csPath));
  let ptauPath: string | undefined;
  let zkeyKey: string;
  if (keyMode === "random") {
    zkeyKey = hashParts(CACHE_VERSION, "zkey", mode, r1csHash, PINNED_SNARKJS).slice(0, 16);
  } else {
    ptauPath = await ensurePtau(power, { cacheDir, stock: opts.stock, onProgress: report });
    zkeyKey = hashParts(
      CACHE_VERSION,
      "zkey",
      mode,
      r1csHash,
      basename(ptauPath),
      DEV_PHASE2_BEACON_HASH,
      PINNED_SNARKJS,
    ).slice(0, 16);
  }
  const zkeyPath = join(cacheDir, "keys", `${name}_${mode}_${zkeyKey}.zkey`);
  await ensureArtifact(
    zkeyPath,
    async (tmp) => {
      if (keyMode === "random") {
        report?.(`circuit ${name}: drawing fresh secrets from the OS CSPRNG (kept nowhere)`);
        return writeRandomZkey(r1csPath, tmp, { onProgress: report });
      }
      const initial = `${tmp}.initial`;
      try {
        if (opts.stock) await stockZkey(r1csPath, ptauPath!, initial, report);
        else await writeZkey(r1csPath, ptauPath!, initial, { onProgress: report });
        report?.(`circuit ${name}: phase-2 beacon contribution (snarkjs zkey beacon)`);
        await phase2Beacon(initial, tmp);
      } finally {
        await rm(initial, { force: true });
      }
    },
    report,
  );
  const vkeyPath = join(cacheDir, "keys", `${name}_${mode}_${zkeyKey}.vkey.json`);
  await ensureArtifact(vkeyPath, async (tmp) => {
    const vkey = await exportVerificationKey(zkeyPath);
    await writeFileAtomic(tmp, `${JSON.stringify(vkey, null, 2)}\n`);
  });

  // 3. Solidity verifier and its compiled form, both in the cache.
  const contractName = opts.verifierContractName ?? defaultVerifierName(name);
  // The header names the circuit path, the contract, the mode and the sizes: all part of the key.
  const solKey = hashParts(CACHE_VERSION, zkeyKey, contractName, circuit, String(h.nConstraints), String(power));
  const verifierSol = join(cacheDir, "keys", `${name}_${mode}_${solKey.slice(0, 16)}.${contractName}.sol`);
  await ensureArtifact(verifierSol, async (tmp) => {
    const sol = await exportVerifierSource(zkeyPath, {
      contractName,
      circuitName: circuit,
      constraints: h.nConstraints,
      ptauPower: power,
      projectRoot: PROJECT_ROOT,
      mode: keyMode,
    });
    await writeFileAtomic(tmp, sol);
  });
  const verifierArtifact = `${verifierSol.slice(0, -".sol".length)}.json`;
  await ensureArtifact(verifierArtifact, async (tmp) => {
    report?.(`circuit ${name}: compiling ${contractName} with solc-js`);
    const compiled = compileVerifier(readFileSync(verifierSol, "utf8"), contractName);
    await writeFileAtomic(tmp, `${JSON.stringify({ contractName, ...compiled })}\n`);
  });

  return {
    r1cs: r1csPath,
    wasm: wasmPath,
    zkey: zkeyPath,
    vkey: vkeyPath,
    verifierSol,
    verifierArtifact,
    ptau: ptauPath,
    mode: keyMode,
    constraints: h.nConstraints,
    power,
  };
}
