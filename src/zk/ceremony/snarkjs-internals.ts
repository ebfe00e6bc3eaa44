/**
 * Typed access to the parts of snarkjs and ffjavascript the development
 * ceremony relies on, including snarkjs internals that its package does not
 * export (the beacon key derivation, the challenge hash, the contribution
 * record). Those are loaded from snarkjs's own source files, so the exact
 * versions are pinned in package.json and checked here: a different snarkjs
 * could write different bytes, and the byte-identity tests would say so.
 *
 * INSECURE BY DESIGN: this serves a ceremony whose secrets are public.
 */
import { dirname, join } from "path";
import { existsSync, readFileSync } from "fs";
import { CeremonyError } from "./errors";

export const PINNED_SNARKJS = "0.7.6";
export const PINNED_FFJAVASCRIPT = "0.3.1";

/** An opaque field element or curve point in ffjavascript's internal (Montgomery) form. */
export type FieldElement = Uint8Array;
export type CurvePoint = Uint8Array;

export interface Field {
  n8: number;
  toObject(a: FieldElement): bigint;
  e(a: bigint | number | string): FieldElement;
  w: FieldElement[];
  s: number;
}

export interface Group {
  g: CurvePoint;
  F: { n8: number };
  toRprLEM(buff: Uint8Array, pos: number, p: CurvePoint): void;
  toRprUncompressed(buff: Uint8Array, pos: number, p: CurvePoint): void;
  fromRprLEM(buff: Uint8Array, pos?: number): CurvePoint;
  timesFr(p: CurvePoint, e: FieldElement): CurvePoint;
  toAffine(p: CurvePoint): CurvePoint;
  eq(a: CurvePoint, b: CurvePoint): boolean;
}

/** The BN254 curve object of ffjavascript, reduced to what the ceremony calls. */
export interface Bn128Curve {
  Fr: Field;
  G1: Group;
  G2: Group;
  q: bigint;
  r: bigint;
  tm: unknown;
  terminate(): Promise<void>;
}

export interface PtauKey {
  tau: { prvKey: FieldElement };
  alpha: { prvKey: FieldElement };
  beta: { prvKey: FieldElement };
}

/** noble's blake2b hasher as snarkjs uses it (its partial-hash helpers read the internal state). */
export interface Blake2bHasher {
  update(data: Uint8Array): Blake2bHasher;
  digest(): Uint8Array;
}

interface Ffjavascript {
  buildBn128(singleThread?: boolean): Promise<Bn128Curve>;
}

interface PtauUtils {
  calculateFirstChallengeHash(curve: Bn128Curve, power: number): Uint8Array;
  keyFromBeacon(curve: Bn128Curve, challengeHash: Uint8Array, beaconHash: Uint8Array, exp: number): Promise<PtauKey>;
  toPtauPubKeyRpr(buff: Uint8Array, pos: number, curve: Bn128Curve, key: PtauKey, montgomery: boolean): Uint8Array;
}

interface Misc {
  toPartialHash(hasher: Blake2bHasher): Uint8Array;
  hex2ByteArray(s: string): Uint8Array;
}

interface Blake2bModule {
  blake2b: { create(opts: { dkLen: number }): Blake2bHasher };
}

export interface SnarkjsInternals {
  ptauUtils: PtauUtils;
  misc: Misc;
  /** A blake2b-512 hasher from the same @noble/hashes copy snarkjs uses. */
  newBlake2b(): Blake2bHasher;
}

/** The folder of an installed package, found as Node would from `from` (its package.json may not be exported). */
function packageDir(name: string, from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new CeremonyError(`package ${name} is not installed (looked up from ${from}); run npm ci`);
}

function checkVersion(name: string, dir: string, pinned: string): void {
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  if (version !== pinned) {
    throw new CeremonyError(
      `${name} ${version} is installed but the development ceremony is pinned to ${pinned}: ` +
        `its byte layout and hashing come from that exact version (run npm ci)`,
    );
  }
}

let ffCache: Ffjavascript | undefined;

/** ffjavascript's CommonJS build (the one snarkjs's CommonJS build uses too). */
export function ffjavascript(): Ffjavascript {
  if (!ffCache) {
    checkVersion("ffjavascript", snarkjsSiblingDir("ffjavascript"), PINNED_FFJAVASCRIPT);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ffCache = require("ffjavascript") as Ffjavascript;
  }
  return ffCache;
}

function snarkjsSiblingDir(name: string): string {
  return packageDir(name, packageDir("snarkjs"));
}

let internalsCache: SnarkjsInternals | undefined;

/**
 * Loads snarkjs's ES-module sources. Loading ffjavascript's ES build resets
 * `globalThis.curve_bn128` (its module cache of the threaded curve); the value
 * is restored so a curve someone already built is neither lost nor leaked.
 */
export function snarkjsInternals(): SnarkjsInternals {
  if (internalsCache) return internalsCache;
  const dir = packageDir("snarkjs");
  checkVersion("snarkjs", dir, PINNED_SNARKJS);
  ffjavascript();
  const g = globalThis as { curve_bn128?: unknown };
  const saved = g.curve_bn128;
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const ptauUtils = require(join(dir, "src", "powersoftau_utils.js")) as PtauUtils;
    const misc = require(join(dir, "src", "misc.js")) as Misc;
    const nobleDir = packageDir("@noble/hashes", dir);
    // The ES build, the one snarkjs's sources import, so its partial-hash helpers see the same object shape.
    const noble = require(join(nobleDir, "esm", "blake2b.js")) as Blake2bModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    internalsCache = { ptauUtils, misc, newBlake2b: () => noble.blake2b.create({ dkLen: 64 }) };
  } finally {
    if (saved !== undefined && g.curve_bn128 == null) g.curve_bn128 = saved;
  }
  return internalsCache;
}

let singleCurve: Promise<Bn128Curve> | undefined;

/** A single-threaded BN254 curve (no worker threads to terminate), shared by the ceremony. */
export function singleThreadCurve(): Promise<Bn128Curve> {
  singleCurve ??= ffjavascript().buildBn128(true);
  return singleCurve;
}
