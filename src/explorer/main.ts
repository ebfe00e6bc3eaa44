/**
 * The `explorer` task's body: finds the chain's URL and deployment record, starts the server, announces it,
 * and stops on SIGINT/SIGTERM.
 */
import { existsSync } from "node:fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deploymentPath, readDeployment } from "../devnet/deployment";
import { announceReady } from "../devnet/ready";
import { ExplorerSetupError, startExplorer } from "./server";

export interface ExplorerTaskArgs {
  port: number;
  deployment?: string;
  optimisticNode?: string;
  zkNode?: string;
  watchtower?: string;
  /** `alice=http://127.0.0.1:N,bob=...` */
  channelNode?: string;
}

/** `--channel-node alice=http://127.0.0.1:N,bob=...` as a name → URL record. */
export function parseChannelNodes(value: string | undefined): Record<string, string> {
  const nodes: Record<string, string> = {};
  for (const pair of (value ?? "").split(",").map((p) => p.trim())) {
    if (pair.length === 0) continue;
    const match = /^([a-z][a-z0-9-]{0,31})=(https?:\/\/[^\s,]+)$/.exec(pair);
    if (!match) throw new ExplorerSetupError(`--channel-node ${pair}: expected name=http://host:port`);
    nodes[match[1]] = match[2].replace(/\/$/, "");
  }
  return nodes;
}

export async function runExplorer(hre: HardhatRuntimeEnvironment, args: ExplorerTaskArgs): Promise<void> {
  const config = hre.network.config as { url?: string };
  if (!config.url) {
    throw new ExplorerSetupError(
      `network "${hre.network.name}" has no URL: the page reads a running chain (try --network localhost)`,
    );
  }
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  const path = args.deployment ?? deploymentPath(chainId);
  // Without a record the page still shows every rollup and channel contract whose events it finds.
  const deployment = args.deployment !== undefined || existsSync(path) ? readDeployment(path) : undefined;
  const explorer = await startExplorer({
    rpcUrl: config.url,
    port: args.port,
    deployment,
    optimisticNode: args.optimisticNode,
    zkNode: args.zkNode,
    watchtower: args.watchtower,
    channelNodes: parseChannelNodes(args.channelNode),
  });
  console.error(
    `explorer: ${explorer.url} reads chain ${chainId} at ${config.url}` +
      (deployment ? ` (deployment ${path})` : " (no deployment record: every contract found by its events)"),
  );
  announceReady({ ready: "explorer", url: explorer.url });
  await new Promise<void>((stop) => {
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await explorer.close();
}
