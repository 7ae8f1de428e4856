/**
 * KIPT2006: a rule that can never match because one earlier terminating rule
 * of the chain matches every packet it matches. Containment is decided over
 * the matches src/lint/analysis/containment.ts models; any other match makes
 * the rule silent. When the earlier rule does the same thing the later one
 * would, the later one is only redundant, and the finding is an info.
 */
import { quote } from "../../diagnostics/diagnostic.js";
import { sameAction, targetPhrase } from "../analysis/verdict.js";
import { defineRule } from "../rule.js";
import { chainOrder, ruleRef } from "./order-shared.js";

export const shadowedRule = defineRule({
  meta: {
    id: "KIPT2006",
    name: "shadowed-rule",
    severity: "warning",
    summary: "A rule that never matches because an earlier terminating rule in the chain matches every packet it would.",
    examples: {
      bad: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.0.0.0/8 -p tcp -j DROP
-A INPUT -s 10.1.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`,
      good: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.1.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -s 10.0.0.0/8 -p tcp -j DROP
COMMIT
`,
    },
  },
  check(context) {
    for (const [node, result] of chainOrder(context)) {
      for (const f of result.shadowed) {
        const same = sameAction(f.cause, f.rule);
        const message = same
          ? `rule ${f.position} of chain ${quote(f.chain)} never matches: ${ruleRef(f.causePosition, f.cause.line)} already matches every packet it would and does the same (${quote(targetPhrase(f.cause))}); it is redundant`
          : `rule ${f.position} of chain ${quote(f.chain)} never matches: ${ruleRef(f.causePosition, f.cause.line)} already sends every packet it would match to ${quote(targetPhrase(f.cause))}, so its ${quote(targetPhrase(f.rule))} never happens`;
        context.report({ node, rule: f.rule, table: f.table, chain: f.chain, message, ...(same ? { severity: "info" as const } : {}) });
      }
    }
  },
});
