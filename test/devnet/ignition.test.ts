/**
 * The Ignition modules deploy exactly what scripts/deploy-*.ts deploy: from the same accounts, in the
 * same order, with the same parameters. Each case deploys through the script, records the chain,
 * rolls it back, deploys through Ignition and compares: same addresses (same sender, same nonces),
 * same runtime bytecode (immutables included), same storage, same balances.
 */
import { expect } from "chai";
import hre from "hardhat";
import OptimisticModule, { blsOptimisticModule } from "../../ignition/modules/Optimistic";
import ChannelsModule from "../../ignition/modules/PaymentChannels";
import { zkRollupModule } from "../../ignition/modules/ZkRollup";
import { deployOptimistic } from "../../scripts/deploy-optimistic";
import { deployChannels } from "../../scripts/deploy-channels";
import { deployZkRollup } from "../../scripts/deploy-zk";
import { ROLES } from "../../src/devnet/deployment";
import { TEST_CIRCUIT, loadCircuit } from "../../src/zk/circuit";
import { readVerifierArtifact } from "../../src/zk/ceremony/artifacts";
import { ZkKey } from "../../src/zk/keys";

/** Storage slots compared: every fixed slot of these contracts, and then some. */
const SLOTS = 64;

interface ContractState {
  address: string;
  code: string;
  balance: bigint;
  storage: string[];
}

async function stateOf(address: string): Promise<ContractState> {
  const provider = hre.ethers.provider;
  const storage: string[] = [];
  for (let slot = 0; slot < SLOTS; slot++) storage.push(await provider.getStorage(address, slot));
  return { address, code: await provider.getCode(address), balance: await provider.getBalance(address), storage };
}

/** Runs `deploy` on a snapshot and rolls the chain back; returns the state of the addresses it gave. */
async function deployAndRollBack(deploy: () => Promise<string[]>): Promise<ContractState[]> {
  const snapshot = (await hre.network.provider.send("evm_snapshot", [])) as string;
  try {
    const addresses = await deploy();
    return await Promise.all(addresses.map(stateOf));
  } finally {
    await hre.network.provider.send("evm_revert", [snapshot]);
  }
}

function expectSame(byScript: ContractState[], byIgnition: ContractState[]) {
  expect(byIgnition.map((s) => s.address)).to.deep.equal(byScript.map((s) => s.address));
  for (const [i, script] of byScript.entries()) {
    const ignition = byIgnition[i];
    expect(script.code.length, `${script.address} has code`).to.be.greaterThan(2);
    expect(ignition.code, `runtime bytecode at ${script.address}`).to.equal(script.code);
    expect(ignition.balance, `balance of ${script.address}`).to.equal(script.balance);
    expect(ignition.storage, `storage of ${script.address}`).to.deep.equal(script.storage);
  }
}

describe("ignition modules", function () {
  it("should deploy and bond the optimistic rollup as scripts/deploy-optimistic.ts does", async () => {
    const operator = (await hre.ethers.getSigners())[ROLES.optimisticOperator];
    const byScript = await deployAndRollBack(async () => [(await deployOptimistic(hre, operator)).address]);
    const byIgnition = await deployAndRollBack(async () => {
      const { rollup } = await hre.ignition.deploy(OptimisticModule);
      return [await rollup.getAddress()];
    });
    expectSame(byScript, byIgnition);
    // The bond is part of what was compared: the rollup holds it.
    expect(byScript[0].balance).to.be.greaterThan(0n);
  });

  it("should deploy and bond the BLS rollup (devnet --signatures bls) as scripts/deploy-optimistic.ts does", async () => {
    const operator = (await hre.ethers.getSigners())[ROLES.optimisticOperator];
    const byScript = await deployAndRollBack(async () => {
      const { rollup } = await deployOptimistic(hre, operator, {}, { signatures: "bls" });
      const registry = await (rollup as unknown as { BLS_KEYS(): Promise<string> }).BLS_KEYS();
      return [await rollup.getAddress(), registry];
    });
    const byIgnition = await deployAndRollBack(async () => {
      const { rollup } = await hre.ignition.deploy(blsOptimisticModule);
      const registry = await (rollup as unknown as { BLS_KEYS(): Promise<string> }).BLS_KEYS();
      return [await rollup.getAddress(), registry];
    });
    expectSame(byScript, byIgnition);
  });

  it("should deploy the payment channel contract as scripts/deploy-channels.ts does", async () => {
    const deployer = (await hre.ethers.getSigners())[ROLES.deployer];
    const byScript = await deployAndRollBack(async () => [(await deployChannels(hre, {}, deployer)).address]);
    const byIgnition = await deployAndRollBack(async () => {
      const { contract } = await hre.ignition.deploy(ChannelsModule);
      return [await contract.getAddress()];
    });
    expectSame(byScript, byIgnition);
    expect(byScript[0].storage.some((word) => BigInt(word) !== 0n) || byScript[0].code.length > 2).to.equal(true);
  });

  it("should deploy Poseidon, the verifier and the zk rollup with its genesis as scripts/deploy-zk.ts does", async () => {
    const operator = (await hre.ethers.getSigners())[ROLES.zkOperator];
    const operatorKey = (await ZkKey.fromSeed(new Uint8Array(32).fill(7))).publicKey;
    const { artifacts } = await loadCircuit(TEST_CIRCUIT);
    const byScript = await deployAndRollBack(async () => {
      const { addresses } = await deployZkRollup(hre, { circuit: TEST_CIRCUIT, operator, operatorKey });
      return [addresses.Poseidon2, addresses.Poseidon4, addresses.verifier, addresses.ZkRollup];
    });
    const byIgnition = await deployAndRollBack(async () => {
      const module = zkRollupModule(TEST_CIRCUIT, readVerifierArtifact(artifacts.verifierArtifact));
      const deployed = await hre.ignition.deploy(module, {
        parameters: { ZkRollup: { operatorKeyAx: operatorKey.ax, operatorKeyAy: operatorKey.ay } },
      });
      return Promise.all(
        [deployed.poseidon2, deployed.poseidon4, deployed.verifier, deployed.rollup].map((c) => c.getAddress()),
      );
    });
    expectSame(byScript, byIgnition);
    // The genesis (the operator's key in fee account 0) lives in the rollup's storage that was compared.
    expect(byScript[3].storage.some((word) => BigInt(word) !== 0n)).to.equal(true);
  });
});
