/**
 * Off-chain side of the BLS variant (BlsOptimisticRollup): key registration with a proof of possession, the
 * aggregate signature of a chunk, and the watcher's aggregate check, which mirrors BlsKeyRegistry.checkChunk.
 */
import { SigningKey, keccak256 } from "ethers";
import {
  G1Point,
  G2Point,
  POP_TAG,
  TX_TAG,
  aggregate,
  decodeSignature,
  domainTag,
  encodeG2,
  encodeSignature,
  proveKeyPossession,
  publicKey,
  sign,
  verifyAggregate,
  BlsEncodingError,
} from "../encoding/bls";
import { keccakBytes } from "../encoding/keccak";
import type { ChunkOutcome, Fault } from "./state";

/** The DSTs of one BLS rollup: transfers and proofs of possession. */
export function rollupTags(chainId: bigint, rollup: string): { tx: Uint8Array; pop: Uint8Array } {
  return { tx: domainTag(TX_TAG, chainId, rollup), pop: domainTag(POP_TAG, chainId, rollup) };
}

/** The digest an owner's L2 key signs to register a BLS key (BlsKeyRegistry.blsKeyDigest). */
export function blsKeyDigest(domain: Buffer, key: Uint8Array): Buffer {
  const typehash = keccakBytes(Buffer.from("BlsKey(bytes32 keyHash)"));
  const struct = keccakBytes(Buffer.concat([typehash, Buffer.from(keccak256(key).slice(2), "hex")]));
  return keccakBytes(Buffer.concat([Buffer.from([0x19, 0x01]), domain, struct]));
}

/** The arguments of BlsKeyRegistry.registerBlsKey for BLS secret key `secretKey` and the L2 key `owner`. */
export function keyRegistration(
  secretKey: bigint,
  owner: SigningKey,
  domain: Buffer,
  popTag: Uint8Array,
): { key: Uint8Array; possessionProof: Uint8Array; ownerSignature: string } {
  const key = encodeG2(publicKey(secretKey));
  const address = ownerAddress(owner);
  const possessionProof = encodeSignature(proveKeyPossession(secretKey, address, popTag));
  return { key, possessionProof, ownerSignature: owner.sign(blsKeyDigest(domain, key)).serialized };
}

function ownerAddress(key: SigningKey): string {
  return "0x" + keccakBytes(Buffer.from(key.publicKey.slice(4), "hex")).toString("hex", 12);
}

/** The aggregate of each BLS transfer's signature in `outcome`, by its owner's secret key. */
export function aggregateChunk(
  outcome: Pick<ChunkOutcome, "blsMessages">,
  secretKeyOf: (owner: string) => bigint,
  txTag: Uint8Array,
): G1Point {
  return aggregate(outcome.blsMessages.map((m) => sign(secretKeyOf(m.owner), m.message, txTag)));
}

/**
 * The watcher's check of a chunk that executed without a fault and matched its commitment: BadAggregate when its
 * signature is not a subgroup point, a sender has no key, or the pairing check fails (BlsKeyRegistry.checkChunk).
 */
export function checkAggregate(
  chunk: Buffer,
  outcome: Pick<ChunkOutcome, "blsMessages">,
  keyOf: (owner: string) => G2Point | undefined,
  txTag: Uint8Array,
): Fault {
  let signature: G1Point;
  try {
    signature = decodeSignature(chunk.subarray(0, 96));
  } catch (error) {
    if (error instanceof BlsEncodingError) return "BadAggregate";
    throw error;
  }
  const keys: G2Point[] = [];
  for (const m of outcome.blsMessages) {
    const key = keyOf(m.owner);
    if (!key) return "BadAggregate";
    keys.push(key);
  }
  const messages = outcome.blsMessages.map((m) => m.message);
  return verifyAggregate(signature, messages, keys, txTag) ? "None" : "BadAggregate";
}
