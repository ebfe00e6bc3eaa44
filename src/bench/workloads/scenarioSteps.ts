/**
 * Measures operations that a scenario tells best (a fraud proof needs a cheating operator, a
 * batch to catch and a challenger): runs the scenario through the project's own scenario runner
 * and returns the L1 transactions of the step that matters.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { runScenario } from "../../scenario/runner";
import { parseScenario } from "../../scenario/validate";
import type { StepRecord } from "../../scenario/result";

export class ScenarioStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioStepError";
  }
}

/** Runs `scenario` (format v1, as an object) silently and returns step `index`'s record. */
export async function scenarioStep(
  hre: HardhatRuntimeEnvironment,
  scenario: object,
  index: number,
): Promise<StepRecord> {
  const parsed = parseScenario(JSON.stringify(scenario), `bench:${(scenario as { name?: string }).name ?? "scenario"}`);
  const result = await runScenario(hre, parsed, { print: () => undefined, color: false });
  const step = result.steps[index];
  if (!step) throw new ScenarioStepError(`${parsed.name}: step ${index} did not run (${result.steps.length} ran)`);
  if (!step.ok)
    throw new ScenarioStepError(`${parsed.name}: step ${index} (${step.do}) failed: ${step.error ?? step.outcome}`);
  if (step.txs.length === 0)
    throw new ScenarioStepError(`${parsed.name}: step ${index} (${step.do}) sent no L1 transaction`);
  return step;
}
