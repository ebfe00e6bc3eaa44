/**
 * The mocha reporter of `npm run lesson -- N`: mocha's usual spec output, then a summary in plain words.
 * The learner's checks (the `(exercise)` block) are counted apart from the reference solution's, and every
 * check of theirs that is not passing yet is listed with why: not written yet, or failing with what it
 * expected.
 */
import Mocha from "mocha";

export type Outcome = "passed" | "failed" | "pending";

export interface CheckResult {
  /** "01-rollup-state" */
  lesson: string;
  block: "exercise" | "solution";
  /** The exercise function the check is about ("computeRoot"), from its describe. */
  exercise: string;
  title: string;
  outcome: Outcome;
  error?: string;
}

/** Every check of the last run, in order; tasks/lesson.ts reads it after mocha ends. */
export const results: CheckResult[] = [];

const LESSON_TITLE = /^# lesson (\S+) \((exercise|solution)\)$/;

function record(test: Mocha.Test, outcome: Outcome, error?: Error): void {
  const titles = test.titlePath();
  const top = titles.findIndex((t) => LESSON_TITLE.test(t));
  if (top < 0) return;
  const [, lesson, block] = LESSON_TITLE.exec(titles[top])!;
  const exercise = (titles[top + 1] ?? "").replace(/^# /, "");
  results.push({
    lesson,
    block: block as CheckResult["block"],
    exercise,
    title: test.title,
    outcome,
    error: error ? plainError(error) : undefined,
  });
}

/**
 * One line a learner can act on. From a fast-check failure, the check's own error (fast-check keeps it as
 * `cause`), which names the failing input; from chai, the message without a truncated
 * "expected '0x7b14…' to equal '0x0a73…'" or a bare "expected false to equal true" tail when the check
 * wrote a message of its own.
 */
export function plainError(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Error) && error.message.startsWith("Property failed")) {
    // A property that returned false: fast-check's counterexample is the failing input.
    const input = /Counterexample: (.*)/.exec(error.message)?.[1];
    return input ? `fails for the input ${input}` : "fails for a generated input";
  }
  const message = cause instanceof Error ? cause.message : error.message;
  let line = message.split("\n").find((l) => l.trim() !== "") ?? message;
  // chai's own words add nothing to the check's message when they are a boolean or cut short ("0x7b14…").
  const tail = line.lastIndexOf(": expected ");
  if (tail > 0 && /…|expected (true|false) to (equal|be) (true|false)$/.test(line.slice(tail))) {
    line = line.slice(0, tail);
  }
  return line.trim();
}

export default class LessonReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    results.length = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => record(test, "passed"));
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error) => {
      // A failing hook reports as a test; only real checks count.
      if (test.type === "test") record(test as Mocha.Test, "failed", error);
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => record(test, "pending"));
  }
}

function count(list: CheckResult[], outcome: Outcome): number {
  return list.filter((r) => r.outcome === outcome).length;
}

/** The summary, one line per point: counts per block, then what is still missing. */
export function summarize(lesson: string, all: readonly CheckResult[]): string[] {
  const mine = all.filter((r) => r.lesson === lesson && r.block === "exercise");
  const reference = all.filter((r) => r.lesson === lesson && r.block === "solution");
  const lines = [`Lesson ${lesson}`];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    `  your exercise.ts: ${count(mine, "passed")} of ${plural(mine.length, "check")} pass, ` +
      `${count(mine, "failed")} fail, ${count(mine, "pending")} wait for your code`,
  );
  lines.push(`  reference solution.ts: ${count(reference, "passed")} of ${plural(reference.length, "check")} pass`);
  if (count(reference, "passed") !== reference.length) {
    lines.push("  The reference solution fails a check: the lesson itself is broken here, not your code.");
  }
  const missing = mine.filter((r) => r.outcome !== "passed");
  if (mine.length > 0 && missing.length === 0) {
    lines.push("Done: every check of yours passes.");
    return lines;
  }
  lines.push("Still missing:");
  const byExercise = new Map<string, CheckResult[]>();
  for (const r of missing) byExercise.set(r.exercise, [...(byExercise.get(r.exercise) ?? []), r]);
  for (const [exercise, checks] of byExercise) {
    if (checks.every((c) => c.outcome === "pending")) {
      lines.push(
        `  - ${exercise}: not written yet (it still throws NotYetImplemented; ${plural(checks.length, "check")} ${checks.length === 1 ? "waits" : "wait"} for it)`,
      );
      continue;
    }
    for (const c of checks) {
      lines.push(
        c.outcome === "pending"
          ? `  - ${exercise}: "${c.title}" waits for your code`
          : `  - ${exercise}: "${c.title}" fails: ${c.error ?? "no message"}`,
      );
    }
  }
  return lines;
}

/**
 * What CI proves of a lesson: the reference passes every check, and the untouched exercise passes none
 * (each is pending or fails), so every check depends on the learner's code. Empty when both hold.
 */
export function unsolvableBothWays(lesson: string, all: readonly CheckResult[]): string[] {
  const mine = all.filter((r) => r.lesson === lesson && r.block === "exercise");
  const reference = all.filter((r) => r.lesson === lesson && r.block === "solution");
  const problems: string[] = [];
  if (reference.length === 0) problems.push(`${lesson}: no check ran against the reference solution`);
  if (mine.length !== reference.length) {
    problems.push(`${lesson}: ${mine.length} checks of the exercise against ${reference.length} of the solution`);
  }
  for (const r of reference) {
    if (r.outcome !== "passed") problems.push(`${lesson} (solution): "${r.title}" ${r.outcome}: ${r.error ?? ""}`);
  }
  for (const r of mine) {
    if (r.outcome === "passed") {
      problems.push(`${lesson} (exercise): "${r.title}" passes with the untouched exercise: it checks nothing of it`);
    }
  }
  return problems;
}
