/**
 * Writes a prepared ("phase 2 ready") powers-of-tau file directly from the
 * beacon-derived secrets, instead of running `powersoftau new`, `beacon` and
 * `prepare phase2`. The file is byte-identical to what those three stock
 * snarkjs commands write for the same power and beacon (tested at small
 * powers), and `snarkjs powersoftau verify` accepts it.
 *
 * INSECURE BY DESIGN: tau, alpha and beta come from a public beacon, so anyone
 * can forge proofs against keys built on this file. Development and teaching
 * only; a real deployment needs a real multi-party ceremony.
 *
 * Layout (iden3 binary container "ptau", version 1, 11 sections), N = 2^power,
 * points affine little-endian Montgomery, 64 bytes in G1 and 128 in G2:
 *
 *   1  header      [n8<4>|q<32>|power<4>|ceremonyPower<4>]
 *   2  tauG1       tau^i·G1,        i < 2N-1
 *   3  tauG2       tau^i·G2,        i < N
 *   4  alphaTauG1  alpha·tau^i·G1,  i < N
 *   5  betaTauG1   beta·tau^i·G1,   i < N
 *   6  betaG2      beta·G2
 *   7  contributions (the one beacon contribution and its hashes)
 *   12 lagrange tauG1       L_i(tau)·G1 for every domain 2^p, p = 0..power+1
 *   13 lagrange tauG2       L_i(tau)·G2, p = 0..power
 *   14 lagrange alphaTauG1  alpha·L_i(tau)·G1, p = 0..power
 *   15 lagrange betaTauG1   beta·L_i(tau)·G1, p = 0..power
 */
import { createHash } from "crypto";
import { open, rename, rm, type FileHandle } from "fs/promises";
import { dirname } from "path";
import { mkdirSync } from "fs";
import { BinFileWriter } from "./binfile";
import {
  deriveDevSecrets,
  type DevSecrets,
  DEV_BEACON_HASH,
  DEV_BEACON_ITERATIONS_EXP,
  DEV_CONTRIBUTION_NAME,
} from "./beacon";
import { InvalidPowerError } from "./errors";
import { FQ_MODULUS, frMul, frPowers, lagrangeAtTau, packScalars, writeScalarLE } from "./field";
import { FixedBasePool, type ChunkOutputs } from "./fixed-base-pool";
import type { GroupId } from "./fixed-base-worker";
import { progressSteps, type ProgressFn } from "./progress";
import { snarkjsInternals } from "./snarkjs-internals";

/** The largest power: section 12 needs roots of unity of order 2^(power+1) and BN254's Fr has 2^28. */
export const MAX_PTAU_POWER = 27;

export interface PtauOptions {
  /** Hex beacon; default: the project's fixed development beacon. */
  beaconHash?: string;
  onProgress?: ProgressFn;
  /** Threads for the fixed-base multiplications (default: CPU cores). */
  threads?: number;
}

