/**
 * Deploys the devnet's systems through the Hardhat Ignition modules (ignition/modules/) and returns
 * the deployment record (src/devnet/deployment.ts). `npx hardhat devnet` is a shell over this.
 *
 * On a development chain the deployment starts from scratch every time (a `hardhat node` forgets
 * everything when it stops, so an old Ignition journal would point at empty addresses). On any other
 * chain Ignition's journal (ignition/deployments/l2lab-devnet-<chainId>/) is kept: running the devnet
 * again resumes or reuses the deployment instead of paying for it twice; `reset` starts over.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getBytes, keccak256, toUtf8Bytes, type Signer } from "ethers";
import type { Deployment } from "./deployment";
import { ROLES } from "./deployment";
import { isDevelopmentChain } from "./network";
import type { PublicKey } from "../zk/keys";

export const SYSTEMS = ["optimistic", "zk", "channels"] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** `--only optimistic,channels` → the systems named, in the devnet's order; throws on an unknown name. */
export function parseSystems(only: string | undefined): SystemName[] {
  if (only === undefined || only.trim() === "") return [...SYSTEMS];
  const named = only.split(",").map((s) => s.trim());
  for (const name of named) {
    if (!(SYSTEMS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown system "${name}" (systems: ${SYSTEMS.join(", ")})`);
    }
  }
  return SYSTEMS.filter((s) => named.includes(s));
}

/** The message whose signature seeds the zk operator's Baby Jubjub key (fee account 0). */
export const ZK_OPERATOR_KEY_MESSAGE = "l2lab zk operator key (fee account 0), v1";

/**
 * The zk operator's Baby Jubjub key, derived from its L1 account: the seed is the keccak of the
 * account's signature of ZK_OPERATOR_KEY_MESSAGE (deterministic, RFC 6979), so whoever holds the
 * operator's L1 key (the devnet that deploys, the zk node that operates) derives the same key
 * without storing a second secret.
 */
export async function zkOperatorKey(operator: Signer) {
  const { ZkKey } = await import("../zk/keys");
  const signature = await operator.signMessage(ZK_OPERATOR_KEY_MESSAGE);
  return ZkKey.fromSeed(getBytes(keccak256(toUtf8Bytes(signature))));
}

export interface DeployOptions {
  systems?: readonly SystemName[];
  /** Start a fresh Ignition deployment even on a chain where one exists. */
  reset?: boolean;
  /** One line per step, for people (stderr). */
  onProgress?: (line: string) => void;
  /** The optimistic rollup's transfers: ECDSA (OptimisticRollup, default) or BLS (BlsOptimisticRollup). */
  signatures?: "ecdsa" | "bls";
}

export interface DevnetDeployment {
  record: Deployment;
  /** The zk operator's public key, when the zk rollup was deployed. */
  zkOperatorKey?: PublicKey;
}

/** The Ignition deployment id the devnet uses on `chainId`. */
export function ignitionDeploymentId(chainId: number): string {
  return `l2lab-devnet-${chainId}`;
}

export async function deployDevnet(
  hre: HardhatRuntimeEnvironment,
  options: DeployOptions = {},
): Promise<DevnetDeployment> {
  const systems = options.systems ?? SYSTEMS;
  const say = options.onProgress ?? (() => undefined);
  // The zk keys first: building them takes minutes and blocks this thread for seconds at a time, and
  // a keep-alive connection to the node that a blocked thread could not close in time fails the
  // next request ("other side closed"). Before the first request, nothing is open yet.
  let zkModule: ReturnType<typeof import("../../ignition/modules/ZkRollup").zkRollupModule> | undefined;
  if (systems.includes("zk")) {
    const { TEST_CIRCUIT, loadCircuit } = await import("../zk/circuit");
    const { readVerifierArtifact } = await import("../zk/ceremony/artifacts");
    const { zkRollupModule } = await import("../../ignition/modules/ZkRollup");
    say(`finding or building the zk keys for ${TEST_CIRCUIT.name} (.zk-cache/; the first time takes minutes)`);
    const { artifacts } = await loadCircuit(TEST_CIRCUIT, (line) => say(`  ${line}`));
    zkModule = zkRollupModule(TEST_CIRCUIT, readVerifierArtifact(artifacts.verifierArtifact));
    // Loading circomlibjs's EdDSA blocks this thread for seconds: do it now, not between two requests.
    const { ZkKey } = await import("../zk/keys");
    await ZkKey.fromSeed(new Uint8Array(32));
  }
  const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
  const deploymentId = ignitionDeploymentId(chainId);
  if (options.reset || (await isDevelopmentChain(hre))) {
    await rm(join(hre.config.paths.ignition, "deployments", deploymentId), { recursive: true, force: true });
  }
  const signers = await hre.ethers.getSigners();
  const needed = systems.includes("zk")
    ? ROLES.zkOperator
    : systems.includes("optimistic")
      ? ROLES.optimisticOperator
      : ROLES.deployer;
  if (signers.length <= needed) {
    throw new Error(
      `network "${hre.network.name}" has ${signers.length} account(s); the devnet needs at least ${needed + 1} ` +
        "(ROLES in src/devnet/deployment.ts: deployer, optimistic operator, zk operator, watcher, channel nodes): " +
        "give more keys in L2LAB_PRIVATE_KEYS",
    );
  }
  const fromBlock = (await hre.ethers.provider.getBlockNumber()) + 1;
  const record: Deployment = { chainId, fromBlock };
  let operatorKey: PublicKey | undefined;
  const deploy = <T extends Parameters<typeof hre.ignition.deploy>[0]>(module: T, parameters = {}) =>
    hre.ignition.deploy(module, { deploymentId, parameters, displayUi: false });

  if (systems.includes("optimistic")) {
    const signatures = options.signatures ?? "ecdsa";
    const contract = signatures === "bls" ? "BlsOptimisticRollup" : "OptimisticRollup";
    say(`deploying the optimistic rollup (${contract}) and bonding its operator (ignition/modules/Optimistic.ts)`);
    const { default: OptimisticModule, blsOptimisticModule } = await import("../../ignition/modules/Optimistic");
    const { rollup } = await deploy(signatures === "bls" ? blsOptimisticModule : OptimisticModule);
    record.optimistic = { rollup: await rollup.getAddress(), signatures };
  }
  if (zkModule) {
    say("deploying Poseidon(2), Poseidon(4), the verifier and the zk rollup (ignition/modules/ZkRollup.ts)");
    operatorKey = (await zkOperatorKey(signers[ROLES.zkOperator])).publicKey;
    const deployed = await deploy(zkModule, {
      ZkRollup: { operatorKeyAx: operatorKey.ax, operatorKeyAy: operatorKey.ay },
    });
    record.zk = {
      rollup: await deployed.rollup.getAddress(),
      verifier: await deployed.verifier.getAddress(),
      poseidon2: await deployed.poseidon2.getAddress(),
      poseidon4: await deployed.poseidon4.getAddress(),
    };
  }
  if (systems.includes("channels")) {
    say("deploying the payment channel contract (ignition/modules/PaymentChannels.ts)");
    const { default: ChannelsModule } = await import("../../ignition/modules/PaymentChannels");
    const { contract } = await deploy(ChannelsModule);
    record.channels = { contract: await contract.getAddress() };
  }
  return { record, zkOperatorKey: operatorKey };
}
