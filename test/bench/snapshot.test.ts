/**
 * Gas regression check: the quick benchmark profile's gas, row by row, must equal the committed
 * bench/snapshot.json exactly. After an intended change, run `npx hardhat bench --update-snapshot`
 * and commit the new snapshot, so the gas difference shows in review.
 *
 * The profile runs in a child Hardhat process: the benchmark resets its chain before each system,
 * which must not disturb the fixtures of the other test files in this process.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import hre from "hardhat";
import { buildSnapshot, diffSnapshots, readSnapshot } from "../../src/bench/snapshot";
import type { BenchRow } from "../../src/bench/types";

function runQuickProfile(hardfork: string, file: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [require.resolve("hardhat/internal/cli/cli"), "bench", "--quick", "--worker-out", file],
      {
        cwd: hre.config.paths.root,
        env: { ...process.env, L2LAB_HARDFORK: hardfork },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0 ? done() : fail(new Error(`bench --quick exited with ${code}:\n${stderr.slice(-2000)}`)),
    );
  });
}

describe("bench: gas snapshot", function () {
  describe("# quick profile", function () {
    it("should use exactly the gas recorded in bench/snapshot.json", async function () {
      const expected = readSnapshot(join(hre.config.paths.root, "bench", "snapshot.json"));
      const dir = mkdtempSync(join(tmpdir(), "l2lab-snapshot-"));
      try {
        const file = join(dir, "rows.json");
        await runQuickProfile(expected.hardfork, file);
        const { rows, gaps } = JSON.parse(readFileSync(file, "utf8")) as {
          rows: BenchRow[];
          gaps: { system: string; what: string; reason: string }[];
        };
        const actual = buildSnapshot(rows, expected.hardfork);
        const differences = diffSnapshots(expected, actual);
        const gapLines = gaps.map((g) => `not measured: ${g.system} ${g.what}: ${g.reason}`);
        expect(
          [...differences, ...(differences.length ? gapLines : [])],
          "gas differs from bench/snapshot.json (update with `npx hardhat bench --update-snapshot` if intended)",
        ).to.deep.equal([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
