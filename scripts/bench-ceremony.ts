/**
 * Figures for the development trusted setup: time and peak memory of the
 * direct powers-of-tau generator and zkey writer, beside the stock snarkjs
 * commands where they finish within a time limit.
 *
 *   npx ts-node --transpile-only scripts/bench-ceremony.ts [--powers 12,14,16,18]
 *       [--constraints 30000,60000,250000] [--stock-powers 12,14] [--stock-constraints 30000,60000]
 *       [--limit-minutes 15] [--out bench/out/ceremony.json]
 *
 * Every measurement runs in its own Node process, so its peak resident
 * memory (worker threads included) is its own. The zkey circuits are
 * synthetic: a chain of n multiplications: n constraints, n + 3 signals.
 * Progress goes to stderr, a Markdown table to stdout, everything to the JSON
 * file with the git revision, CPU count and load. Nothing asserts a time.
 *
 * INSECURE keys: the setup measured here is for development only.
 */
import { execFileSync, spawn } from "child_process";
import { existsSync, mkdirSync, writeFileSync } from "fs";
import { cpus, loadavg, tmpdir } from "os";
import { join, resolve } from "path";
import { performance } from "perf_hooks";

const ROOT = resolve(__dirname, "..");

interface Measurement {
  what: string;
  size: string;
  mode: "direct" | "stock";
  seconds?: number;
  /** CPU time of the whole process, worker threads included: less sensitive to a busy machine. */
  cpuSeconds?: number;
  peakMB?: number;
  /** Why there is no figure (time limit, failure). */
  note?: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback; // "" is a valid (empty) list
}
const list = (s: string) => s.split(",").filter(Boolean).map(Number);

/** Runs one measurement in a child process (this file with --child), killed after `limitMs`. */
type Figures = { seconds: number; cpuSeconds: number; peakMB: number };

function measure(args: string[], limitMs: number): Promise<Figures | { note: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--child", ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") return done({ note: `over ${Math.round(limitMs / 60000)} min (stopped)` });
      if (code !== 0) return done({ note: `failed (exit ${code})` });
      done(JSON.parse(out.trim().split("\n").at(-1)!) as Figures);
    });
  });
}

/** Child mode: do one job and print its Figures as the last stdout line. */
async function child(job: string[]): Promise<void> {
  const [kind, ...rest] = job;
  const progress = (m: string) => process.stderr.write(`  ${m}\n`);
  const t0 = performance.now();
  if (kind === "ptau") {
    const { writePreparedPtau } = await import("../src/zk/ceremony");
    await writePreparedPtau(Number(rest[0]), rest[1], { onProgress: progress });
  } else if (kind === "stock-ptau") {
    const { stockPreparedPtau } = await import("../src/zk/ceremony/stock");
    await stockPreparedPtau(Number(rest[0]), rest[1], { onProgress: progress });
  } else if (kind === "zkey") {
    const { writeZkey } = await import("../src/zk/ceremony");
    await writeZkey(rest[0], rest[1], rest[2], { onProgress: progress });
  } else if (kind === "stock-zkey") {
    const { stockZkey } = await import("../src/zk/ceremony/stock");
    await stockZkey(rest[0], rest[1], rest[2], progress);
  } else throw new Error(`bench-ceremony: unknown child job "${kind}"`);
  const seconds = (performance.now() - t0) / 1000;
  const usage = process.resourceUsage(); // the whole process: every thread
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const peakMB = usage.maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, peakMB } satisfies Figures)}\n`);
}

/** A synthetic circuit of n multiplication constraints, compiled once into `dir`. */
function chainCircuit(n: number, dir: string): string {
  const name = `chain_${n}`;
  const r1cs = join(dir, `${name}.r1cs`);
  if (existsSync(r1cs)) return r1cs;
  const source = join(dir, `${name}.circom`);
  writeFileSync(
    source,
    `pragma circom 2.1.0;
