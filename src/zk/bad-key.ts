/**
 * For attacks and tests: a key off Baby Jubjub whose 8·A, computed with circomlib's BabyDbl formulas, has y = 1 and x ≠ 0:
 * circomlib's Edwards2Montgomery (out·(1 − y) = 1 + y) then has no solution, whatever the slot's `enabled`.
 * Built backwards from the last doubling: doubling maps (x, y) to
 *   (2xy / (1 + d·x²y²), (y² − a·x²) / (1 − d·x²y²)),
 * so each step back solves a quadratic in u = xy, then one in y², taking square roots mod r.
 */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const A = 168700n;
const D = 168696n;

const mod = (v: bigint) => ((v % R) + R) % R;
function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = mod(b);
  for (; e > 0n; e >>= 1n, b = (b * b) % R) if (e & 1n) r = (r * b) % R;
  return r;
}
const inv = (v: bigint) => pow(v, R - 2n);

/** A square root mod r (Tonelli-Shanks), or undefined for a non-residue. */
function sqrt(n: bigint): bigint | undefined {
  n = mod(n);
  if (n === 0n) return 0n;
  if (pow(n, (R - 1n) / 2n) !== 1n) return undefined;
  let q = R - 1n;
  let s = 0n;
  while ((q & 1n) === 0n) {
    q >>= 1n;
    s++;
  }
  let z = 2n;
  while (pow(z, (R - 1n) / 2n) !== R - 1n) z++;
  let m = s;
  let c = pow(z, q);
  let t = pow(n, q);
  let r = pow(n, (q + 1n) / 2n);
  while (t !== 1n) {
    let i = 0n;
    let t2 = t;
    while (t2 !== 1n) {
      t2 = (t2 * t2) % R;
      i++;
    }
    const b = pow(c, 1n << (m - i - 1n));
    m = i;
    c = (b * b) % R;
    t = (t * c) % R;
    r = (r * b) % R;
  }
  return r;
}

export function double(x: bigint, y: bigint): [bigint, bigint] {
  const u = mod(x * y);
  const t = mod(D * u * u);
  return [mod(2n * u * inv(1n + t)), mod((y * y - A * x * x) * inv(1n - t))];
}

/** (x, y) with double(x, y) = (X, Y), if one exists. */
function halve(X: bigint, Y: bigint): [bigint, bigint] | undefined {
  const disc = sqrt(1n - D * X * X);
  if (disc === undefined) return undefined;
  const u = mod((1n + disc) * inv(X * D));
  const k = mod(Y * (1n - D * u * u));
  const d2 = sqrt(k * k + 4n * A * u * u);
  if (d2 === undefined) return undefined;
  const y = sqrt(mod((k + d2) * inv(2n)));
  if (y === undefined || y === 0n) return undefined;
  return [mod(u * inv(y)), y];
}

/** An off-curve key whose third BabyDbl has y = 1 and x ≠ 0. */
export function keyWithEightTimesYOne(): { ax: bigint; ay: bigint } {
  for (let x2 = 2n; ; x2++) {
    const y2 = sqrt(mod((1n + A * x2 * x2) * inv(1n + D * x2 * x2)));
    if (y2 === undefined) continue;
    const p1 = halve(x2, y2);
    if (!p1) continue;
    const p0 = halve(p1[0], p1[1]);
    if (!p0) continue;
    let p = p0;
    for (let i = 0; i < 3; i++) p = double(p[0], p[1]);
    if (p[1] === 1n && p[0] !== 0n) return { ax: p0[0], ay: p0[1] };
  }
}
