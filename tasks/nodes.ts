/**
 * `npx hardhat optimistic-node --network X` and `npx hardhat zk-node --network X`: the L2 nodes of the two rollups
 * as long-running processes (HTTP JSON API on 127.0.0.1, batches on a timer or when full, an fsync'd journal,
 * recovery from L1 plus the journal). Thin shells over src/node/; the API is in docs/devnet.md.
 */
import { task, types } from "hardhat/config";
import type { ConfigurableTaskDefinition } from "hardhat/types";
import type { NodeTaskArgs } from "../src/node/process";

function nodeParams(
  definition: ConfigurableTaskDefinition,
  interval: number,
  size: number,
): ConfigurableTaskDefinition {
  return definition
    .addOptionalParam(
      "deployment",
      "deployment record (default .devnet/<chainId>/deployment.json)",
      undefined,
      types.string,
    )
    .addOptionalParam("port", "port on 127.0.0.1 (0: a free one)", 0, types.int)
    .addOptionalParam("journal", "journal file (default beside the deployment record)", undefined, types.string)
    .addOptionalParam("batchInterval", "milliseconds between batches when anything is pending", interval, types.int)
    .addOptionalParam("batchSize", "post as soon as this many L2 txs are pending", size, types.int)
    .addOptionalParam("rate", "requests per second each client may send (token bucket refill)", 20, types.int)
    .addOptionalParam("burst", "requests each client may send at once", 40, types.int)
    .addOptionalParam("maxBody", "largest request body in bytes", 16 * 1024, types.int);
}

nodeParams(
  task("optimistic-node", "Runs the optimistic rollup's L2 node: HTTP API, batches, journal, recovery"),
  5_000,
  64,
).setAction(async (args: NodeTaskArgs, hre) => {
  const { runOptimisticNode } = await import("../src/node/optimistic-main");
  await runOptimisticNode(hre, args);
  process.exit(0);
});

nodeParams(
  task("zk-node", "Runs the zk rollup's L2 node: HTTP API, proven batches on a timer, journal, recovery"),
  10_000,
  2,
).setAction(async (args: NodeTaskArgs, hre) => {
  const { runZkNode } = await import("../src/node/zk-main");
  await runZkNode(hre, args);
  process.exit(0);
});
