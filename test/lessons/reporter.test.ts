/**
 * What `npm run lesson -- N` says after the checks: the learner's checks counted apart from the reference
 * solution's, what is still missing in plain words, and the CI verdict on solvability both ways.
 */
import { expect } from "chai";
import { plainError, summarize, unsolvableBothWays, type CheckResult } from "./reporter";

const check = (
  block: CheckResult["block"],
  exercise: string,
  title: string,
  outcome: CheckResult["outcome"],
  error?: string,
): CheckResult => ({
  lesson: "01-rollup-state",
  block,
  exercise,
  title,
  outcome,
  error,
});

const untouched: CheckResult[] = [
  check("exercise", "computeRoot", "should give the root", "pending"),
  check("exercise", "nextChainHash", "should follow the chain", "pending"),
  check("solution", "computeRoot", "should give the root", "passed"),
  check("solution", "nextChainHash", "should follow the chain", "passed"),
];

describe("# lesson summary", function () {
  it("should count the learner's checks apart from the reference's and name what is not written yet", function () {
    expect(summarize("01-rollup-state", untouched)).to.deep.equal([
      "Lesson 01-rollup-state",
      "  your exercise.ts: 0 of 2 checks pass, 0 fail, 2 wait for your code",
      "  reference solution.ts: 2 of 2 checks pass",
      "Still missing:",
      "  - computeRoot: not written yet (it still throws NotYetImplemented; 1 check waits for it)",
      "  - nextChainHash: not written yet (it still throws NotYetImplemented; 1 check waits for it)",
    ]);
  });

  it("should show a failing check with its message, and say when everything passes", function () {
    const failing = [...untouched];
    failing[0] = check(
      "exercise",
      "computeRoot",
      "should give the root",
      "failed",
      "index 3, leaf 0x01: root 0x02 expected, yours is 0x03",
    );
    failing[1] = check("exercise", "nextChainHash", "should follow the chain", "passed");
    expect(summarize("01-rollup-state", failing).slice(1)).to.deep.equal([
      "  your exercise.ts: 1 of 2 checks pass, 1 fail, 0 wait for your code",
      "  reference solution.ts: 2 of 2 checks pass",
      "Still missing:",
      '  - computeRoot: "should give the root" fails: index 3, leaf 0x01: root 0x02 expected, yours is 0x03',
    ]);
    const done = untouched.map((r) => ({ ...r, outcome: "passed" as const }));
    expect(summarize("01-rollup-state", done).at(-1)).to.equal("Done: every check of yours passes.");
  });

  it("should prove solvable both ways only when the reference passes all and the untouched exercise none", function () {
    expect(unsolvableBothWays("01-rollup-state", untouched)).to.deep.equal([]);
    const leaky = [check("exercise", "computeRoot", "should give the root", "passed"), untouched[2]];
    expect(unsolvableBothWays("01-rollup-state", leaky)).to.deep.equal([
      '01-rollup-state (exercise): "should give the root" passes with the untouched exercise: it checks nothing of it',
    ]);
    const broken = [untouched[0], check("solution", "computeRoot", "should give the root", "failed", "boom")];
    expect(unsolvableBothWays("01-rollup-state", broken)).to.deep.equal([
      '01-rollup-state (solution): "should give the root" failed: boom',
    ]);
  });

  it("should keep the check's own words and the failing input from a failure", function () {
    const property = new Error("Property failed after 1 tests\n{ seed: 1 }\nCounterexample: [3n]\nShrunk 0 time(s)");
    expect(plainError(property)).to.equal("fails for the input [3n]");
    const withCause = Object.assign(new Error("Property failed after 2 tests"), {
      cause: new Error("index 3, leaf 0x01: root 0x02 expected, yours is 0x03: expected '0x03…' to equal '0x02…'"),
    });
    expect(plainError(withCause)).to.equal("index 3, leaf 0x01: root 0x02 expected, yours is 0x03");
    expect(plainError(new Error("2 hops: expected [ 1, 2 ] to deeply equal [ 2, 1 ]"))).to.equal(
      "2 hops: expected [ 1, 2 ] to deeply equal [ 2, 1 ]",
    );
  });
});
