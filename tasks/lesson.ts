/**
 * `npm run lesson -- N` (`npx hardhat lesson N`): runs lesson N's checks (test/lessons/0N-*.test.ts) and
 * ends with a summary in plain words: how many of the learner's checks pass, counted apart from the
 * reference solution's, and what is still missing. `npx hardhat lesson all --verify` is what CI runs: it
 * fails unless the reference solution passes every check and the untouched exercise passes none.
 */
import { execFileSync } from "child_process";
import { readdirSync } from "fs";
import { join, relative } from "path";
import { task, types } from "hardhat/config";

task("lesson", "Runs one lesson's checks and says what is still missing (docs/lessons)")
  .addPositionalParam("number", 'the lesson\'s number (1, 2, ... or "07"), or "all"', undefined, types.string)
  .addFlag("verify", "CI: the reference solution passes every check and the untouched exercise passes none")
  .setAction(async (args: { number: string; verify: boolean }, hre) => {
    const root = hre.config.paths.root;
    const testDir = join(root, "test", "lessons");
    const lessons = readdirSync(testDir)
      .filter((f) => /^\d\d-.+\.test\.ts$/.test(f))
      .sort()
      .map((f) => f.replace(/\.test\.ts$/, ""));
    const wanted =
      args.number === "all" ? lessons : lessons.filter((l) => Number(l.slice(0, 2)) === Number(args.number));
    if (wanted.length === 0) {
      console.error(`no lesson ${JSON.stringify(args.number)}; the lessons are: ${lessons.join(", ")} (or "all")`);
      process.exitCode = 1;
      return;
    }
    if (args.verify) {
      // "Untouched" means as committed: a learner's edits would make the exercise pass, as intended.
      const changed = wanted.filter((l) => !untouched(root, join("docs", "lessons", l, "exercise.ts")));
      if (changed.length > 0) {
        console.error(`--verify needs the exercises as committed; changed here: ${changed.join(", ")}`);
        process.exitCode = 1;
        return;
      }
    }

    const reporter = await import("../test/lessons/reporter");
    hre.config.mocha.reporter = reporter.default as unknown as string;
    await hre.run("test", { testFiles: wanted.map((l) => join(testDir, `${l}.test.ts`)) });

    const lines: string[] = [""];
    for (const lesson of wanted) lines.push(...reporter.summarize(lesson, reporter.results), "");
    if (args.verify) {
      const problems = wanted.flatMap((l) => reporter.unsolvableBothWays(l, reporter.results));
      lines.push(
        problems.length === 0
          ? `every exercise of ${wanted.join(", ")} is solvable both ways: the reference passes all its checks, the untouched exercise none`
          : `not solvable both ways:\n${problems.map((p) => `  ${p}`).join("\n")}`,
      );
      process.exitCode = problems.length === 0 ? 0 : 1;
    } else {
      // Not yet finished is not an error for a learner; a failing check is.
      const failed = reporter.results.some((r) => r.outcome === "failed");
      process.exitCode = failed ? 1 : 0;
      lines.push(`(${relative(root, testDir)}; docs: docs/lessons/)`);
    }
    console.log(lines.join("\n"));
  });

/** True when git knows the file and it has no change against HEAD (false too when git is unavailable). */
function untouched(root: string, file: string): boolean {
  try {
    execFileSync("git", ["diff", "--quiet", "HEAD", "--", file], { cwd: root, stdio: "ignore" });
    execFileSync("git", ["ls-files", "--error-unmatch", file], { cwd: root, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
