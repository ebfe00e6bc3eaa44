/**
 * What every long-running devnet process shares: where its deployment record is, and staying up until SIGINT or
 * SIGTERM, then stopping what it started and leaving with status 0.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Deployment, deploymentPath, readDeployment } from "./deployment";

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
