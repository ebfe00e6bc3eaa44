/**
 * `npx hardhat bench [--quick] [--out DIR] [--hardfork NAME] [--systems LIST] [--assumptions FILE] [--update-snapshot]`
 * A thin shell over src/bench/main.ts.
 */
import { task, types } from "hardhat/config";
import type { BenchSystem } from "../src/bench/types";

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
  .addOptionalParam(
    "systems",
    "comma-separated systems to measure (l1, optimistic, zk, channels; default all)",
    undefined,
    types.string,
  )
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
        systems?: string;
      },
      hre,
    ) => {
      // The workloads reset the chain between runs (hardhat_reset), which only a development chain allows.
      const { requireDevelopmentChain } = await import("../src/devnet/network");
      await requireDevelopmentChain(hre, "the benchmark (it resets the chain between workloads)");
      await hre.run("compile", { quiet: true });
      const { benchCommand, runWorker } = await import("../src/bench/main");
      const systems = args.systems
        ?.split(",")
        .map((name: string) => name.trim())
        .filter((name: string) => name.length > 0) as BenchSystem[] | undefined;
      if (args.workerOut) {
        await runWorker(hre, args.quick ? "quick" : "full", args.workerOut, args.assumptions, systems);
        return;
      }
      await benchCommand(hre, {
        quick: args.quick,
        outDir: args.out,
        hardfork: args.hardfork,
        assumptionsPath: args.assumptions,
        updateSnapshot: args.updateSnapshot,
        docs: !args.noDocs && args.out === undefined,
        systems,
      });
    },
  );
