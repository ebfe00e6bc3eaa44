/**
 * Writes the iden3 binary container used by .ptau, .zkey and .r1cs files:
 *
 *   [magic<4>|version<4>|nSections<4>] then per section [id<4>|size<8>|data<size>]
 *
 * (all integers little-endian). Sections are written in order and their sizes
 * patched when each ends, exactly as @iden3/binfileutils does, so files match
 * byte for byte.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { open, type FileHandle } from "fs/promises";

export class BinFileWriter {
  private pos = 0;
  private sectionSizeAt: number | undefined;
  private sectionStart = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
  ) {}

  /** Creates (truncating) `path` and writes the container header. */
  static async create(path: string, magic: string, version: number, nSections: number): Promise<BinFileWriter> {
    const w = new BinFileWriter(await open(path, "w"), path);
    const head = Buffer.alloc(12);
    head.write(magic.slice(0, 4), 0, "latin1");
    head.writeUInt32LE(version, 4);
    head.writeUInt32LE(nSections, 8);
    await w.write(head);
    return w;
  }

  async startSection(id: number): Promise<void> {
    if (this.sectionSizeAt !== undefined) throw new Error(`${this.path}: section already open`);
    const head = Buffer.alloc(12);
    head.writeUInt32LE(id, 0);
    await this.write(head);
    this.sectionSizeAt = this.pos - 8;
    this.sectionStart = this.pos;
  }

  async endSection(): Promise<void> {
    if (this.sectionSizeAt === undefined) throw new Error(`${this.path}: no section open`);
    await this.flush();
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(this.pos - this.sectionStart));
    await this.fh.write(size, 0, 8, this.sectionSizeAt);
    this.sectionSizeAt = undefined;
  }

  /** Appends a copy of `data` (callers may reuse their buffer); writes are batched into 16 MB blocks. */
  async write(data: Uint8Array): Promise<void> {
    this.pending.push(Buffer.from(data));
    this.pendingBytes += data.byteLength;
    this.pos += data.byteLength;
    if (this.pendingBytes >= 1 << 24) await this.flush();
  }

  async writeU32(v: number): Promise<void> {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    await this.write(b);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh.close();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const block = Buffer.concat(this.pending, this.pendingBytes);
    const at = this.pos - this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    await this.fh.write(block, 0, block.length, at);
  }
}
