/**
 * Scenario format v1.1 as one zod definition (docs/scenarios.md).
 *
 * The same definition does two jobs: `scenarioSchema.safeParse` checks a file
 * at run time and reports every problem with its JSON path (validate.ts turns
 * zod's issues into `<path>: <problem>` lines), and `scenarioJsonSchema()`
 * turns it into the JSON Schema committed as schema/scenario.schema.json, so
 * an editor checks a file while it is typed. Rules that span fields (people
 * named before an `expect` reads them, a route that starts at the payer, the
 * `bad-aggregate` fault only with BLS signatures) are zod refinements; where
 * JSON Schema can say the same (`dependentRequired`, `if`/`then`), the
 * definition carries it as metadata, which the generator copies.
 *
 * Every message names the problem the way an instructor editing the file by
 * hand needs it: what was expected and what the file holds.
 */
import { z } from "zod/v4";
import { ETH_AMOUNT_PATTERN } from "./eth";
import type { SystemName } from "./types";

export const SYSTEMS: readonly SystemName[] = ["optimistic", "zk", "channels"];
export const OPERATOR = "operator";
/** Plain lower-case names: a letter, then letters or digits. */
export const PERSON_PATTERN = /^[a-z][a-z0-9]{0,31}$/;
const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Where the committed JSON Schema lives, relative to the repository root. */
export const JSON_SCHEMA_PATH = "schema/scenario.schema.json";

const ROLLUPS: readonly SystemName[] = ["optimistic", "zk"];
const CHANNELS: readonly SystemName[] = ["channels"];

/** A value as a message shows it: strings quoted, other types named. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Like describeValue, but a string shows as itself in quotes. */
function quoted(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : describeValue(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * One zod `error` option for a field: `missing` when the key is absent,
 * otherwise `problem(input)`. Zod calls it for every issue the field raises.
 */
function says(missing: string, problem: (input: unknown) => string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? missing : problem(issue.input)) };
}

// ---------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------

/** What a field holds; `field()` builds the schema of each kind. */
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

/**
 * One instance per distinct field, so the generated JSON Schema states each
 * once under `$defs` and refers to it (a field's own "missing" message makes
 * a distinct instance: that message exists only at run time).
 */
const made = new Map<string, z.ZodType>();
function once<T extends z.ZodType>(key: string, make: () => T): T {
  // The shared ones get a name in `$defs`: "person-channels", "amount".
  if (!made.has(key)) {
    const [kind, ...rest] = key.split("/");
    const shared = rest[rest.length - 1] === "missing";
    made.set(key, shared ? make().meta({ id: [kind, ...rest.slice(0, -1)].join("-") }) : make());
  }
  return made.get(key) as T;
}

function text(missing = "missing") {
  return once(`text/${missing}`, () => makeText(missing));
}
function makeText(missing: string) {
  const what = (v: unknown) => `must be a string, got ${describeValue(v)}`;
  return z
    .string(says(missing, what))
    .regex(/\S/, { error: "must not be empty" })
    .meta({ description: "non-empty text" });
}

function flag(missing = "missing") {
  return once(`flag/${missing}`, () => makeFlag(missing));
}
function makeFlag(missing: string) {
  return z.boolean(says(missing, (v) => `must be true or false, got ${describeValue(v)}`));
}

/** A safe integer of at least `min`; `what` completes "must be ...". */
function integer(min: number, what: string, missing = "missing") {
  const problem = says(missing, (v) => `must be ${what}, got ${describeValue(v)}`);
  return z.int(problem).min(min, problem);
}

function choice(options: readonly [string, ...string[]], missing = "missing") {
  return z.enum(
    options,
    says(missing, (v) => `must be one of ${options.join(", ")}, got ${describeValue(v)}`),
  );
}

function amount(missing = "missing") {
  return once(`amount/${missing}`, () => makeAmount(missing));
}
function makeAmount(missing: string) {
  return z
    .string(says(missing, (v) => `must be a decimal ETH amount in quotes (like "0.25"), got ${describeValue(v)}`))
    .regex(ETH_AMOUNT_PATTERN, {
      error: (issue) => {
        const value = String(issue.input);
        const decimals = /^[0-9]+\.([0-9]+)$/.exec(value)?.[1].length ?? 0;
        const why = decimals > 18 ? `: ${decimals} decimals, at most 18` : "";
        return `not a decimal ETH amount (${JSON.stringify(value)})${why}`;
      },
    })
    .meta({ description: 'decimal ETH amount, at most 18 decimals: "1", "0.25"' });
}

