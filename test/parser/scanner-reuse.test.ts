// The scanner reuses, in place, the word and class the previous line had at the
// same position (lines of one shape come in runs). Whatever the previous line
// was, a line must scan exactly as it scans in a fresh buffer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineTokens, scanLine } from "../../src/lexer/scanner.js";

function scanned(tokens: LineTokens) {
  return Array.from({ length: tokens.count }, (_, i) => ({ start: tokens.start[i], end: tokens.end[i], type: tokens.type[i]!.name, text: tokens.text[i] }));
}

function fresh(line: string) {
  const tokens = new LineTokens();
  scanLine(line, tokens);
  return scanned(tokens);
}

describe("scanner reuse of the previous line's words", () => {
  it("does not give a bare word the class of the same text quoted on the line before", () => {
    const tokens = new LineTokens();
    scanLine('-A X -m comment --comment "-x" -m "tcp" -j ACCEPT', tokens);
    const second = "-A X -m comment --comment -x -m tcp -j ACCEPT";
    scanLine(second, tokens);
    expect(scanned(tokens)).toEqual(fresh(second));
    expect(scanned(tokens)[5]!.type).toBe("OptionFlag");
  });

  it("scans any line as a fresh buffer does, after any other line", () => {
    const word = fc.oneof(
      fc.constantFrom("-A", "-I", "X", "-m", "tcp", "comment", "--comment", "-j", "ACCEPT", "!", "-x", "-1", "[0:0]", "--dport", "80", "-p"),
      fc.constantFrom('"-x"', '"tcp"', '"a b"', '"!"', '"[0:0]"', '"--dport"'),
    );
    const line = fc.array(word, { minLength: 1, maxLength: 10 }).map((w) => w.join(" "));
    fc.assert(
      fc.property(line, line, (first, second) => {
        const tokens = new LineTokens();
        scanLine(first, tokens);
        scanLine(second, tokens);
        expect(scanned(tokens)).toEqual(fresh(second));
      }),
      { numRuns: 2000 },
    );
  });
});
