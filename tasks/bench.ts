/**
 * `npx hardhat bench [--quick] [--out DIR] [--hardfork NAME] [--assumptions FILE] [--update-snapshot]`
 * A thin shell over src/bench/main.ts.
 */
import { task, types } from "hardhat/config";

task("bench", "Measures L1 gas per L2 transaction for every system and writes the report, CSV, JSON and charts")
  .addFlag("quick", "small batches only (the gas snapshot profile)")
  .addOptionalParam("out", "output directory (default bench/out)", undefined, types.string)
  .addOptionalParam(
    "hardfork",
    "measure under this hardfork only (default: osaka and cancun; quick: the current one)",
    undefined,
    types.string,
  )
  .addOptionalParam("assumptions", "JSON file overriding the economics model's prices", undefined, types.inputFile)
  .addFlag("updateSnapshot", "rewrite bench/snapshot.json from the quick profile")
  .addFlag("noDocs", "do not rewrite docs/benchmarks.md after a full run")
  .addOptionalParam(
    "workerOut",
    "internal: measure in this process only and write the rows to this file",
    undefined,
    types.string,
  )
  .setAction(
    async (
      args: {
        quick: boolean;
        out?: string;
        hardfork?: string;
        assumptions?: string;
        updateSnapshot: boolean;
        noDocs: boolean;
        workerOut?: string;
      },
      hre,
    ) => {
      await hre.run("compile", { quiet: true });
      const { benchCommand, runWorker } = await import("../src/bench/main");
      if (args.workerOut) {
        await runWorker(hre, args.quick ? "quick" : "full", args.workerOut, args.assumptions);
        return;
      }
      await benchCommand(hre, {
        quick: args.quick,
        outDir: args.out,
        hardfork: args.hardfork,
        assumptionsPath: args.assumptions,
        updateSnapshot: args.updateSnapshot,
        docs: !args.noDocs && args.out === undefined,
      });
    },
  );
