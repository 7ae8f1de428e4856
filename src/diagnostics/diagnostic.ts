/**
 * Diagnostics: the one way kipt reports a problem, from a broken line to a
 * lint finding. Rendered for people as
 * `file:line:col: severity: message [ID]` on one line.
 */
import { neutralize } from "../text/sanitize.js";

export type Severity = "error" | "warning" | "info";

/** A check that produces diagnostics: its stable ID, name, default severity and one-line summary. */
export interface DiagnosticCode {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
}

export function defineCode(id: string, name: string, severity: Severity, summary: string): DiagnosticCode {
  return { id, name, severity, summary };
}

export interface Diagnostic {
  /** Stable ID, never reused: `KIPT1001`. */
  readonly id: string;
  /** Dash-case name of the check: `syntax-error`. */
  readonly name: string;
  readonly severity: Severity;
  /** One line; may quote untrusted input, so it is neutralized when rendered. */
  readonly message: string;
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  readonly line: number;
  /** 1-based; 0 when the problem concerns the whole line or file. */
  readonly column: number;
  /** 0-based offset into the file, -1 when unknown. */
  readonly offset: number;
  /** Length of the offending text, 0 when unknown. */
  readonly length: number;
}

/** `file:line:col: severity: message [ID]`, safe for a terminal. */
export function formatDiagnostic(d: Diagnostic, withName = false): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${Math.max(d.column, 1)}` : d.file;
  const tag = withName ? `${d.id} ${d.name}` : d.id;
  return neutralize(`${where}: ${d.severity}: ${d.message} [${tag}]`);
}

/** Order diagnostics by file, position, then ID, so every output is deterministic. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Quote untrusted text inside a message: at most 60 characters, neutralized. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return `'${neutralize(cut)}'`;
}
