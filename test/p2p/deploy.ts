/**
 * Deploys on a test's `hardhat node` child through the same deploy code the CLI uses (scripts/deploy-*.ts), with
 * the chain's own unlocked accounts in ROLES order, and writes the deployment record the processes read.
 */
import hre from "hardhat";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonRpcSigner } from "ethers";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { deployChannels } from "../../scripts/deploy-channels";
import { ROLES, writeDeployment, type Deployment } from "../../src/devnet/deployment";
import type { OptimisticParams } from "../../src/optimistic/params";
import type { DevChain } from "./processes";

export interface DevDeployment {
  path: string;
  record: Deployment;
  deployer: JsonRpcSigner;
  signer(index: number): Promise<JsonRpcSigner>;
  optimistic?: Awaited<ReturnType<typeof deployOptimistic>>;
  channels?: Awaited<ReturnType<typeof deployChannels>>;
}

export async function deployOn(
  chain: DevChain,
  systems: { optimistic?: Partial<OptimisticParams>; channels?: { disputePeriod?: number; htlcDelta?: number } },
): Promise<DevDeployment> {
  const signer = (index: number) => chain.provider.getSigner(index);
  const deployer = await signer(ROLES.deployer);
  const { chainId } = await chain.provider.getNetwork();
  const fromBlock = (await chain.provider.getBlockNumber()) + 1;
  const record: Deployment = { chainId: Number(chainId), fromBlock };
  const out: DevDeployment = { path: "", record, deployer, signer };
  if (systems.optimistic) {
    out.optimistic = await deployOptimistic(hre, await signer(ROLES.optimisticOperator), systems.optimistic);
    record.optimistic = { rollup: out.optimistic.address };
  }
  if (systems.channels) {
    out.channels = await deployChannels(hre, systems.channels, deployer);
    record.channels = { contract: out.channels.address };
  }
  out.path = writeDeployment(record, join(mkdtempSync(join(tmpdir(), "l2lab-devnet-")), "deployment.json"));
  return out;
}
