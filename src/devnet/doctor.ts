/**
 * `npm run doctor`: what a workshop laptop needs, checked one line at a time, each failure with what
 * to do about it. Also moves the zk key cache between machines: an instructor builds the keys once
 * (`doctor --export-keys keys.tgz`) and the room imports them (`doctor --import-keys keys.tgz`), which
 * checks that the archive's keys belong to this checkout's circuit before it uses them.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { unsupportedNode, isDevelopmentClient } from "./network";

export type Status = "ok" | "warn" | "fail";

export interface Check {
  name: string;
  status: Status;
  detail: string;
}

export function checkNode(version = process.versions.node): Check {
  const problem = unsupportedNode(version);
  return problem
    ? { name: "Node.js", status: "fail", detail: problem }
    : { name: "Node.js", status: "ok", detail: `${version} (${process.platform}-${process.arch})` };
}

/** Which of the native bindings load here, and what the project falls back to when one does not. */
export function checkNativeBindings(root: string): Check[] {
  const load = (id: string): string | undefined => {
    try {
      require(require.resolve(id, { paths: [root] }));
      return undefined;
    } catch (error) {
      return (error as Error).message.split("\n")[0];
    }
  };
  const checks: Check[] = [];
  const kzg = load("c-kzg");
  checks.push(
    kzg === undefined
      ? { name: "c-kzg (blobs)", status: "ok", detail: "native KZG loads" }
      : {
          name: "c-kzg (blobs)",
          status: "warn",
          detail: `does not load (${kzg}); blob benchmarks fall back to kzg-wasm (slower to start, same results)`,
        },
  );
  for (const [name, id, fallback] of [
    ["secp256k1", "secp256k1/bindings", "secp256k1/elliptic"],
    ["keccak", "keccak/bindings", "keccak/js"],
  ] as const) {
    const problem = load(id);
    checks.push(
      problem === undefined
        ? { name, status: "ok", detail: "native binding loads" }
        : load(fallback) === undefined
          ? { name, status: "warn", detail: `native binding does not load (${problem}); the pure-JS one works, slower` }
          : {
              name,
              status: "fail",
              detail: `neither the native nor the JS implementation loads (${problem}): run npm ci`,
            },
    );
  }
  return checks;
}

/** Whether `url` is free for `npx hardhat node`, already serves a chain, or is taken by something else. */
export async function checkChainPort(url: string): Promise<Check> {
  const name = "chain port";
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
        { jsonrpc: "2.0", id: 2, method: "web3_clientVersion", params: [] },
      ]),
      signal: AbortSignal.timeout(3_000),
    });
    const answers = (await response.json()) as { id: number; result?: string }[];
    const chainId = answers.find((a) => a.id === 1)?.result;
    const client = answers.find((a) => a.id === 2)?.result ?? "";
    if (!chainId) throw new Error("not JSON-RPC");
    return {
      name,
      status: "ok",
      detail:
        `a chain answers at ${url} (chain id ${Number(chainId)}, ${client || "unknown client"}` +
        `${isDevelopmentClient(client) ? ", a development chain" : ""}): use --network localhost`,
    };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED") {
      return {
        name,
        status: "ok",
        detail: `${url} is free: \`npx hardhat node\` can listen there (\`npm run devnet\` picks a free port anyway)`,
      };
    }
    return {
      name,
      status: "warn",
      detail:
        `something that is not a JSON-RPC node holds ${url} (${code ?? (error as Error).message}): ` +
        "run `npx hardhat node --port 8555` and set L2LAB_LOCALHOST_URL=http://127.0.0.1:8555 (`npm run devnet` needs no port)",
    };
  }
}

/** Bytes under `path`, recursively. */
export function diskBytes(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + diskBytes(join(path, entry)), 0);
}

export interface KeyCost {
  seconds: number;
  /** Peak resident memory of this process while it built or read the keys, in bytes. */
  peakRssBytes: number;
  diskBytes: number;
  constraints: number;
  /** False when the keys were already in the cache. */
  built: boolean;
}

