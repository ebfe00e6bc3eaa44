/**
 * The `bench` command: runs the workloads under each hardfork (the in-process one directly, any
 * other in a child Hardhat process with L2LAB_HARDFORK set), then writes bench.json, bench.csv,
 * report.md and the charts, and with the full profile the committed copy in docs/.
 */
import { spawn } from "child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { formatAssumptions, loadAssumptions } from "./assumptions";
import { buildCharts } from "./charts";
import { computeEconomics } from "./economics";
import { gitRevision } from "./git";
import { PROFILES } from "./profile";
import { createProgress } from "./progress";
import { renderReport } from "./report";
import { writeResultFiles, type BenchResult, type Gap } from "./result";
import { currentHardfork, plannedSteps, runWorkloads } from "./runner";
import { buildSnapshot, diffSnapshots, readSnapshot, snapshotDrift, writeSnapshot } from "./snapshot";
import type { BenchRow, BenchSystem, ProfileName, Timing } from "./types";
import { WORKLOADS } from "./workloads";
import type { Workload } from "./context";
import { SIGNATURE_CACHE_ENV, SIGNATURE_CACHE_FILE } from "./workloads/optimistic-batches";

export const DEFAULT_HARDFORKS = ["osaka", "cancun"];
export const SNAPSHOT_PATH = join("bench", "snapshot.json");

export class BenchCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchCommandError";
  }
}

export interface BenchOptions {
  quick: boolean;
  outDir?: string;
  hardfork?: string;
  assumptionsPath?: string;
  updateSnapshot: boolean;
  /** Write docs/benchmarks.md and its charts (full profile only). */
  docs: boolean;
  /** Only these systems (default: all). */
  systems?: BenchSystem[];
}

interface WorkerOutput {
  hardfork: string;
  rows: BenchRow[];
  gaps: Gap[];
  timings: Timing[];
}

/** Runs the workloads in this process and returns its rows: the body of a child process too. */
export async function runInProcess(
  hre: HardhatRuntimeEnvironment,
  profileName: ProfileName,
  assumptionsPath?: string,
  systems?: BenchSystem[],
): Promise<WorkerOutput> {
  const profile = PROFILES[profileName];
  const workloads = selectWorkloads(systems);
  const hardfork = currentHardfork(hre);
  const progress = createProgress(plannedSteps(workloads, profile), `bench ${profileName} ${hardfork}`);
  try {
    const result = await runWorkloads(hre, workloads, profile, progress, {
      gitRevision: gitRevision(hre.config.paths.root),
      assumptions: formatAssumptions(loadAssumptions(assumptionsPath)),
    });
    return {
      hardfork,
      rows: result.rows,
      gaps: result.gaps.map((g) => ({ ...g, hardfork })),
      timings: result.timings,
    };
  } finally {
    progress.stop();
  }
}

/** The workloads of `systems` (all when unset); an unknown name is an error. */
export function selectWorkloads(systems?: BenchSystem[]): Workload[] {
  if (!systems || systems.length === 0) return WORKLOADS;
  for (const system of systems) {
    if (!WORKLOADS.some((w) => w.system === system)) {
      throw new BenchCommandError(
        `bench --systems: unknown system "${system}" (known: ${WORKLOADS.map((w) => w.system).join(", ")})`,
      );
    }
  }
  return WORKLOADS.filter((w) => systems.includes(w.system));
}

function bigintSafeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** Child-process mode: measure and write the rows to `file`. */
export async function runWorker(
  hre: HardhatRuntimeEnvironment,
  profileName: ProfileName,
  file: string,
  assumptionsPath?: string,
  systems?: BenchSystem[],
): Promise<void> {
  const output = await runInProcess(hre, profileName, assumptionsPath, systems);
  writeFileSync(file, bigintSafeJson(output));
}

async function runInChild(
  hre: HardhatRuntimeEnvironment,
  hardfork: string,
  profileName: ProfileName,
  assumptionsPath?: string,
  systems?: BenchSystem[],
): Promise<WorkerOutput> {
  const file = join(tmpdir(), `l2lab-bench-${process.pid}-${hardfork}.json`);
  const cli = require.resolve("hardhat/internal/cli/cli");
  const args = [cli, "bench", "--worker-out", file, ...(profileName === "quick" ? ["--quick"] : [])];
  if (assumptionsPath) args.push("--assumptions", resolve(assumptionsPath));
  if (systems && systems.length > 0) args.push("--systems", systems.join(","));
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: hre.config.paths.root,
      env: { ...process.env, L2LAB_HARDFORK: hardfork },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? done() : fail(new BenchCommandError(`bench: the ${hardfork} run exited with code ${code}`)),
    );
  });
  const output = JSON.parse(readFileSync(file, "utf8")) as WorkerOutput;
  rmSync(file, { force: true });
  return output;
}

/** Rows for every requested hardfork; the first hardfork is the primary one. */
export async function collectRows(
  hre: HardhatRuntimeEnvironment,
  profileName: ProfileName,
  hardforks: string[],
  assumptionsPath?: string,
  systems?: BenchSystem[],
): Promise<WorkerOutput[]> {
  const outputs: WorkerOutput[] = [];
  for (const hardfork of hardforks) {
    outputs.push(
      hardfork === currentHardfork(hre)
        ? await runInProcess(hre, profileName, assumptionsPath, systems)
        : await runInChild(hre, hardfork, profileName, assumptionsPath, systems),
    );
  }
  return outputs;
}

