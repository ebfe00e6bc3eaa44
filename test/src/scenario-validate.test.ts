/**
 * Scenario format v1.1 validation: every malformed file in
 * test/fixtures/scenarios/invalid/ is refused with the JSON path of its first
 * problem, a file with several problems gets all of them, each with its path;
 * the valid fixtures, the project's own scenarios and the shared examples are
 * accepted; the committed JSON Schema is what the definition generates and
 * agrees with it on every fixture; amounts convert exactly.
 */
import { expect } from "chai";
import fc from "fast-check";
import Ajv2020 from "ajv/dist/2020";
import { existsSync, readdirSync, readFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { scenarioJsonSchemaIsCurrent } from "../../src/scenario/schemaFile";
import {
  JSON_SCHEMA_PATH,
  scenarioJsonSchema,
  ethToWei,
  loadScenarioFile,
  parseScenario,
  ScenarioFormatError,
  weiToEth,
  EthAmountError,
} from "../../src/scenario/validate";

const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(__dirname, "..", "fixtures", "scenarios");
const INVALID = join(FIXTURES, "invalid");
const VALID_FOLDERS = [join(FIXTURES, "valid"), join(ROOT, "scenarios")];
/** The shared examples, beside the clone when present; they carry no `$schema`. */
const SHARED = resolve(ROOT, "..", "shared", "scenarios");

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

/** Each invalid fixture: the JSON path of its first problem and words of the problem. */
const REFUSALS: Record<string, [path: string, problem: string]> = {
  "unknown-step.json": ["steps[1].do", 'unknown step "dance"'],
  "unknown-field.json": ["steps[0].colour", 'unknown field of "deposit" (allowed: from, amount, note, expectRevert)'],
  "amount-exponent.json": ["steps[2].amount", 'not a decimal ETH amount ("1.5e3")'],
  "amount-19-decimals.json": ["steps[2].amount", "19 decimals, at most 18"],
  "amount-negative.json": ["steps[0].amount", 'not a decimal ETH amount ("-1")'],
  "amount-number.json": ["steps[0].amount", "must be a decimal ETH amount in quotes"],
  "expect-unknown-person.json": ["steps[2].l2.dave", '"dave" appears in no step before this expect'],
  "expect-before-person.json": ["steps[1].l2.bob", '"bob" appears in no step before this expect'],
  "operator-in-channels.json": ["steps[0].b", '"operator" is reserved'],
  "challenge-in-zk.json": ["steps[2].do", '"challenge" is not a step of the zk system'],
  "fault-unknown-kind.json": ["steps[1].fault.kind", 'unknown fault kind "steal"'],
  "fault-unknown-field.json": ["steps[1].fault.from", 'unknown field of the "mint" fault'],
  "fault-missing-field.json": ["steps[1].fault.to", 'missing: the "overdraft" fault needs from, to, amount'],
  "missing-field.json": ["steps[2].to", 'missing: "transfer" needs from, to, amount'],
  "wrong-type.json": ["steps[1].seconds", 'must be a whole number of seconds, at least 1, got the string "86400"'],
  "unknown-system.json": ["system", 'unknown system "plasma"'],
  "expect-bad-status.json": [
    "steps[2].batch.status",
    'must be one of pending, final, rolled-back, got the string "done"',
  ],
  "unknown-param.json": ["params.disputePeriod", "not a parameter of the optimistic system"],
  "unknown-top-field.json": ["version", "unknown field"],
  "expect-revert-on-expect.json": ["steps[1].expectRevert", "cannot be refused"],
  "channel-balance-outsider.json": ["steps[2].channel.balances.carol", '"carol" is not in this channel'],
  "route-wrong-payer.json": ["steps[2].route[0]", 'must be the payer "alice"'],
  "person-uppercase.json": ["steps[0].from", 'not a plain lower-case name ("Alice")'],
  "channel-step-in-rollup.json": ["steps[0].do", '"open" is not a step of the optimistic system'],
  "rollup-step-in-channels.json": ["steps[0].do", '"deposit" is not a step of the channels system'],
  "empty-steps.json": ["steps", "must list at least one step"],
  "expect-nothing.json": ["steps[1]", "checks nothing"],
  "stale-without-unilateral.json": ["steps[1].state", "only a unilateral close picks a state"],
  "deposit-missing-side.json": ["steps[0].deposit.bob", "missing: give each side a deposit"],
  "malformed-json.txt": ["line 7, column 3", 'malformed JSON: unexpected "]", expected a value'],
  "duplicate-key.txt": ["line 5, column 64", 'malformed JSON: duplicate key "amount" in steps[0]'],
  "attack-unknown-kind.json": ["steps[0].kind", 'unknown attack kind "bribe" (known for optimistic: self-slash'],
  "attack-wrong-system.json": ["steps[0].kind", '"self-slash" is not an attack on the zk system'],
  "attack-missing-field.json": ["steps[0].count", 'missing: the "spam-batches" attack needs count'],
  "attack-channels-without-by.json": ["steps[0].by", 'missing: the "frozen-lock" attack needs by, with'],
  "attack-expect-revert.json": ["steps[0].expectRevert", "an attack step holds whether L1 accepts or refuses it"],
  "attack-self-victim.json": ["steps[0].victim", 'must name someone other than the attacker "mallory"'],
  "param-bad-signatures.json": ["params.signatures", 'must be one of ecdsa, bls, got the string "schnorr"'],
  "fault-bad-aggregate-ecdsa.json": [
    "steps[0].fault.kind",
    'needs an optimistic scenario with params.signatures "bls"',
  ],
  "expect-idle-rollup.json": ["steps[1].idle", "unknown expect key for the zk system"],
};

function refusalOf(file: string): ScenarioFormatError {
  try {
    loadScenarioFile(file);
  } catch (e) {
    if (e instanceof ScenarioFormatError) return e;
    throw e;
  }
  throw new Error(`${file} was accepted`);
}

describe("# parseScenario", function () {
  it("should have an expected refusal for every invalid fixture, and a fixture for every refusal", function () {
    expect(readdirSync(INVALID).sort()).to.deep.equal(Object.keys(REFUSALS).sort());
  });

  for (const [file, [path, problem]] of Object.entries(REFUSALS)) {
    it(`should refuse invalid/${file} at ${path}`, function () {
      const source = join(INVALID, file);
      const error = refusalOf(source);
      expect(error.path).to.equal(path);
      expect(error.problem).to.contain(problem);
      expect(error.problems[0]).to.deep.equal({ path, problem: error.problem });
      const lines = error.problems.map((p) => `${p.path}: ${p.problem}`);
      expect(error.message).to.equal(
        lines.length === 1
          ? `${source}: ${lines[0]}`
          : `${source}: ${lines.length} problems\n${lines.map((l) => `  ${l}`).join("\n")}`,
      );
    });
  }

  for (const dir of VALID_FOLDERS) {
    for (const file of jsonFiles(dir)) {
      it(`should accept ${join(dir === VALID_FOLDERS[0] ? "valid" : "scenarios", file.slice(dir.length + 1))}`, function () {
        const scenario = loadScenarioFile(file);
        expect(scenario.steps.length).to.be.greaterThan(0);
      });
    }
  }

  it("should accept the shared example scenarios, which carry no $schema", function () {
    if (!existsSync(SHARED)) this.skip();
    const files = jsonFiles(SHARED);
    expect(files).to.have.length.greaterThan(0);
    for (const file of files) {
      expect(readFileSync(file, "utf8")).not.to.contain('"$schema"');
      loadScenarioFile(file);
    }
  });

  it("should still be built from one path and problem", function () {
    const error = new ScenarioFormatError("s.json", "steps[0].amount", "not a decimal ETH amount");
    expect(error.message).to.equal("s.json: steps[0].amount: not a decimal ETH amount");
    expect(error.problems).to.deep.equal([{ path: "steps[0].amount", problem: "not a decimal ETH amount" }]);
  });

  it("should accept any text as $schema: editors use it, the runner does not", function () {
    const text = JSON.stringify({
      $schema: "https://example.invalid/any.json",
      name: "any-schema",
      description: "d",
      system: "zk",
      steps: [{ do: "wait", seconds: 1 }],
    });
    expect(parseScenario(text, "s.json").steps).to.have.length(1);
  });

  it("should report every problem of a file, each with its JSON path, in file order", function () {
    const text = JSON.stringify({
      name: "three-problems",
      description: "Three mistakes in three places.",
      system: "optimistic",
      steps: [
        { do: "deposit", from: "alice", amount: "1.5e3" },
        { do: "transfer", from: "alice", to: "Bob", amount: "1" },
        { do: "wait", seconds: 60 },
        { do: "expect", l2: { carol: "1" } },
      ],
    });
    let error: ScenarioFormatError | undefined;
    try {
      parseScenario(text, "three.json");
    } catch (e) {
      error = e as ScenarioFormatError;
    }
    expect(error).to.be.instanceOf(ScenarioFormatError);
    expect(error!.problems).to.deep.equal([
      { path: "steps[0].amount", problem: 'not a decimal ETH amount ("1.5e3")' },
      {
        path: "steps[1].to",
        problem: 'not a plain lower-case name ("Bob"): use letters and digits, like "alice"',
      },
      { path: "steps[3].l2.carol", problem: '"carol" appears in no step before this expect' },
    ]);
    expect(error!.message).to.equal(
      "three.json: 3 problems\n" +
        '  steps[0].amount: not a decimal ETH amount ("1.5e3")\n' +
        '  steps[1].to: not a plain lower-case name ("Bob"): use letters and digits, like "alice"\n' +
        '  steps[3].l2.carol: "carol" appears in no step before this expect',
    );
  });

  it("should report problems in the parameters, the top level and a step together", function () {
    const text = JSON.stringify({
      name: "Not Kebab",
      description: "x",
      system: "channels",
      params: { disputePeriod: 0, bond: "1" },
      steps: [{ do: "open", a: "alice", b: "alice", deposit: { alice: "1" } }, { do: "dance" }],
      version: 2,
    });
    const problems = (() => {
      try {
        parseScenario(text, "many.json");
      } catch (e) {
        return (e as ScenarioFormatError).problems.map((p) => p.path);
      }
      return [];
    })();
    expect(problems).to.deep.equal([
      "name",
      "params.disputePeriod",
      "params.bond",
      "steps[0].b",
      "steps[1].do",
      "version",
    ]);
  });

  it("should accept the scenario examples of docs/scenarios.md", function () {
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "scenarios.md"), "utf8");
    const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((text) => text.includes('"description"'));
    expect(examples).to.have.length.greaterThan(0);
    for (const text of examples) parseScenario(text, "docs/scenarios.md");
  });

  it("should keep a step's fields as written", function () {
    const text = JSON.stringify({
      name: "kept",
      description: "kept as written",
      system: "optimistic",
      steps: [{ do: "transfer", from: "alice", to: "bob", amount: "1", fee: "0.001", note: "n" }],
    });
    expect(parseScenario(text, "kept.json").steps[0]).to.deep.equal({
      do: "transfer",
      from: "alice",
      to: "bob",
      amount: "1",
      fee: "0.001",
      note: "n",
    });
    expect(parseScenario(text, "kept.json").params).to.deep.equal({});
  });

  it("should report the line and column of a syntax error on a later line", function () {
    const text = '{\n  "name": "x",\n  "steps": [\n    { "do": "wait" "seconds": 1 }\n  ]\n}\n';
    expect(() => parseScenario(text, "s.json")).to.throw(
      ScenarioFormatError,
      's.json: line 4, column 20: malformed JSON: unexpected "\\"", expected "," or "}"',
    );
  });
});

