/**
 * Writes a circuit's Groth16 proving key (.zkey) directly from its r1cs and a
 * development powers-of-tau file, instead of `snarkjs groth16 setup`. It
 * evaluates every signal's QAP polynomials at tau in the scalar field and
 * multiplies generators (fixed-base, in worker threads), where the stock
 * command runs a multi-exponentiation per signal over the Lagrange points.
 * The file is byte-identical to the stock one (tested) and `snarkjs zkey
 * verify` accepts it.
 *
 * `writeZkey` (development, INSECURE BY DESIGN): the secrets are recovered from
 * the public beacon of the powers-of-tau file and delta is 1, as `groth16
 * setup` leaves it; anyone can forge proofs against this key. Development and
 * teaching only (the setup applies a beacon phase-2 contribution on top).
 *
 * `writeRandomZkey` (the default keys): tau, alpha, beta and delta are drawn
 * from the operating system's CSPRNG in this process, used, and dropped; no
 * file ever holds them and no powers-of-tau file is written, so only someone
 * who read this process's memory while it ran could forge. It writes the same
 * layout with every point a random ceremony of one contributor would give.
 *
 * Layout (iden3 container "zkey", version 1, 10 sections, in this order):
 *   1  [protocol<4>] = 1 (Groth16)
 *   2  [n8q<4>|q<32>|n8r<4>|r<32>|nVars<4>|nPublic<4>|domainSize<4>|alpha1<64>|beta1<64>|beta2<128>|gamma2<128>|delta1<64>|delta2<128>]
 *   4  [nCoefs<4>] then per A/B term [matrix<4>|constraint<4>|signal<4>|coef·R^2 mod r<32>]
 *   3  IC:  (beta·A_s + alpha·B_s + C_s)(tau)·G1 for public s (gamma = 1)
 *   9  H:   L_(2i+1)(tau)/delta·G1 over the domain of size 2·domainSize, i < domainSize (from the ptau if any)
 *   8  C:   (beta·A_s + alpha·B_s + C_s)(tau)/delta·G1 for private s
 *   5  A:   A_s(tau)·G1      6  B1: B_s(tau)·G1      7  B2: B_s(tau)·G2
 *   10 [circuitHash<64>|nContributions<4>] = 0 contributions
 */
import { randomBytes } from "crypto";
import { mkdirSync } from "fs";
import { rename, rm } from "fs/promises";
import { dirname } from "path";
import { BinFileWriter } from "./binfile";
import { CircuitTooLargeError, CeremonyFileError } from "./errors";
import {
  FQ_MODULUS,
  FR_MODULUS,
  frAdd,
  frInv,
  frMod,
  frMul,
  frPow,
  frSub,
  lagrangeAtTau,
  packScalars,
  writeScalarLE,
} from "./field";
import { FixedBasePool } from "./fixed-base-pool";
import type { GroupId } from "./fixed-base-worker";
import { openDevPtau } from "./ptau-reader";
import { progressSteps, type ProgressFn } from "./progress";
import { forEachConstraint, readR1cs } from "./r1cs";
import { singleThreadCurve, snarkjsInternals, type Blake2bHasher, type Bn128Curve } from "./snarkjs-internals";

export interface ZkeyOptions {
  onProgress?: ProgressFn;
  threads?: number;
}

/** snarkjs hashes H points in chunks of this many (see `hashHPoints` in its zkey_new.js). */
const H_HASH_CHUNK = 1 << 14;

/** floor(log2(v)), as snarkjs computes the circuit's power. */
function log2Floor(v: number): number {
  return 31 - Math.clz32(v);
}

/** The secrets of a Groth16 key (gamma is 1, as snarkjs has it). */
export interface ZkeySecrets {
  tau: bigint;
  alpha: bigint;
  beta: bigint;
  delta: bigint;
}

/** Where the key's secrets and points come from: a development ptau (delta = 1), or secrets held in memory. */
type KeySource = { kind: "ptau"; ptauPath: string } | { kind: "secrets"; secrets: ZkeySecrets; curve: Bn128Curve };

/** The zkey `groth16 setup` writes for a development ptau (delta = 1): byte-identical to it. */
export async function writeZkey(
  r1csPath: string,
  ptauPath: string,
  outPath: string,
  opts: ZkeyOptions = {},
): Promise<void> {
  await writeKey(r1csPath, { kind: "ptau", ptauPath }, outPath, opts);
}

