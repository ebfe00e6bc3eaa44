/**
 * Runs every workload on the in-process Hardhat network of this process's hardfork. The chain is
 * reset before each workload, so a system's gas does not depend on which systems ran before it
 * (the snapshot relies on that).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { BenchContext, type Progress, type Workload } from "./context";
import type { Profile } from "./profile";
import type { BenchRow, BenchSystem, Timing } from "./types";

export interface RunResult {
  hardfork: string;
  rows: BenchRow[];
  gaps: { system: BenchSystem; what: string; reason: string }[];
  timings: Timing[];
}

/** The hardfork the in-process Hardhat network runs (Hardhat's default when the config sets none). */
export function currentHardfork(hre: HardhatRuntimeEnvironment): string {
  return hre.config.networks.hardhat.hardfork;
}

export function plannedSteps(workloads: Workload[], profile: Profile): number {
  return workloads.reduce((sum, w) => sum + (w.unavailable() === null ? w.plan(profile) : 0), 0);
}

export async function runWorkloads(
  hre: HardhatRuntimeEnvironment,
  workloads: Workload[],
  profile: Profile,
  progress: Progress,
  meta: { gitRevision: string; assumptions: string },
): Promise<RunResult> {
  if (hre.network.name !== "hardhat") {
    throw new Error(`bench: runs on the in-process hardhat network only, not "${hre.network.name}"`);
  }
  const hardfork = currentHardfork(hre);
  const ctx = new BenchContext(hre, hardfork, profile, progress, meta);
  for (const workload of workloads) {
    const missing = workload.unavailable();
    if (missing !== null) {
      ctx.gap(workload.system, "everything", missing);
      continue;
    }
    await hre.network.provider.send("hardhat_reset");
    ctx.chainReset();
    progress.log(`${workload.title} (${hardfork})`);
    try {
      await workload.run(ctx);
    } catch (error) {
      // A system mid-change must not take the other systems' figures down with it: the report
      // shows what failed, and the snapshot test fails on the missing rows.
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      ctx.gap(workload.system, "remaining measurements", `the workload failed: ${message}`);
    }
  }
  return { hardfork, rows: ctx.rows, gaps: ctx.gaps, timings: ctx.timings };
}