describe("# the scenario JSON Schema", function () {
  it(`should be committed as ${JSON_SCHEMA_PATH} exactly as the definition generates it`, async function () {
    expect(
      await scenarioJsonSchemaIsCurrent(ROOT),
      `${JSON_SCHEMA_PATH} is out of date: run \`npx hardhat scenario-schema\``,
    ).to.equal(true);
  });

  it("should be named by every scenario file of the project, by relative path", function () {
    const schemaFile = resolve(ROOT, JSON_SCHEMA_PATH);
    for (const file of VALID_FOLDERS.flatMap(jsonFiles)) {
      const { $schema } = JSON.parse(readFileSync(file, "utf8")) as { $schema?: string };
      expect($schema, file).to.be.a("string");
      expect(resolve(dirname(file), $schema!), file).to.equal(schemaFile);
    }
  });

  // A JSON Schema validator (ajv, as editors use) agrees with the runtime check
  // wherever JSON Schema can state the rule; the rest is listed in `$comment`.
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(scenarioJsonSchema());
  const RUNTIME_ONLY = new Set([
    "route-wrong-payer.json",
    "expect-unknown-person.json",
    "expect-before-person.json",
    "deposit-missing-side.json",
    "channel-balance-outsider.json",
    "attack-self-victim.json",
  ]);

  it("should accept every valid file", function () {
    const files = [...VALID_FOLDERS, ...(existsSync(SHARED) ? [SHARED] : [])].flatMap(jsonFiles);
    for (const file of files) {
      expect(validate(JSON.parse(readFileSync(file, "utf8"))), `${file}: ${JSON.stringify(validate.errors)}`).to.equal(
        true,
      );
    }
  });

  it("should refuse every invalid fixture but those only the runtime check can judge", function () {
    for (const file of readdirSync(INVALID).filter((f) => f.endsWith(".json"))) {
      const valid = validate(JSON.parse(readFileSync(join(INVALID, file), "utf8")));
      expect(valid, file).to.equal(RUNTIME_ONLY.has(file));
    }
  });

  it("should state in $comment the rules it leaves to the runtime check", function () {
    const comment = String(scenarioJsonSchema().$comment);
    for (const words of [
      "earlier step",
      "starts at the payer",
      "each side of open has a deposit",
      "other than itself",
    ]) {
      expect(comment).to.contain(words);
    }
  });
});