/** A person's name; `operator` only exists in the rollups. */
function person(system: SystemName, missing = "missing") {
  return once(`person/${system}/${missing}`, () => makePerson(system, missing));
}
function makePerson(system: SystemName, missing: string) {
  const name = z
    .string(says(missing, (v) => `must be a person's name, got ${describeValue(v)}`))
    .regex(PERSON_PATTERN, {
      error: (issue) =>
        `not a plain lower-case name (${JSON.stringify(issue.input)}): use letters and digits, like "alice"`,
    });
  if (ROLLUPS.includes(system)) return name.meta({ description: 'a person: "alice"; "operator" is the operator' });
  return name
    .refine((v) => v !== OPERATOR, {
      error: `"operator" is reserved for the rollups' operator; a ${system} scenario has none`,
    })
    .meta({ description: 'a person: "alice"', not: { const: OPERATOR } });
}

/** `{"alice":"1","bob":"0.5"}`. */
function amountsByPerson(system: SystemName, missing = "missing") {
  return once(`amounts/${system}/${missing}`, () => makeAmountsByPerson(system, missing));
}
function makeAmountsByPerson(system: SystemName, missing: string) {
  return z
    .record(
      person(system),
      amount(),
      says(missing, (v) => `must be an object of person → ETH amount, got ${describeValue(v)}`),
    )
    .refine((o) => Object.keys(o).length > 0, { error: "names nobody" })
    .meta({ minProperties: 1 });
}

function route(system: SystemName, missing = "missing") {
  const problem = says(missing, (v) => `must be an array of people, got ${describeValue(v)}`);
  return z
    .array(person(system), problem)
    .min(3, { error: "a route names the payer, at least one hop and the payee" })
    .meta({ description: "the payer, at least one hop, the payee" });
}

function field(kind: FieldKind, system: SystemName, missing = "missing"): z.ZodType {
  switch (kind) {
    case "person":
      return person(system, missing);
    case "amount":
      return amount(missing);
    case "text":
      return text(missing);
    case "flag":
      return flag(missing);
    case "seconds":
      return integer(1, "a whole number of seconds, at least 1", missing);
    case "batchIndex":
      return integer(1, "a batch number (batches are numbered from 1)", missing);
    case "txIndex":
      return integer(0, "a transaction index within the batch (from 0)", missing);
    case "count":
      return integer(1, "a whole number, at least 1", missing);
    case "deposit":
      return amountsByPerson(system, missing);
    case "route":
      return route(system, missing);
    case "fault":
      return fault(system);
  }
}

/** A strict object: `required` and `optional` fields; an unknown key gets `unknown`. */
function shape(
  system: SystemName,
  fixed: Record<string, z.ZodType>,
  required: FieldSpec,
  optional: FieldSpec,
  missing: string,
  unknown: string,
) {
  const fields: Record<string, z.ZodType> = { ...fixed };
  for (const [key, kind] of Object.entries(required)) fields[key] = field(kind, system, missing);
  for (const [key, kind] of Object.entries(optional)) fields[key] = field(kind, system).optional();
  return z.strictObject(fields, { error: (issue) => (issue.code === "unrecognized_keys" ? unknown : undefined) });
}

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

const FAULTS: Record<string, { fields: FieldSpec; about: string }> = {
  "bad-state-root": { fields: {}, about: "applies the txs correctly but posts a wrong post-state root" },
  mint: { fields: { to: "person", amount: "amount" }, about: "credits `to` with `amount` out of nowhere" },
  overdraft: {
    fields: { from: "person", to: "person", amount: "amount" },
    about: "includes a transfer that `from` signed for more than `from` has",
  },
  "forged-signature": {
    fields: { from: "person", to: "person", amount: "amount" },
    about: "includes a transfer from `from` that `from` never signed",
  },
  replay: { fields: { from: "person" }, about: "includes again an earlier transfer signed by `from`" },
  "skip-deposit": { fields: {}, about: "claims to consume the oldest queued deposit but does not credit it" },
  "fake-exit": { fields: { to: "person", amount: "amount" }, about: "commits to a withdrawal no L2 tx asked for" },
  malformed: { fields: {}, about: "posts tx data that does not decode" },
  "bad-aggregate": {
    fields: { from: "person", to: "person", amount: "amount" },
    about: 'optimistic with params.signatures "bls": a transfer under an aggregate signature that does not verify',
  },
};
/** Faults that need a param: the BLS aggregate exists only with `signatures: "bls"`. */
const FAULT_NEEDS: Record<string, { param: "signatures"; value: string }> = {
  "bad-aggregate": { param: "signatures", value: "bls" },
};