/** Writes the prepared powers-of-tau file of `power` to `outPath` (via a temporary file, then rename). */
export async function writePreparedPtau(power: number, outPath: string, opts: PtauOptions = {}): Promise<void> {
  if (!Number.isInteger(power) || power < 1 || power > MAX_PTAU_POWER) {
    throw new InvalidPowerError(power, `must be an integer from 1 to ${MAX_PTAU_POWER}`);
  }
  const report = opts.onProgress;
  const started = Date.now();
  const n = 2 ** power;
  // The threads build their tables while this one derives the secrets.
  // G1: sections 2, 4, 5 (4N-1 points) and 12, 14, 15 (8N-3); G2: sections 3, 6 (N+1) and 13 (2N-1).
  const poolReady = FixedBasePool.start({ threads: opts.threads, expectedPoints: { G1: 12 * n, G2: 3 * n } });
  report?.(`ptau 2^${power}: deriving the public development secrets from the beacon`);
  let secrets: DevSecrets;
  try {
    secrets = await deriveDevSecrets(power, opts.beaconHash ?? DEV_BEACON_HASH);
  } catch (e) {
    await (await poolReady).close();
    throw e;
  }
  const { curve, key } = secrets;
  const { ptauUtils, misc, newBlake2b } = snarkjsInternals();

  mkdirSync(dirname(outPath), { recursive: true });
  const tmpPath = `${outPath}.${process.pid}.${Date.now()}.tmp`;
  const uncompressedPath = `${tmpPath}.u`;
  let pool: FixedBasePool | undefined;
  let out: BinFileWriter | undefined;
  let uFile: FileHandle | undefined;
  try {
    const fixedBase = (pool = await poolReady);
    const file = (out = await BinFileWriter.create(tmpPath, "ptau", 1, 11));
    const spool = (uFile = await open(uncompressedPath, "w+"));
    // Section 1: header.
    await file.startSection(1);
    await file.writeU32(32);
    const q = new Uint8Array(32);
    writeScalarLE(q, 0, FQ_MODULUS);
    await file.write(q);
    await file.writeU32(power);
    await file.writeU32(power);
    await file.endSection();

    // Sections 2-6: the accumulated powers, as the beacon would leave them. Two hashes run over them:
    // the response hash over compressed points (now) and the next challenge over uncompressed points
    // (after the response hash is final, so those are spooled to a temporary file).
    const responseHasher = newBlake2b();
    responseHasher.update(secrets.firstChallengeHash);
    let uBytes = 0;
    const firstPoints: Record<number, Uint8Array> = {};

    const tauPowers = frPowers(secrets.tau, 2 * n - 1);
    const powersSection = async (id: number, label: string, group: GroupId, count: number, factor: bigint) => {
      const step = progressSteps(report, `ptau 2^${power}: section ${id} (${label})`, count);
      await file.startSection(id);
      await fixedBase.stream(
        group,
        count,
        { lem: true, compressed: true, uncompressed: true },
        (start, len) => scaledScalars(tauPowers, start, len, factor),
        async (start, len, res: ChunkOutputs) => {
          if (start === 0) firstPoints[id] = res.lem!.slice(0, Math.min(2, len) * (group === "G1" ? 64 : 128));
          await file.write(res.lem!);
          responseHasher.update(res.compressed!);
          await spool.write(res.uncompressed!, 0, res.uncompressed!.length, uBytes);
          uBytes += res.uncompressed!.length;
          step(start + len);
        },
      );
      await file.endSection();
    };
    await powersSection(2, "tauG1", "G1", 2 * n - 1, 1n);
    await powersSection(3, "tauG2", "G2", n, 1n);
    await powersSection(4, "alphaTauG1", "G1", n, secrets.alpha);
    await powersSection(5, "betaTauG1", "G1", n, secrets.beta);
    await powersSection(6, "betaG2", "G2", 1, secrets.beta);

    // Section 7: the contribution record.
    const partialHash = misc.toPartialHash(responseHasher);
    const pubKeyU = ptauUtils.toPtauPubKeyRpr(new Uint8Array(64 * 6 + 128 * 3), 0, curve, key, false);
    responseHasher.update(pubKeyU);
    const responseHash = responseHasher.digest();
    report?.(`ptau 2^${power}: hashing the next challenge`);
    const nextChallenge = await hashSpooled(responseHash, spool, uBytes);

    await file.startSection(7);
    await file.writeU32(1); // one contribution
    await file.write(firstPoints[2].subarray(64, 128)); // tau·G1
    await file.write(firstPoints[3].subarray(128, 256)); // tau·G2
    await file.write(firstPoints[4].subarray(0, 64)); // alpha·G1
    await file.write(firstPoints[5].subarray(0, 64)); // beta·G1
    await file.write(firstPoints[6].subarray(0, 128)); // beta·G2
    await file.write(ptauUtils.toPtauPubKeyRpr(new Uint8Array(64 * 6 + 128 * 3), 0, curve, key, true));
    await file.write(partialHash);
    await file.write(nextChallenge);
    await file.writeU32(1); // type 1: beacon
    await file.write(beaconParams(DEV_CONTRIBUTION_NAME, DEV_BEACON_ITERATIONS_EXP, secrets.beaconBytes));
    await file.endSection();

    // Sections 12-15: Lagrange basis at tau for every domain size (section 12 one level more).
    report?.(`ptau 2^${power}: Lagrange basis values at tau`);
    const lagrange: bigint[] = [];
    for (let p = 0; p <= power + 1; p++) {
      const omega = curve.Fr.toObject(curve.Fr.w[p]);
      for (const v of lagrangeAtTau(secrets.tau, omega, p, p === power + 1)) lagrange.push(v);
    }
    const throughPower = 2 * n - 1; // levels 0..power
    const lagrangeSection = async (id: number, label: string, group: GroupId, count: number, factor: bigint) => {
      const step = progressSteps(report, `ptau 2^${power}: section ${id} (${label})`, count);
      await file.startSection(id);
      await fixedBase.stream(
        group,
        count,
        { lem: true },
        (start, len) => scaledScalars(lagrange, start, len, factor),
        async (start, len, res) => {
          await file.write(res.lem!);
          step(start + len);
        },
      );
      await file.endSection();
    };
    await lagrangeSection(12, "lagrange tauG1", "G1", lagrange.length, 1n);
    await lagrangeSection(13, "lagrange tauG2", "G2", throughPower, 1n);
    await lagrangeSection(14, "lagrange alphaTauG1", "G1", throughPower, secrets.alpha);
    await lagrangeSection(15, "lagrange betaTauG1", "G1", throughPower, secrets.beta);

    await file.close();
    out = undefined;
    await rename(tmpPath, outPath);
    report?.(`ptau 2^${power}: wrote ${outPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    await out?.close().catch(() => undefined);
    await rm(tmpPath, { force: true });
    throw e;
  } finally {
    await uFile?.close();
    await rm(uncompressedPath, { force: true });
    await pool?.close();
  }
}

function scaledScalars(values: readonly bigint[], start: number, count: number, factor: bigint): Uint8Array {
  if (factor === 1n) return packScalars(values, start, count);
  const scaled = new Array<bigint>(count);
  for (let i = 0; i < count; i++) scaled[i] = frMul(values[start + i], factor);
  return packScalars(scaled);
}

/**
 * BLAKE2b-512 of `first` then the spooled bytes: the next challenge hash.
 * Node's native BLAKE2b-512 is the same function as the @noble/hashes one
 * snarkjs uses (unkeyed, 64-byte output), only faster.
 */
async function hashSpooled(first: Uint8Array, file: FileHandle, bytes: number): Promise<Uint8Array> {
  const hasher = createHash("blake2b512");
  hasher.update(first);
  const block = Buffer.alloc(1 << 24);
  for (let at = 0; at < bytes; at += block.length) {
    const len = Math.min(block.length, bytes - at);
    await file.read(block, 0, len, at);
    hasher.update(block.subarray(0, len));
  }
  return new Uint8Array(hasher.digest());
}

/** The contribution parameters: [1|len|name][2|iterationsExp][3|len|beaconHash], prefixed by their byte length. */
function beaconParams(name: string, iterationsExp: number, beacon: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name.substring(0, 64));
  const params = [1, nameBytes.length, ...nameBytes, 2, iterationsExp, 3, beacon.length, ...beacon];
  const out = new Uint8Array(4 + params.length);
  new DataView(out.buffer).setUint32(0, params.length, true);
  out.set(params, 4);
  return out;
}
