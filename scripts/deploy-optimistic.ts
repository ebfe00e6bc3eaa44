/**
 * Deploys the optimistic rollup and bonds its operator. Used by the scenario
 * driver, the tests' fixtures and the benchmarks alike; importing it has no
 * side effects.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import type { OptimisticRollup } from "../typechain-types";
import { DEFAULT_PARAMS, OptimisticParams } from "../src/optimistic/params";

export interface DeployedOptimistic {
  rollup: OptimisticRollup;
  address: string;
  params: OptimisticParams;
}

/** Deploys OptimisticRollup (or BlsOptimisticRollup for `signatures: "bls"`) with `operator` as its operator; bonds it unless `bond` is false. */
export async function deployOptimistic(
  hre: HardhatRuntimeEnvironment,
  operator: Signer,
  overrides: Partial<OptimisticParams> = {},
  options: { bond?: boolean; signatures?: "ecdsa" | "bls" } = {},
): Promise<DeployedOptimistic> {
  const params: OptimisticParams = { ...DEFAULT_PARAMS, ...overrides };
  // The BLS variant (BlsOptimisticRollup) has the same constructor and ABI plus its key registry (BLS_KEYS).
  const name = options.signatures === "bls" ? "BlsOptimisticRollup" : "OptimisticRollup";
  const factory = await hre.ethers.getContractFactory(name, operator);
  const rollup = (await factory.deploy(
    await operator.getAddress(),
    params.bond,
    params.challengePeriod,
    params.forceInclusionDelay,
    params.chunkSize,
    params.depositDeadline,
  )) as unknown as OptimisticRollup;
  await rollup.waitForDeployment();
  if (options.bond !== false) await (await rollup.connect(operator).bond({ value: params.bond })).wait();
  return { rollup, address: await rollup.getAddress(), params };
}
