/**
 * Layered fixtures for the channel tests, deploying through
 * scripts/deploy-channels.ts: deployed → one channel open and funded.
 */
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployChannels, type DeployedChannels } from "../../scripts/deploy-channels";
import { ChannelsL1 } from "../../src/channels/l1";
import { ChannelNetwork } from "../../src/channels/network";
import { ChannelNode } from "../../src/channels/node";
import type { Parties } from "../../src/channels/types";

export const ETH = 10n ** 18n;
export const DISPUTE_PERIOD = 86_400;
export const HTLC_DELTA = 3_600;

/** A deterministic L2 key per name (tests only). */
export const l2Key = (name: string): Wallet => new Wallet(keccak256(toUtf8Bytes(`l2lab/test/${name}`)));

export interface DeployedFixture extends DeployedChannels {
  l1: ChannelsL1;
  signers: HardhatEthersSigner[];
}

export async function deployedFixture(): Promise<DeployedFixture> {
  const deployed = await deployChannels(hre, { disputePeriod: DISPUTE_PERIOD, htlcDelta: HTLC_DELTA });
  return { ...deployed, l1: new ChannelsL1(deployed.contract), signers: await hre.ethers.getSigners() };
}

export interface OpenFixture extends DeployedFixture {
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  parties: Parties;
  channelId: bigint;
  network: ChannelNetwork;
  /** L1 time the nodes use; tests move it with `time.increase` and then set it. */
  clock: { now: number };
}

/** Opens a network of nodes over accounts 1.. (by name), each with its L2 key. */
export function makeNetwork(
  deployed: DeployedFixture,
  names: string[],
  clock: { now: number },
): { network: ChannelNetwork; account: (name: string) => HardhatEthersSigner } {
  const network = new ChannelNetwork();
  const account = (name: string): HardhatEthersSigner => deployed.signers[1 + names.indexOf(name)];
  for (const name of names) {
    network.add(new ChannelNode(name, l2Key(name).privateKey, account(name).address, deployed.domain, () => clock.now));
  }
  return { network, account };
}

/** Opens a channel on L1 between two nodes of `network` and registers it with both. */
export async function openChannel(
  deployed: DeployedFixture,
  network: ChannelNetwork,
  account: (name: string) => HardhatEthersSigner,
  a: string,
  b: string,
  depositA: bigint,
  depositB: bigint,
): Promise<{ channelId: bigint; parties: Parties }> {
  const parties: Parties = {
    accountA: account(a).address,
    accountB: account(b).address,
    signerA: network.node(a).address,
    signerB: network.node(b).address,
  };
  const { channelId } = await deployed.l1.open(account(a), parties, depositA);
  network.node(a).addChannel(channelId, parties, depositA);
  network.node(b).addChannel(channelId, parties, depositA);
  network.link(channelId, a, b);
  if (depositB > 0n) {
    await deployed.l1.deposit(account(b), channelId, parties, depositB);
    network.node(a).recordDeposit(channelId, 1, depositB);
    network.node(b).recordDeposit(channelId, 1, depositB);
  }
  return { channelId, parties };
}

export async function openFixture(): Promise<OpenFixture> {
  const deployed = await deployedFixture();
  const block = await hre.ethers.provider.getBlock("latest");
  const clock = { now: block!.timestamp };
  const { network, account } = makeNetwork(deployed, ["alice", "bob", "carol"], clock);
  const { channelId, parties } = await openChannel(deployed, network, account, "alice", "bob", 1n * ETH, 1n * ETH);
  return {
    ...deployed,
    alice: account("alice"),
    bob: account("bob"),
    outsider: deployed.signers[10],
    parties,
    channelId,
    network,
    clock,
  };
}

/**
 * alice — bob — carol, 1 ETH on each side of both channels (ab and bc). Give
 * it a name of its own in each test file (`const lineFixture = () =>
 * lineNetwork()`) so each file keeps its own snapshot and its own clock.
 */
export async function lineNetwork() {
  const deployed = await deployedFixture();
  const clock = { now: (await hre.ethers.provider.getBlock("latest"))!.timestamp };
  const { network, account } = makeNetwork(deployed, ["alice", "bob", "carol"], clock);
  const ab = await openChannel(deployed, network, account, "alice", "bob", ETH, ETH);
  const bc = await openChannel(deployed, network, account, "bob", "carol", ETH, ETH);
  return { ...deployed, network, account, clock, ab, bc };
}

/**
 * loadFixture for fixtures that carry nodes: the chain goes back to the
 * snapshot, and the off-chain nodes are cloned so no test sees another's states.
 */
export async function load<T extends { network: ChannelNetwork }>(fixture: () => Promise<T>): Promise<T> {
  const f = await loadFixture(fixture);
  return { ...f, network: f.network.clone() };
}
