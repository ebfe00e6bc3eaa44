/**
 * The committed gas snapshot (bench/snapshot.json): the quick profile's gas, row by row. Gas on the
 * Hardhat network is deterministic, so any difference is a real change in some contract or encoding,
 * and shows in review as a diff of this file.
 */
import { readFileSync, writeFileSync } from "fs";
import type { BenchRow } from "./types";

export interface SnapshotEntry {
  /** Omitted for rows whose calldata varies between runs (Groth16 proofs): see gasWithoutCalldata. */
  l1Gas?: number;
  /** Gas minus calldata (and the floor top-up): intrinsic + execution, the same in every run. */
  gasWithoutCalldata: number;
  blobGasUsed: number;
  floorApplied: boolean;
}

export interface GasSnapshot {
  profile: "quick";
  hardfork: string;
  rows: Record<string, SnapshotEntry>;
}

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

export function buildSnapshot(rows: BenchRow[], hardfork: string): GasSnapshot {
  const entries = rows
    .filter((r) => r.measured && r.hardfork === hardfork)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(
      (r) =>
        [
          r.id,
          {
            ...(r.calldataVaries ? {} : { l1Gas: r.l1Gas }),
            gasWithoutCalldata: r.l1Gas - r.split.calldata - r.split.floorTopUp,
            blobGasUsed: r.blobGasUsed,
            floorApplied: r.floorApplied,
          },
        ] as const,
    );
  return { profile: "quick", hardfork, rows: Object.fromEntries(entries) };
}

export function readSnapshot(path: string): GasSnapshot {
  let parsed: GasSnapshot;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as GasSnapshot;
  } catch (error) {
    throw new SnapshotError(
      `${path}: cannot read the gas snapshot (${(error as Error).message}); run \`npx hardhat bench --update-snapshot\``,
    );
  }
  if (parsed.profile !== "quick" || typeof parsed.rows !== "object")
    throw new SnapshotError(`${path}: not a quick-profile gas snapshot`);
  return parsed;
}

export function writeSnapshot(path: string, snapshot: GasSnapshot): void {
  writeFileSync(path, JSON.stringify(snapshot, null, 2) + "\n");
}

/** Every difference between two snapshots, one line each; empty when they match exactly. */
export function diffSnapshots(expected: GasSnapshot, actual: GasSnapshot): string[] {
  const lines: string[] = [];
  if (expected.hardfork !== actual.hardfork)
    lines.push(`hardfork: snapshot ${expected.hardfork}, run ${actual.hardfork}`);
  for (const [id, want] of Object.entries(expected.rows)) {
    const got = actual.rows[id];
    if (!got) {
      lines.push(`${id}: in the snapshot, not measured now`);
      continue;
    }
    for (const key of ["l1Gas", "gasWithoutCalldata", "blobGasUsed", "floorApplied"] as const) {
      if (got[key] !== want[key]) {
        const delta =
          typeof want[key] === "number"
            ? ` (${(got[key] as number) - (want[key] as number) >= 0 ? "+" : ""}${(got[key] as number) - (want[key] as number)})`
            : "";
        lines.push(`${id}: ${key} ${want[key]} → ${got[key]}${delta}`);
      }
    }
  }
  for (const id of Object.keys(actual.rows))
    if (!expected.rows[id]) lines.push(`${id}: measured now, not in the snapshot`);
  return lines;
}

/**
 * What `bench --quick` says after its run: whether the gas it measured is still the committed snapshot's,
 * and every row that drifted. With `systems`, only the snapshot's rows of those systems are compared (row
 * ids start with the system's name). A run under another hardfork than the snapshot's is not compared.
 */
export function snapshotDrift(
  expected: GasSnapshot,
  actual: GasSnapshot,
  snapshotPath: string,
  systems?: readonly string[],
): string[] {
  if (expected.hardfork !== actual.hardfork) {
    return [
      `bench: not compared with ${snapshotPath}: it records ${expected.hardfork}, this run measured ${actual.hardfork}`,
    ];
  }
  const rows = Object.fromEntries(
    Object.entries(expected.rows).filter(([id]) => !systems || systems.includes(id.split("/")[0])),
  );
  const drift = diffSnapshots({ ...expected, rows }, actual);
  if (drift.length === 0) return [`bench: gas matches ${snapshotPath} (${Object.keys(rows).length} rows)`];
  return [
    `bench: ${drift.length} difference${drift.length === 1 ? "" : "s"} from ${snapshotPath}:`,
    ...drift.map((line) => `  ${line}`),
    "  if the change is intended, run `npx hardhat bench --update-snapshot` and commit bench/snapshot.json",
  ];
}
