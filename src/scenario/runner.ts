/**
 * Runs a validated scenario against a chain: maps people to accounts, loads
 * the system's driver (src/scenario/systems.ts), deploys, then runs the steps
 * in order and stops at the first one that does not do what it says.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { TransactionReceipt } from "ethers";
import { isColorSupported } from "picocolors";
import { describeError, isRefusal, receiptOf, ScenarioSetupError } from "./errors";
import { assignPeople } from "./people";
import { Printer } from "./printer";
import type { ScenarioResult, StepRecord } from "./result";
import { loadSystem, SystemNotImplementedError } from "./systems";
import type { Person, Scenario, ScenarioContext, Step, SystemDriver, SystemModule } from "./types";
import { requireDevelopmentChain } from "../devnet/network";

export interface RunOptions {
  /** Names the file in messages; defaults to the scenario's name. */
  source?: string;
  /** Where the step-by-step account goes, one line at a time; defaults to stdout. Pass `() => {}` for silence. */
  print?: (line: string) => void;
  /** Colour the output; defaults to picocolors' detection of the terminal. */
  color?: boolean;
  /**
   * The system to drive instead of the one registered for `scenario.system`:
   * lets a lesson or a test plug in its own driver. Its `system` must match.
   */
  module?: SystemModule;
}

export { ScenarioSetupError } from "./errors";
export type { ScenarioResult, StepRecord } from "./result";

/**
 * Runs `scenario` on `hre`'s network. Returns the result (ok or not) once the
 * steps ran or one failed; throws `ScenarioSetupError` when the run cannot
 * start (system not implemented, too many people, deploy failed).
 */
export async function runScenario(
  hre: HardhatRuntimeEnvironment,
  scenario: Scenario,
  opts: RunOptions = {},
): Promise<ScenarioResult> {
  const source = opts.source ?? scenario.name;
  const out = new Printer(opts.print ?? ((line) => process.stdout.write(`${line}\n`)), opts.color ?? isColorSupported);

  let module = opts.module;
  try {
    module ??= loadSystem(scenario.system);
  } catch (e) {
    if (e instanceof SystemNotImplementedError) throw new ScenarioSetupError(source, e.message);
    throw new ScenarioSetupError(source, `cannot load the ${scenario.system} system: ${describeError(e)}`);
  }
  if (module.system !== scenario.system) {
    throw new ScenarioSetupError(source, `src/${scenario.system}/scenario.ts exports the ${module.system} module`);
  }

  let people: Map<string, Person>;
  try {
    people = assignPeople(scenario, await hre.ethers.getSigners());
  } catch (e) {
    throw new ScenarioSetupError(source, describeError(e));
  }
  const ctx = makeContext(hre, scenario, people, out);
  const { chainId } = await hre.ethers.provider.getNetwork();

  out.header(scenario.name, scenario.system, scenario.description);
  let driver: SystemDriver;
  let contracts: Record<string, string>;
  try {
    driver = await module.create(ctx);
    contracts = await driver.deploy();
  } catch (e) {
    throw new ScenarioSetupError(source, `deploying the ${scenario.system} system failed: ${describeError(e)}`);
  }
  for (const [name, address] of Object.entries(contracts)) out.detail(`${name} at ${address}`);

  const result: ScenarioResult = {
    name: scenario.name,
    system: scenario.system,
    ok: true,
    network: { name: hre.network.name, chainId: Number(chainId) },
    contracts,
    people: Object.fromEntries([...people].map(([name, p]) => [name, { l1: p.l1Address, l2: p.l2.address }])),
    steps: [],
  };

  for (const [index, step] of scenario.steps.entries()) {
    out.step(index, step);
    const started = Date.now();
    const record = await runStep(driver, step, index);
    const seconds = (Date.now() - started) / 1000;
    out.outcome(record.ok, record.ok ? record.outcome : (record.error ?? record.outcome), record.l1Gas, seconds);
    result.steps.push(record);
    if (!record.ok) {
      result.ok = false;
      out.line(out.c.red(`${source}: step ${index} (${step.do}) failed: ${record.error}`));
      return result;
    }
  }
  out.line(out.c.green(`${source}: all ${scenario.steps.length} steps passed`));
  return result;
}

async function runStep(driver: SystemDriver, step: Step, index: number): Promise<StepRecord> {
  const record: StepRecord = { index, do: step.do, ok: false, outcome: "", l1Gas: null, txs: [], error: null };
  try {
    const { outcome, receipts } = await driver.run(step, index);
    record.outcome = outcome;
    addReceipts(record, receipts);
    if (step.expectRevert) {
      record.error = `expected to be refused, but it succeeded: ${outcome}`;
      return record;
    }
    record.ok = true;
    return record;
  } catch (e) {
    const why = describeError(e);
    const reverted = receiptOf(e);
    if (reverted) addReceipts(record, [reverted]);
    if (step.expectRevert && isRefusal(e)) {
      record.ok = true;
      record.outcome = `refused as expected: ${why}`;
      return record;
    }
    record.outcome = isRefusal(e) ? "refused" : "error";
    record.error = why;
    return record;
  }
}

function addReceipts(record: StepRecord, receipts: Pick<TransactionReceipt, "hash" | "gasUsed">[]): void {
  if (receipts.length === 0) return;
  record.l1Gas = (record.l1Gas ?? 0) + Number(receipts.reduce((sum, r) => sum + r.gasUsed, 0n));
  record.txs.push(...receipts.map((r) => r.hash));
}

function makeContext(
  hre: HardhatRuntimeEnvironment,
  scenario: Scenario,
  people: Map<string, Person>,
  out: Printer,
): ScenarioContext {
  return {
    hre,
    scenario,
    people,
    person(name: string): Person {
      const p = people.get(name);
      if (!p)
        throw new Error(
          `scenario "${scenario.name}": unknown person "${name}" (known: ${[...people.keys()].join(", ")})`,
        );
      return p;
    },
    log(line: string): void {
      out.detail(line);
    },
    async advanceTime(seconds: number): Promise<void> {
      if (!Number.isSafeInteger(seconds) || seconds < 0) {
        throw new RangeError(`advanceTime: seconds must be a whole number ≥ 0, got ${seconds}`);
      }
      await requireDevelopmentChain(hre, "moving L1 time");
      await hre.network.provider.send("evm_increaseTime", [seconds]);
      await hre.network.provider.send("evm_mine", []);
    },
  };
}
