/**
 * Strict validation of scenario files, format v1.1 (summarised in
 * docs/scenarios.md): v1 plus `$schema`, the `depositDeadline`, `signatures`
 * and `posting` params, the `bad-aggregate` fault, the `solvent` and `idle`
 * expectations, `"payout":"latest"` and `attack` steps.
 *
 * Everything is checked before anything touches the chain, against the one
 * definition of the format in schema.ts (which also generates the JSON Schema
 * editors use). Unknown fields and unknown `do` values are errors, never
 * ignored. Every problem is reported, in the order the file is written, each
 * as `<json path>: <problem>`.
 */
import { readFileSync } from "fs";
import type { z } from "zod/v4";
import { JsonSyntaxError, parseJsonStrict, type JsonValue } from "./json";
import { OPERATOR, peopleOfStep as peopleOfStepObject, scenarioSchema } from "./schema";
import type { Scenario, ScenarioParams, Step, SystemName } from "./types";

export { ethToWei, weiToEth, EthAmountError } from "./eth";
export { ATTACKS, JSON_SCHEMA_PATH, OPERATOR, PERSON_PATTERN, SYSTEMS, scenarioJsonSchema } from "./schema";

/** One problem of a scenario file: the JSON path (`steps[3].amount`) and what is wrong there. */
export interface ScenarioProblem {
  path: string;
  problem: string;
}

/**
 * A scenario file that does not follow format v1.1. `problems` lists every
 * problem in file order; `path` and `problem` are the first of them. It may
 * also be built from one path and problem, as before every problem was kept.
 */
export class ScenarioFormatError extends Error {
  readonly problems: readonly ScenarioProblem[];
  readonly path: string;
  readonly problem: string;

  constructor(
    readonly source: string,
    problems: readonly ScenarioProblem[] | string,
    problem?: string,
  ) {
    const list = typeof problems === "string" ? [{ path: problems, problem: problem ?? "" }] : problems;
    const lines = list.map((p) => `${p.path}: ${p.problem}`);
    super(
      list.length === 1
        ? `${source}: ${lines[0]}`
        : `${source}: ${list.length} problems\n${lines.map((l) => `  ${l}`).join("\n")}`,
    );
    this.name = "ScenarioFormatError";
    this.problems = list;
    this.path = list[0].path;
    this.problem = list[0].problem;
  }
}

/** Parses and validates scenario text; `source` names the file in error messages. */
export function parseScenario(text: string, source: string): Scenario {
  let json: JsonValue;
  try {
    json = parseJsonStrict(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new ScenarioFormatError(source, [
        { path: `line ${e.line}, column ${e.column}`, problem: `malformed JSON: ${e.problem}` },
      ]);
    }
    throw e;
  }
  return validateScenario(json, source);
}

/** Validates an already parsed scenario; throws `ScenarioFormatError` with every problem. */
export function validateScenario(json: unknown, source: string): Scenario {
  const problems = scenarioProblems(json);
  if (problems.length > 0) throw new ScenarioFormatError(source, problems);
  // The file as written, not zod's copy: the order of fields decides who gets which account.
  const file = json as {
    name: string;
    description: string;
    system: SystemName;
    params?: ScenarioParams;
    steps: Step[];
  };
  return {
    name: file.name,
    description: file.description,
    system: file.system,
    params: file.params ?? {},
    steps: file.steps,
  };
}

/** Every problem of a parsed scenario, in the order the file is written; empty when it is valid. */
export function scenarioProblems(json: unknown): ScenarioProblem[] {
  const result = scenarioSchema.safeParse(json);
  if (result.success) return [];
  const found: { at: (string | number)[]; problem: string }[] = [];
  for (const issue of result.error.issues) collect(issue, [], json, found);
  found.sort((x, y) => compareInFile(json, x.at, y.at));
  const seen = new Set<string>();
  const out: ScenarioProblem[] = [];
  for (const { at, problem } of found) {
    const p = { path: pathText(at), problem };
    const key = `${p.path}\n${p.problem}`;
    if (!seen.has(key)) out.push(p);
    seen.add(key);
  }
  return out;
}

/** Flattens one zod issue into problems: one per unknown key, record keys and unions opened up. */
function collect(
  issue: z.core.$ZodIssue,
  prefix: (string | number)[],
  root: unknown,
  out: { at: (string | number)[]; problem: string }[],
): void {
  const at = [...prefix, ...(issue.path as (string | number)[])];
  if (issue.code === "unrecognized_keys") {
    for (const key of issue.keys) out.push({ at: [...at, key], problem: issue.message });
    return;
  }
  if (issue.code === "invalid_key") {
    for (const inner of issue.issues) collect(inner, at, root, out);
    return;
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0 && isObject(valueAt(root, at))) {
    // `"latest"` or an object: for an object, the object's own problems say more.
    const branch = issue.errors.find((errors) => errors.some((e) => e.path.length > 0 || e.code !== "invalid_type"));
    if (branch) {
      for (const inner of branch) collect(inner, at, root, out);
      return;
    }
  }
  out.push({ at, problem: issue.message });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** `steps[3].fault.kind`; the whole file is `(top level)`. */
function pathText(path: (string | number)[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${key}` : key;
  return out || "(top level)";
}

/** Orders two paths as their places in the file: by key order, absent keys after present ones. */
function compareInFile(root: unknown, a: (string | number)[], b: (string | number)[]): number {
  let v = root;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const rank = (key: string | number): number => {
        if (typeof key === "number") return key;
        const keys = isObject(v) ? Object.keys(v) : [];
        const at = keys.indexOf(key);
        return at < 0 ? keys.length : at;
      };
      return rank(a[i]) - rank(b[i]) || String(a[i]).localeCompare(String(b[i]));
    }
    v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[a[i]] : undefined;
  }
  return a.length - b.length;
}

/** Reads and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ScenarioFormatError(path, [{ path: "(file)", problem: `cannot read it: ${(e as Error).message}` }]);
  }
  return parseScenario(text, path);
}

/**
 * Every person the scenario names, in order of first appearance in the file
 * (fields in the order written, steps in order), `operator` first for rollups.
 */
export function peopleInFileOrder(scenario: Scenario): string[] {
  const seen = new Set<string>(scenario.system !== "channels" ? [OPERATOR] : []);
  for (const step of scenario.steps) for (const name of peopleOfStep(step)) seen.add(name);
  return [...seen];
}

/** The people one step names, in the order its fields are written. */
export function peopleOfStep(step: Step): string[] {
  return peopleOfStepObject(step);
}
