/**
 * `npx hardhat scenario FILE [--json OUT]`: validates a scenario file, then
 * runs it step by step (src/scenario/runner.ts). Exit status 0 only when every
 * step did what it said; a file that breaks the format is refused before
 * anything is compiled, deployed or sent.
 */
import { writeFileSync } from "fs";
import { task, types } from "hardhat/config";

task("scenario", "Runs a scenario file (format: docs/scenarios.md) step by step against the network")
  .addPositionalParam("file", "path to the scenario .json file", undefined, types.string)
  .addOptionalParam("json", "also write the result as JSON to this path", undefined, types.string)
  .addFlag("check", "only validate the file: nothing is compiled, deployed or sent")
  .setAction(async (args: { file: string; json?: string; check?: boolean }, hre) => {
    // Lazy imports: loading a task file must stay cheap for every other hardhat command.
    const { loadScenarioFile, peopleInFileOrder, ScenarioFormatError } = await import("../src/scenario/validate");
    const { runScenario, ScenarioSetupError } = await import("../src/scenario/runner");
    const { isImplemented } = await import("../src/scenario/systems");
    const { compileContracts, ContractsDoNotCompileError } = await import("../src/scenario/compile");

    let scenario;
    try {
      scenario = loadScenarioFile(args.file);
    } catch (e) {
      if (!(e instanceof ScenarioFormatError)) throw e;
      console.error(e.message);
      process.exitCode = 1;
      return;
    }

    if (args.check) {
      const people = peopleInFileOrder(scenario).join(", ");
      console.log(`${args.file}: valid ${scenario.system} scenario, ${scenario.steps.length} steps, people: ${people}`);
      return;
    }
    if (!isImplemented(scenario.system)) {
      console.error(`${args.file}: the ${scenario.system} system is not implemented yet`);
      process.exitCode = 1;
      return;
    }
    const { developmentChainSteps, isDevelopmentChain, NotADevelopmentChainError } =
      await import("../src/devnet/network");
    const needDevChain = developmentChainSteps(scenario.steps);
    if (needDevChain.length > 0 && !(await isDevelopmentChain(hre))) {
      const { clientVersion } = await import("../src/devnet/network");
      const what = `${args.file}: ${needDevChain.join(", ")}`;
      console.error(new NotADevelopmentChainError(what, hre.network.name, await clientVersion(hre)).message);
      process.exitCode = 1;
      return;
    }
    try {
      await compileContracts(hre);
      const result = await runScenario(hre, scenario, { source: args.file });
      if (args.json) {
        writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
        console.error(`result written to ${args.json}`);
      }
      if (!result.ok) process.exitCode = 1;
    } catch (e) {
      if (!(e instanceof ScenarioSetupError || e instanceof ContractsDoNotCompileError)) throw e;
      console.error(e instanceof ContractsDoNotCompileError ? `${args.file}: ${e.message}` : e.message);
      process.exitCode = 1;
    }
  });
