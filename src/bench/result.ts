/** The whole benchmark result, and its JSON and CSV forms. */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { assumptionsToJson } from "./assumptions";
import type { Economics } from "./economics";
import type { Assumptions, BenchRow, BenchSystem, ProfileName, Timing } from "./types";

export interface Gap {
  system: BenchSystem;
  what: string;
  reason: string;
  hardfork?: string;
}

export interface BenchResult {
  generatedAt: string;
  gitRevision: string;
  profile: ProfileName;
  /** Every hardfork measured; the first is the one the economics and the charts' solid lines use. */
  hardforks: string[];
  durationSeconds: number;
  assumptions: Assumptions;
  rows: BenchRow[];
  gaps: Gap[];
  /** Off-chain wall-clock figures (BLS signing, ...): indicative, never asserted. */
  timings: Timing[];
  economics: Economics;
}

/** JSON.stringify that writes bigint as a decimal string. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n";
}

export const CSV_COLUMNS = [
  "id",
  "system",
  "variant",
  "posting",
  "hardfork",
  "batchSize",
  "measured",
  "formula",
  "l1Txs",
  "l1Gas",
  "gasPerTx",
  "calldataBytes",
  "bytesPerTx",
  "floorGasPerTx",
  "floorApplied",
  "intrinsic",
  "calldata",
  "floorTopUp",
  "execution",
  "storage",
  "proofVerification",
  "blobCount",
  "blobGasUsed",
  "blobGasPerTx",
  "provingMs",
  "storageMethod",
  "note",
  "gitRevision",
  "assumptions",
] as const;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: BenchRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) {
    const flat: Record<string, unknown> = { ...row, ...row.split };
    lines.push(CSV_COLUMNS.map((column) => csvCell(flat[column])).join(","));
  }
  return lines.join("\n") + "\n";
}

export function writeResultFiles(dir: string, result: BenchResult): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "bench.json"),
    toJson({
      ...result,
      assumptions: assumptionsToJson(result.assumptions),
      economics: { ...result.economics, assumptions: assumptionsToJson(result.economics.assumptions) },
    }),
  );
  writeFileSync(join(dir, "bench.csv"), toCsv(result.rows));
}
