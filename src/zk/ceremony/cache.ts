/**
 * Content-addressed artifact cache: every artifact's path contains the hash
 * of all its inputs, so a changed input gives a new path and a stale artifact
 * is never picked up. Files appear atomically (written to a temporary name in
 * the same folder, then renamed). Calls in one process share one build; calls
 * in several processes take a lock file, so one builds while the others wait,
 * and a lock or temporary file left by a process that died is cleared.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { createHash } from "crypto";
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { rename, rm, writeFile } from "fs/promises";
import { basename, dirname, join } from "path";

/** sha256 over the given parts (each length-prefixed so boundaries count), hex. */
export function hashParts(...parts: (string | Uint8Array)[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    const bytes = typeof p === "string" ? Buffer.from(p, "utf8") : p;
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(bytes.length));
    h.update(len).update(bytes);
  }
  return h.digest("hex");
}

/** A unique temporary path beside `path`, on the same file system so rename is atomic. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`;
}

/** Writes `data` to `path` atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

const inProgress = new Map<string, Promise<void>>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temporary files of `path` (named `<path>.<pid>.…tmp…`) whose writing process has died. */
export function clearDeadTemps(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) return;
  const prefix = `${basename(path)}.`;
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(prefix) || !f.includes(".tmp")) continue;
    const pid = Number(f.slice(prefix.length).split(".")[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) rmSync(join(dir, f), { force: true, recursive: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes `<path>.lock` for this process (atomically: a complete file holding
 * our pid is hard-linked into place). Returns false, without the lock, if the
 * artifact appeared while waiting for another process.
 */
async function lockArtifact(path: string, onWait?: (owner: number) => void): Promise<boolean> {
  const lock = `${path}.lock`;
  const mine = `${lock}.${process.pid}.tmp`;
  writeFileSync(mine, String(process.pid));
  try {
    let waited = false;
    for (;;) {
      try {
        linkSync(mine, lock);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const owner = Number(readFileSync(lock, { encoding: "utf8", flag: "r" }));
      if (!processAlive(owner)) {
        rmSync(lock, { force: true }); // its builder died
        continue;
      }
      if (existsSync(path)) return false;
      if (!waited) onWait?.(owner);
      waited = true;
      await sleep(500);
      if (existsSync(path)) return false;
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

/**
 * Ensures the artifact at `path` exists: if not, `build(tmpPath)` writes it to
 * a temporary path that is then renamed into place. Concurrent calls for the
 * same path wait for the one build (in this process or another). Returns true
 * if this call built it.
 */
export async function ensureArtifact(
  path: string,
  build: (tmpPath: string) => Promise<void>,
  onWait?: (message: string) => void,
): Promise<boolean> {
  if (existsSync(path)) return false;
  const running = inProgress.get(path);
  if (running) {
    await running;
    return false;
  }
  let built = false;
  const job = (async () => {
    mkdirSync(dirname(path), { recursive: true });
    const locked = await lockArtifact(path, (owner) =>
      onWait?.(`waiting for process ${owner}, which is building ${path}`),
    );
    if (!locked) return;
    try {
      if (existsSync(path)) return;
      clearDeadTemps(path);
      const tmp = tempPathFor(path);
      try {
        await build(tmp);
        await rename(tmp, path);
        built = true;
      } catch (e) {
        await rm(tmp, { force: true, recursive: true });
        throw e;
      }
    } finally {
      rmSync(`${path}.lock`, { force: true });
    }
  })();
  inProgress.set(path, job);
  try {
    await job;
  } finally {
    inProgress.delete(path);
  }
  return built;
}
