/**
 * What every L2 node process shares: where its deployment record and journal live, its log lines, and a clean
 * stop on SIGINT/SIGTERM (the batch in flight lands, the journal closes, the port is freed).
 */
import { dirname, join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deploymentPath, readDeployment, type Deployment } from "../devnet/deployment";
import { serveJson, type Route, type RunningServer } from "../net/http";

export interface NodeTaskArgs {
  deployment?: string;
  port: number;
  journal?: string;
  batchInterval: number;
  batchSize: number;
  rate: number;
  burst: number;
  maxBody: number;
}

/** One log line on stderr, prefixed by the process name (stdout carries only the ready line). */
export function logger(name: string): (line: string) => void {
  return (line) => process.stderr.write(`${new Date().toISOString()} ${name}: ${line}\n`);
}

export async function loadDeployment(
  hre: HardhatRuntimeEnvironment,
  path: string | undefined,
): Promise<{ deployment: Deployment; path: string; chainId: number }> {
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  const file = path ?? deploymentPath(chainId);
  const deployment = readDeployment(file);
  if (deployment.chainId !== chainId) {
    throw new Error(`${file}: the record is for chain ${deployment.chainId}, but this network is chain ${chainId}`);
  }
  return { deployment, path: file, chainId };
}

/**
 * The default journal of a node: beside the deployment record, named by the hash of the deployment's first block.
 * A dev chain restarted from scratch redeploys at the same addresses with the same signing domain, so a journal
 * named by address alone would hand the new rollup txs signed for the old one; a fresh chain has a fresh block hash.
 */
export async function defaultJournalPath(
  hre: HardhatRuntimeEnvironment,
  deploymentFile: string,
  deployment: Deployment,
  system: "optimistic" | "zk",
): Promise<string> {
  const block = await hre.ethers.provider.getBlock(deployment.fromBlock);
  if (!block?.hash) throw new Error(`block ${deployment.fromBlock} of the deployment is not on this chain`);
  return join(dirname(deploymentFile), `${system}-journal-${block.hash.slice(2, 14)}.jsonl`);
}

/** Resolves once SIGINT or SIGTERM arrives. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/** Serves a node's routes with the task's limits, logging every refusal: the same for both L2 nodes. */
export function serveNode(
  routes: readonly Route[],
  args: NodeTaskArgs,
  log: (line: string) => void,
): Promise<RunningServer> {
  return serveJson(routes, {
    port: args.port,
    maxBodyBytes: args.maxBody,
    rateLimit: { perSecond: args.rate, burst: args.burst },
    onRequest: (r) => {
      if (r.status >= 400) log(`${r.method} ${r.path} from ${r.client}: refused ${r.status}`);
    },
  });
}
