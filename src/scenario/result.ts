/**
 * The record of a run, shaped exactly as FORMAT.md's "Result" section, so
 * anyone can check a run against the chain itself.
 */
import type { SystemName } from "./types";

export interface StepRecord {
  index: number;
  do: string;
  ok: boolean;
  outcome: string;
  /** Gas of the L1 transactions the step sent; null if it sent none. */
  l1Gas: number | null;
  /** Hashes of those transactions. */
  txs: string[];
  error: string | null;
}

export interface ScenarioResult {
  name: string;
  system: SystemName;
  ok: boolean;
  network: { name: string; chainId: number };
  contracts: Record<string, string>;
  people: Record<string, { l1: string; l2: string }>;
  steps: StepRecord[];
}

/** The first failed step of a result as one line, or null when the run passed. */
export function failureOf(result: ScenarioResult): string | null {
  if (result.ok) return null;
  const step = result.steps.find((s) => !s.ok);
  if (!step) return "the run stopped before its first step";
  return `step ${step.index} (${step.do}) failed: ${step.error ?? step.outcome}`;
}
