/**
 * What a worker sends back for one chunk: its tables with each rule already
 * printed canonically. Plain data, so it crosses the thread boundary by
 * structured clone cheaply (strings, not AST objects).
 */
import type { ChainCommandNode, ChainDeclNode, CommentNode, Counters, DumpNode, RuleNode } from "../ast/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatRule } from "../format/format.js";
import type { LoadableRule, LoadableTable } from "../model/load.js";

/** A rule that has been printed: the loader's view of it plus its canonical text after `-A CHAIN`. */
export interface PrintedRule extends LoadableRule {
  readonly tail: string;
}

export interface PrintedTable extends LoadableTable<PrintedRule> {
  readonly statements: (PrintedRule | ChainDeclNode | ChainCommandNode)[];
  trailingComments: CommentNode[];
}

export interface PrintedChunk {
  readonly continued: boolean;
  readonly tables: PrintedTable[];
  readonly diagnostics: Diagnostic[];
}

function printRule(rule: RuleNode, family: "ipv4" | "ipv6"): PrintedRule {
  const full = formatRule(rule, rule.chain, family);
  return {
    kind: "rule",
    line: rule.line,
    command: rule.command,
    chain: rule.chain,
    ruleNumber: rule.ruleNumber,
    text: rule.text,
    counters: rule.counters as Counters | null,
    target: rule.target ? { name: rule.target.name, extension: rule.target.extension } : null,
    tail: full.slice(3 + rule.chain.length),
  };
}

export function printChunk(dump: DumpNode, diagnostics: Diagnostic[], continued: boolean): PrintedChunk {
  const family = dump.family ?? "ipv4";
  return {
    continued,
    diagnostics,
    tables: dump.tables.map((t) => ({
      name: t.name,
      statements: t.statements.map((s) => (s.kind === "rule" ? printRule(s, family) : s)),
      leadingComments: t.leadingComments,
      trailingComments: t.trailingComments,
    })),
  };
}
