/**
 * Strict validation of scenario files, format v1.1 (summarised in
 * docs/scenarios.md): v1 plus `$schema`, the `depositDeadline`, `signatures`
 * and `posting` params, the `bad-aggregate` fault, the `solvent` and `idle`
 * expectations, `"payout":"latest"` and `attack` steps.
 *
 * Everything is checked before anything touches the chain: each step kind with
 * exactly the fields it allows for its system, faults, amounts, people, params
 * and `expect` shapes. Unknown fields and unknown `do` values are errors, never
 * ignored. The first problem is reported as `<file>: <json path>: <problem>`.
 */
import { readFileSync } from "fs";
import { ETH_AMOUNT_PATTERN } from "./eth";
import { JsonSyntaxError, parseJsonStrict, type JsonValue } from "./json";
import type { Scenario, ScenarioParams, Step, SystemName } from "./types";

export { ethToWei, weiToEth, EthAmountError } from "./eth";

/** A scenario file that does not follow format v1.1; `path` is the JSON path of the first problem. */
export class ScenarioFormatError extends Error {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${source}: ${path}: ${problem}`);
    this.name = "ScenarioFormatError";
  }
}

export const SYSTEMS: readonly SystemName[] = ["optimistic", "zk", "channels"];
export const OPERATOR = "operator";
/** Plain lower-case names: a letter, then letters or digits. */
export const PERSON_PATTERN = /^[a-z][a-z0-9]{0,31}$/;
const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

type Json = JsonValue;
type JsonObject = { [key: string]: Json };

/** What a field holds; each kind has one checker below. */
type FieldKind =
  | "person"
  | "amount"
  | "text"
  | "flag"
  | "seconds"
  | "batchIndex"
  | "txIndex"
  | "deposit"
  | "route"
  | "count"
  | "fault";
type FieldSpec = Record<string, FieldKind>;

interface StepSpec {
  systems: readonly SystemName[];
  required: FieldSpec;
  optional: FieldSpec;
  /** False for steps that send nothing to L1 and so cannot be refused. */
  refusable: boolean;
}

const ROLLUPS: readonly SystemName[] = ["optimistic", "zk"];
const CHANNELS: readonly SystemName[] = ["channels"];
const ALL: readonly SystemName[] = SYSTEMS;

const STEPS: Record<string, StepSpec> = {
  deposit: { systems: ROLLUPS, required: { from: "person", amount: "amount" }, optional: {}, refusable: true },
  transfer: {
    systems: ROLLUPS,
    required: { from: "person", to: "person", amount: "amount" },
    optional: { fee: "amount" },
    refusable: true,
  },
  withdraw: { systems: ROLLUPS, required: { from: "person", amount: "amount" }, optional: {}, refusable: true },
  // `fault` is checked on its own (checkFault): its fields depend on its kind.
  batch: { systems: ROLLUPS, required: {}, optional: {}, refusable: true },
  challenge: {
    systems: ["optimistic"],
    required: { by: "person" },
    optional: { batch: "batchIndex", tx: "txIndex" },
    refusable: true,
  },
  claim: { systems: ROLLUPS, required: { by: "person" }, optional: {}, refusable: true },
  "force-withdraw": { systems: ROLLUPS, required: { from: "person", amount: "amount" }, optional: {}, refusable: true },
  freeze: { systems: ROLLUPS, required: { by: "person" }, optional: {}, refusable: true },
  escape: { systems: ROLLUPS, required: { by: "person" }, optional: {}, refusable: true },
  open: {
    systems: CHANNELS,
    required: { a: "person", b: "person", deposit: "deposit" },
    optional: {},
    refusable: true,
  },
  pay: {
    systems: CHANNELS,
    required: { from: "person", to: "person", amount: "amount" },
    optional: { route: "route", decline: "person", stall: "person" },
    refusable: true,
  },
  close: {
    systems: CHANNELS,
    required: { by: "person", with: "person" },
    optional: { unilateral: "flag", state: "text" },
    refusable: true,
  },
  dispute: { systems: CHANNELS, required: { by: "person", with: "person" }, optional: {}, refusable: true },
  watchtower: { systems: CHANNELS, required: { for: "person", by: "person" }, optional: {}, refusable: true },
  settle: { systems: CHANNELS, required: { a: "person", b: "person" }, optional: {}, refusable: true },
  wait: { systems: ALL, required: { seconds: "seconds" }, optional: {}, refusable: false },
  expect: { systems: ALL, required: {}, optional: {}, refusable: false },
  // `kind` selects the attack and its fields (checkAttack, ATTACKS below).
  attack: { systems: ALL, required: {}, optional: {}, refusable: false },
};

/**
 * Attack kinds (format v1.1): the systems each applies to and its fields
 * besides `kind`, `by`, `note`. In rollups `by` defaults to `operator`; in
 * channels it is required. An attack step holds whether L1 accepts or refuses
 * what it sends, so it takes no `expectRevert`.
 */
interface AttackSpec {
  systems: readonly SystemName[];
  required: FieldSpec;
  optional: FieldSpec;
}
export const ATTACKS: Record<string, AttackSpec> = {
  "self-slash": { systems: ["optimistic"], required: { batches: "count" }, optional: {} },
  "odd-calldata": { systems: ROLLUPS, required: {}, optional: { fault: "fault" } },
  "via-contract": { systems: ROLLUPS, required: {}, optional: { fault: "fault" } },
  "spam-batches": { systems: ROLLUPS, required: { count: "count" }, optional: {} },
  "front-run-challenge": { systems: ["optimistic"], required: {}, optional: {} },
  "front-run-forced": { systems: ROLLUPS, required: { victim: "person" }, optional: {} },
  censor: { systems: ROLLUPS, required: { from: "person" }, optional: {} },
  "off-curve-key": { systems: ["zk"], required: {}, optional: {} },
  "forged-proof": { systems: ["zk"], required: { fault: "fault" }, optional: {} },
  "dodge-penalty": { systems: CHANNELS, required: { with: "person" }, optional: {} },
  "old-cooperative-close": { systems: CHANNELS, required: { with: "person", amount: "amount" }, optional: {} },
  "tower-overload": { systems: CHANNELS, required: { with: "person", channels: "count" }, optional: {} },
  "late-reveal": { systems: CHANNELS, required: { route: "route" }, optional: {} },
  "withhold-revocation": { systems: CHANNELS, required: { with: "person" }, optional: {} },
  "frozen-lock": { systems: CHANNELS, required: { with: "person" }, optional: {} },
};

const FAULTS: Record<string, FieldSpec> = {
  "bad-state-root": {},
  mint: { to: "person", amount: "amount" },
  overdraft: { from: "person", to: "person", amount: "amount" },
  "forged-signature": { from: "person", to: "person", amount: "amount" },
  replay: { from: "person" },
  "skip-deposit": {},
  "fake-exit": { to: "person", amount: "amount" },
  malformed: {},
  "bad-aggregate": { from: "person", to: "person", amount: "amount" },
};

/** Faults that need a param set: the BLS aggregate exists only with `signatures: "bls"`. */
const FAULT_NEEDS: Record<string, { param: "signatures"; value: string }> = {
  "bad-aggregate": { param: "signatures", value: "bls" },
};

type ParamKind = "seconds" | "amount" | "count" | "signatures" | "posting";
const PARAMS: Record<SystemName, Record<string, ParamKind>> = {
  optimistic: {
    challengePeriod: "seconds",
    bond: "amount",
    batchSize: "count",
    forceInclusionDelay: "seconds",
    depositDeadline: "seconds",
    signatures: "signatures",
    posting: "posting",
  },
  zk: { bond: "amount", batchSize: "count", forceInclusionDelay: "seconds", depositDeadline: "seconds" },
  channels: { disputePeriod: "seconds", htlcDelta: "seconds" },
};
const PARAM_CHOICES: Record<"signatures" | "posting", string[]> = {
  signatures: ["ecdsa", "bls"],
  posting: ["calldata", "blob"],
};

type ExpectKind = "balances" | "batch" | "bond" | "frozen" | "channel" | "onchain" | "flag";
const EXPECTS: Record<SystemName, Record<string, ExpectKind>> = {
  optimistic: {
    l2: "balances",
    withdrawn: "balances",
    batch: "batch",
    bond: "bond",
    paid: "balances",
    frozen: "frozen",
    solvent: "flag",
  },
  zk: { l2: "balances", withdrawn: "balances", batch: "batch", bond: "bond", frozen: "frozen", solvent: "flag" },
  channels: { channel: "channel", onchain: "onchain", solvent: "flag", idle: "flag" },
};

const BATCH_STATUSES = ["pending", "final", "rolled-back"];
const BOND_STATUSES = ["bonded", "slashed"];
const CHANNEL_STATUSES = ["open", "closing", "settled"];
const CLOSE_STATES = ["latest", "stale"];
const TOP_FIELDS = ["$schema", "name", "description", "system", "params", "steps"];

/** Parses and validates scenario text; `source` names the file in error messages. */
export function parseScenario(text: string, source: string): Scenario {
  let json: Json;
  try {
    json = parseJsonStrict(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new ScenarioFormatError(source, `line ${e.line}, column ${e.column}`, `malformed JSON: ${e.problem}`);
    }
    throw e;
  }
  return new Validator(source).scenario(json);
}

/** Reads and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ScenarioFormatError(path, "(file)", `cannot read it: ${(e as Error).message}`);
  }
  return parseScenario(text, path);
}

/**
 * Every person the scenario names, in order of first appearance in the file
 * (fields in the order written, steps in order), `operator` first for rollups.
 */
export function peopleInFileOrder(scenario: Scenario): string[] {
  const seen = new Set<string>(ROLLUPS.includes(scenario.system) ? [OPERATOR] : []);
  for (const step of scenario.steps) for (const name of peopleOfStep(step)) seen.add(name);
  return [...seen];
}

/** The people one step names, in the order its fields are written. */
export function peopleOfStep(step: Step): string[] {
  const out: string[] = [];
  const walk = (key: string, value: unknown): void => {
    if (key === "do" || key === "note" || key === "kind" || key === "status" || key === "state") return;
    if (typeof value === "string" && PERSON_KEYS.has(key)) out.push(value);
    else if (Array.isArray(value)) {
      for (const v of value) if (typeof v === "string" && (key === "route" || key === "between")) out.push(v);
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (NAME_KEYED.has(key)) out.push(k);
        else walk(k, v);
      }
    }
  };
  for (const [k, v] of Object.entries(step)) walk(k, v);
  return out;
}

const PERSON_KEYS = new Set(["from", "to", "by", "a", "b", "with", "for", "decline", "stall", "victim"]);
/** Objects whose keys are people: `{"alice":"1"}`. */
const NAME_KEYED = new Set(["deposit", "l2", "withdrawn", "paid", "balances", "payout"]);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value as an error shows it: strings quoted, other types named. */
function quoted(v: Json | undefined): string {
  if (v === undefined) return "nothing";
  return typeof v === "string" ? JSON.stringify(v) : describe(v);
}

function describe(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

class Validator {
  private system: SystemName = "optimistic";
  private paramValues: Record<string, unknown> = {};
  /** People named by the steps checked so far (and `operator` in rollups). */
  private seen = new Set<string>();

  constructor(private readonly source: string) {}

  private fail(path: string, problem: string): never {
    throw new ScenarioFormatError(this.source, path, problem);
  }

  scenario(json: Json): Scenario {
    if (!isObject(json)) this.fail("(top level)", `must be a JSON object, got ${describe(json)}`);
    for (const key of Object.keys(json)) {
      if (!TOP_FIELDS.includes(key)) this.fail(key, `unknown field (allowed: ${TOP_FIELDS.join(", ")})`);
    }
    for (const key of ["name", "description", "system", "steps"]) {
      if (!(key in json)) this.fail(key, "missing");
    }
    if ("$schema" in json) this.text(json.$schema, "$schema"); // for editors; its value is not used
    const name = this.text(json.name, "name");
    if (!NAME_PATTERN.test(name)) this.fail("name", `must be short-kebab-case, got ${JSON.stringify(name)}`);
    const description = this.text(json.description, "description");
    const system = json.system;
    if (typeof system !== "string" || !SYSTEMS.includes(system as SystemName)) {
      this.fail("system", `unknown system ${quoted(system)} (known: ${SYSTEMS.join(", ")})`);
    }
    this.system = system as SystemName;
    if (ROLLUPS.includes(this.system)) this.seen.add(OPERATOR);
    const params = json.params === undefined ? {} : this.params(json.params);
    if (!Array.isArray(json.steps)) this.fail("steps", `must be an array of steps, got ${describe(json.steps)}`);
    if (json.steps.length === 0) this.fail("steps", "must list at least one step");
    this.paramValues = params as Record<string, unknown>;
    const steps = json.steps.map((s, i) => this.step(s, `steps[${i}]`));
    return { name, description, system: this.system, params, steps };
  }

  private params(json: Json): ScenarioParams {
    if (!isObject(json)) this.fail("params", `must be an object, got ${describe(json)}`);
    const allowed = PARAMS[this.system];
    const out: Record<string, number | string> = {};
    for (const [key, value] of Object.entries(json)) {
      const path = `params.${key}`;
      const kind = allowed[key];
      if (!kind) {
        this.fail(path, `not a parameter of the ${this.system} system (allowed: ${Object.keys(allowed).join(", ")})`);
      }
      if (kind === "amount") out[key] = this.amount(value, path);
      else if (kind === "signatures" || kind === "posting") {
        this.oneOf(value, path, PARAM_CHOICES[kind]);
        out[key] = value as string;
      } else if (kind === "seconds") out[key] = this.integer(value, path, 1, "a whole number of seconds, at least 1");
      else out[key] = this.integer(value, path, 1, "a whole number, at least 1");
    }
    return out as ScenarioParams;
  }

  private step(json: Json, path: string): Step {
    if (!isObject(json)) this.fail(path, `must be an object with a "do" field, got ${describe(json)}`);
    if (!("do" in json)) this.fail(`${path}.do`, "missing");
    const kind = json.do;
    if (typeof kind !== "string") this.fail(`${path}.do`, `must be a string, got ${describe(kind)}`);
    const spec = STEPS[kind];
    if (!spec) {
      const known = Object.keys(STEPS).filter((k) => STEPS[k].systems.includes(this.system));
      this.fail(`${path}.do`, `unknown step ${JSON.stringify(kind)} (known for ${this.system}: ${known.join(", ")})`);
    }
    if (!spec.systems.includes(this.system)) {
      const why = kind === "challenge" && this.system === "zk" ? ": zk batches are proven valid, never challenged" : "";
      this.fail(`${path}.do`, `"${kind}" is not a step of the ${this.system} system${why}`);
    }
    if (kind === "attack") {
      this.attack(json, path);
      for (const name of peopleOfStep(json as Step)) this.seen.add(name);
      return json as Step;
    }
    const fields: FieldSpec = { ...spec.required, ...spec.optional };
    const allowed = [...Object.keys(fields), ...(kind === "batch" ? ["fault"] : []), "note", "expectRevert"];
    for (const [key, value] of Object.entries(json)) {
      const at = `${path}.${key}`;
      if (key === "do") continue;
      if (kind === "expect") {
        if (key === "note") this.text(value, at);
        else if (key === "expectRevert") {
          if (typeof value !== "boolean") this.fail(at, `must be true or false, got ${describe(value)}`);
          if (value) this.fail(at, "an expect sends nothing to L1, so it cannot be refused: remove expectRevert");
        }
        continue; // the expect keys are checked below, once the whole step is known
      }
      if (key === "note") this.text(value, at);
      else if (key === "expectRevert") {
        if (typeof value !== "boolean") this.fail(at, `must be true or false, got ${describe(value)}`);
        if (value && !spec.refusable) this.fail(at, `a ${kind} step cannot be refused: remove expectRevert`);
      } else if (key === "fault" && kind === "batch") this.fault(value, at);
      else if (fields[key]) this.field(fields[key], value, at);
      else this.fail(at, `unknown field of "${kind}" (allowed: ${allowed.join(", ")})`);
    }
    for (const key of Object.keys(spec.required)) {
      if (!(key in json)) {
        this.fail(`${path}.${key}`, `missing: "${kind}" needs ${Object.keys(spec.required).join(", ")}`);
      }
    }
    if (kind === "expect") this.expect(json, path);
    else this.crossCheck(kind, json, path);
    for (const name of peopleOfStep(json as Step)) this.seen.add(name);
    return json as Step;
  }

  private field(kind: FieldKind, value: Json, path: string): void {
    switch (kind) {
      case "person":
        this.person(value, path);
        return;
      case "amount":
        this.amount(value, path);
        return;
      case "text":
        this.text(value, path);
        return;
      case "flag":
        if (typeof value !== "boolean") this.fail(path, `must be true or false, got ${describe(value)}`);
        return;
      case "seconds":
        this.integer(value, path, 1, "a whole number of seconds, at least 1");
        return;
      case "batchIndex":
        this.integer(value, path, 1, "a batch number (batches are numbered from 1)");
        return;
      case "txIndex":
        this.integer(value, path, 0, "a transaction index within the batch (from 0)");
        return;
      case "deposit":
        this.nameKeyedAmounts(value, path, false);
        return;
      case "count":
        this.integer(value, path, 1, "a whole number, at least 1");
        return;
      case "fault":
        this.fault(value, path);
        return;
      case "route":
        if (!Array.isArray(value)) this.fail(path, `must be an array of people, got ${describe(value)}`);
        if (value.length < 3) this.fail(path, "a route names the payer, at least one hop and the payee");
        value.forEach((v, i) => this.person(v, `${path}[${i}]`));
        return;
    }
  }

  private crossCheck(kind: string, step: JsonObject, path: string): void {
    const distinct = (x: string, y: string): void => {
      if (step[x] === step[y])
        this.fail(`${path}.${y}`, `must name someone other than ${x} (${JSON.stringify(step[x])})`);
    };
    if (kind === "open") {
      distinct("a", "b");
      const deposit = step.deposit as JsonObject;
      for (const key of Object.keys(deposit)) {
        if (key !== step.a && key !== step.b) {
          this.fail(
            `${path}.deposit.${key}`,
            `names someone who is not in this channel (a: "${step.a}", b: "${step.b}")`,
          );
        }
      }
      for (const side of [step.a, step.b] as string[]) {
        if (!(side in deposit))
          this.fail(`${path}.deposit.${side}`, 'missing: give each side a deposit ("0" for none)');
      }
    }
    if (kind === "settle") distinct("a", "b");
    if (kind === "close" || kind === "dispute") distinct("by", "with");
    if (kind === "watchtower") distinct("for", "by");
    if (kind === "close" && "state" in step) {
      if (!CLOSE_STATES.includes(step.state as string)) {
        this.fail(`${path}.state`, `must be one of ${CLOSE_STATES.join(", ")}, got ${describe(step.state)}`);
      }
      if (step.unilateral !== true)
        this.fail(`${path}.state`, 'only a unilateral close picks a state: add "unilateral": true');
    }
    if (kind === "pay") {
      distinct("from", "to");
      const route = step.route as string[] | undefined;
      if (route) {
        if (route[0] !== step.from) this.fail(`${path}.route[0]`, `must be the payer "${step.from}"`);
        const last = route.length - 1;
        if (route[last] !== step.to) this.fail(`${path}.route[${last}]`, `must be the payee "${step.to}"`);
        route.forEach((name, i) => {
          if (route.indexOf(name) !== i) this.fail(`${path}.route[${i}]`, `"${name}" appears twice in the route`);
        });
      }
      for (const key of ["decline", "stall"]) {
        if (!(key in step)) continue;
        if (!route)
          this.fail(
            `${path}.${key}`,
            `only a routed payment can be ${key === "decline" ? "declined" : "stalled"} by a node: add "route"`,
          );
        const name = step[key] as string;
        if (!route.includes(name) || name === step.from) {
          this.fail(`${path}.${key}`, `must name a node of the route after the payer, got "${name}"`);
        }
      }
      if ("decline" in step && "stall" in step)
        this.fail(`${path}.stall`, "a payment is either declined or stalled, not both");
    }
    if (kind === "challenge" && "batch" in step !== "tx" in step) {
      this.fail(`${path}.${"batch" in step ? "tx" : "batch"}`, "missing: a targeted challenge names both batch and tx");
    }
  }

  private fault(json: Json, path: string): void {
    if (!isObject(json)) this.fail(path, `must be an object with a "kind", got ${describe(json)}`);
    if (!("kind" in json)) this.fail(`${path}.kind`, "missing");
    const kind = json.kind;
    const spec = typeof kind === "string" ? FAULTS[kind] : undefined;
    if (!spec)
      this.fail(`${path}.kind`, `unknown fault kind ${quoted(kind)} (known: ${Object.keys(FAULTS).join(", ")})`);
    for (const [key, value] of Object.entries(json)) {
      if (key === "kind") continue;
      const fieldKind = spec[key];
      const allowed = Object.keys(spec);
      if (!fieldKind) {
        this.fail(
          `${path}.${key}`,
          `unknown field of the "${kind}" fault (${allowed.length ? `allowed: ${allowed.join(", ")}` : "it takes no other fields"})`,
        );
      }
      this.field(fieldKind, value, `${path}.${key}`);
    }
    for (const key of Object.keys(spec)) {
      if (!(key in json))
        this.fail(`${path}.${key}`, `missing: the "${kind}" fault needs ${Object.keys(spec).join(", ")}`);
    }
    const needs = FAULT_NEEDS[kind as string];
    if (needs && (this.system !== "optimistic" || this.paramValues[needs.param] !== needs.value)) {
      this.fail(
        `${path}.kind`,
        `the "${kind}" fault needs an optimistic scenario with params.${needs.param} "${needs.value}"`,
      );
    }
  }

  /** `{"do":"attack","kind":...,"by":...}`: the kind decides the other fields (ATTACKS). */
  private attack(json: JsonObject, path: string): void {
    if (!("kind" in json)) this.fail(`${path}.kind`, "missing: an attack names its kind");
    const kind = json.kind;
    const known = Object.keys(ATTACKS).filter((k) => ATTACKS[k].systems.includes(this.system));
    const spec = typeof kind === "string" ? ATTACKS[kind] : undefined;
    if (!spec)
      this.fail(`${path}.kind`, `unknown attack kind ${quoted(kind)} (known for ${this.system}: ${known.join(", ")})`);
    if (!spec.systems.includes(this.system)) {
      this.fail(`${path}.kind`, `"${kind}" is not an attack on the ${this.system} system (known: ${known.join(", ")})`);
    }
    const fields: FieldSpec = { by: "person", ...spec.required, ...spec.optional };
    const allowed = ["kind", ...Object.keys(fields), "note"];
    for (const [key, value] of Object.entries(json)) {
      const at = `${path}.${key}`;
      if (key === "do" || key === "kind") continue;
      if (key === "note") this.text(value, at);
      else if (key === "expectRevert") {
        this.fail(at, "an attack step holds whether L1 accepts or refuses it; the steps after it judge the outcome");
      } else if (fields[key]) this.field(fields[key], value, at);
      else this.fail(at, `unknown field of the "${kind}" attack (allowed: ${allowed.join(", ")})`);
    }
    const required = CHANNELS.includes(this.system) ? { by: "person", ...spec.required } : spec.required;
    for (const key of Object.keys(required)) {
      if (!(key in json))
        this.fail(`${path}.${key}`, `missing: the "${kind}" attack needs ${Object.keys(required).join(", ")}`);
    }
    const by = (json.by as string | undefined) ?? OPERATOR;
    for (const key of ["with", "victim", "from"]) {
      if (key in json && json[key] === by)
        this.fail(`${path}.${key}`, `must name someone other than the attacker "${by}"`);
    }
    if (kind === "late-reveal") {
      const route = json.route as string[];
      route.forEach((name, i) => {
        if (route.indexOf(name) !== i) this.fail(`${path}.route[${i}]`, `"${name}" appears twice in the route`);
      });
    }
  }

  private expect(step: JsonObject, path: string): void {
    const known = EXPECTS[this.system];
    let checks = 0;
    for (const [key, value] of Object.entries(step)) {
      if (key === "do" || key === "note") continue;
      const at = `${path}.${key}`;
      const kind = known[key];
      if (!kind)
        this.fail(at, `unknown expect key for the ${this.system} system (known: ${Object.keys(known).join(", ")})`);
      checks++;
      switch (kind) {
        case "balances":
          this.nameKeyedAmounts(value, at, true);
          break;
        case "batch": {
          this.exactObject(value, at, ["index", "status"], ["index", "status"]);
          const batch = value as JsonObject;
          this.integer(batch.index, `${at}.index`, 1, "a batch number (batches are numbered from 1)");
          this.oneOf(batch.status, `${at}.status`, BATCH_STATUSES);
          break;
        }
        case "bond":
          this.exactObject(value, at, ["status"], ["status"]);
          this.oneOf((value as JsonObject).status, `${at}.status`, BOND_STATUSES);
          break;
        case "frozen":
        case "flag":
          if (typeof value !== "boolean") this.fail(at, `must be true or false, got ${describe(value)}`);
          break;
        case "channel":
        case "onchain": {
          const detail = kind === "channel" ? ["status", "balances"] : ["payout"];
          this.exactObject(value, at, ["between", ...detail], ["between"]);
          const obj = value as JsonObject;
          const between = this.between(obj.between, `${at}.between`);
          if (!detail.some((k) => k in obj)) this.fail(at, `checks nothing: add ${detail.join(" or ")}`);
          if ("status" in obj) this.oneOf(obj.status, `${at}.status`, CHANNEL_STATUSES);
          for (const k of ["balances", "payout"]) {
            if (!(k in obj)) continue;
            if (k === "payout" && obj[k] === "latest") continue; // v1.1: what the newest co-signed state gives each side
            this.nameKeyedAmounts(obj[k], `${at}.${k}`, true);
            for (const name of Object.keys(obj[k] as JsonObject)) {
              if (!between.includes(name)) {
                this.fail(`${at}.${k}.${name}`, `"${name}" is not in this channel (between: ${between.join(", ")})`);
              }
            }
          }
          break;
        }
      }
    }
    if (checks === 0) this.fail(path, `checks nothing (known keys: ${Object.keys(known).join(", ")})`);
  }

  private between(value: Json | undefined, path: string): string[] {
    if (!Array.isArray(value) || value.length !== 2) this.fail(path, "must name the two people of the channel");
    value.forEach((v, i) => this.knownPerson(v, `${path}[${i}]`));
    if (value[0] === value[1]) this.fail(`${path}[1]`, "must differ from between[0]");
    return value as string[];
  }

  private exactObject(value: Json, path: string, allowed: string[], required: string[]): void {
    if (!isObject(value)) this.fail(path, `must be an object, got ${describe(value)}`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unknown field (allowed: ${allowed.join(", ")})`);
    }
    for (const key of required) if (!(key in value)) this.fail(`${path}.${key}`, "missing");
  }

  private oneOf(value: Json | undefined, path: string, options: string[]): void {
    if (typeof value !== "string" || !options.includes(value)) {
      this.fail(path, `must be one of ${options.join(", ")}, got ${value === undefined ? "nothing" : describe(value)}`);
    }
  }

  /** `{"alice":"1","bob":"0.5"}`; in an expect, every name must already appear in an earlier step. */
  private nameKeyedAmounts(value: Json, path: string, inExpect: boolean): void {
    if (!isObject(value)) this.fail(path, `must be an object of person → ETH amount, got ${describe(value)}`);
    if (Object.keys(value).length === 0) this.fail(path, "names nobody");
    for (const [name, amount] of Object.entries(value)) {
      const at = `${path}.${name}`;
      if (inExpect) this.knownPerson(name, at);
      else this.person(name, at);
      this.amount(amount, at);
    }
  }

  private knownPerson(value: Json, path: string): string {
    const name = this.person(value, path);
    if (!this.seen.has(name)) this.fail(path, `"${name}" appears in no step before this expect`);
    return name;
  }

  private person(value: Json, path: string): string {
    if (typeof value !== "string") this.fail(path, `must be a person's name, got ${describe(value)}`);
    if (!PERSON_PATTERN.test(value)) {
      this.fail(path, `not a plain lower-case name (${JSON.stringify(value)}): use letters and digits, like "alice"`);
    }
    if (value === OPERATOR && !ROLLUPS.includes(this.system)) {
      this.fail(path, `"operator" is reserved for the rollups' operator; a ${this.system} scenario has none`);
    }
    return value;
  }

  private amount(value: Json, path: string): string {
    if (typeof value !== "string") {
      this.fail(path, `must be a decimal ETH amount in quotes (like "0.25"), got ${describe(value)}`);
    }
    if (!ETH_AMOUNT_PATTERN.test(value)) {
      const decimals = /^[0-9]+\.([0-9]+)$/.exec(value)?.[1].length ?? 0;
      const why = decimals > 18 ? `: ${decimals} decimals, at most 18` : "";
      this.fail(path, `not a decimal ETH amount (${JSON.stringify(value)})${why}`);
    }
    return value;
  }

  private text(value: Json | undefined, path: string): string {
    if (typeof value !== "string")
      this.fail(path, `must be a string, got ${value === undefined ? "nothing" : describe(value)}`);
    if (value.trim() === "") this.fail(path, "must not be empty");
    return value;
  }

  private integer(value: Json | undefined, path: string, min: number, what: string): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      this.fail(path, `must be ${what}, got ${value === undefined ? "nothing" : describe(value)}`);
    }
    return value;
  }
}
