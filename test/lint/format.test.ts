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

  it("marks with '...' each side where a long line was cut, and only those", () => {
    const excerpt = (text: string, column: number, length: number) => {
      const out = formatText({ findings: [finding({ column, length })], nodes: [{ file: "f", text }], version: "0" });
      const [shown, caret] = out.split("\n").slice(1, 3).map((l) => l.slice("    1 | ".length));
      return { shown: shown!, caret: caret!, at: caret!.indexOf("^") };
    };
    const line = "-A START " + "x".repeat(300) + " END";
    // Cut at the right only: the line's own start is shown, the caret under it.
    const head = excerpt(line, 1, 8);
    expect(head.shown.startsWith("-A START x")).toBe(true);
    expect(head.shown.endsWith("x...")).toBe(true);
    expect(head.shown.slice(head.at, head.at + 8)).toBe("-A START");
    // Cut at the left only: the line's own end is shown.
    const tail = excerpt(line, line.length - 2, 3);
    expect(tail.shown.startsWith("...x")).toBe(true);
    expect(tail.shown.endsWith("x END")).toBe(true);
    expect(tail.shown.slice(tail.at, tail.at + 3)).toBe("END");
    // Cut on both sides.
    const middle = excerpt(line, 100, 1);
    expect(middle.shown.startsWith("...x")).toBe(true);
    expect(middle.shown.endsWith("x...")).toBe(true);
    expect(middle.shown[middle.at]).toBe("x");
    // A line that fits is never marked.
    expect(excerpt("-A INPUT -j ACCEPT", 1, 2).shown).toBe("-A INPUT -j ACCEPT");
  });

  it("whole-file findings: no source line, and a span past the end of the line stays on it", () => {
    const out = formatText({ findings: [finding({ line: 0, column: 0 }), finding({ line: 1, column: 3, length: 50 })], nodes: [{ file: "f", text: "abc\n" }], version: "0" });
    expect(out).toBe(["f: warning: m [KIPT2005 unreachable-rule]", "      = see docs/rules/KIPT2005.md", "f:1:3: warning: m [KIPT2005 unreachable-rule]", "    1 | abc", "      |   ^", "      = see docs/rules/KIPT2005.md", "2 problems (0 errors, 2 warnings, 0 info)", ""].join("\n"));
  });
});

describe("gcc and github formats", () => {
  it("gcc: infos are notes; whole-file findings are `file: severity:`, as in the text format", () => {
    const findings = [finding({ severity: "info", line: 0, column: 0 }), finding({ line: 3, column: 0 })];
    expect(formatGcc({ findings, nodes: [], version: "0" })).toBe("f: note: m [KIPT2005 unreachable-rule]\nf:3:1: warning: m [KIPT2005 unreachable-rule]\n");
    expect(formatText({ findings: findings.slice(0, 1), nodes: [], version: "0" }).split("\n")[0]).toBe("f: info: m [KIPT2005 unreachable-rule]");
  });

  it("github: escapes data and properties", () => {
    expect(escapeData("50%\r\nx")).toBe("50%25%0D%0Ax");
    expect(escapeProperty("a:b,c")).toBe("a%3Ab%2Cc");
    expect(formatGithub({ findings: [finding({ file: "dir,x:y", message: "a\nb", severity: "info" })], nodes: [], version: "0" })).toBe("::notice file=dir%2Cx%3Ay,line=1,col=1,title=KIPT2005 unreachable-rule::a\\nb\n");
  });
});
