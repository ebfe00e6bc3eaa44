/**
 * Compiles circom circuits with the circom2 package (circom compiled to
 * WebAssembly, pinned in package.json) and hashes a circuit's sources,
 * including every file it includes, for the artifact cache.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { execFile } from "child_process";
import { existsSync, readFileSync, realpathSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { promisify } from "util";
import { CircuitCompileError } from "./errors";
import { hashParts } from "./cache";

const run = promisify(execFile);

/** The flags every circuit is compiled with (part of the cache key). */
export const CIRCOM_FLAGS = ["--r1cs", "--wasm", "--O2"] as const;

export interface CircomCompiler {
  /** Absolute path of circom2's command-line script, run with this Node. */
  cli: string;
  version: string;
}

export function circomCompiler(projectRoot: string): CircomCompiler {
  const dir = join(projectRoot, "node_modules", "circom2");
  const pkgPath = join(dir, "package.json");
  if (!existsSync(pkgPath)) throw new CircuitCompileError("circom2", `not installed under ${projectRoot}; run npm ci`);
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string; bin: Record<string, string> };
  return { cli: join(dir, pkg.bin.circom2), version: pkg.version };
}

/** Strips // and /* *\/ comments so commented-out includes are not followed. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/**
 * Every source file of the circuit (itself first, then includes depth-first,
 * each once), resolved as circom does: beside the including file, then in
 * each library folder.
 */
export function circuitSources(mainPath: string, libraryDirs: string[]): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (file: string, from: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    order.push(file);
    const text = stripComments(readFileSync(file, "utf8"));
    for (const m of text.matchAll(/include\s+"([^"]+)"\s*;/g)) {
      const candidates = [resolve(dirname(file), m[1]), ...libraryDirs.map((d) => resolve(d, m[1]))];
      const found = candidates.find((c) => existsSync(c));
      if (!found) throw new CircuitCompileError(from, `include "${m[1]}" in ${file} not found`);
      visit(found, from);
    }
  };
  visit(resolve(mainPath), resolve(mainPath));
  return order;
}

/** Hash of the circuit's sources (paths relative to the project, and contents) and the compiler. */
export function circuitSourceHash(
  mainPath: string,
  libraryDirs: string[],
  projectRoot: string,
  compiler: CircomCompiler,
): string {
  const parts: string[] = [`circom2 ${compiler.version}`, CIRCOM_FLAGS.join(" ")];
  for (const file of circuitSources(mainPath, libraryDirs)) {
    parts.push(relative(projectRoot, file), readFileSync(file, "utf8"));
  }
  return hashParts(...parts);
}

/** Compiles `mainPath` into `outDir` (which must exist): <name>.r1cs and <name>_js/<name>.wasm. */
export async function compileCircuit(
  mainPath: string,
  outDir: string,
  libraryDirs: string[],
  compiler: CircomCompiler,
): Promise<void> {
  // circom2's WASI file system only reaches the folders above its working directory and does not follow a
  // symbolic link out of them (a node_modules linked from elsewhere), so it runs from / with the library
  // folders' real paths; the cache key keeps the project-relative ones.
  const libraries = libraryDirs.map((d) => (existsSync(d) ? realpathSync(d) : d));
  const args = [compiler.cli, mainPath, ...CIRCOM_FLAGS, "-o", outDir, ...libraries.flatMap((d) => ["-l", d])];
  try {
    await run(process.execPath, args, { maxBuffer: 64 << 20, cwd: "/" });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    const detail = (err.stderr || err.stdout || err.message).trim().split("\n").slice(-15).join("\n");
    throw new CircuitCompileError(mainPath, `circom2 failed:\n${detail}`);
  }
}
