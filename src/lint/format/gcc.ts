/**
 * gcc's format, one line per finding, for editors (Vim's errorformat, Emacs
 * compilation mode): `file:line:col: error|warning|note: message [ID name]`.
 * Whole-file findings point at 1:1 so every line parses.
 */
import { neutralize } from "../../text/sanitize.js";
import type { FormatInput } from "./types.js";

export function formatGcc(input: FormatInput): string {
  let out = "";
  for (const f of input.findings) {
    const level = f.severity === "info" ? "note" : f.severity;
    out += neutralize(`${f.file}:${Math.max(f.line, 1)}:${Math.max(f.column, 1)}: ${level}: ${f.message} [${f.id} ${f.name}]`) + "\n";
  }
  return out;
}
