/**
 * writeJsonText must write exactly what jsonText returns, only in pieces:
 * the CLI streams `kipt explain -o json` and `kipt parse -o json` with it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeJsonText } from "../../src/text/json-stream.js";
import { jsonText } from "../../src/text/sanitize.js";

function streamed(value: unknown): { text: string; pieces: number; largest: number } {
  const pieces: string[] = [];
  writeJsonText(value, (p) => pieces.push(p));
  return { text: pieces.join(""), pieces: pieces.length, largest: Math.max(...pieces.map((p) => p.length)) };
}

// Values JSON can hold, plus what kipt's documents have besides: bigints, undefined members,
// unsafe characters, and arrays and objects large enough to be written member by member.
const leaf = fc.oneof(fc.string(), fc.string({ unit: "grapheme", maxLength: 4 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt(), fc.constant(undefined), fc.constant("\u0085\u202e\u001b"));
// A document is an object or an array (JSON.stringify gives no text for a bare undefined).
const value = fc.letrec((tie) => ({
  document: fc.oneof(tie("array"), tie("object")),
  node: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 80 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "toJSON", "a\u202eb")), tie("node"), { maxKeys: 60 }),
})).document;

describe("writeJsonText", () => {
  it("writes what jsonText returns, for any value", () => {
    let inPieces = 0;
    fc.assert(
      fc.property(value, (v) => {
        const out = streamed(v);
        expect(out.text).toBe(jsonText(v));
        if (out.pieces > 1) inPieces++;
      }),
      { numRuns: 300, seed: 20261125 },
    );
    // The generated documents must exercise the member-by-member path, not only the one-call one.
    expect(inPieces).toBeGreaterThan(30);
  });

  it("writes a large document in many pieces", () => {
    const doc = { schemaVersion: 1, services: Array.from({ length: 500 }, (_, i) => ({ name: `ns/s${i}`, ports: [i, i + 1], big: BigInt(i) * 10n ** 20n })), empty: [], none: {} };
    const out = streamed(doc);
    expect(out.text).toBe(jsonText(doc));
    expect(out.pieces).toBeGreaterThan(5);
    // Never the document, or a large part of it, as one string.
    expect(out.largest * 4).toBeLessThan(out.text.length);
  });

  it("leaves out a member whose toJSON gives undefined, and passes toJSON the member's key", () => {
    const doc = { big: Array.from({ length: 300 }, (_, i) => i), gone: { toJSON: () => undefined }, named: { toJSON: (key: string) => `key ${key}` } };
    expect(streamed(doc).pieces).toBeGreaterThan(1);
    expect(streamed(doc).text).toBe(jsonText(doc));
  });

  it("keeps toJSON, Dates and Maps as JSON.stringify writes them", () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ when: new Date(i * 1000), custom: { toJSON: () => `c${i}` }, map: new Map([[i, i]]) }));
    expect(streamed({ items }).text).toBe(jsonText({ items }));
  });
});