template Chain(n) {
    signal input x;
    signal input y;
    signal output out;
    signal t[n];
    t[0] <== x * y;
    for (var i = 1; i < n; i++) { t[i] <== t[i-1] * x + i; }
    out <== t[n-1];
}
component main {public [y]} = Chain(${n});
`,
  );
  process.stderr.write(`compiling ${name}\n`);
  const cli = join(ROOT, "node_modules", "circom2", "cli.js");
  execFileSync(process.execPath, [cli, source, "--r1cs", "--O2", "-o", dir], { stdio: "ignore" });
  return r1cs;
}

async function main(): Promise<void> {
  const powers = list(arg("powers", "12,14,16,18"));
  const sizes = list(arg("constraints", "30000,60000,250000"));
  const stockPowers = list(arg("stock-powers", "12,14"));
  const stockSizes = list(arg("stock-constraints", "30000,60000"));
  const limitMs = Number(arg("limit-minutes", "15")) * 60_000;
  const outFile = resolve(ROOT, arg("out", "bench/out/ceremony.json"));
  const work = join(tmpdir(), "l2lab-bench-ceremony");
  mkdirSync(work, { recursive: true });
  const rows: Measurement[] = [];
  const record = (m: Measurement) => {
    rows.push(m);
    const figure =
      m.seconds !== undefined
        ? `${m.seconds.toFixed(1)} s, ${m.cpuSeconds!.toFixed(1)} s CPU, ${m.peakMB!.toFixed(0)} MB`
        : m.note;
    process.stderr.write(`${m.mode} ${m.what} ${m.size}: ${figure} (load ${loadavg()[0].toFixed(1)})\n`);
  };

  for (const k of powers) {
    process.stderr.write(`direct ptau 2^${k}\n`);
    record({
      what: "ptau",
      size: `2^${k}`,
      mode: "direct",
      ...(await measure(["ptau", String(k), join(work, `pot${k}.ptau`)], limitMs)),
    });
  }
  for (const k of stockPowers) {
    process.stderr.write(`stock ptau 2^${k}\n`);
    record({
      what: "ptau",
      size: `2^${k}`,
      mode: "stock",
      ...(await measure(["stock-ptau", String(k), join(work, `stock_pot${k}.ptau`)], limitMs)),
    });
  }

  // One powers-of-tau file big enough for every circuit (its power = the largest domain power + 1).
  const domainPower = (n: number) => 31 - Math.clz32(n + 2) + 1; // n constraints, 2 public signals
  const needed = Math.max(...sizes.map(domainPower)) + 1;
  const ptau = join(work, `pot${needed}.ptau`);
  if (!existsSync(ptau)) {
    process.stderr.write(`direct ptau 2^${needed} for the zkeys\n`);
    record({
      what: "ptau",
      size: `2^${needed}`,
      mode: "direct",
      ...(await measure(["ptau", String(needed), ptau], limitMs)),
    });
  }
  for (const n of sizes) {
    const r1cs = chainCircuit(n, work);
    process.stderr.write(`direct zkey ${n} constraints\n`);
    record({
      what: "zkey",
      size: `${n} constraints`,
      mode: "direct",
      ...(await measure(["zkey", r1cs, ptau, join(work, `chain_${n}.zkey`)], limitMs)),
    });
    if (stockSizes.includes(n)) {
      process.stderr.write(`stock zkey ${n} constraints\n`);
      record({
        what: "zkey",
        size: `${n} constraints`,
        mode: "stock",
        ...(await measure(["stock-zkey", r1cs, ptau, join(work, `stock_chain_${n}.zkey`)], limitMs)),
      });
    }
  }

  const revision = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
  mkdirSync(resolve(outFile, ".."), { recursive: true });
  writeFileSync(
    outFile,
    `${JSON.stringify({ revision, date: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), rows }, null, 2)}\n`,
  );
  const cell = (what: string, size: string, mode: string) => {
    const m = rows.find((r) => r.what === what && r.size === size && r.mode === mode);
    if (!m) return "not run";
    return m.seconds !== undefined
      ? `${m.seconds.toFixed(1)} s (CPU ${m.cpuSeconds!.toFixed(0)} s, ${m.peakMB!.toFixed(0)} MB)`
      : m.note!;
  };
  const lines = ["| artifact | size | direct | stock snarkjs |", "|---|---|---|---|"];
  for (const what of ["ptau", "zkey"]) {
    for (const size of [...new Set(rows.filter((r) => r.what === what).map((r) => r.size))]) {
      lines.push(`| ${what} | ${size} | ${cell(what, size, "direct")} | ${cell(what, size, "stock")} |`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n\nrevision ${revision}, ${cpus().length} CPUs, JSON in ${outFile}\n`);
}

const childAt = process.argv.indexOf("--child");
(childAt >= 0 ? child(process.argv.slice(childAt + 1)) : main()).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
