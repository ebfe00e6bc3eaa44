/**
 * The command behind `npx hardhat zk:setup`: sets up one circuit or every
 * top-level circuit, reporting progress on stderr and the artifacts on stdout.
 *
 * INSECURE BY DESIGN: development keys from a public beacon.
 */
import { readdirSync, readFileSync } from "fs";
import { join, relative } from "path";
import { PROJECT_ROOT, setupCircuit, type CircuitArtifacts } from "./artifacts";
import { CircuitCompileError } from "./errors";
import { stderrProgress } from "./progress";

export interface SetupCommandArgs {
  circuit?: string;
  /** The public development beacon instead of fresh CSPRNG secrets: reproducible and INSECURE. */
  deterministic?: boolean;
  stock?: boolean;
  verifierName?: string;
}

/** Top-level circuits/*.circom files that declare a main component. */
export function mainCircuits(circuitsDir = join(PROJECT_ROOT, "circuits")): string[] {
  return readdirSync(circuitsDir)
    .filter((f) => f.endsWith(".circom"))
    .filter((f) => /component\s+main\b/.test(readFileSync(join(circuitsDir, f), "utf8")))
    .map((f) => f.slice(0, -".circom".length))
    .sort();
}

export async function setupCommand(args: SetupCommandArgs): Promise<CircuitArtifacts[]> {
  const circuits = args.circuit ? [args.circuit] : mainCircuits();
  if (circuits.length === 0) throw new CircuitCompileError("(all)", "no circuits/*.circom declares a main component");
  if (args.verifierName && circuits.length > 1) {
    throw new CircuitCompileError("(all)", "--verifier-name needs --circuit");
  }
  const deterministic = Boolean(args.deterministic || args.stock);
  process.stderr.write(
    deterministic
      ? "zk:setup: INSECURE development keys (public beacon secrets): anyone can forge proofs against them.\n"
      : "zk:setup: keys from fresh OS CSPRNG secrets, dropped after the setup (one-party setup: see docs/zk-ceremony.md).\n",
  );
  const results: CircuitArtifacts[] = [];
  for (const circuit of circuits) {
    const started = Date.now();
    const a = await setupCircuit(circuit, {
      stock: args.stock,
      mode: deterministic ? "deterministic" : "random",
      verifierContractName: args.verifierName,
      onProgress: stderrProgress,
    });
    const rel = (p: string) => relative(process.cwd(), p);
    process.stdout.write(
      `${circuit}: ${a.constraints} constraints, ${a.mode} keys, ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        `  r1cs     ${rel(a.r1cs)}\n  wasm     ${rel(a.wasm)}\n` +
        (a.ptau ? `  ptau     ${rel(a.ptau)}\n` : "") +
        `  zkey     ${rel(a.zkey)}\n  vkey     ${rel(a.vkey)}\n  verifier ${rel(a.verifierSol)}\n` +
        `  compiled ${rel(a.verifierArtifact)}\n`,
    );
    results.push(a);
  }
  return results;
}
