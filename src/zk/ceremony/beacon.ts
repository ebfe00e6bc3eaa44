/**
 * The secrets of the development ceremony, derived the way `snarkjs
 * powersoftau beacon` derives them: from a public beacon hash and the first
 * challenge hash of a fresh ceremony of the given power.
 *
 * INSECURE BY DESIGN: tau, alpha and beta are public. Anyone can forge Groth16
 * proofs against keys built from them. For development and teaching only.
 */
import { InvalidBeaconError } from "./errors";
import { snarkjsInternals, singleThreadCurve, type Bn128Curve, type PtauKey } from "./snarkjs-internals";

/**
 * The fixed, public beacon of the l2lab development ceremony. Fixed so every
 * clone derives the same keys and the committed verifiers stay reproducible.
 * It is the ASCII text "l2lab dev ceremony: insecure, public".
 */
export const DEV_BEACON_HASH = "6c326c61622064657620636572656d6f6e793a20696e7365637572652c207075626c6963";

/** 2^10 SHA-256 iterations: the smallest snarkjs accepts; the beacon is not meant to delay anyone. */
export const DEV_BEACON_ITERATIONS_EXP = 10;

/** The name recorded in the contribution (snarkjs keeps at most 64 bytes). */
export const DEV_CONTRIBUTION_NAME = "l2lab INSECURE development beacon";

export interface DevSecrets {
  tau: bigint;
  alpha: bigint;
  beta: bigint;
  /** snarkjs's key object (secrets plus the proof-of-knowledge public key). */
  key: PtauKey;
  firstChallengeHash: Uint8Array;
  beaconBytes: Uint8Array;
  curve: Bn128Curve;
}

/** Parses and checks a beacon hash: 1..255 bytes of even-length hex, with or without 0x. */
export function parseBeaconHash(beaconHash: string): Uint8Array {
  const hex = beaconHash.startsWith("0x") ? beaconHash.slice(2) : beaconHash;
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new InvalidBeaconError(beaconHash, "must be a non-empty, even-length hexadecimal string");
  }
  if (hex.length / 2 >= 256) throw new InvalidBeaconError(beaconHash, "must be at most 255 bytes");
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** Derives tau, alpha and beta for a ceremony of `power` from the beacon. */
export async function deriveDevSecrets(
  power: number,
  beaconHash: string = DEV_BEACON_HASH,
  iterationsExp: number = DEV_BEACON_ITERATIONS_EXP,
): Promise<DevSecrets> {
  const beaconBytes = parseBeaconHash(beaconHash);
  const { ptauUtils } = snarkjsInternals();
  const curve = await singleThreadCurve();
  const firstChallengeHash = ptauUtils.calculateFirstChallengeHash(curve, power);
  const key = await ptauUtils.keyFromBeacon(curve, firstChallengeHash, beaconBytes, iterationsExp);
  return {
    tau: curve.Fr.toObject(key.tau.prvKey),
    alpha: curve.Fr.toObject(key.alpha.prvKey),
    beta: curve.Fr.toObject(key.beta.prvKey),
    key,
    firstChallengeHash,
    beaconBytes,
    curve,
  };
}
