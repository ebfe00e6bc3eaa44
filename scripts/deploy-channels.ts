/**
 * The one way the payment channel contract is deployed: by the scenario
 * driver, the test fixtures and the benchmarks alike. Importing it deploys
 * nothing.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { PaymentChannels } from "../typechain-types";
import { channelParams, type ChannelParams } from "../src/channels/params";
import type { ChannelDomain } from "../src/channels/types";

export interface DeployedChannels {
  contract: PaymentChannels;
  address: string;
  params: ChannelParams;
  /** What states are signed for: this chain and this contract. */
  domain: ChannelDomain;
}

/** Deploys PaymentChannels with `params` (defaults from src/channels/params.ts) from `deployer` (default: first signer). */
export async function deployChannels(
  hre: HardhatRuntimeEnvironment,
  overrides: Partial<ChannelParams> = {},
  deployer?: Signer,
): Promise<DeployedChannels> {
  const params = channelParams(overrides);
  const from = deployer ?? (await hre.ethers.getSigners())[0];
  const factory = await hre.ethers.getContractFactory("PaymentChannels", from);
  const contract = (await factory.deploy(params.disputePeriod)) as unknown as PaymentChannels;
  await contract.waitForDeployment();
  const address = await contract.getAddress();
  const { chainId } = await hre.ethers.provider.getNetwork();
  return { contract, address, params, domain: { chainId, verifyingContract: address } };
}
