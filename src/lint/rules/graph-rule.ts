/**
 * The chain graph's findings (src/graph, KIPT2001-KIPT2004) as lint rules:
 * the graph module computes them once per dump; these rules only pass them
 * on, with the same IDs, names and severities.
 */
import type { GraphCode } from "../../diagnostics/graph-codes.js";
import { defineRule, type LintRule } from "../rule.js";

export function graphRule(code: GraphCode, summary: string, examples: { bad: string; good: string }): LintRule {
  return defineRule({
    meta: { id: code.id, name: code.name, severity: code.severity, summary, examples },
    check(context) {
      for (const node of context.nodes) {
        for (const finding of node.graph.findings) {
          const d = finding.diagnostic;
          if (d.id !== code.id) continue;
          context.report({ node, message: d.message, line: d.line, column: d.column, offset: d.offset, length: d.length, table: finding.table, severity: d.severity });
        }
      }
    },
  });
}
