/**
 * People's format: the gcc-style line with the rule's ID and name, the
 * offending source line with a caret under the spot, and the rule's page.
 *
 *     dump.txt:7:1: warning: rule 3 of chain 'INPUT' is never reached: ... [KIPT2005 unreachable-rule]
 *         7 | -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
 *           | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
 *           = docs/rules/KIPT2005.md
 *
 * Ends with a count line. Every piece of dump text is neutralized.
 */
import { formatDiagnostic } from "../../diagnostics/diagnostic.js";
import { neutralize } from "../../text/sanitize.js";
import { docsPath } from "../rule.js";
import type { FormatInput, FormatOptions } from "./types.js";

/** Longest source line shown; longer lines are cut around the caret. */
const MAX_SHOWN = 160;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `3 problems (1 error, 1 warning, 1 info)` or `no problems`. */
export function countLine(findings: readonly { severity: string }[]): string {
  if (findings.length === 0) return "no problems";
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const infos = findings.length - errors - warnings;
  return `${plural(findings.length, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}, ${infos} info)`;
}

/** The line as shown (neutralized, cut when long) and the caret line under it. */
function sourceExcerpt(raw: string, column: number, length: number): [string, string] {
  let line = raw.replace(/\r$/, "");
  // The span in the raw line: from the column for `length` characters, kept
  // on the line; the whole line when there is no column.
  let start = column > 0 ? Math.min(column - 1, line.length) : 0;
  let end = column > 0 ? Math.min(start + Math.max(length, 1), line.length) : line.length;
  // `...` marks each side where the line was cut, so a shown start or end is the line's own.
  let prefix = "";
  let suffix = "";
  if (line.length > MAX_SHOWN) {
    const from = Math.max(0, Math.min(start - 20, line.length - MAX_SHOWN));
    if (from > 0) prefix = "...";
    if (from + MAX_SHOWN < line.length) suffix = "...";
    line = line.slice(from, from + MAX_SHOWN);
    start -= from;
    end = Math.min(end - from, line.length);
  }
  // Widths in the neutralized text, where a control character takes 2-6 columns.
  const before = neutralize(line.slice(0, start));
  const width = Math.max(neutralize(line.slice(start, end)).length, 1);
  return [prefix + neutralize(line) + suffix, " ".repeat(prefix.length + before.length) + "^" + "~".repeat(width - 1)];
}

export function formatText(input: FormatInput, options: FormatOptions = {}): string {
  const paint = options.paint ?? ((_s: string, t: string) => t);
  const lines = new Map<string, string[]>();
  for (const node of input.nodes) if (!lines.has(node.file)) lines.set(node.file, node.text.split("\n"));
  let out = "";
  for (const f of input.findings) {
    const head = formatDiagnostic(f, true);
    out += head.replace(`: ${f.severity}: `, `: ${paint(f.severity, f.severity)}: `) + "\n";
    const source = f.line > 0 ? lines.get(f.file)?.[f.line - 1] : undefined;
    const gutter = String(f.line).length;
    const pad = " ".repeat(gutter + 4);
    if (source !== undefined && source.replace(/\r$/, "").trim() !== "") {
      const [shown, caret] = sourceExcerpt(source, f.column, f.length);
      out += `    ${f.line} | ${shown}\n`;
      out += `${pad} | ${paint(f.severity, caret)}\n`;
    }
    out += `${pad} = see ${docsPath(f.id)}\n`;
  }
  out += countLine(input.findings) + "\n";
  return out;
}