describe("# ethToWei", function () {
  it("should convert exactly, without floating point", function () {
    expect(ethToWei("0.1")).to.equal(10n ** 17n);
    expect(ethToWei("1.000000000000000001")).to.equal(10n ** 18n + 1n);
    expect(ethToWei("0")).to.equal(0n);
    expect(ethToWei("123456789.5")).to.equal(123456789n * 10n ** 18n + 5n * 10n ** 17n);
  });

  for (const bad of ["", "1.", ".5", "01", "-1", "+1", "1e18", "0x10", " 1", "1.0000000000000000001", "1,5"]) {
    it(`should not accept ${JSON.stringify(bad)}`, function () {
      expect(() => ethToWei(bad)).to.throw(EthAmountError, JSON.stringify(bad));
    });
  }

  it("should round-trip any wei amount through weiToEth", function () {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 160n }), (wei) => {
        expect(ethToWei(weiToEth(wei))).to.equal(wei);
      }),
    );
  });

  it("should round-trip any decimal amount to its shortest form", function () {
    const decimal = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.stringMatching(/^[0-9]{0,18}$/))
      .map(([whole, fraction]) => (fraction ? `${whole}.${fraction}` : `${whole}`));
    fc.assert(
      fc.property(decimal, (s) => {
        const shortest = s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
        expect(weiToEth(ethToWei(s))).to.equal(shortest);
      }),
    );
  });
});
