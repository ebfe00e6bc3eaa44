import { expect } from "chai";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, JournalCorruptError, encodeRecord } from "../../src/node/journal";

describe("node: append-only journal", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "l2lab-journal-"));
    path = join(dir, "sub", "journal.jsonl");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("should give back every record, in order, after a reopen", () => {
    const first = Journal.open<string>(path);
    expect(first.records).to.deep.equal([]);
    expect(first.journal.append("0x01")).to.equal(0);
    expect(first.journal.appendAll(["0x02", "0x03"])).to.deep.equal([1, 2]);
    first.journal.close();

    const second = Journal.open<string>(path);
    expect(second.cut).to.equal(undefined);
    expect(second.records.map((r) => [r.seq, r.data])).to.deep.equal([
      [0, "0x01"],
      [1, "0x02"],
      [2, "0x03"],
    ]);
    expect(second.journal.append("0x04")).to.equal(3);
    second.journal.close();
    expect(Journal.open<string>(path).records.map((r) => r.data)).to.deep.equal(["0x01", "0x02", "0x03", "0x04"]);
  });

  it("should cut a torn last record (a write that stopped half way) and append after the good ones", () => {
    const { journal } = Journal.open<string>(path);
    journal.appendAll(["0xaa", "0xbb"]);
    journal.close();
    const good = statSync(path).size;
    const torn = encodeRecord(2, "0xcc");
    appendFileSync(path, torn.slice(0, torn.length - 7));

    const reopened = Journal.open<string>(path);
    expect(reopened.records.map((r) => r.data)).to.deep.equal(["0xaa", "0xbb"]);
    expect(reopened.cut).to.include({ offset: good, bytes: torn.length - 7 });
    expect(statSync(path).size).to.equal(good);
    reopened.journal.append("0xdd");
    reopened.journal.close();
    expect(Journal.open<string>(path).records.map((r) => r.data)).to.deep.equal(["0xaa", "0xbb", "0xdd"]);
  });

  it("should cut a complete last line whose checksum does not match (never read it as another record)", () => {
    const { journal } = Journal.open<string>(path);
    journal.append("0xaa");
    journal.close();
    appendFileSync(path, encodeRecord(1, "0xbb").replace("0xbb", "0xbc"));
    const reopened = Journal.open<string>(path);
    expect(reopened.records.map((r) => r.data)).to.deep.equal(["0xaa"]);
    expect(reopened.cut?.reason).to.match(/checksum/);
    reopened.journal.close();
  });

  it("should refuse a corrupt record in the middle, naming the file and its byte offset", () => {
    const { journal } = Journal.open<string>(path);
    journal.appendAll(["0x01", "0x02", "0x03"]);
    journal.close();
    const text = readFileSync(path, "utf8");
    const offset = text.indexOf("\n") + 1;
    writeFileSync(path, text.replace('"data":"0x02"', '"data":"0x07"'));

    let caught: unknown;
    try {
      Journal.open<string>(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(JournalCorruptError);
    const error = caught as JournalCorruptError;
    expect(error.offset).to.equal(offset);
    expect(error.seq).to.equal(1);
    expect(error.message).to.include(path).and.include(`byte offset ${offset}`).and.include("checksum");
    // Refusing changed nothing on disk.
    expect(readFileSync(path, "utf8")).to.equal(text.replace('"data":"0x02"', '"data":"0x07"'));
  });

  it("should refuse a record whose sequence number skips (a record lost in the middle)", () => {
    const { journal } = Journal.open<string>(path);
    journal.appendAll(["0x01", "0x02", "0x03"]);
    journal.close();
    const lines = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, [lines[0], lines[2], ""].join("\n") + encodeRecord(3, "0x04"));
    expect(() => Journal.open<string>(path)).to.throw(JournalCorruptError, /sequence number 2, expected 1/);
  });
});
