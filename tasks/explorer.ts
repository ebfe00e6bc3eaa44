/**
 * `npx hardhat explorer --network X [--port N] [--optimistic-node URL] [--zk-node URL] [--watchtower URL]
 * [--channel-node alice=URL,bob=URL]`: serves the read-only
 * explorer page on 127.0.0.1 (src/explorer/server.ts; what it shows: docs/explorer.md). Stops on Ctrl-C.
 */
import { task, types } from "hardhat/config";
import type { ExplorerTaskArgs } from "../src/explorer/main";

task("explorer", "Serves a live, read-only page of the chain's rollups, channels and gas on 127.0.0.1")
  .addOptionalParam("port", "port on 127.0.0.1 (0: a free one)", 0, types.int)
  .addOptionalParam(
    "deployment",
    "deployment record (default .devnet/<chainId>/deployment.json, if it exists)",
    undefined,
    types.string,
  )
  .addOptionalParam("optimisticNode", "URL of the optimistic L2 node's API", undefined, types.string)
  .addOptionalParam("zkNode", "URL of the zk L2 node's API", undefined, types.string)
  .addOptionalParam("watchtower", "URL of the watchtower's API", undefined, types.string)
  .addOptionalParam(
    "channelNode",
    "channel nodes' APIs, comma-separated name=URL pairs (alice=http://127.0.0.1:N,bob=...)",
    undefined,
    types.string,
  )
  .setAction(async (args: ExplorerTaskArgs, hre) => {
    const { runExplorer } = await import("../src/explorer/main");
    await runExplorer(hre, args);
  });