/** A scalar drawn uniformly from [2, r) with the OS CSPRNG (512 bits reduced mod r: bias below 2^-250). */
export function randomScalar(): bigint {
  for (;;) {
    const v = frMod(BigInt("0x" + randomBytes(64).toString("hex")));
    if (v > 1n) return v;
  }
}

/**
 * A zkey from fresh secrets: tau, alpha, beta and delta are drawn from the OS CSPRNG, used to write the file,
 * and never stored or returned. Nobody (this project included) can forge proofs against it unless they read
 * this process's memory while it ran.
 */
export async function writeRandomZkey(r1csPath: string, outPath: string, opts: ZkeyOptions = {}): Promise<void> {
  const curve = await singleThreadCurve();
  await writeKey(
    r1csPath,
    {
      kind: "secrets",
      secrets: { tau: randomScalar(), alpha: randomScalar(), beta: randomScalar(), delta: randomScalar() },
      curve,
    },
    outPath,
    opts,
  );
}

async function writeKey(r1csPath: string, source: KeySource, outPath: string, opts: ZkeyOptions): Promise<void> {
  const report = opts.onProgress;
  const started = Date.now();
  const r1cs = await readR1cs(r1csPath);
  const h = r1cs.header;
  const nPublic = h.nOutputs + h.nPubInputs;
  const circuitPower = log2Floor(h.nConstraints + nPublic) + 1;
  const domainSize = 2 ** circuitPower;
  report?.(`zkey ${r1csPath}: ${h.nConstraints} constraints, ${h.nVars} signals, domain 2^${circuitPower}`);

  // The threads build their tables while this one recovers the secrets.
  const poolReady = FixedBasePool.start({ threads: opts.threads, expectedPoints: { G1: 4 * h.nVars, G2: h.nVars } });
  let ptau: Awaited<ReturnType<typeof openDevPtau>> | undefined;
  try {
    if (source.kind === "ptau") ptau = await openDevPtau(source.ptauPath);
  } catch (e) {
    await (await poolReady).close();
    throw e;
  }
  const ptauFile = ptau?.file;
  const power = ptau?.power ?? Infinity;
  const secrets: ZkeySecrets = ptau ? { ...ptau.secrets, delta: 1n } : (source as { secrets: ZkeySecrets }).secrets;
  const curve = ptau ? ptau.secrets.curve : (source as { curve: Bn128Curve }).curve;
  const deltaInverse = frInv(secrets.delta);
  const pool = await poolReady;
  let out: BinFileWriter | undefined;
  mkdirSync(dirname(outPath), { recursive: true });
  const tmpPath = `${outPath}.${process.pid}.${Date.now()}.tmp`;
  try {
    if (circuitPower > power) throw new CircuitTooLargeError(r1csPath, circuitPower, power as number);
    if (circuitPower === power && domainSize - 1 > H_HASH_CHUNK) {
      // snarkjs's circuit hash then reads past the end of the ptau's tauG1 section; refuse to imitate that.
      throw new CircuitTooLargeError(r1csPath, circuitPower, power);
    }
    if (circuitPower >= curve.Fr.s)
      throw new CeremonyFileError(r1csPath, `domain 2^${circuitPower} is too big for BN254`);

    const { newBlake2b } = snarkjsInternals();
    const csHasher = newBlake2b();
    out = await BinFileWriter.create(tmpPath, "zkey", 1, 10);

    // Section 1: protocol.
    await out.startSection(1);
    await out.writeU32(1);
    await out.endSection();

    // Section 2: header and the fixed points (gamma = 1; delta = 1 from a development ptau).
    await out.startSection(2);
    const fieldBytes = new Uint8Array(32);
    await out.writeU32(32);
    writeScalarLE(fieldBytes, 0, FQ_MODULUS);
    await out.write(fieldBytes);
    await out.writeU32(32);
    writeScalarLE(fieldBytes, 0, FR_MODULUS);
    await out.write(fieldBytes);
    await out.writeU32(h.nVars);
    await out.writeU32(nPublic);
    await out.writeU32(domainSize);
    const g1 = new Uint8Array(64);
    const g2 = new Uint8Array(128);
    curve.G1.toRprLEM(g1, 0, curve.G1.g);
    curve.G2.toRprLEM(g2, 0, curve.G2.g);
    const want = { uncompressed: true, lem: true };
    const toU = await pool.multiply("G1", packScalars([secrets.alpha, secrets.beta, secrets.delta]), want);
    const toU2 = await pool.multiply("G2", packScalars([secrets.beta, 1n, secrets.delta]), want);
    const fixed = ptauFile
      ? [await ptauFile.read(4, 0, 64), await ptauFile.read(5, 0, 64), await ptauFile.read(6, 0, 128), g2, g1, g2]
      : [
          toU.lem!.subarray(0, 64), // alpha1
          toU.lem!.subarray(64, 128), // beta1
          toU2.lem!.subarray(0, 128), // beta2
          g2, // gamma2
          toU.lem!.subarray(128, 192), // delta1
          toU2.lem!.subarray(256, 384), // delta2
        ];
    for (const p of fixed) await out.write(p);
    csHasher.update(toU.uncompressed!.subarray(0, 128)); // alpha1, beta1
    csHasher.update(toU2.uncompressed!.subarray(0, 128)); // beta2
    csHasher.update(toU2.uncompressed!.subarray(128, 256)); // gamma2
    csHasher.update(toU.uncompressed!.subarray(128, 192)); // delta1
    csHasher.update(toU2.uncompressed!.subarray(256, 384)); // delta2
    await out.endSection();

    // Section 4 and the QAP: A_s(tau), B_s(tau), C_s(tau) for every signal s.
    report?.(`zkey: evaluating the QAP at tau`);
    const omega = curve.Fr.toObject(curve.Fr.w[circuitPower]);
    const lagrange = lagrangeAtTau(secrets.tau, omega, circuitPower);
    const a = new Array<bigint>(h.nVars).fill(0n);
    const b = new Array<bigint>(h.nVars).fill(0n);
    const c = new Array<bigint>(h.nVars).fill(0n);
    const r2 = frMod(2n ** 512n);
    // Section 4 entries, [matrix<4>|constraint<4>|signal<4>|coef·R^2 mod r<32>], gathered in 2.8 MB blocks.
    const ENTRY = 44;
    const BLOCK = 1 << 16;
    const coefBlocks: Buffer[] = [];
    let nCoefs = 0;
    const entry = (matrix: number, constraint: number, signal: number, coef: bigint) => {
      const at = (nCoefs % BLOCK) * ENTRY;
      if (at === 0) coefBlocks.push(Buffer.alloc(BLOCK * ENTRY));
      const block = coefBlocks[coefBlocks.length - 1];
      block.writeUInt32LE(matrix, at);
      block.writeUInt32LE(constraint, at + 4);
      block.writeUInt32LE(signal, at + 8);
      writeScalarLE(block, at + 12, frMul(coef, r2));
      nCoefs++;
    };
    forEachConstraint(
      r1cs,
      (k, matrix, terms) => {
        const target = matrix === 0 ? a : matrix === 1 ? b : c;
        for (const t of terms) {
          target[t.signal] = frAdd(target[t.signal], frMul(t.coef, lagrange[k]));
          if (matrix !== 2) entry(matrix, k, t.signal, t.coef);
        }
      },
      r1csPath,
    );
    // Each public signal (and the constant one) also gets A_s += L_(nConstraints+s): it binds public inputs.
    for (let s = 0; s <= nPublic; s++) {
      a[s] = frAdd(a[s], lagrange[h.nConstraints + s]);
      entry(0, h.nConstraints + s, s, 1n);
    }
    await out.startSection(4);
    await out.writeU32(nCoefs);
    coefBlocks.forEach((block, i) => {
      const used = i === coefBlocks.length - 1 ? (nCoefs - i * BLOCK) * ENTRY : block.length;
      coefBlocks[i] = block.subarray(0, used);
    });
    for (const block of coefBlocks) await out.write(block);
    coefBlocks.length = 0;
    await out.endSection();

    const combined = (s: number) => frAdd(frAdd(frMul(secrets.beta, a[s]), frMul(secrets.alpha, b[s])), c[s]);
    const pointsSection = async (
      id: number,
      label: string,
      group: GroupId,
      count: number,
      scalar: (i: number) => bigint,
      hashed = true,
    ) => {
      const step = progressSteps(report, `zkey: section ${id} (${label})`, count);
      if (hashed) hashU32(csHasher, count);
      await out!.startSection(id);
      await pool.stream(
        group,
        count,
        { lem: true, uncompressed: true },
        (start, n) => {
          const values = new Array<bigint>(n);
          for (let i = 0; i < n; i++) values[i] = scalar(start + i);
          return packScalars(values);
        },
        async (start, n, res) => {
          await out!.write(res.lem!);
          if (hashed) csHasher.update(res.uncompressed!);
          step(start + n);
        },
      );
      await out!.endSection();
    };

    await pointsSection(3, "IC", "G1", nPublic + 1, combined);

    // Section 9: H, the odd Lagrange points of the next domain, straight from the ptau's section 12.
    if (ptauFile) {
      report?.(`zkey: section 9 (H)`);
      await out.startSection(9);
      const nextLevel = await ptauFile.read(12, (2 * domainSize - 1) * 64, 2 * domainSize * 64);
      const hPoints = Buffer.alloc(domainSize * 64);
      for (let i = 0; i < domainSize; i++) nextLevel.copy(hPoints, i * 64, (2 * i + 1) * 64, (2 * i + 2) * 64);
      await out.write(hPoints);
      await out.endSection();
      await hashHPoints(csHasher, pool, ptauFile, domainSize);
    } else {
      // The same points a ptau of these secrets holds in its section 12 (with snarkjs's dropped top power),
      // divided by delta as a phase-2 contribution leaves them.
      const omega2 = curve.Fr.toObject(curve.Fr.w[circuitPower + 1]);
      const next = lagrangeAtTau(secrets.tau, omega2, circuitPower + 1, true);
      await pointsSection(9, "H", "G1", domainSize, (i) => frMul(next[2 * i + 1], deltaInverse), false);
      // The circuit hash covers (tau^(i+M) - tau^i)·G1, i < M - 1, as hashHPoints reads them from a ptau.
      hashU32(csHasher, domainSize - 1);
      const tauM = frPow(secrets.tau, BigInt(domainSize));
      let tauI = 1n;
      await pool.stream(
        "G1",
        domainSize - 1,
        { uncompressed: true },
        (_start, n) => {
          const values = new Array<bigint>(n);
          for (let i = 0; i < n; i++, tauI = frMul(tauI, secrets.tau)) values[i] = frSub(frMul(tauI, tauM), tauI);
          return packScalars(values);
        },
        (_start, _n, res) => void csHasher.update(res.uncompressed!),
      );
    }

    const privateScalar = (s: number) => frMul(combined(s), deltaInverse);
    await pointsSection(8, "C", "G1", h.nVars - nPublic - 1, (i) => privateScalar(i + nPublic + 1));
    await pointsSection(5, "A", "G1", h.nVars, (i) => a[i]);
    await pointsSection(6, "B1", "G1", h.nVars, (i) => b[i]);
    await pointsSection(7, "B2", "G2", h.nVars, (i) => b[i]);

    await out.startSection(10);
    await out.write(csHasher.digest());
    await out.writeU32(0);
    await out.endSection();
    await out.close();
    out = undefined;
    await rename(tmpPath, outPath);
    report?.(`zkey: wrote ${outPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    if (out) await out.close().catch(() => undefined);
    await rm(tmpPath, { force: true });
    throw e;
  } finally {
    await pool.close();
    await ptauFile?.close();
  }
}

function hashU32(hasher: Blake2bHasher, n: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  hasher.update(b);
}

/**
 * The circuit hash covers (tau^(i+M) - tau^i)·G1 for the H query, read from the
 * ptau's tauG1 section. snarkjs hashes min(M-1, 2^14) points per chunk, so above
 * 2^14 it hashes M points rather than M-1; this follows it exactly.
 */
async function hashHPoints(
  hasher: Blake2bHasher,
  pool: FixedBasePool,
  ptau: import("./binfile-reader").BinFileReader,
  domainSize: number,
): Promise<void> {
  hashU32(hasher, domainSize - 1);
  const chunk = Math.min(domainSize - 1, H_HASH_CHUNK);
  const parts: Promise<Uint8Array>[] = [];
  for (let i = 0; i < domainSize - 1; i += H_HASH_CHUNK) {
    const high = await ptau.read(2, (i + domainSize) * 64, chunk * 64);
    const low = await ptau.read(2, i * 64, chunk * 64);
    parts.push(pool.subtractG1(high, low));
  }
  for (const p of parts) hasher.update(await p);
}
