/**
 * An append-only journal of the L2 transactions a node accepted: one JSON line per record, written and fsync'd
 * before the node answers, so an accepted transaction survives `kill -9` and a power cut.
 *
 *   {"seq":0,"sum":"5f0c2a9e1b7d4c33","data":"0x02000000010000000200..."}\n
 *
 * `seq` counts records from 0 without gaps; `sum` is the first 8 bytes (hex) of
 * sha256(`<seq>:<JSON of data>`), so a record that was only partly written, or whose bytes changed, does not
 * pass as another one. Reopening reads every record and:
 *  - cuts a torn last record (no newline, not JSON, wrong sum or seq) that a crash mid-write leaves behind: the
 *    node never answered for it, so nothing accepted is lost;
 *  - refuses a bad record that has good records after it (`JournalCorruptError`, naming the file and the byte
 *    offset): a crash cannot cause that, the disk or a person did, and guessing would apply the wrong txs.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { createHash } from "node:crypto";

export interface JournalRecord<T> {
  readonly seq: number;
  readonly data: T;
  /** Byte offset of the record's line in the file. */
  readonly offset: number;
}

/** A record in the middle of the journal is unreadable: the journal cannot be trusted past it. */
export class JournalCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    readonly seq: number,
    reason: string,
  ) {
    super(
      `journal ${path}: record ${seq} at byte offset ${offset} is corrupt (${reason}) and good records follow it; ` +
        `refusing to guess (restore the file or move it away to start from L1 alone)`,
    );
    this.name = "JournalCorruptError";
  }
}

export function recordSum(seq: number, data: unknown): string {
  return createHash("sha256")
    .update(`${seq}:${JSON.stringify(data)}`)
    .digest("hex")
    .slice(0, 16);
}

export function encodeRecord(seq: number, data: unknown): string {
  return JSON.stringify({ seq, sum: recordSum(seq, data), data }) + "\n";
}

/** Why the line is not record `seq`, or undefined when it is. */
function checkLine(line: string, seq: number): { reason?: string; data?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { reason: `not JSON: ${(error as Error).message}` };
  }
  const record = parsed as { seq?: unknown; sum?: unknown; data?: unknown };
  if (typeof record !== "object" || record === null || !("data" in record)) return { reason: "no data field" };
  if (record.seq !== seq) return { reason: `sequence number ${String(record.seq)}, expected ${seq}` };
  const sum = recordSum(seq, record.data);
  if (record.sum !== sum) return { reason: `checksum ${String(record.sum)}, the record's bytes give ${sum}` };
  return { data: record.data };
}

export interface OpenedJournal<T> {
  readonly journal: Journal<T>;
  readonly records: JournalRecord<T>[];
  /** A torn last record that was cut: where it started and how many bytes it had. */
  readonly cut?: { offset: number; bytes: number; reason: string };
}

export class Journal<T> {
  private constructor(
    readonly path: string,
    private fd: number,
    private nextSeq: number,
    /** Bytes of whole records in the file: where the next record starts. */
    private size: number,
  ) {}

  /** Opens (or creates) the journal at `path`, reading back every record it holds. */
  static open<T>(path: string): OpenedJournal<T> {
    mkdirSync(dirname(path), { recursive: true });
    const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const records: JournalRecord<T>[] = [];
    let offset = 0;
    let cut: OpenedJournal<T>["cut"];
    while (offset < bytes.length) {
      const end = bytes.indexOf(0x0a, offset);
      const seq = records.length;
      const line = bytes.subarray(offset, end < 0 ? bytes.length : end).toString("utf8");
      const { reason, data } =
        end < 0 ? { reason: "no newline: written only in part", data: undefined } : checkLine(line, seq);
      if (reason === undefined) {
        records.push({ seq, data: data as T, offset });
        offset = end + 1;
        continue;
      }
      // A bad record is a torn tail only if nothing readable follows it.
      if (end >= 0 && end + 1 < bytes.length && bytes.subarray(end + 1).some((b) => b !== 0x0a && b !== 0x00)) {
        throw new JournalCorruptError(path, offset, seq, reason);
      }
      cut = { offset, bytes: bytes.length - offset, reason };
      break;
    }
    const appendFd = openSync(path, "a");
    if (cut) {
      ftruncateSync(appendFd, cut.offset);
      fsyncSync(appendFd);
    }
    return { journal: new Journal<T>(path, appendFd, records.length, offset), records, cut };
  }

  /** The sequence number the next record gets (= records written so far). */
  get length(): number {
    return this.nextSeq;
  }

  /** Appends one record and fsyncs it; returns its sequence number once it is on disk. */
  append(data: T): number {
    return this.appendAll([data])[0];
  }

  /** Appends records in one write and one fsync (all or, after a crash, a prefix of them). */
  appendAll(items: readonly T[]): number[] {
    if (this.fd < 0) throw new Error(`journal ${this.path}: closed`);
    const seqs = items.map((_, i) => this.nextSeq + i);
    const text = items.map((data, i) => encodeRecord(seqs[i], data)).join("");
    const buffer = Buffer.from(text, "utf8");
    try {
      let written = 0;
      while (written < buffer.length) written += writeSync(this.fd, buffer, written);
      fsyncSync(this.fd);
    } catch (error) {
      // Leave no part of these records behind: the next append must start on a record boundary.
      ftruncateSync(this.fd, this.size);
      throw error;
    }
    this.size += buffer.length;
    this.nextSeq += items.length;
    return seqs;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
