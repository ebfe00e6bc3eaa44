/**
 * The body of one fixed-base multiplication worker thread.
 *
 * It runs the BN254 WebAssembly of ffjavascript (the code snarkjs runs) and
 * multiplies the G1 or G2 generator by many scalars with a fixed-base comb:
 * for a window of c bits it precomputes d·2^(c·w)·G for every digit d and
 * window w, so one multiplication is one addition per window (22 for c = 12)
 * instead of ~380 group operations of double-and-add. The additions of a
 * batch are affine and share one inversion per window (see `multiply`).
 *
 * The function is sent to the thread as source text (`workerSource`), so it
 * must not reference anything outside its own body: it then runs the same
 * under ts-node and from compiled JavaScript, with no loader in the thread.
 *
 * INSECURE BY DESIGN: used only to build development keys from public secrets.
 */

/** Which group a job works in. */
export type GroupId = "G1" | "G2";

/** Sent once at start. */
export interface WorkerInit {
  wasmCode: Uint8Array;
  pG1gen: number;
  pG2gen: number;
  /** Comb window per group, in bits. */
  windowBits: Record<GroupId, number>;
  /** Groups whose tables to build at start, while the caller prepares its first jobs. */
  prebuild: GroupId[];
}

/** Multiply the generator of `group` by each 32-byte little-endian scalar. */
export interface MultiplyJob {
  kind: "multiply";
  id: number;
  group: GroupId;
  scalars: Uint8Array;
  /** Affine points, little-endian Montgomery (the .ptau/.zkey layout). */
  wantLEM: boolean;
  /** Compressed big-endian standard form (what the ptau response hash reads). */
  wantCompressed: boolean;
  /** Uncompressed big-endian standard form (what challenge and circuit hashes read). */
  wantUncompressed: boolean;
}

/** a[i] - b[i] for affine LEM G1 points, returned uncompressed (the zkey H hash). */
export interface SubtractJob {
  kind: "subtract";
  id: number;
  a: Uint8Array;
  b: Uint8Array;
}

export type WorkerJob = MultiplyJob | SubtractJob;

export interface WorkerResult {
  id: number;
  lem?: Uint8Array;
  compressed?: Uint8Array;
  uncompressed?: Uint8Array;
  error?: string;
}

