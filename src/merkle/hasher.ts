/**
 * The two-to-one hashes a Merkle tree is built from.
 *
 * - keccak: what L1 computes cheaply (one KECCAK256 over 64 bytes); the
 *   optimistic rollup's state tree uses it.
 * - poseidon: what a circuit computes cheaply (about 240 constraints for two
 *   inputs instead of ~150,000 for keccak); the zk rollup's state tree uses it.
 *   Values live in BN254's scalar field Fr.
 *
 * Both hash bigints and return bigints, so one tree implementation serves both.
 */
import { keccakHex } from "../encoding/keccak";

/** A two-to-one hash over bigints, as a Merkle tree node is computed from its two children. */
export interface MerkleHasher {
  readonly name: "keccak" | "poseidon";
  hash2(left: bigint, right: bigint): bigint;
}

/** 2^256: every tree value must fit a Solidity uint256 / bytes32. */
export const UINT256_LIMIT = 1n << 256n;

/** The order of BN254's scalar field Fr: Poseidon inputs and outputs are below it. */
export const SNARK_SCALAR_FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** A value handed to a hash does not fit the hash's domain. */
export class HashInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HashInputError";
  }
}

function checkRange(hasher: string, what: string, value: bigint, limit: bigint): void {
  if (value < 0n || value >= limit) {
    throw new HashInputError(`${hasher} hash: ${what} = ${value} is out of range (must be 0 <= value < ${limit})`);
  }
}

/**
 * BigInt(keccak256(abi.encodePacked(uint256 left, uint256 right))): the node hash KeccakMerkle.sol computes.
 * // [left<32>|right<32>]
 * speed: the native sponge (src/encoding/keccak.ts) over a hex-built Buffer makes a depth-32 update
 * about 0.17 ms on an idle core (scripts/bench-merkle.ts); ethers' keccak256 over a byte loop took about
 * 60 us per node.
 */
export const keccakHasher: MerkleHasher = {
  name: "keccak",
  hash2(left: bigint, right: bigint): bigint {
    checkRange("keccak", "left", left, UINT256_LIMIT);
    checkRange("keccak", "right", right, UINT256_LIMIT);
    const packed = Buffer.from(left.toString(16).padStart(64, "0") + right.toString(16).padStart(64, "0"), "hex");
    return BigInt(keccakHex(packed));
  },
};

/** The slice of circomlibjs's Poseidon this file uses (circomlibjs ships no type declarations). */
interface CircomPoseidon {
  (inputs: bigint[]): Uint8Array;
  F: { toObject(element: Uint8Array): bigint };
}
interface CircomlibPoseidonModule {
  buildPoseidon(): Promise<CircomPoseidon>;
}

/** Poseidon as circomlib's `Poseidon(n)` template defines it, for n = 1..16 inputs. */
export const POSEIDON_MAX_INPUTS = 16;

let poseidonPromise: Promise<(inputs: bigint[]) => bigint> | undefined;

/**
 * Generic Poseidon over BN254 Fr (circomlibjs, the same constants as circomlib's
 * circuits and the generated L1 contracts), for leaf hashes of 1..16 inputs.
 * Built once per process and cached. Every input must already be a field
 * element: a value >= Fr would be silently reduced, so two different inputs
 * would hash alike.
 */
export async function buildPoseidon(): Promise<(inputs: bigint[]) => bigint> {
  poseidonPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const circomlibjs = require("circomlibjs") as CircomlibPoseidonModule;
    const poseidon = await circomlibjs.buildPoseidon();
    return (inputs: bigint[]): bigint => {
      if (inputs.length < 1 || inputs.length > POSEIDON_MAX_INPUTS) {
        throw new HashInputError(`poseidon hash: got ${inputs.length} inputs, expected 1 to ${POSEIDON_MAX_INPUTS}`);
      }
      inputs.forEach((input, i) => checkRange("poseidon", `inputs[${i}]`, input, SNARK_SCALAR_FIELD));
      return poseidon.F.toObject(poseidon(inputs));
    };
  })();
  return poseidonPromise;
}

let poseidonHasherPromise: Promise<MerkleHasher> | undefined;

/** Poseidon([left, right]) in BN254 Fr: the node hash PoseidonMerkle.sol and the circuits compute. Cached. */
export async function buildPoseidonHasher(): Promise<MerkleHasher> {
  poseidonHasherPromise ??= buildPoseidon().then((poseidon): MerkleHasher => ({
    name: "poseidon",
    hash2: (left: bigint, right: bigint): bigint => poseidon([left, right]),
  }));
  return poseidonHasherPromise;
}