function fault(system: SystemName) {
  const options = Object.entries(FAULTS).map(([kind, { fields, about }]) => {
    const names = Object.keys(fields);
    const allowed = names.length ? `allowed: ${names.join(", ")}` : "it takes no other fields";
    return shape(
      system,
      { kind: z.literal(kind) },
      fields,
      {},
      `missing: the "${kind}" fault needs ${names.join(", ")}`,
      `unknown field of the "${kind}" fault (${allowed})`,
    ).meta({ description: about });
  });
  return z.discriminatedUnion("kind", options as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => {
      const input = issue.input;
      if (!isObject(input)) return `must be an object with a "kind", got ${describeValue(input)}`;
      if (!("kind" in input)) return "missing";
      return `unknown fault kind ${quoted(input.kind)} (known: ${Object.keys(FAULTS).join(", ")})`;
    },
  });
}

// ---------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------

interface StepSpec {
  systems: readonly SystemName[];
  required: FieldSpec;
  optional: FieldSpec;
  /** False for steps that send nothing to L1 and so cannot be refused. */
  refusable: boolean;
  about: string;
}

const STEPS: Record<string, StepSpec> = {
  deposit: {
    systems: ROLLUPS,
    required: { from: "person", amount: "amount" },
    optional: {},
    refusable: true,
    about: "L1 → L2 deposit into the bridge",
  },
  transfer: {
    systems: ROLLUPS,
    required: { from: "person", to: "person", amount: "amount" },
    optional: { fee: "amount" },
    refusable: true,
    about: "L2 transfer signed by `from`; `fee` goes to the operator",
  },
  withdraw: {
    systems: ROLLUPS,
    required: { from: "person", amount: "amount" },
    optional: {},
    refusable: true,
    about: "L2 exit request signed by `from`",
  },
  batch: {
    systems: ROLLUPS,
    required: {},
    optional: { fault: "fault" },
    refusable: true,
    about: "the operator posts everything pending as one batch; with `fault`, it cheats",
  },
  challenge: {
    systems: ["optimistic"],
    required: { by: "person" },
    optional: { batch: "batchIndex", tx: "txIndex" },
    refusable: true,
    about: "`by` checks every unfinalized batch and proves fraud on the first invalid one (or on batch/tx)",
  },
  claim: {
    systems: ROLLUPS,
    required: { by: "person" },
    optional: {},
    refusable: true,
    about: "`by` claims all final, unclaimed withdrawals on L1",
  },
  "force-withdraw": {
    systems: ROLLUPS,
    required: { from: "person", amount: "amount" },
    optional: {},
    refusable: true,
    about: "`from` asks L1 directly to exit funds",
  },
  freeze: {
    systems: ROLLUPS,
    required: { by: "person" },
    optional: {},
    refusable: true,
    about: "freezes the rollup once a forced request or a deposit is overdue",
  },
  escape: {
    systems: ROLLUPS,
    required: { by: "person" },
    optional: {},
    refusable: true,
    about: "in a frozen rollup, `by` exits its whole balance and unconsumed deposits",
  },
  open: {
    systems: CHANNELS,
    required: { a: "person", b: "person", deposit: "deposit" },
    optional: {},
    refusable: true,
    about: "opens a channel and funds both sides on L1",
  },
  pay: {
    systems: CHANNELS,
    required: { from: "person", to: "person", amount: "amount" },
    optional: { route: "route", decline: "person", stall: "person" },
    refusable: true,
    about: "off-chain payment, direct or along `route`; a node may `decline` or `stall`",
  },
  close: {
    systems: CHANNELS,
    required: { by: "person", with: "person" },
    optional: { unilateral: "flag", state: "text" },
    refusable: true,
    about: "cooperative close, or unilateral with the latest or a stale state",
  },
  dispute: {
    systems: CHANNELS,
    required: { by: "person", with: "person" },
    optional: {},
    refusable: true,
    about: "answers a unilateral close with a newer co-signed state",
  },
  watchtower: {
    systems: CHANNELS,
    required: { for: "person", by: "person" },
    optional: {},
    refusable: true,
    about: "`by` disputes stale closes against `for` from now on",
  },
  settle: {
    systems: CHANNELS,
    required: { a: "person", b: "person" },
    optional: {},
    refusable: true,
    about: "after the dispute period, pays out the closing state",
  },
  wait: {
    systems: SYSTEMS,
    required: { seconds: "seconds" },
    optional: {},
    refusable: false,
    about: "advances L1 time and mines",
  },
  expect: {
    systems: SYSTEMS,
    required: {},
    optional: {},
    refusable: false,
    about: "checks; every key present must hold",
  },
  attack: {
    systems: SYSTEMS,
    required: {},
    optional: {},
    refusable: false,
    about: "someone hostile sends what an attacker would send; `kind` picks the attack",
  },
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
  about: string;
}
export const ATTACKS: Record<string, AttackSpec> = {
  "self-slash": {
    systems: ["optimistic"],
    required: { batches: "count" },
    optional: {},
    about: "the operator posts invalid batches, then proves fraud on its own batches",
  },
  "odd-calldata": {
    systems: ROLLUPS,
    required: {},
    optional: { fault: "fault" },
    about: "a batch in calldata the ABI decoder accepts but that is not the standard encoding",
  },
  "via-contract": {
    systems: ROLLUPS,
    required: {},
    optional: { fault: "fault" },
    about: "a batch posted from inside a contract call",
  },
  "spam-batches": {
    systems: ROLLUPS,
    required: { count: "count" },
    optional: {},
    about: "`count` cheap valid batches",
  },
  "front-run-challenge": {
    systems: ["optimistic"],
    required: {},
    optional: {},
    about: "armed: copies the next challenge and gets it mined first",
  },
  "front-run-forced": {
    systems: ROLLUPS,
    required: { victim: "person" },
    optional: {},
    about: "armed: gets a forced request mined before `victim`'s",
  },
  censor: {
    systems: ROLLUPS,
    required: { from: "person" },
    optional: {},
    about: "the operator leaves out everything of `from`",
  },
  "off-curve-key": {
    systems: ["zk"],
    required: {},
    optional: {},
    about: "deposits with a key off Baby Jubjub, then forces its exit",
  },
  "forged-proof": {
    systems: ["zk"],
    required: { fault: "fault" },
    optional: {},
    about: "a faulty batch with a proof built from the verifier's constants",
  },
  "dodge-penalty": {
    systems: CHANNELS,
    required: { with: "person" },
    optional: {},
    about: "closes on a revoked state and front-runs the dispute",
  },
  "old-cooperative-close": {
    systems: CHANNELS,
    required: { with: "person", amount: "amount" },
    optional: {},
    about: "submits a cooperative close older than a later payment",
  },
  "tower-overload": {
    systems: CHANNELS,
    required: { with: "person", channels: "count" },
    optional: {},
    about: "many stale closes at once against a watchtower",
  },
  "late-reveal": {
    systems: CHANNELS,
    required: { route: "route" },
    optional: {},
    about: "armed for the next stalled payment: reveals the preimage late on L1",
  },
  "withhold-revocation": {
    systems: CHANNELS,
    required: { with: "person" },
    optional: {},
    about: "keeps paying but never hands over a revocation",
  },
  "frozen-lock": {
    systems: CHANNELS,
    required: { with: "person" },
    optional: {},
    about: "a payment locked to keccak256(0)",
  },
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
const PARAM_CHOICES = {
  signatures: ["ecdsa", "bls"],
  posting: ["calldata", "blob"],
} as const;

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

const BATCH_STATUSES = ["pending", "final", "rolled-back"] as const;
const BOND_STATUSES = ["bonded", "slashed"] as const;
const CHANNEL_STATUSES = ["open", "closing", "settled"] as const;
const CLOSE_STATES = ["latest", "stale"] as const;
const TOP_FIELDS = ["$schema", "name", "description", "system", "params", "steps"];

type Ctx = z.RefinementCtx<unknown>;
type Path = (string | number)[];

/**
 * A rule over a whole object. It runs only once the object's own fields are
 * valid, so it reads them as typed and never reports a consequence of a
 * problem already reported.
 */
function whole(rule: (value: Record<string, unknown>, ctx: Ctx) => void) {
  const check = z.superRefine((value: unknown, ctx) => rule(value as Record<string, unknown>, ctx));
  check._zod.def.when = (payload) => payload.issues.length === 0;
  return check;
}

function problem(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

/** `expectRevert` on a step that sends nothing: only `false` is allowed. */
function notRefusable(why: string) {
  return z
    .boolean({ error: (issue) => `must be true or false, got ${describeValue(issue.input)}` })
    .refine((v) => v === false, { error: why })
    .meta({ const: false })
    .optional();
}

/** A plain step (not `expect` nor `attack`) with its cross-field rules. */
function plainStep(kind: string, spec: StepSpec, system: SystemName) {
  const allowed = [...Object.keys(spec.required), ...Object.keys(spec.optional), "note", "expectRevert"];
  const fixed: Record<string, z.ZodType> = {
    do: z.literal(kind),
    note: text().optional(),
    expectRevert: spec.refusable
      ? flag().optional()
      : notRefusable(`a ${kind} step cannot be refused: remove expectRevert`),
  };
  const optional = { ...spec.optional };
  if (kind === "close") delete optional.state;
  const object = shape(
    system,
    fixed,
    spec.required,
    optional,
    `missing: "${kind}" needs ${Object.keys(spec.required).join(", ")}`,
    `unknown field of "${kind}" (allowed: ${allowed.join(", ")})`,
  );
  let step: z.ZodType = object;
  // JSON Schema carries the cross-field rules it can express.
  const meta: Record<string, unknown> = { description: spec.about };
  if (kind === "close") {
    step = object.extend({ state: choice(CLOSE_STATES).optional() });
    meta.dependentSchemas = { state: { properties: { unilateral: { const: true } }, required: ["unilateral"] } };
  }
  if (kind === "challenge") meta.dependentRequired = { batch: ["tx"], tx: ["batch"] };
  if (kind === "pay") {
    meta.dependentRequired = { decline: ["route"], stall: ["route"] };
    meta.not = { required: ["decline", "stall"] };
  }
  return step.check(whole((value, ctx) => crossCheck(kind, value, ctx))).meta(meta);
}

/** The rules of one step that span its fields. */
function crossCheck(kind: string, step: Record<string, unknown>, ctx: Ctx): void {
  const distinct = (x: string, y: string): void => {
    if (step[x] === step[y]) problem(ctx, [y], `must name someone other than ${x} (${JSON.stringify(step[x])})`);
  };
  if (kind === "open") {
    distinct("a", "b");
    const deposit = step.deposit as Record<string, unknown>;
    for (const key of Object.keys(deposit)) {
      if (key !== step.a && key !== step.b) {
        problem(ctx, ["deposit", key], `names someone who is not in this channel (a: "${step.a}", b: "${step.b}")`);
      }
    }
    for (const side of new Set([step.a, step.b] as string[])) {
      if (!(side in deposit)) problem(ctx, ["deposit", side], 'missing: give each side a deposit ("0" for none)');
    }
  }
  if (kind === "settle") distinct("a", "b");
  if (kind === "close" || kind === "dispute") distinct("by", "with");
  if (kind === "watchtower") distinct("for", "by");
  if (kind === "close" && "state" in step && step.unilateral !== true) {
    problem(ctx, ["state"], 'only a unilateral close picks a state: add "unilateral": true');
  }
  if (kind === "pay") {
    distinct("from", "to");
    const route = step.route as string[] | undefined;
    if (route) {
      if (route[0] !== step.from) problem(ctx, ["route", 0], `must be the payer "${step.from}"`);
      const last = route.length - 1;
      if (route[last] !== step.to) problem(ctx, ["route", last], `must be the payee "${step.to}"`);
      route.forEach((name, i) => {
        if (route.indexOf(name) !== i) problem(ctx, ["route", i], `"${name}" appears twice in the route`);
      });
    }
    for (const key of ["decline", "stall"]) {
      if (!(key in step)) continue;
      const name = step[key] as string;
      if (!route) {
        problem(
          ctx,
          [key],
          `only a routed payment can be ${key === "decline" ? "declined" : "stalled"} by a node: add "route"`,
        );
      } else if (!route.includes(name) || name === step.from) {
        problem(ctx, [key], `must name a node of the route after the payer, got "${name}"`);
      }
    }
    if ("decline" in step && "stall" in step)
      problem(ctx, ["stall"], "a payment is either declined or stalled, not both");
  }
  if (kind === "challenge" && "batch" in step !== "tx" in step) {
    problem(ctx, ["batch" in step ? "tx" : "batch"], "missing: a targeted challenge names both batch and tx");
  }
}

/** `{"do":"attack","kind":...}`: one object per kind this system knows. */
function attackStep(system: SystemName) {
  const known = Object.keys(ATTACKS).filter((k) => ATTACKS[k].systems.includes(system));
  const options = known.map((kind) => {
    const spec = ATTACKS[kind];
    const required: FieldSpec = CHANNELS.includes(system) ? { by: "person", ...spec.required } : spec.required;
    const optional: FieldSpec = CHANNELS.includes(system) ? spec.optional : { by: "person", ...spec.optional };
    const allowed = ["kind", ...Object.keys({ by: "person", ...spec.required, ...spec.optional }), "note"];
    const object = shape(
      system,
      {
        do: z.literal("attack"),
        kind: z.literal(kind),
        note: text().optional(),
        expectRevert: z
          .never({
            error: "an attack step holds whether L1 accepts or refuses it; the steps after it judge the outcome",
          })
          .optional(),
      },
      required,
      optional,
      `missing: the "${kind}" attack needs ${Object.keys(required).join(", ")}`,
      `unknown field of the "${kind}" attack (allowed: ${allowed.join(", ")})`,
    );
    return object
      .check(
        whole((step, ctx) => {
          const by = (step.by as string | undefined) ?? OPERATOR;
          for (const key of ["with", "victim", "from"]) {
            if (key in step && step[key] === by)
              problem(ctx, [key], `must name someone other than the attacker "${by}"`);
          }
          if (kind === "late-reveal") {
            const route = step.route as string[];
            route.forEach((name, i) => {
              if (route.indexOf(name) !== i) problem(ctx, ["route", i], `"${name}" appears twice in the route`);
            });
          }
        }),
      )
      .meta({ description: spec.about });
  });
  return z.discriminatedUnion("kind", options as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => {
      const input = issue.input as Record<string, unknown>;
      if (!("kind" in input)) return "missing: an attack names its kind";
      const spec = typeof input.kind === "string" ? ATTACKS[input.kind] : undefined;
      if (!spec) return `unknown attack kind ${quoted(input.kind)} (known for ${system}: ${known.join(", ")})`;
      return `"${input.kind}" is not an attack on the ${system} system (known: ${known.join(", ")})`;
    },
  });
}

/** `{"do":"expect", ...}` for one system; which people it may name is checked over the whole file. */
function expectStep(system: SystemName) {
  const known = EXPECTS[system];
  const checks: Record<string, z.ZodType> = {};
  for (const [key, kind] of Object.entries(known)) checks[key] = expectCheck(kind, system).optional();
  const object = z.strictObject(
    {
      do: z.literal("expect"),
      note: text().optional(),
      expectRevert: notRefusable("an expect sends nothing to L1, so it cannot be refused: remove expectRevert"),
      ...checks,
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown expect key for the ${system} system (known: ${Object.keys(known).join(", ")})`
          : undefined,
    },
  );
  return object
    .check(
      whole((value, ctx) => {
        if (!Object.keys(known).some((k) => k in value)) {
          problem(ctx, [], `checks nothing (known keys: ${Object.keys(known).join(", ")})`);
        }
      }),
    )
    .meta({ description: STEPS.expect.about, anyOf: Object.keys(known).map((k) => ({ required: [k] })) });
}

function exact(fields: Record<string, z.ZodType>) {
  const allowed = Object.keys(fields).join(", ");
  return z.strictObject(fields, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field (allowed: ${allowed})`
        : `must be an object, got ${describeValue(issue.input)}`,
  });
}

function expectCheck(kind: ExpectKind, system: SystemName): z.ZodType {
  switch (kind) {
    case "balances":
      return amountsByPerson(system);
    case "frozen":
    case "flag":
      return flag();
    case "batch":
      return exact({
        index: integer(1, "a batch number (batches are numbered from 1)"),
        status: choice(BATCH_STATUSES),
      });
    case "bond":
      return exact({ status: choice(BOND_STATUSES) });
    case "channel":
    case "onchain": {
      const between = z
        .array(person(system), { error: "must name the two people of the channel" })
        .length(2, { error: "must name the two people of the channel" });
      const detail: Record<string, z.ZodType> =
        kind === "channel"
          ? { status: choice(CHANNEL_STATUSES).optional(), balances: amountsByPerson(system).optional() }
          : {
              // v1.1: "latest" is what the newest co-signed state gives each side.
              payout: z
                .union([z.literal("latest"), amountsByPerson(system)], {
                  error: (issue) =>
                    `must be "latest" or an object of person → ETH amount, got ${describeValue(issue.input)}`,
                })
                .optional(),
            };
      const names = Object.keys(detail);
      return exact({ between, ...detail })
        .check(
          whole((obj, ctx) => {
            const pair = obj.between as string[];
            if (pair[0] === pair[1]) problem(ctx, ["between", 1], "must differ from between[0]");
            if (!names.some((k) => k in obj)) problem(ctx, [], `checks nothing: add ${names.join(" or ")}`);
            for (const k of ["balances", "payout"]) {
              if (!isObject(obj[k])) continue;
              for (const name of Object.keys(obj[k])) {
                if (!pair.includes(name)) {
                  problem(ctx, [k, name], `"${name}" is not in this channel (between: ${pair.join(", ")})`);
                }
              }
            }
          }),
        )
        .meta({ anyOf: names.map((k) => ({ required: [k] })) });
    }
  }
}

function step(system: SystemName) {
  const known = Object.keys(STEPS).filter((k) => STEPS[k].systems.includes(system));
  const options: z.ZodType[] = [];
  for (const kind of known) {
    if (kind === "expect") options.push(expectStep(system));
    else if (kind === "attack") options.push(attackStep(system));
    else options.push(plainStep(kind, STEPS[kind], system));
  }
  return z.discriminatedUnion("do", options as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => {
      const input = issue.input;
      if (!isObject(input)) return `must be an object with a "do" field, got ${describeValue(input)}`;
      if (!("do" in input)) return "missing";
      const kind = input.do;
      if (typeof kind !== "string") return `must be a string, got ${describeValue(kind)}`;
      if (!STEPS[kind]) return `unknown step ${JSON.stringify(kind)} (known for ${system}: ${known.join(", ")})`;
      const why = kind === "challenge" && system === "zk" ? ": zk batches are proven valid, never challenged" : "";
      return `"${kind}" is not a step of the ${system} system${why}`;
    },
  });
}

