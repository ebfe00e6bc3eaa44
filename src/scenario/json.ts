/**
 * A strict JSON reader for scenario files.
 *
 * `JSON.parse` reports syntax errors by character offset (and not always
 * that), silently keeps the last of two equal keys, and forgets where a value
 * was. Instructors edit these files by hand, so this reader says exactly where
 * a file breaks (line and column) and refuses duplicate keys, which would
 * otherwise hide a step's field.
 */

/** A syntax problem in the text, with the 1-based line and column where it starts. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${problem}`);
    this.name = "JsonSyntaxError";
  }
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Parses `text` as one JSON value; throws `JsonSyntaxError` naming the line and column of the first problem. */
export function parseJsonStrict(text: string): JsonValue {
  const reader = new Reader(text);
  reader.skipSpace();
  const value = reader.value("");
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail(`unexpected ${reader.describeHere()} after the end of the document`);
  return value;
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(problem: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(problem, line, at - lineStart + 1);
  }

  describeHere(): string {
    if (this.atEnd()) return "end of file";
    return JSON.stringify(this.text[this.pos]);
  }

  skipSpace(): void {
    while (!this.atEnd() && " \t\r\n".includes(this.text[this.pos])) this.pos++;
  }

  value(path: string): JsonValue {
    const c = this.text[this.pos];
    if (c === "{") return this.object(path);
    if (c === "[") return this.array(path);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    if (this.atEnd()) this.fail("unexpected end of file, expected a value");
    return this.fail(`unexpected ${this.describeHere()}, expected a value`);
  }

  private object(path: string): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    this.pos++; // {
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail(`unexpected ${this.describeHere()}, expected a quoted key`);
      const keyAt = this.pos;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        this.fail(`duplicate key ${JSON.stringify(key)}${path ? ` in ${path}` : ""}`, keyAt);
      }
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail(`unexpected ${this.describeHere()}, expected ":"`);
      this.pos++;
      this.skipSpace();
      // defineProperty: a key named "__proto__" must become data, not a prototype.
      Object.defineProperty(out, key, {
        value: this.value(path ? `${path}.${key}` : key),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "}") return out;
      if (c !== ",")
        this.fail(
          `unexpected ${c === undefined ? "end of file" : JSON.stringify(c)}, expected "," or "}"`,
          this.pos - 1,
        );
    }
  }

  private array(path: string): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++; // [
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(`${path}[${out.length}]`));
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "]") return out;
      if (c !== ",")
        this.fail(
          `unexpected ${c === undefined ? "end of file" : JSON.stringify(c)}, expected "," or "]"`,
          this.pos - 1,
        );
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++; // opening quote
    for (;;) {
      if (this.atEnd()) this.fail("unterminated string", start);
      const c = this.text[this.pos];
      if (c === '"') break;
      if (c === "\\") {
        this.pos++;
        const e = this.text[this.pos];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 1, this.pos + 5))) this.fail("bad \\u escape");
          this.pos += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.fail(`bad escape "\\${e ?? ""}"`, this.pos - 1);
        }
      } else if (c < " ") {
        this.fail("control character inside a string (write \\n or \\t)");
      }
      this.pos++;
    }
    this.pos++; // closing quote
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos));
    if (!m) this.fail(`malformed number`);
    this.pos += m[0].length;
    return Number(m[0]);
  }
}
