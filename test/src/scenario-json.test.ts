/**
 * The strict JSON reader behind scenario files: it must read every document
 * `JSON.parse` reads, identically, and refuse duplicate keys with a position.
 */
import { expect } from "chai";
import fc from "fast-check";
import { JsonSyntaxError, parseJsonStrict } from "../../src/scenario/json";

describe("# parseJsonStrict", function () {
  it("should read any JSON document exactly as JSON.parse does", function () {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parseJsonStrict(text)).to.deep.equal(JSON.parse(text));
      }),
    );
  });

  it("should refuse what JSON.parse refuses", function () {
    for (const text of ["", "{", "[1,]", "{'a':1}", '{"a":1,}', "01", "1.", "+1", "nul", '"\\x"', '"a\nb"', "[] []"]) {
      expect(() => parseJsonStrict(text), text).to.throw(JsonSyntaxError);
      expect(() => JSON.parse(text), text).to.throw(SyntaxError);
    }
  });

  it("should refuse a duplicate key and point at its second occurrence", function () {
    expect(() => parseJsonStrict('{\n  "a": {"b": 1,\n  "b": 2}\n}'))
      .to.throw(JsonSyntaxError)
      .that.includes({ line: 3, column: 3, problem: 'duplicate key "b" in a' });
  });

  it("should keep a __proto__ key as plain data", function () {
    const value = parseJsonStrict('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(value)).to.deep.equal(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