function params(system: SystemName) {
  const allowed = PARAMS[system];
  const fields: Record<string, z.ZodType> = {};
  for (const [key, kind] of Object.entries(allowed)) {
    if (kind === "signatures" || kind === "posting") fields[key] = choice(PARAM_CHOICES[kind]).optional();
    else if (kind === "amount") fields[key] = amount().optional();
    else if (kind === "seconds") fields[key] = integer(1, "a whole number of seconds, at least 1").optional();
    else fields[key] = integer(1, "a whole number, at least 1").optional();
  }
  return z.strictObject(fields, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `not a parameter of the ${system} system (allowed: ${Object.keys(allowed).join(", ")})`
        : `must be an object, got ${describeValue(issue.input)}`,
  });
}

/**
 * The rules that span steps: who an `expect` may name (people of earlier
 * steps, and `operator` in rollups) and faults that need a param. They run
 * even when other parts of the file are broken, so every problem is reported
 * at once; they read the file defensively for that reason.
 */
function acrossSteps(system: SystemName) {
  return (scenario: Record<string, unknown>, ctx: Ctx): void => {
    const steps = Array.isArray(scenario.steps) ? (scenario.steps as unknown[]) : [];
    const params = isObject(scenario.params) ? scenario.params : {};
    const seen = new Set<string>(ROLLUPS.includes(system) ? [OPERATOR] : []);
    steps.forEach((step, i) => {
      if (!isObject(step)) return;
      // A fault sits on a batch step or on an attack step that posts one.
      const kind = isObject(step.fault) && typeof step.fault.kind === "string" ? step.fault.kind : undefined;
      const needs = kind ? FAULT_NEEDS[kind] : undefined;
      if (needs && (system !== "optimistic" || params[needs.param] !== needs.value)) {
        problem(
          ctx,
          ["steps", i, "fault", "kind"],
          `the "${kind}" fault needs an optimistic scenario with params.${needs.param} "${needs.value}"`,
        );
      }
      if (step.do === "expect") {
        const known = (value: unknown, path: Path): void => {
          if (typeof value === "string" && PERSON_PATTERN.test(value) && !seen.has(value)) {
            problem(ctx, ["steps", i, ...path], `"${value}" appears in no step before this expect`);
          }
        };
        for (const [key, value] of Object.entries(step)) {
          if (EXPECTS[system][key] === "balances" && isObject(value)) {
            for (const name of Object.keys(value)) known(name, [key, name]);
          }
          if ((key === "channel" || key === "onchain") && isObject(value) && Array.isArray(value.between)) {
            value.between.forEach((name, j) => known(name, [key, "between", j]));
          }
        }
      }
      for (const name of peopleOfStep(step)) seen.add(name);
    });
  };
}

