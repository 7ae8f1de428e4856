/**
 * Terminal output: colour only on a TTY without NO_COLOR, and every piece
 * of untrusted text neutralized before it is printed.
 */
import { Chalk, type ChalkInstance } from "chalk";
import { compareDiagnostics, formatDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { writeJsonText } from "../text/json-stream.js";

export function colourFor(stream: NodeJS.WriteStream): ChalkInstance {
  const enabled = stream.isTTY === true && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "") && process.env.TERM !== "dumb";
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0";
  return new Chalk({ level: enabled || forced ? 1 : 0 });
}

/** Print diagnostics to stderr, one line each, sorted. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], withName = false): void {
  const c = colourFor(process.stderr);
  const sorted = [...diagnostics].sort(compareDiagnostics);
  let out = "";
  for (const d of sorted) {
    const line = formatDiagnostic(d, withName);
    const paint = d.severity === "error" ? c.red : d.severity === "warning" ? c.yellow : c.cyan;
    out += line.replace(`: ${d.severity}: `, `: ${paint(d.severity)}: `) + "\n";
  }
  if (out) process.stderr.write(out);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}


/**
 * Write `jsonText(value)` (src/text/sanitize.ts) and a newline to standard output in pieces of about
 * 64 KiB: a large document (explain, parse) never exists as one string.
 */
export function writeJson(value: unknown): void {
  let piece = "";
  writeJsonText(value, (text) => {
    piece += text;
    if (piece.length >= 65536) {
      process.stdout.write(piece);
      piece = "";
    }
  });
  process.stdout.write(`${piece}\n`);
}
