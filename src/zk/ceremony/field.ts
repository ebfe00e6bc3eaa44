/**
 * Scalar-field (Fr of BN254) arithmetic in native BigInt, for the secrets of
 * the development ceremony: powers of tau and Lagrange basis values.
 *
 * INSECURE BY DESIGN: everything here works on toxic waste that is public.
 * It exists so development keys can be computed directly; never use keys made
 * this way outside development and teaching.
 */

/** The BN254 scalar field modulus r. */
export const FR_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** The BN254 base field modulus q. */
export const FQ_MODULUS = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Bytes of one scalar (little-endian, standard form). */
export const SCALAR_BYTES = 32;

const r = FR_MODULUS;

/** a mod r, in [0, r). */
export function frMod(a: bigint): bigint {
  const m = a % r;
  return m < 0n ? m + r : m;
}

export function frMul(a: bigint, b: bigint): bigint {
  return (a * b) % r;
}

export function frAdd(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s >= r ? s - r : s;
}

export function frSub(a: bigint, b: bigint): bigint {
  const s = a - b;
  return s < 0n ? s + r : s;
}

export function frPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = frMod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % r;
    b = (b * b) % r;
    e >>= 1n;
  }
  return result;
}

/** Multiplicative inverse by Fermat; throws on zero. */
export function frInv(a: bigint): bigint {
  if (frMod(a) === 0n) throw new RangeError("field inverse: zero has no inverse");
  return frPow(a, r - 2n);
}

/** Inverts every element with one field inversion (Montgomery's trick). */
export function frBatchInverse(values: bigint[]): bigint[] {
  const n = values.length;
  const prefix = new Array<bigint>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = (acc * values[i]) % r;
  }
  let inv = frInv(acc);
  const out = new Array<bigint>(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = (inv * prefix[i]) % r;
    inv = (inv * values[i]) % r;
  }
  return out;
}

/** [start·x^0, start·x^1, ..., start·x^(count-1)]. */
export function frPowers(x: bigint, count: number, start = 1n): bigint[] {
  const out = new Array<bigint>(count);
  let acc = frMod(start);
  for (let i = 0; i < count; i++) {
    out[i] = acc;
    acc = (acc * x) % r;
  }
  return out;
}

/**
 * L_i(tau) for i < M over the domain {omega^i} of size M = 2^p:
 * L_i(tau) = (tau^M - 1) / M * omega^i / (tau - omega^i).
 *
 * With `dropTopPower`, returns L_i(tau) - omega^i * tau^(M-1) / M instead: the
 * value snarkjs writes for the one extra level of section 12, where its
 * input lacks tau^(M-1) and reads it as zero (the coefficient of X^(M-1) in
 * L_i is omega^i / M). It changes no proof; matching it keeps the bytes equal.
 */
export function lagrangeAtTau(tau: bigint, omega: bigint, p: number, dropTopPower = false): bigint[] {
  const m = 1 << p;
  const mInv = frInv(BigInt(m));
  const tauM = frPow(tau, BigInt(m));
  const numerator = frMul(frSub(tauM, 1n), mInv);
  if (numerator === 0n) throw new RangeError(`lagrange: tau is a root of unity of order ${m}`);
  const omegas = frPowers(omega, m);
  const denominators = omegas.map((w) => frSub(tau, w));
  const inverses = frBatchInverse(denominators);
  const topTerm = dropTopPower ? frMul(frPow(tau, BigInt(m - 1)), mInv) : 0n;
  const out = new Array<bigint>(m);
  for (let i = 0; i < m; i++) {
    let v = frMul(frMul(numerator, omegas[i]), inverses[i]);
    if (dropTopPower) v = frSub(v, frMul(omegas[i], topTerm));
    out[i] = v;
  }
  return out;
}

/** Writes `value` (already reduced) as 32 little-endian bytes at `offset`. */
export function writeScalarLE(out: Uint8Array, offset: number, value: bigint): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, SCALAR_BYTES);
  const mask = 0xffffffffffffffffn;
  view.setBigUint64(0, value & mask, true);
  view.setBigUint64(8, (value >> 64n) & mask, true);
  view.setBigUint64(16, (value >> 128n) & mask, true);
  view.setBigUint64(24, value >> 192n, true);
}

/** Reads 32 little-endian bytes at `offset` as a BigInt. */
export function readScalarLE(buf: Uint8Array, offset: number): bigint {
  const view = new DataView(buf.buffer, buf.byteOffset + offset, SCALAR_BYTES);
  return (
    view.getBigUint64(0, true) |
    (view.getBigUint64(8, true) << 64n) |
    (view.getBigUint64(16, true) << 128n) |
    (view.getBigUint64(24, true) << 192n)
  );
}

/** Packs scalars into one buffer of 32-byte little-endian words, as the fixed-base workers expect. */
export function packScalars(values: readonly bigint[], start = 0, count = values.length - start): Uint8Array {
  const out = new Uint8Array(count * SCALAR_BYTES);
  const view = new DataView(out.buffer);
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < count; i++) {
    const v = values[start + i];
    const o = i * SCALAR_BYTES;
    view.setBigUint64(o, v & mask, true);
    view.setBigUint64(o + 8, (v >> 64n) & mask, true);
    view.setBigUint64(o + 16, (v >> 128n) & mask, true);
    view.setBigUint64(o + 24, v >> 192n, true);
  }
  return out;
}
