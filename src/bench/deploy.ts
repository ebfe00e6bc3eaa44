/**
 * Deploys the benchmark's own contracts: the baseline ERC-20 and the blob inbox. Tests and the
 * benchmark deploy through these same functions.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { BenchToken, BlobInbox } from "../../typechain-types";

/** Supply minted to the deployer: 10^9 tokens of 18 decimals. */
export const BENCH_TOKEN_SUPPLY = 10n ** 27n;

export async function deployBenchToken(
  hre: HardhatRuntimeEnvironment,
  supply = BENCH_TOKEN_SUPPLY,
): Promise<BenchToken> {
  const token = await hre.ethers.deployContract("BenchToken", [supply]);
  await token.waitForDeployment();
  return token as unknown as BenchToken;
}

export async function deployBlobInbox(hre: HardhatRuntimeEnvironment): Promise<BlobInbox> {
  const inbox = await hre.ethers.deployContract("BlobInbox");
  await inbox.waitForDeployment();
  return inbox as unknown as BlobInbox;
}
