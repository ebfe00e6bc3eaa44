/**
 * Content-addressed artifact cache: every artifact's path contains the hash
 * of all its inputs, so a changed input gives a new path and a stale artifact
 * is never picked up. Files appear atomically (written to a temporary name in
 * the same folder, then renamed), so concurrent setups in several processes
 * at worst compute the same bytes twice; within one process they share work.
 */
import { createHash } from "crypto";
import { existsSync, mkdirSync } from "fs";
import { rename, rm, writeFile } from "fs/promises";
import { dirname } from "path";

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

/**
 * Ensures the artifact at `path` exists: if not, `build(tmpPath)` writes it to
 * a temporary path that is then renamed into place. Concurrent calls for the
 * same path in this process wait for the one build. Returns true if it built.
 */
export async function ensureArtifact(path: string, build: (tmpPath: string) => Promise<void>): Promise<boolean> {
  if (existsSync(path)) return false;
  const running = inProgress.get(path);
  if (running) {
    await running;
    return false;
  }
  const job = (async () => {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = tempPathFor(path);
    try {
      await build(tmp);
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true, recursive: true });
      throw e;
    }
  })();
  inProgress.set(path, job);
  try {
    await job;
  } finally {
    inProgress.delete(path);
  }
  return true;
}
