import type { LintNode, LintRuleMeta, Finding } from "../rule.js";

/** What every formatter gets. */
export interface FormatInput {
  readonly findings: readonly Finding[];
  /** The dumps, for source lines (text format). */
  readonly nodes: readonly Pick<LintNode, "file" | "text">[];
  /** kipt's version, for SARIF. */
  readonly version: string;
}

export type Formatter = (input: FormatInput, options?: FormatOptions) => string;

export interface FormatOptions {
  /** Paint severities (text only): a function per severity, identity when absent. */
  readonly paint?: (severity: Finding["severity"], text: string) => string;
}

export type { Finding, LintRuleMeta };
