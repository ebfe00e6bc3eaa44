/**
 * How the runner tells an expected refusal from a bug.
 *
 * `expectRevert` accepts only a refusal: a `StepRefusedError` from a driver,
 * or an L1 revert as ethers (CALL_EXCEPTION) or Hardhat ("VM Exception ...
 * reverted ...") reports it. Anything else, a TypeError for instance, is a bug
 * in the system or the runner and must fail the scenario even under
 * `expectRevert`, or a broken driver would pass every "must fail" step.
 */
import { ExpectationError, StepRefusedError } from "./types";

/** Setting up a run failed before its first step (system missing, too many people, deploy reverted). */
export class ScenarioSetupError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
    this.name = "ScenarioSetupError";
  }
}

const REVERT_PATTERN =
  /VM Exception while processing transaction|reverted with (custom error|reason string|panic code|an unrecognized custom error)|Transaction reverted|execution reverted/;

const BUG_CLASSES = [TypeError, ReferenceError, RangeError, SyntaxError];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  shortMessage?: unknown;
  cause?: unknown;
  receipt?: unknown;
}

/** True when `error` is the operator or a contract refusing the step. */
export function isRefusal(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    if (current instanceof ExpectationError) return false;
    if (BUG_CLASSES.some((c) => current instanceof c)) return false;
    const e = current as ErrorLike;
    // By name too: a driver compiled against another copy of types.ts still counts.
    if (current instanceof StepRefusedError || e.name === "StepRefusedError") return true;
    if (e.code === "CALL_EXCEPTION") return true;
    if (typeof e.message === "string" && REVERT_PATTERN.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}

/** One line that says why: ethers' short message when it has one, else the first line of the message. */
export function describeError(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as ErrorLike;
    const text = typeof e.shortMessage === "string" ? e.shortMessage : typeof e.message === "string" ? e.message : "";
    // Hardhat's prefix says nothing a reader of the step needs.
    const line = text
      .split("\n")[0]
      .replace(/^VM Exception while processing transaction: /, "")
      .trim();
    const name = typeof e.name === "string" && e.name !== "Error" ? e.name : "";
    if (line) return BUG_CLASSES.some((c) => error instanceof c) ? `${name}: ${line}` : line;
    if (name) return name;
  }
  return String(error);
}

/** The receipt of a mined transaction that reverted, when the error carries one (ethers CALL_EXCEPTION). */
export function receiptOf(error: unknown): { hash: string; gasUsed: bigint } | null {
  const r = (error as ErrorLike | null)?.receipt as { hash?: unknown; gasUsed?: unknown } | undefined;
  if (r && typeof r.hash === "string" && typeof r.gasUsed === "bigint") return { hash: r.hash, gasUsed: r.gasUsed };
  return null;
}
