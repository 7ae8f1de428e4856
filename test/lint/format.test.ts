/** Edge cases of the formatters that the golden files do not show. */
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatGithub } from "../../src/lint/format/github.js";
import { formatText } from "../../src/lint/format/text.js";
import { formatGcc } from "../../src/lint/format/gcc.js";
import type { Finding } from "../../src/lint/rule.js";

function finding(over: Partial<Finding>): Finding {
  return { id: "KIPT2005", name: "unreachable-rule", severity: "warning", message: "m", file: "f", line: 1, column: 1, offset: 0, length: 0, table: null, chain: null, fingerprint: "x", ...over };
}

describe("text format", () => {
  it("puts the caret under the column, as wide as the span", () => {
    const out = formatText({ findings: [finding({ column: 4, length: 3 })], nodes: [{ file: "f", text: "abcdefgh\n" }], version: "0" });
    expect(out.split("\n").slice(1, 3)).toEqual(["    1 | abcdefgh", "      |    ^~~"]);
  });

  it("counts neutralized characters before the caret", () => {
    const out = formatText({ findings: [finding({ column: 3, length: 1 })], nodes: [{ file: "f", text: "\u001bxy\n" }], version: "0" });
    expect(out.split("\n").slice(1, 3)).toEqual(["    1 | \\exy", "      |    ^"]);
  });

  it("cuts long lines around the caret", () => {
    const line = "x".repeat(300) + "TARGET" + "y".repeat(300);
    const out = formatText({ findings: [finding({ column: 301, length: 6 })], nodes: [{ file: "f", text: line }], version: "0" });
    const [shown, caret] = out.split("\n").slice(1, 3);
    expect(shown!.length).toBeLessThan(200);
    expect(shown!.slice(caret!.indexOf("^"), caret!.indexOf("^") + 6)).toBe("TARGET");
  });

  it("whole-file findings: no source line, and a span past the end of the line stays on it", () => {
    const out = formatText({ findings: [finding({ line: 0, column: 0 }), finding({ line: 1, column: 3, length: 50 })], nodes: [{ file: "f", text: "abc\n" }], version: "0" });
    expect(out).toBe(["f: warning: m [KIPT2005 unreachable-rule]", "      = see docs/rules/KIPT2005.md", "f:1:3: warning: m [KIPT2005 unreachable-rule]", "    1 | abc", "      |   ^", "      = see docs/rules/KIPT2005.md", "2 problems (0 errors, 2 warnings, 0 info)", ""].join("\n"));
  });
});

describe("gcc and github formats", () => {
  it("gcc: infos are notes; whole-file findings point at 1:1", () => {
    expect(formatGcc({ findings: [finding({ severity: "info", line: 0, column: 0 })], nodes: [], version: "0" })).toBe("f:1:1: note: m [KIPT2005 unreachable-rule]\n");
  });

  it("github: escapes data and properties", () => {
    expect(escapeData("50%\r\nx")).toBe("50%25%0D%0Ax");
    expect(escapeProperty("a:b,c")).toBe("a%3Ab%2Cc");
    expect(formatGithub({ findings: [finding({ file: "dir,x:y", message: "a\nb", severity: "info" })], nodes: [], version: "0" })).toBe("::notice file=dir%2Cx%3Ay,line=1,col=1,title=KIPT2005 unreachable-rule::a\\nb\n");
  });
});
