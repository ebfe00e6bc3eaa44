/**
 * The runtime check and the generated JSON Schema, on files an instructor might really write: valid
 * scenarios with one or two edits (a field dropped, a value swapped for another plausible one, a field
 * added, a step repeated). The runtime check answers every such file with a ScenarioFormatError or a
 * scenario, never with a crash, and every problem has a path and words; the JSON Schema (as an editor
 * applies it, through ajv) is never stricter than the runtime check, so an editor never underlines a file
 * the runner accepts.
 */
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "fs";
import { join, resolve } from "path";
import { scenarioJsonSchema } from "../../src/scenario/schema";
import { parseScenario, ScenarioFormatError } from "../../src/scenario/validate";
import { runs } from "../support/deep";

const ROOT = join(__dirname, "..", "..");
const FOLDERS = [
  join(ROOT, "scenarios"),
  join(ROOT, "test", "fixtures", "scenarios", "valid"),
  join(ROOT, "test", "fixtures", "scenarios", "invalid"),
  resolve(ROOT, "..", "shared", "scenarios"),
];
const DOCS: unknown[] = FOLDERS.filter(existsSync).flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown),
);

/** Values and keys the format uses, so an edit often lands on something almost valid. */
const VALUES: unknown[] = [
  "alice",
  "bob",
  "carol",
  "operator",
  "tower",
  "Alice",
  "1",
  "0.5",
  "-1",
  "1e3",
  "",
  0,
  1,
  2,
  -1,
  1.5,
  true,
  false,
  null,
  [],
  {},
  ["alice", "bob"],
  ["alice", "bob", "carol"],
  { alice: "1" },
  { alice: "1", bob: "0" },
  "latest",
  "stale",
  "bls",
  "ecdsa",
  "blob",
  "final",
  "rolled-back",
  "settled",
  "bonded",
  "zk",
  "channels",
  "optimistic",
  { kind: "mint", to: "bob", amount: "1" },
  { kind: "bad-aggregate", from: "alice", to: "bob", amount: "1" },
  { kind: "bad-state-root" },
  "deposit",
  "expect",
  "attack",
  "censor",
  "pay",
  "close",
  "challenge",
  "self-slash",
];
const KEYS = [
  "do",
  "from",
  "to",
  "by",
  "a",
  "b",
  "with",
  "for",
  "amount",
  "fee",
  "seconds",
  "route",
  "decline",
  "stall",
  "state",
  "unilateral",
  "fault",
  "kind",
  "batch",
  "tx",
  "count",
  "victim",
  "l2",
  "paid",
  "frozen",
  "solvent",
  "idle",
  "channel",
  "onchain",
  "between",
  "balances",
  "payout",
  "status",
  "index",
  "note",
  "expectRevert",
  "deposit",
  "params",
  "signatures",
  "$schema",
  "colour",
];

type Json = unknown;
type Edit = { at: number; op: "drop" | "set" | "add" | "repeat"; value: Json; key: string };

function places(v: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (path.length > 0) out.push(path);
  if (v && typeof v === "object") {
    for (const k of Object.keys(v))
      places((v as Record<string, Json>)[k], [...path, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

function applyEdits(doc: Json, edits: Edit[]): Json {
  const root = JSON.parse(JSON.stringify(doc)) as Json;
  for (const edit of edits) {
    const all = places(root);
    if (all.length === 0) break;
    const path = all[edit.at % all.length];
    let parent = root as Record<string | number, Json>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
    const key = path[path.length - 1];
    const value = JSON.parse(JSON.stringify(edit.value)) as Json;
    const target = parent[key];
    if (edit.op === "drop") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (edit.op === "add" && target && typeof target === "object" && !Array.isArray(target)) {
      (target as Record<string, Json>)[edit.key] = value;
    } else if (edit.op === "repeat" && Array.isArray(parent)) {
      parent.push(JSON.parse(JSON.stringify(parent[key])) as Json);
    } else parent[key] = value;
  }
  return root;
}

const arbEdited = fc
  .tuple(
    fc.constantFrom(...DOCS),
    fc.array(
      fc.record({
        at: fc.nat(),
        op: fc.constantFrom("drop" as const, "set" as const, "add" as const, "repeat" as const),
        value: fc.constantFrom(...VALUES),
        key: fc.constantFrom(...KEYS),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  )
  .map(([doc, edits]) => applyEdits(doc, edits));

describe("# scenario checks on edited files", function () {
  const editorCheck = new Ajv2020({ strict: false }).compile(scenarioJsonSchema());

  it("should answer every edited file with a scenario or its problems, each with a path", function () {
    fc.assert(
      fc.property(arbEdited, (doc) => {
        try {
          parseScenario(JSON.stringify(doc), "edited.json");
        } catch (e) {
          expect(e).to.be.instanceOf(ScenarioFormatError);
          const { problems } = e as ScenarioFormatError;
          expect(problems.length).to.be.greaterThan(0);
          for (const p of problems) expect(p.path !== "" && p.problem.trim() !== "", JSON.stringify(p)).to.equal(true);
        }
      }),
      { numRuns: runs(300, 5000) },
    );
  });

  it("should never have the JSON Schema refuse a file the runtime check accepts", function () {
    fc.assert(
      fc.property(arbEdited, (doc) => {
        let accepted = true;
        try {
          parseScenario(JSON.stringify(doc), "edited.json");
        } catch {
          accepted = false;
        }
        if (accepted) expect(editorCheck(doc), JSON.stringify(editorCheck.errors)).to.equal(true);
      }),
      { numRuns: runs(300, 5000) },
    );
  });
});
