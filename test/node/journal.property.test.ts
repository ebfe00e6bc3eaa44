/**
 * The journal against every crash point and every single corrupted byte (fast-check): a crash leaves a prefix of
 * the records and the journal appends cleanly after it; a changed byte in any record but the last is refused
 * with its offset, never read as some other record.
 */
import { expect } from "chai";
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal, JournalCorruptError } from "../../src/node/journal";
import { runs } from "../support/deep";

const record = fc.stringMatching(/^0x[0-9a-f]{0,40}$/);

describe("node: journal properties", function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "l2lab-journal-prop-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function written(path: string, records: string[]): Buffer {
    const { journal } = Journal.open<string>(path);
    if (records.length > 0) journal.appendAll(records);
    journal.close();
    return readFileSync(path);
  }

  it("should give back exactly the whole records before a crash at any byte, then append after them", function () {
    let n = 0;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), fc.nat(), (records, at) => {
        const path = join(dir, `crash-${n++}.jsonl`);
        const bytes = written(path, records);
        const cut = at % (bytes.length + 1);
        writeFileSync(path, bytes.subarray(0, cut));
        const whole = bytes.subarray(0, cut).toString("utf8").split("\n").length - 1;

        const reopened = Journal.open<string>(path);
        expect(reopened.records.map((r) => r.data)).to.deep.equal(records.slice(0, whole));
        reopened.journal.append("0xff");
        reopened.journal.close();
        expect(Journal.open<string>(path).records.map((r) => r.data)).to.deep.equal([
          ...records.slice(0, whole),
          "0xff",
        ]);
      }),
      { numRuns: runs(60, 500) },
    );
  });

  it("should refuse any changed byte in a record that good records follow, naming its offset", function () {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (records, at, flip) => {
          const path = join(dir, `flip-${n++}.jsonl`);
          const bytes = written(path, records);
          const lastStart = bytes.subarray(0, bytes.length - 1).lastIndexOf(0x0a) + 1;
          // A byte of any record but the last (its newline included).
          const position = at % lastStart;
          const changed = Buffer.from(bytes);
          changed[position] ^= flip;
          writeFileSync(path, changed);
          const lineStart = bytes.subarray(0, position).lastIndexOf(0x0a) + 1;
          let caught: unknown;
          try {
            Journal.open<string>(path).journal.close();
          } catch (error) {
            caught = error;
          }
          expect(caught).to.be.instanceOf(JournalCorruptError);
          expect((caught as JournalCorruptError).offset).to.equal(lineStart);
        },
      ),
      { numRuns: runs(60, 500) },
    );
  });
});
