/**
 * Reads the section table of an iden3 binary container (.ptau, .r1cs, .zkey):
 *
 *   [magic<4>|version<4>|nSections<4>] then per section [id<4>|size<8>|data<size>]
 *
 * and gives random access to section bytes without loading the whole file.
 *
 * Part of the l2lab development ceremony, whose keys are INSECURE by design
 * (public secrets): development and teaching only.
 */
import { open, type FileHandle } from "fs/promises";
import { CeremonyFileError } from "./errors";

export interface SectionRef {
  /** Absolute file offset of the section's data. */
  offset: number;
  size: number;
}

export class BinFileReader {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly sections: Map<number, SectionRef[]>,
    readonly fileSize: number,
  ) {}

  static async open(path: string, magic: string): Promise<BinFileReader> {
    let fh: FileHandle;
    try {
      fh = await open(path, "r");
    } catch (e) {
      throw new CeremonyFileError(path, `cannot open: ${(e as Error).message}`);
    }
    try {
      const { size: fileSize } = await fh.stat();
      const head = Buffer.alloc(12);
      await fh.read(head, 0, 12, 0);
      const found = head.toString("latin1", 0, 4);
      if (found !== magic) throw new CeremonyFileError(path, `not a ${magic} file (magic "${found}")`);
      const nSections = head.readUInt32LE(8);
      const sections = new Map<number, SectionRef[]>();
      let pos = 12;
      const sh = Buffer.alloc(12);
      for (let i = 0; i < nSections; i++) {
        if (pos + 12 > fileSize)
          throw new CeremonyFileError(path, `truncated: section ${i + 1} of ${nSections} is missing`);
        await fh.read(sh, 0, 12, pos);
        const id = sh.readUInt32LE(0);
        const size = Number(sh.readBigUInt64LE(4));
        if (pos + 12 + size > fileSize)
          throw new CeremonyFileError(path, `truncated: section ${id} ends past the file`);
        const list = sections.get(id) ?? [];
        list.push({ offset: pos + 12, size });
        sections.set(id, list);
        pos += 12 + size;
      }
      return new BinFileReader(fh, path, sections, fileSize);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** The one section with this id; throws if it is missing or repeated. */
  section(id: number): SectionRef {
    const list = this.sections.get(id);
    if (!list || list.length === 0) throw new CeremonyFileError(this.path, `section ${id} is missing`);
    if (list.length > 1) throw new CeremonyFileError(this.path, `section ${id} appears ${list.length} times`);
    return list[0];
  }

  has(id: number): boolean {
    return (this.sections.get(id)?.length ?? 0) > 0;
  }

  /** `length` bytes from `offset` within section `id` (whole section by default). */
  async read(id: number, offset = 0, length?: number): Promise<Buffer> {
    const s = this.section(id);
    const len = length ?? s.size - offset;
    if (offset < 0 || offset + len > s.size) {
      throw new CeremonyFileError(
        this.path,
        `read of ${len} bytes at ${offset} is outside section ${id} (${s.size} bytes)`,
      );
    }
    const buf = Buffer.alloc(len);
    await this.fh.read(buf, 0, len, s.offset + offset);
    return buf;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
