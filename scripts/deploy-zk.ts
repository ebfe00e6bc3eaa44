/**
 * The one way the zk rollup is deployed: by the scenario driver, the test fixtures and the benchmarks alike.
 * Importing it deploys nothing. The verifier is the one `zk:setup` generated and compiled for this clone's keys
 * (abi and bytecode in .zk-cache/); the keys are built first if missing (`loadCircuit`).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { ContractFactory, type Signer } from "ethers";
import type { ZkRollup } from "../typechain-types";
import { deployPoseidon } from "./deploy-poseidon";
import { loadCircuit, type CircuitConfig } from "../src/zk/circuit";
import { readVerifierArtifact } from "../src/zk/ceremony/artifacts";
import type { PublicKey } from "../src/zk/keys";

/** One day: how long the operator has to answer a forced exit before anyone may freeze the rollup. */
export const DEFAULT_FORCE_INCLUSION_DELAY = 86_400;
/** One day: how long a deposit may wait unconsumed before anyone may freeze the rollup. */
export const DEFAULT_DEPOSIT_DEADLINE = 86_400;

export interface ZkDeployOptions {
  circuit: CircuitConfig;
  /** The operator's L1 account: the only one that posts batches, and the owner of fee account 0. */
  operator: Signer;
  /** The address L1 takes as operator, if not `operator`'s own (e.g. a contract it controls). */
  operatorAddress?: string;
  /** The operator's Baby Jubjub key: the key of fee account 0. */
  operatorKey: PublicKey;
  forceInclusionDelay?: number;
  /** Seconds a deposit may wait unconsumed before anyone may freeze (default one day). */
  depositDeadline?: number;
}

export interface DeployedZkRollup {
  rollup: ZkRollup;
  addresses: { ZkRollup: string; verifier: string; Poseidon2: string; Poseidon4: string };
  circuit: CircuitConfig;
  forceInclusionDelay: number;
  depositDeadline: number;
}

/** Deploys Poseidon(2), Poseidon(4), the circuit's verifier and the rollup with its genesis state. */
export async function deployZkRollup(
  hre: HardhatRuntimeEnvironment,
  options: ZkDeployOptions,
): Promise<DeployedZkRollup> {
  const { circuit, operator } = options;
  const forceInclusionDelay = options.forceInclusionDelay ?? DEFAULT_FORCE_INCLUSION_DELAY;
  const depositDeadline = options.depositDeadline ?? DEFAULT_DEPOSIT_DEADLINE;
  const { artifacts } = await loadCircuit(circuit);
  const poseidon2 = await deployPoseidon(operator, 2);
  const poseidon4 = await deployPoseidon(operator, 4);
  const compiled = readVerifierArtifact(artifacts.verifierArtifact);
  const verifier = await new ContractFactory(compiled.abi, compiled.bytecode, operator).deploy();
  await verifier.waitForDeployment();
  const rollupFactory = await hre.ethers.getContractFactory("ZkRollup", operator);
  const rollup = (await rollupFactory.deploy(
    await verifier.getAddress(),
    poseidon2,
    poseidon4,
    circuit.treeDepth,
    circuit.batchSize,
    forceInclusionDelay,
    depositDeadline,
    options.operatorAddress ?? (await operator.getAddress()),
    options.operatorKey.ax,
    options.operatorKey.ay,
  )) as unknown as ZkRollup;
  await rollup.waitForDeployment();
  return {
    rollup,
    addresses: {
      ZkRollup: await rollup.getAddress(),
      verifier: await verifier.getAddress(),
      Poseidon2: poseidon2,
      Poseidon4: poseidon4,
    },
    circuit,
    forceInclusionDelay,
    depositDeadline,
  };
}
