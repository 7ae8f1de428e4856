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

/** A rule as kipt fmt needs it: loadable, and printed (see RuleMapper in parse.ts). */
export function printRule(rule: RuleNode, family: "ipv4" | "ipv6" | null): PrintedRule {
  const full = formatRule(rule, rule.chain, family ?? "ipv4");
  return {
    kind: "rule",
    line: rule.line,
    command: rule.command,
    chain: rule.chain,
    ruleNumber: rule.ruleNumber,
    // Only -D by rule spec reads a rule's text, and it uses `tail`; keep no copy.
    text: "",
    counters: rule.counters as Counters | null,
    target: rule.target ? { name: rule.target.name, extension: rule.target.extension } : null,
    tail: full.slice(3 + rule.chain.length),
  };
}

/** A chunk parsed with `printRule` as its RuleMapper, ready to send to the main thread. */
export function printedChunk(dump: DumpNode, diagnostics: Diagnostic[], continued: boolean): PrintedChunk {
  return {
    continued,
    diagnostics,
    tables: dump.tables.map((t) => ({
      name: t.name,
      statements: t.statements as unknown as PrintedTable["statements"],
      leadingComments: t.leadingComments,
      trailingComments: t.trailingComments,
    })),
  };
}
