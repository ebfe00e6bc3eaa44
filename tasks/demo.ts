/**
 * `npm run demo` (`npx hardhat demo`): tells the same kind of story on each
 * system in turn (fraud caught, validity proven, a routed payment and a
 * punished cheat) on a fresh in-process chain, then sums up. Systems not
 * built yet are named as such; the exit status is 0 when every one that is
 * built passes.
 */
import { join } from "path";
import { task } from "hardhat/config";
import type { SystemName } from "../src/scenario/types";

const DEMOS: { system: SystemName; file: string }[] = [
  { system: "optimistic", file: "scenarios/optimistic-fraud-caught.json" },
  { system: "zk", file: "scenarios/zk-validity.json" },
  { system: "channels", file: "scenarios/channels-route-and-penalty.json" },
];

task("demo", "Runs one scenario per system on a fresh in-process chain and sums up").setAction(async (_args, hre) => {
  const pc = (await import("picocolors")).default;
  const { loadScenarioFile } = await import("../src/scenario/validate");
  const { runScenario, ScenarioSetupError } = await import("../src/scenario/runner");
  const { failureOf } = await import("../src/scenario/result");
  const { isImplemented } = await import("../src/scenario/systems");
  const { compileContracts, ContractsDoNotCompileError } = await import("../src/scenario/compile");

  const summary: { system: SystemName; status: string; ok: boolean | null; gas: number; seconds: number }[] = [];
  let compiled = false;
  for (const { system, file } of DEMOS) {
    if (!isImplemented(system)) {
      console.log(pc.yellow(`${system}: not implemented yet`));
      summary.push({ system, status: "not implemented yet", ok: null, gas: 0, seconds: 0 });
      continue;
    }
    if (!compiled) {
      try {
        await compileContracts(hre);
      } catch (e) {
        if (!(e instanceof ContractsDoNotCompileError)) throw e;
        console.error(pc.red(`demo: ${e.message}`));
        process.exitCode = 1;
        return;
      }
      compiled = true;
    }
    const scenario = loadScenarioFile(join(hre.config.paths.root, file));
    // A fresh chain for every story, so none leans on another's state.
    if (hre.network.name === "hardhat") await hre.network.provider.send("hardhat_reset", []);
    console.log("");
    const started = Date.now();
    const seconds = (): number => (Date.now() - started) / 1000;
    try {
      const result = await runScenario(hre, scenario, { source: file });
      const gas = result.steps.reduce((sum, s) => sum + (s.l1Gas ?? 0), 0);
      const status = result.ok ? `${result.steps.length} steps passed` : (failureOf(result) ?? "failed");
      summary.push({ system, status, ok: result.ok, gas, seconds: seconds() });
    } catch (e) {
      if (!(e instanceof ScenarioSetupError)) throw e;
      console.log(pc.red(e.message));
      summary.push({ system, status: e.problem, ok: false, gas: 0, seconds: seconds() });
    }
  }

  console.log(`\n${pc.bold("Summary")}`);
  for (const s of summary) {
    const mark = s.ok === null ? pc.yellow("-") : s.ok ? pc.green("✓") : pc.red("✗");
    const gas = s.ok === null ? "" : pc.dim(`  (L1 gas ${s.gas.toLocaleString("en-US")}, ${s.seconds.toFixed(1)} s)`);
    console.log(`  ${mark} ${s.system.padEnd(10)} ${s.status}${gas}`);
  }
  const failed = summary.filter((s) => s.ok === false).length;
  const passed = summary.filter((s) => s.ok === true).length;
  const missing = summary.length - failed - passed;
  console.log(`${passed} passed, ${failed} failed, ${missing} not implemented yet`);
  if (failed > 0) process.exitCode = 1;
});