/** Builds or finds the zk keys of the devnet's circuit and measures what that cost. */
export async function ensureZkKeys(root: string, onProgress?: (line: string) => void): Promise<KeyCost> {
  const { TEST_CIRCUIT, loadCircuit } = await import("../zk/circuit");
  const cache = join(root, ".zk-cache");
  let built = false;
  const started = performance.now();
  const { artifacts } = await loadCircuit(TEST_CIRCUIT, (line) => {
    if (!/constraints, powers of tau/.test(line)) built = true;
    onProgress?.(line);
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    diskBytes: diskBytes(cache),
    constraints: artifacts.constraints,
    built,
  };
}

/** Packs the key cache (.zk-cache/circuits and .zk-cache/keys) into a gzipped tar archive. */
export function exportKeys(root: string, file: string, cache = join(root, ".zk-cache")): number {
  const parts = ["circuits", "keys"].filter((p) => existsSync(join(cache, p)));
  if (parts.length < 2) {
    throw new Error(`${cache} holds no keys yet: run \`npm run doctor\` (it builds them) before exporting`);
  }
  execFileSync("tar", ["-czf", resolve(file), "-C", cache, ...parts]);
  return statSync(resolve(file)).size;
}

/** The imported keys do not belong to this checkout's circuit. */
export class KeyArchiveMismatchError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}; nothing was imported`);
    this.name = "KeyArchiveMismatchError";
  }
}

/**
 * Unpacks `file` into a scratch cache, checks it holds keys for this checkout's circuit sources (the
 * compiled circuit's folder is named by the hash of its sources, compiler and libraries), that the
 * zkey's verification key is the one stored beside it and has the circuit's public inputs, and only
 * then copies it into .zk-cache/. Returns what it imported.
 */
export async function importKeys(root: string, file: string, cacheDir = join(root, ".zk-cache")): Promise<string[]> {
  const { TEST_CIRCUIT } = await import("../zk/circuit");
  const { circuitSourceHash, circomCompiler } = await import("../zk/ceremony/circom");
  const { readR1cs } = await import("../zk/ceremony/r1cs");
  const { exportVerificationKey } = await import("../zk/ceremony/verifier");
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const scratch = mkdtempSync(join(root, ".zk-cache-import-"));
  try {
    execFileSync("tar", ["-xzf", resolve(file), "-C", scratch]);
    const name = TEST_CIRCUIT.name;
    const source = join(root, "circuits", `${name}.circom`);
    const sourceKey = circuitSourceHash(source, [join(root, "node_modules")], root, circomCompiler(root));
    const buildDir = join(scratch, "circuits", `${name}_${sourceKey.slice(0, 16)}`);
    if (!existsSync(join(buildDir, `${name}.r1cs`))) {
      const found = existsSync(join(scratch, "circuits")) ? readdirSync(join(scratch, "circuits")).join(", ") : "none";
      throw new KeyArchiveMismatchError(
        file,
        `no ${name} compiled from this checkout's sources (expected circuits/${name}_${sourceKey.slice(0, 16)}/, found: ${found}); ` +
          "the archive comes from another version of the circuit",
      );
    }
    const r1cs = await readR1cs(join(buildDir, `${name}.r1cs`));
    const nPublic = r1cs.header.nOutputs + r1cs.header.nPubInputs;
    const keysDir = join(scratch, "keys");
    const zkeys = existsSync(keysDir)
      ? readdirSync(keysDir).filter((f) => f.startsWith(`${name}_`) && f.endsWith(".zkey"))
      : [];
    if (zkeys.length === 0) throw new KeyArchiveMismatchError(file, `no ${name} proving key (keys/${name}_*.zkey)`);
    for (const zkey of zkeys) {
      const vkeyFile = join(keysDir, zkey.replace(/\.zkey$/, ".vkey.json"));
      const fromZkey = (await exportVerificationKey(join(keysDir, zkey))) as { nPublic: number };
      if (fromZkey.nPublic !== nPublic) {
        throw new KeyArchiveMismatchError(
          file,
          `${zkey} has ${fromZkey.nPublic} public inputs, the circuit ${nPublic}`,
        );
      }
      if (
        !existsSync(vkeyFile) ||
        JSON.stringify(JSON.parse(readFileSync(vkeyFile, "utf8"))) !== JSON.stringify(fromZkey)
      ) {
        throw new KeyArchiveMismatchError(
          file,
          `${relative(scratch, vkeyFile)} is not the verification key of ${zkey}`,
        );
      }
    }
    cpSync(scratch, cacheDir, { recursive: true, force: true });
    return readdirSync(keysDir).map((f) => `keys/${f}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.round(bytes / 1e6)} MB`;
}
