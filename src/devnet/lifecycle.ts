/**
 * What every long-running devnet process shares: where its deployment record is, and staying up until SIGINT or
 * SIGTERM, then stopping what it started and leaving with status 0.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Deployment, deploymentPath, readDeployment } from "./deployment";
import { loadKzg, type Kzg } from "../encoding/kzg";

/** The deployment record at `path`, or at the default path of the network's chain. */
export async function loadDeployment(
  hre: HardhatRuntimeEnvironment,
  path?: string,
): Promise<{ deployment: Deployment; path: string; chainId: bigint }> {
  const { chainId } = await hre.ethers.provider.getNetwork();
  const file = path && path.length > 0 ? path : deploymentPath(chainId);
  const deployment = readDeployment(file);
  if (BigInt(deployment.chainId) !== chainId) {
    throw new Error(`${file}: the record is for chain ${deployment.chainId}, the network is chain ${chainId}`);
  }
  return { deployment, path: file, chainId };
}

/** Resolves on the first SIGINT or SIGTERM, after `stop` ran. */
export function untilSignalled(name: string, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.stderr.write(`${name}: ${signal}, stopping\n`);
      stop()
        .catch((error: unknown) => process.stderr.write(`${name}: while stopping: ${(error as Error).message}\n`))
        .finally(() => resolve());
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** A process option parsed as a port (0 = a free one). */
export function portOption(value: string | number | undefined): number {
  const port = Number(value ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${value}: not a port number`);
  return port;
}

/**
 * KZG for a process of a devnet that runs the blob archive (the record names it), loaded before the process makes
 * its first RPC request: loading blocks the event loop for seconds, long enough for the node to close a kept-alive
 * connection under a request just being sent ("other side closed"). Undefined when there is no archive, or no
 * record path to read it from yet (the caller then loads KZG itself).
 */
export async function kzgBeforeRpc(path: string | undefined): Promise<Kzg | undefined> {
  if (!path) return undefined;
  let archive: string | undefined;
  try {
    archive = readDeployment(path).optimistic?.archive;
  } catch {
    return undefined; // loadDeployment reports a missing or bad record with its reasons
  }
  return archive ? loadKzg() : undefined;
}
