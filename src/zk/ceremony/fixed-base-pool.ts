/**
 * A pool of fixed-base multiplication threads (see fixed-base-worker.ts) with
 * an ordered, bounded pipeline: callers stream chunks of scalars in and get
 * the points back in the same order, so sections can be written as they come.
 *
 * INSECURE BY DESIGN: used only to build development keys from public secrets.
 */
import { Worker } from "worker_threads";
import { cpus } from "os";
import { workerSource, type GroupId, type MultiplyJob, type WorkerJob, type WorkerResult } from "./fixed-base-worker";
import { SCALAR_BYTES } from "./field";
import { singleThreadCurve } from "./snarkjs-internals";

/** Bytes of one affine point (little-endian Montgomery) per group. */
export const AFFINE_BYTES: Record<GroupId, number> = { G1: 64, G2: 128 };

/** Points per job: big enough to amortise messaging, small enough to keep both threads busy. */
export const CHUNK_POINTS = 1 << 13;

export interface PoolOptions {
  /** Threads to start; default: one per CPU core, at most 8. */
  threads?: number;
  /**
   * How many points of each group the caller expects to compute: each
   * thread's comb window is sized to it (small jobs get small tables that are
   * quick to build). Unknown groups get a 12-bit window.
   */
  expectedPoints?: Partial<Record<GroupId, number>>;
}

/** Bits of a scalar (BN254's r is 254 bits). */
const SCALAR_BITS = 254;
/** Cap on one comb table per thread. */
const MAX_TABLE_BYTES = 48 << 20;

/**
 * The comb window that minimises table building plus multiplication work,
 * both counted in mixed additions: windows·2^c to build, windows per point.
 */
export function bestWindowBits(pointsPerThread: number, affineBytes: number): number {
  let best = 4;
  let bestCost = Infinity;
  for (let c = 4; c <= 16; c++) {
    const windows = Math.ceil(SCALAR_BITS / c);
    if (windows * (1 << c) * affineBytes > MAX_TABLE_BYTES) break;
    const cost = windows * ((1 << c) + pointsPerThread);
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

export interface ChunkOutputs {
  lem?: Uint8Array;
  compressed?: Uint8Array;
  uncompressed?: Uint8Array;
}

interface Pending {
  resolve: (r: WorkerResult) => void;
  reject: (e: Error) => void;
}

export class FixedBasePool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly queue: { job: WorkerJob; pending: Pending }[] = [];
  private readonly inflight = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.idle = [...workers];
    for (const w of workers) {
      w.on("message", (res: WorkerResult) => this.onResult(w, res));
      w.on("error", (e: Error) => this.fail(e));
      w.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`fixed-base worker exited with code ${code}`));
      });
    }
  }

  /** Starts the threads; call `close()` when done or they keep the process alive. */
  static async start(opts: PoolOptions = {}): Promise<FixedBasePool> {
    const threads = Math.max(1, Math.min(opts.threads ?? cpus().length, 8));
    // A single-threaded curve starts no workers: here it is only the source of the wasm code.
    const curve = await singleThreadCurve();
    const tm = curve.tm as { code: Uint8Array; pG1gen: number; pG2gen: number };
    const windowFor = (g: GroupId) => {
      const expected = opts.expectedPoints?.[g];
      return expected === undefined ? 12 : bestWindowBits(Math.ceil(expected / threads), AFFINE_BYTES[g]);
    };
    const windowBits: Record<GroupId, number> = { G1: windowFor("G1"), G2: windowFor("G2") };
    const workers: Worker[] = [];
    for (let i = 0; i < threads; i++) {
      workers.push(
        new Worker(workerSource, {
          eval: true,
          workerData: {
            wasmCode: tm.code,
            pG1gen: tm.pG1gen,
            pG2gen: tm.pG2gen,
            windowBits,
            prebuild: (["G1", "G2"] as const).filter((g) => opts.expectedPoints?.[g] !== undefined),
          },
        }),
      );
    }
    return new FixedBasePool(workers);
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Multiplies the generator of `group` by each packed 32-byte scalar. */
  multiply(
    group: GroupId,
    scalars: Uint8Array,
    want: { lem?: boolean; compressed?: boolean; uncompressed?: boolean },
  ): Promise<ChunkOutputs> {
    const job: MultiplyJob = {
      kind: "multiply",
      id: this.nextId++,
      group,
      scalars,
      wantLEM: want.lem ?? false,
      wantCompressed: want.compressed ?? false,
      wantUncompressed: want.uncompressed ?? false,
    };
    return this.submit(job).then((r) => ({ lem: r.lem, compressed: r.compressed, uncompressed: r.uncompressed }));
  }

  /** a[i] - b[i] for affine LEM G1 points, uncompressed. */
  async subtractG1(a: Uint8Array, b: Uint8Array): Promise<Uint8Array> {
    const r = await this.submit({ kind: "subtract", id: this.nextId++, a, b });
    return r.uncompressed!;
  }

  /**
   * Streams `count` multiplications in chunks: `scalarsAt(start, n)` packs the
   * scalars of points [start, start+n); `onChunk` receives the results strictly
   * in order. At most two chunks per thread are in flight.
   */
  async stream(
    group: GroupId,
    count: number,
    want: { lem?: boolean; compressed?: boolean; uncompressed?: boolean },
    scalarsAt: (start: number, n: number) => Uint8Array,
    onChunk: (start: number, n: number, out: ChunkOutputs) => Promise<void> | void,
  ): Promise<void> {
    const window: { start: number; n: number; done: Promise<ChunkOutputs> }[] = [];
    const maxInFlight = this.workers.length * 2;
    let next = 0;
    while (next < count || window.length > 0) {
      while (next < count && window.length < maxInFlight) {
        const n = Math.min(CHUNK_POINTS, count - next);
        const scalars = scalarsAt(next, n);
        if (scalars.length !== n * SCALAR_BYTES) {
          throw new RangeError(`fixed-base stream: expected ${n} scalars at ${next}, got ${scalars.length} bytes`);
        }
        window.push({ start: next, n, done: this.multiply(group, scalars, want) });
        next += n;
      }
      const head = window.shift()!;
      await onChunk(head.start, head.n, await head.done);
    }
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private submit(job: WorkerJob): Promise<WorkerResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ job, pending: { resolve, reject } });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const { job, pending } = this.queue.shift()!;
      this.inflight.set(job.id, pending);
      const transfer = job.kind === "multiply" ? [job.scalars.buffer] : [];
      w.postMessage(job, transfer as ArrayBuffer[]);
    }
  }

  private onResult(w: Worker, res: WorkerResult): void {
    this.idle.push(w);
    const pending = this.inflight.get(res.id);
    this.inflight.delete(res.id);
    if (pending) {
      if (res.error) pending.reject(new Error(`fixed-base worker: ${res.error}`));
      else pending.resolve(res);
    }
    this.pump();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const p of this.inflight.values()) p.reject(e);
    for (const q of this.queue) q.pending.reject(e);
    this.inflight.clear();
    this.queue.length = 0;
  }
}
