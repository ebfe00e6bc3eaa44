/**
 * Runs every scenario file of the project (scenarios/) and, when present,
 * the shared ones (../shared/scenarios, beside the clone), each from a clean
 * chain. Files of a system that is not implemented yet are validated, then
 * reported as pending.
 */
import { expect } from "chai";
import hre from "hardhat";
import { existsSync, readdirSync, readFileSync } from "fs";
import { join, relative, resolve } from "path";
import { parseScenario } from "../../src/scenario/validate";
import { runScenario } from "../../src/scenario/runner";
import { failureOf } from "../../src/scenario/result";
import { isImplemented } from "../../src/scenario/systems";

const ROOT = resolve(__dirname, "..", "..");
const FOLDERS = [join(ROOT, "scenarios"), resolve(ROOT, "..", "shared", "scenarios")];

function scenarioFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(folder, f));
}

/** Files already run, by content: a shared copy of a project file is not run twice (`$schema` aside). */
const runByContent = new Map<string, string>();

for (const folder of FOLDERS) {
  const label = relative(ROOT, folder) || ".";
  describe(`# scenarios in ${label}`, function () {
    if (!existsSync(folder)) {
      it(`should run the files of ${label} (absent here)`, function () {
        this.skip();
      });
      return;
    }

    after(async function () {
      // snarkjs keeps worker threads alive; zk scenarios start them.
      await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
    });

    for (const file of scenarioFiles(folder)) {
      const name = relative(ROOT, file);
      it(`should run ${name} and every step should hold`, async function () {
        const text = readFileSync(file, "utf8");
        const scenario = parseScenario(text, name);
        if (!isImplemented(scenario.system)) {
          // Pending until the system lands; the file itself is already known to be valid.
          this.test!.title += ` (pending: the ${scenario.system} system is not implemented yet)`;
          this.skip();
        }
        const content = JSON.stringify({ ...(JSON.parse(text) as object), $schema: undefined });
        const twin = runByContent.get(content);
        if (twin) {
          this.test!.title += ` (same file as ${twin}, run above)`;
          this.skip();
        }
        runByContent.set(content, name);
        // A first zk run builds its development setup before proving; a loaded machine is slow.
        this.timeout(30 * 60_000);
        const lines: string[] = [];
        const snapshot: string = await hre.network.provider.send("evm_snapshot", []);
        try {
          const result = await runScenario(hre, scenario, { source: name, print: (l) => lines.push(l), color: false });
          expect(result.ok, `${failureOf(result)}\n${lines.join("\n")}`).to.equal(true);
          expect(result.steps).to.have.length(scenario.steps.length);
        } finally {
          await hre.network.provider.send("evm_revert", [snapshot]);
        }
      });
    }
  });
}