/** The thread's main function; see the file comment for why it is self-contained. */
export function fixedBaseWorkerMain(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort, workerData } = require("worker_threads") as typeof import("worker_threads");
  const init = workerData as WorkerInit;
  const N8 = 32; // bytes of one base-field element
  const SCALAR = 32;
  const SCALAR_BITS = 254;

  // The project compiles without the DOM library, which is where TypeScript declares WebAssembly.
  interface WasmMemory {
    buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  interface WasmApi {
    Memory: new (d: { initial: number }) => WasmMemory;
    Module: new (code: Uint8Array) => object;
    Instance: new (m: object, imports: object) => { exports: Record<string, (...args: number[]) => number> };
  }
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const memory = new wasm.Memory({ initial: 25 });
  const instance = new wasm.Instance(new wasm.Module(init.wasmCode), { env: { memory } });
  const ex = instance.exports;
  const heapStart = new Uint32Array(memory.buffer)[0];
  let top = heapStart;

  interface GroupCtx {
    prefix: string;
    c: number; // window bits
    digits: number;
    windows: number;
    sAff: number;
    sProj: number;
    sC: number;
    sU: number;
    table: number; // pointer to windows*digits affine points; digit 0 unused
  }
  const groups: Partial<Record<GroupId, GroupCtx>> = {};

  function alloc(bytes: number): number {
    const p = top;
    top += (bytes + 7) & ~7;
    ensure(top);
    return p;
  }
  function ensure(end: number): void {
    const need = end - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
  }
  /**
   * Sets the wasm free pointer above our data. The batch helpers take their
   * scratch space from there (batchToAffine n field elements, its batch
   * inversion as many again), so leave room for several times `bytes`.
   */
  function reserveScratch(bytes: number): void {
    ensure(top + 4 * bytes + (1 << 20));
    new Uint32Array(memory.buffer)[0] = top;
  }

  function group(id: GroupId): GroupCtx {
    const existing = groups[id];
    if (existing) return existing;
    const k = id === "G1" ? 1 : 2;
    const prefix = id === "G1" ? "g1m" : "g2m";
    const c = init.windowBits[id];
    const digits = 1 << c;
    const windows = Math.ceil(SCALAR_BITS / c);
    const ctx: GroupCtx = {
      prefix,
      c,
      digits,
      windows,
      sAff: 2 * N8 * k,
      sProj: 3 * N8 * k,
      sC: N8 * k,
      sU: 2 * N8 * k,
      table: 0,
    };
    ctx.table = alloc(windows * digits * ctx.sAff);
    // Build each window's row in projective form, then convert it in one batch.
    const rowProj = alloc(digits * ctx.sProj);
    const base = alloc(ctx.sProj);
    ex[prefix + "_copy"](id === "G1" ? init.pG1gen : init.pG2gen, base);
    for (let w = 0; w < windows; w++) {
      ex[prefix + "_zero"](rowProj);
      for (let d = 1; d < digits; d++) {
        ex[prefix + "_add"](rowProj + (d - 1) * ctx.sProj, base, rowProj + d * ctx.sProj);
      }
      // next base = digits · base = (digits-1)·base + base
      ex[prefix + "_add"](rowProj + (digits - 1) * ctx.sProj, base, base);
      reserveScratch(digits * N8 * k);
      ex[prefix + "_batchToAffine"](rowProj, digits, ctx.table + w * digits * ctx.sAff);
    }
    top = rowProj; // release the scratch row
    groups[id] = ctx;
    return ctx;
  }

  /**
   * The comb over a batch, in affine coordinates: window by window, every
   * accumulator gets its table point added with the affine formula
   *   lambda = (yT - yA) / (xT - xA), x' = lambda^2 - xA - xT, y' = lambda·(xA - x') - yA,
   * and the batch shares one field inversion (Montgomery's trick). That is
   * about half the field multiplications of a Jacobian mixed addition, and the
   * results need no final conversion to affine. The formula never meets its
   * special cases: before window w an accumulator holds s mod 2^(c·w) times G
   * and the table point d·2^(c·w) times G, with both multiples and their sum
   * in [1, r), so the two points are neither equal nor opposite.
   */
  function multiply(job: MultiplyJob): WorkerResult {
    const g = group(job.group);
    const n = job.scalars.length / SCALAR;
    const f = g.prefix === "g1m" ? "f1m" : "f2m";
    const fe = g.sAff / 2; // bytes of one coordinate
    const mark = top;
    const pAcc = alloc(n * g.sAff);
    const pDen = alloc(n * fe);
    const pInv = alloc(n * fe);
    const pConv = alloc(n * g.sU);
    const t1 = alloc(fe);
    const t2 = alloc(fe);
    const lam = alloc(fe);
    reserveScratch(n * g.sU);
    const fSub = ex[f + "_sub"];
    const fMul = ex[f + "_mul"];
    const fSquare = ex[f + "_square"];
    const fCopy = ex[f + "_copy"];
    const copyAffine = ex[g.prefix + "_copyAffine"];
    new Uint8Array(memory.buffer).fill(0, pAcc, pAcc + n * g.sAff); // unset = the zero point, as snarkjs writes it
    const isSet = new Uint8Array(n);
    const pending = new Int32Array(n); // accumulators to add to in this window
    const pendingTable = new Int32Array(n); // and their table points
    const s = job.scalars;
    const { c, digits, windows } = g;
    const mask = digits - 1;
    for (let w = 0; w < windows; w++) {
      const bit = w * c;
      const byte = bit >> 3;
      const shift = bit & 7;
      const row = g.table + w * digits * g.sAff;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const o = i * SCALAR + byte;
        let v = s[o];
        if (byte + 1 < SCALAR) v |= s[o + 1] << 8;
        if (byte + 2 < SCALAR) v |= s[o + 2] << 16;
        const d = (v >>> shift) & mask;
        if (d === 0) continue;
        const pT = row + d * g.sAff;
        const pA = pAcc + i * g.sAff;
        if (!isSet[i]) {
          copyAffine(pT, pA);
          isSet[i] = 1;
          continue;
        }
        fSub(pT, pA, pDen + m * fe); // xT - xA
        pending[m] = pA;
        pendingTable[m] = pT;
        m++;
      }
      if (m === 0) continue;
      ex[f + "_batchInverse"](pDen, fe, m, pInv, fe);
      for (let k = 0; k < m; k++) {
        const pA = pending[k];
        const pT = pendingTable[k];
        fSub(pT + fe, pA + fe, t1); // yT - yA
        fMul(t1, pInv + k * fe, lam);
        fSquare(lam, t2);
        fSub(t2, pA, t2);
        fSub(t2, pT, t2); // x' = lambda^2 - xA - xT
        fSub(pA, t2, t1);
        fMul(lam, t1, t1);
        fSub(t1, pA + fe, pA + fe); // y' = lambda·(xA - x') - yA
        fCopy(t2, pA);
      }
    }
    const res: WorkerResult = { id: job.id };
    const u8 = () => new Uint8Array(memory.buffer);
    if (job.wantLEM) res.lem = u8().slice(pAcc, pAcc + n * g.sAff);
    if (job.wantCompressed) {
      ex[g.prefix + "_batchLEMtoC"](pAcc, n, pConv);
      res.compressed = u8().slice(pConv, pConv + n * g.sC);
    }
    if (job.wantUncompressed) {
      ex[g.prefix + "_batchLEMtoU"](pAcc, n, pConv);
      res.uncompressed = u8().slice(pConv, pConv + n * g.sU);
    }
    top = mark;
    return res;
  }

  function subtract(job: SubtractJob): WorkerResult {
    const sAff = 2 * N8;
    const sProj = 3 * N8;
    const n = job.a.length / sAff;
    const mark = top;
    const pA = alloc(n * sAff);
    const pB = alloc(n * sAff);
    const pProj = alloc(n * sProj);
    const pU = alloc(n * sAff);
    reserveScratch(n * N8);
    const u8 = new Uint8Array(memory.buffer);
    u8.set(job.a, pA);
    u8.set(job.b, pB);
    for (let i = 0; i < n; i++) ex.g1m_subAffine(pA + i * sAff, pB + i * sAff, pProj + i * sProj);
    ex.g1m_batchToAffine(pProj, n, pA);
    ex.g1m_batchLEMtoU(pA, n, pU);
    const res: WorkerResult = { id: job.id, uncompressed: new Uint8Array(memory.buffer).slice(pU, pU + n * sAff) };
    top = mark;
    return res;
  }

  for (const id of init.prebuild) group(id);

  parentPort!.on("message", (job: WorkerJob) => {
    let res: WorkerResult;
    try {
      res = job.kind === "multiply" ? multiply(job) : subtract(job);
    } catch (e) {
      res = { id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    const transfer = [res.lem, res.compressed, res.uncompressed]
      .filter((b): b is Uint8Array => b !== undefined)
      .map((b) => b.buffer as ArrayBuffer);
    parentPort!.postMessage(res, transfer);
  });
}

/** JavaScript source that runs `fixedBaseWorkerMain` in a thread started with `eval: true`. */
export const workerSource = `(${fixedBaseWorkerMain.toString()})();`;
