/**
 * The one public input of a zk batch, mirrored by circuits/lib/batch.circom and ZkRollup.sol:
 *
 *   data       = [oldRoot<32>|newRoot<32>|chainBefore<32>|chainAfter<32>|ops<14*N>]
 *   commitment = uint256(sha256(data)) mod 2^253
 *
 * sha256 is cheap on L1 (a precompile: 60 + 12 gas per word) and costs about 29,600 constraints per 64-byte
 * block in the circuit; the alternatives are compared in docs/zk.md.
 */
import { createHash } from "crypto";
import { SNARK_SCALAR_FIELD } from "../merkle";
import { EncodingError } from "./errors";

export interface BatchHeader {
  oldRoot: bigint;
  newRoot: bigint;
  chainBefore: bigint;
  chainAfter: bigint;
}

export const COMMITMENT_MASK = (1n << 253n) - 1n;

function word(value: bigint, what: string): Buffer {
  if (value < 0n || value >= SNARK_SCALAR_FIELD) {
    throw new EncodingError(`commitment: ${what} = ${value} is not a field element (must be below r)`);
  }
  return Buffer.from(value.toString(16).padStart(64, "0"), "hex");
}

/**
 * The deployment's domain, as ZkRollup.domain() builds it: [chainId<93>|rollup address<160>] in one field element.
 * Every signed operation and every batch proof carries it (the circuit's second public input).
 */
export function deploymentDomain(chainId: bigint, rollupAddress: string): bigint {
  if (chainId < 0n || chainId >> 93n !== 0n)
    throw new EncodingError(`domain: chain id ${chainId} needs more than 93 bits`);
  if (!/^0x[0-9a-fA-F]{40}$/.test(rollupAddress))
    throw new EncodingError(`domain: "${rollupAddress}" is not an address`);
  return (chainId << 160n) | BigInt(rollupAddress);
}

/** The bytes the commitment hashes. */
export function commitmentData(header: BatchHeader, ops: Uint8Array): Uint8Array {
  return Buffer.concat([
    word(header.oldRoot, "oldRoot"),
    word(header.newRoot, "newRoot"),
    word(header.chainBefore, "chainBefore"),
    word(header.chainAfter, "chainAfter"),
    Buffer.from(ops),
  ]);
}

/** The batch's public input. */
export function batchCommitment(header: BatchHeader, ops: Uint8Array): bigint {
  const digest = createHash("sha256").update(commitmentData(header, ops)).digest("hex");
  return BigInt("0x" + digest) & COMMITMENT_MASK;
}
