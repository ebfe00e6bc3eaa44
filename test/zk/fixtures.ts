/**
 * Shared set-up of the zk tests: the test circuit's artifacts (built once per process and cached in
 * .zk-cache/), deterministic keys, and a TypeScript L2 state with a few batches already applied.
 */
import { TEST_CIRCUIT, loadCircuit, type LoadedCircuit } from "../../src/zk/circuit";
import { ZkKey } from "../../src/zk/keys";
import { ZkState } from "../../src/zk/state";

export const ETH = 10n ** 18n;

export function loadTestCircuit(): Promise<LoadedCircuit> {
  return loadCircuit(TEST_CIRCUIT, (m) => process.stderr.write(`      zk setup: ${m}\n`));
}

export interface Keys {
  operator: ZkKey;
  alice: ZkKey;
  bob: ZkKey;
}

export async function testKeys(): Promise<Keys> {
  const seed = (byte: number) => new Uint8Array(32).fill(byte);
  return {
    operator: await ZkKey.fromSeed(seed(0x01)),
    alice: await ZkKey.fromSeed(seed(0xa1)),
    bob: await ZkKey.fromSeed(seed(0xb0)),
  };
}

/** The domain of the circuit tests, which run without a chain: chain 31337, rollup at 0x…01. */
export const TEST_DOMAIN = (31337n << 160n) | 1n;

/** A state at genesis: only the operator's fee account, for deployment `domain`. */
export async function genesisState(keys: Keys, domain: bigint = TEST_DOMAIN): Promise<ZkState> {
  return ZkState.genesis(TEST_CIRCUIT.treeDepth, keys.operator.publicKey, domain);
}