export async function benchCommand(hre: HardhatRuntimeEnvironment, options: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const root = hre.config.paths.root;
  const profileName: ProfileName = options.quick || options.updateSnapshot ? "quick" : "full";
  const hardforks = options.updateSnapshot
    ? [options.hardfork ?? currentHardfork(hre)]
    : options.hardfork
      ? [options.hardfork]
      : profileName === "quick"
        ? [currentHardfork(hre)]
        : DEFAULT_HARDFORKS;
  const assumptions = loadAssumptions(options.assumptionsPath);
  selectWorkloads(options.systems);
  if (options.updateSnapshot && options.systems)
    throw new BenchCommandError("bench: --update-snapshot measures every system; drop --systems");
  // The BLS signatures the runs make are kept beside the results and reused (deterministic, and slow to make).
  const outDir = resolve(root, options.outDir ?? join("bench", "out"));
  mkdirSync(outDir, { recursive: true });
  process.env[SIGNATURE_CACHE_ENV] ??= join(outDir, SIGNATURE_CACHE_FILE);
  const outputs = await collectRows(hre, profileName, hardforks, options.assumptionsPath, options.systems);
  const rows = outputs.flatMap((o) => o.rows);
  const gaps = outputs.flatMap((o) => o.gaps);
  const timings = outputs.flatMap((o) => o.timings ?? []);

  if (options.updateSnapshot) {
    const path = join(root, SNAPSHOT_PATH);
    const next = buildSnapshot(rows, hardforks[0]);
    let changes: string[] = [];
    try {
      changes = diffSnapshots(readSnapshot(path), next);
    } catch {
      changes = ["(no previous snapshot)"];
    }
    writeSnapshot(path, next);
    process.stderr.write(
      `bench: wrote ${SNAPSHOT_PATH} (${Object.keys(next.rows).length} rows)\n${changes.map((c) => `  ${c}\n`).join("")}`,
    );
  }

  if (profileName === "quick" && !options.updateSnapshot) {
    // The quick profile is the snapshot's: say what drifted since it was committed.
    const path = join(root, SNAPSHOT_PATH);
    let lines: string[];
    try {
      lines = snapshotDrift(readSnapshot(path), buildSnapshot(rows, hardforks[0]), SNAPSHOT_PATH, options.systems);
    } catch (error) {
      lines = [`bench: not compared: ${(error as Error).message}`];
    }
    process.stderr.write(lines.map((line) => `${line}\n`).join(""));
  }

  const economics = computeEconomics(rows, assumptions, hardforks[0]);
  const result: BenchResult = {
    generatedAt: new Date().toISOString(),
    gitRevision: gitRevision(root),
    profile: profileName,
    hardforks,
    durationSeconds: (Date.now() - started) / 1000,
    assumptions,
    rows,
    gaps,
    timings,
    economics,
  };
  writeResultFiles(outDir, result);
  const charts = buildCharts(rows, economics, hardforks);
  for (const chart of charts) {
    writeFileSync(join(outDir, chart.file), chart.svg);
    writeFileSync(join(outDir, chart.file.replace(/\.svg$/, ".png")), await renderPng(chart.svg));
  }
  const command = `npx hardhat bench${profileName === "quick" ? " --quick" : ""}${options.hardfork ? ` --hardfork ${options.hardfork}` : ""}`;
  writeFileSync(
    join(outDir, "report.md"),
    await formatMarkdown(renderReport(result, { chartPrefix: "", charts, command }), root),
  );
  process.stderr.write(
    `bench: wrote ${outDir}/{bench.json,bench.csv,report.md} and ${charts.length} charts in ${Math.round(result.durationSeconds)} s\n`,
  );

  if (options.docs && profileName === "full" && !options.systems) {
    const docsDir = join(root, "docs", "benchmarks");
    mkdirSync(docsDir, { recursive: true });
    for (const chart of charts) copyFileSync(join(outDir, chart.file), join(docsDir, chart.file));
    writeFileSync(
      join(root, "docs", "benchmarks.md"),
      await formatMarkdown(
        renderReport(result, { chartPrefix: "benchmarks/", charts, command: "npm run bench" }),
        root,
      ),
    );
    process.stderr.write("bench: updated docs/benchmarks.md and docs/benchmarks/*.svg\n");
  }
  return result;
}

/** Formats generated Markdown with the project's Prettier settings, so `npm run lint` stays clean. */
async function formatMarkdown(markdown: string, root: string): Promise<string> {
  const prettier = await import("prettier");
  const config = (await prettier.resolveConfig(join(root, "docs", "benchmarks.md"))) ?? {};
  return prettier.format(markdown, { ...config, parser: "markdown" });
}

/** SVG → PNG with resvg, for looking at the charts without a browser. */
async function renderPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const png = new Resvg(svg, { fitTo: { mode: "width", value: 1200 }, font: { loadSystemFonts: true } })
    .render()
    .asPng();
  return Buffer.from(png);
}

export { diffSnapshots, readSnapshot, buildSnapshot };
