/**
 * gcc's format, one line per finding, for editors (Vim's errorformat, Emacs
 * compilation mode): `file:line:col: error|warning|note: message [ID name]`.
 * A whole-file finding (an empty input, say) is `file: severity: message`,
 * as GCC prints a diagnostic with no line and as the text format does:
 * pointing at 1:1 would send an editor to a line the finding is not about.
 */
import { neutralize } from "../../text/sanitize.js";
import type { FormatInput } from "./types.js";

export function formatGcc(input: FormatInput): string {
  let out = "";
  for (const f of input.findings) {
    const level = f.severity === "info" ? "note" : f.severity;
    const where = f.line > 0 ? `${f.file}:${f.line}:${Math.max(f.column, 1)}` : f.file;
    out += neutralize(`${where}: ${level}: ${f.message} [${f.id} ${f.name}]`) + "\n";
  }
  return out;
}
