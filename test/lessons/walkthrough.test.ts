/**
 * A lesson's walk-through must not hand over its exercises' answers: wherever "Walk through the code" or
 * "Things to run" names the project code or file that answers an exercise, the same sentence says to read
 * it after that exercise; and no line of the reference solution's code appears in the lesson's README.
 */
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";

const LESSONS = join(__dirname, "..", "..", "docs", "lessons");

/** Per lesson, the names in the project that answer its exercises (functions, files). */
const ANSWERS: Record<string, string[]> = {
  "01-rollup-state": ["`computeRoot`", "`hashDeposit`"],
  "02-optimistic-fraud-proofs": ["`_slash`", "optimistic-fraud-caught.json", "optimistic-fault-forged-signature.json"],
  "03-zk-validity": ["`encodeFloat`", "`batchCommitment`"],
  "04-payment-channels": ["channels-watchtower.json", "htlcDelta` less"],
  "05-gas": ["`floorCalldataGas`", "`chargedGas`", "`blobsNeeded`"],
  // The walk-through points at the defence on purpose: finding it is the lesson, deleting it the exercise.
  "07-attacks": [],
};

/** The sections of a README that lead the learner before the exercises. */
function walkThrough(readme: string): string {
  const start = readme.indexOf("## Walk through the code");
  const end = readme.indexOf("## Exercises");
  expect(start, "a lesson has a walk-through").to.be.greaterThan(-1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Sentences (or list items, or shell comment lines), each on one line. */
function sentences(text: string): string[] {
  return text
    .replace(/\n(?!\d+\. |```|npx )\s*/g, " ")
    .split(/(?<=\.)\s+(?=[A-Z`])|\n/)
    .filter((s) => s.trim() !== "");
}

describe("# lesson walk-throughs", function () {
  for (const [lesson, answers] of Object.entries(ANSWERS)) {
    it(`should not hand over the answers of ${lesson}`, function () {
      const readme = readFileSync(join(LESSONS, lesson, "README.md"), "utf8");
      for (const sentence of sentences(walkThrough(readme))) {
        for (const answer of answers) {
          if (sentence.includes(answer)) {
            expect(sentence, `${lesson}: names ${answer} without saying to read it after the exercise`).to.match(
              /after (the )?exercises?/,
            );
          }
        }
      }
      const solution = readFileSync(join(LESSONS, lesson, "solution.ts"), "utf8");
      const codeLines = solution
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length >= 25 && !/^(\/\/|\/\*|\*|import|export type)/.test(line));
      for (const line of codeLines) expect(readme, `${lesson}: the README quotes solution.ts`).not.to.contain(line);
    });
  }
});