const PERSON_KEYS = new Set(["from", "to", "by", "a", "b", "with", "for", "decline", "stall", "victim"]);
/** Objects whose keys are people: `{"alice":"1"}`. */
const NAME_KEYED = new Set(["deposit", "l2", "withdrawn", "paid", "balances", "payout"]);

/** The people one step names, in the order its fields are written. */
export function peopleOfStep(step: Record<string, unknown>): string[] {
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

function scenarioOf(system: SystemName) {
  const scenario = z
    .strictObject(
      {
        $schema: text()
          .optional()
          .meta({ description: "the format's JSON Schema, for editors; the runner ignores it" }),
        name: text().regex(NAME_PATTERN, {
          error: (issue) => `must be short-kebab-case, got ${JSON.stringify(issue.input)}`,
        }),
        description: text(),
        system: z.literal(system),
        params: params(system).optional(),
        steps: z
          .array(
            step(system),
            says("missing", (v) => `must be an array of steps, got ${describeValue(v)}`),
          )
          .min(1, { error: "must list at least one step" }),
      },
      {
        error: (issue) =>
          issue.code === "unrecognized_keys" ? `unknown field (allowed: ${TOP_FIELDS.join(", ")})` : undefined,
      },
    )
    .meta({ title: `${system} scenario` });
  const rules = z.superRefine(acrossSteps(system));
  // Every problem at once: these rules run even when a step is broken.
  rules._zod.def.when = () => true;
  const checked = scenario.check(rules);
  if (system !== "optimistic") return checked;
  // JSON Schema's form of FAULT_NEEDS: no bad-aggregate fault unless params.signatures is "bls".
  return checked.meta({
    if: {
      not: {
        required: ["params"],
        properties: { params: { required: ["signatures"], properties: { signatures: { const: "bls" } } } },
      },
    },
    then: {
      properties: {
        steps: {
          items: {
            not: { required: ["fault"], properties: { fault: { properties: { kind: { const: "bad-aggregate" } } } } },
          },
        },
      },
    },
  });
}

/** The whole format: one object per system, told apart by `system`. */
export const scenarioSchema = z.discriminatedUnion(
  "system",
  SYSTEMS.map(scenarioOf) as unknown as [z.ZodObject, ...z.ZodObject[]],
  {
    error: (issue) => {
      const input = issue.input;
      if (!isObject(input)) return `must be a JSON object, got ${describeValue(input)}`;
      if (!("system" in input)) return "missing";
      return `unknown system ${quoted(input.system)} (known: ${SYSTEMS.join(", ")})`;
    },
  },
);

/**
 * The format as JSON Schema (draft 2020-12), generated from `scenarioSchema`:
 * what schema/scenario.schema.json holds. Rules JSON Schema cannot state
 * (people named before an `expect`, distinct sides, routes that start at the
 * payer) stay with the runtime check and are listed in `$comment`.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, {
    target: "draft-2020-12",
    unrepresentable: "any",
    reused: "ref",
  });
  return tidyDefs({
    $schema: generated.$schema,
    $id: "urn:l2lab:scenario-format:1.1",
    title: "l2lab scenario, format v1.1",
    description:
      "A story told against a real local chain (docs/scenarios.md). Generated by `npx hardhat scenario-schema` from src/scenario/schema.ts: do not edit.",
    $comment:
      "Checked only by `npx hardhat scenario FILE --check`: people named in an expect appear in an earlier step; the two sides of open, close, dispute, settle, watchtower and pay differ; a route starts at the payer, ends at the payee and names nobody twice; decline and stall name a node of the route; each side of open has a deposit; an expect's channel balances and payout name only the two people between; an attacker names someone other than itself as with, victim or from.",
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== "$schema")),
  });
}

/**
 * Zod names a schema used twice `__schemaN`. A field with its own "missing"
 * message is such a schema, the same in JSON Schema as the named one: point
 * at the named one instead, and write any other unnamed one in place.
 */
function tidyDefs(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = (schema.$defs ?? {}) as Record<string, unknown>;
  const named = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) if (!name.startsWith("__")) named.set(JSON.stringify(def), name);
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === "string" && ref.startsWith("#/$defs/__") && Object.keys(node).length === 1) {
      const def = defs[ref.slice("#/$defs/".length)];
      const name = named.get(JSON.stringify(def));
      return name ? { $ref: `#/$defs/${name}` } : rewrite(def);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v)]));
  };
  const out = rewrite({ ...schema, $defs: undefined }) as Record<string, unknown>;
  out.$defs = Object.fromEntries(
    Object.entries(defs)
      .filter(([name]) => !name.startsWith("__"))
      // `id` is zod's name for the def, not a JSON Schema keyword.
      .map(([name, def]) => [name, rewrite({ ...(def as object), id: undefined })]),
  );
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
