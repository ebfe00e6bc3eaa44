/**
 * The zk rollup's circuits (circuits/zk_rollup_n<N>.circom) and how to get their proving artifacts: compiled
 * with circom2 and keyed by the development ceremony (src/zk/ceremony), cached in .zk-cache/.
 */
import { setupCircuit, type CircuitArtifacts } from "./ceremony/artifacts";
import { ProverError } from "./errors";

export interface CircuitConfig {
  /** File name under circuits/ without .circom. */
  name: string;
  /** Slots per batch (N). */
  batchSize: number;
  /** Depth of the account tree (D). */
  treeDepth: number;
  /** The name of the verifier contract `zk:setup` generates and compiles for this circuit (in .zk-cache/). */
  verifierContract: string;
}

function config(batchSize: number, treeDepth: number): CircuitConfig {
  return {
    name: `zk_rollup_n${batchSize}`,
    batchSize,
    treeDepth,
    verifierContract: `ZkRollupN${batchSize}Verifier`,
  };
}

/** The test suite's circuit: 2 slots over 256 accounts. */
export const TEST_CIRCUIT = config(2, 8);

/** Every circuit the project builds: the test circuit and the benchmark's larger ones. */
export const ZK_CIRCUITS: readonly CircuitConfig[] = [2, 4, 8, 16, 32].map((n) => config(n, 8));

export function circuitForBatchSize(batchSize: number): CircuitConfig {
  const found = ZK_CIRCUITS.find((c) => c.batchSize === batchSize);
  if (!found) {
    throw new ProverError(
      `no zk circuit for batch size ${batchSize}: built sizes are ${ZK_CIRCUITS.map((c) => c.batchSize).join(", ")}`,
    );
  }
  return found;
}

export interface LoadedCircuit {
  config: CircuitConfig;
  artifacts: CircuitArtifacts;
}

const loading = new Map<string, Promise<LoadedCircuit>>();

/**
 * Compiles and sets up `circuit` (cached on disk and per process), reporting progress.
 * The first run of a fresh clone builds everything from source; later runs find it in .zk-cache/.
 */
export function loadCircuit(circuit: CircuitConfig, onProgress?: (message: string) => void): Promise<LoadedCircuit> {
  let promise = loading.get(circuit.name);
  if (!promise) {
    promise = setupCircuit(circuit.name, { onProgress }).then((artifacts) => ({ config: circuit, artifacts }));
    promise.catch(() => loading.delete(circuit.name));
    loading.set(circuit.name, promise);
  }
  return promise;
}
