/** KIPT2005: a rule after an unconditional terminating rule of the same chain. */
import { quote } from "../../diagnostics/diagnostic.js";
import { targetPhrase } from "../analysis/verdict.js";
import { defineRule } from "../rule.js";
import { chainOrder, ruleRef } from "./order-shared.js";

export const unreachableRule = defineRule({
  meta: {
    id: "KIPT2005",
    name: "unreachable-rule",
    severity: "warning",
    summary: "A rule after an unconditional terminating rule in the same chain: no packet ever reaches it.",
    examples: {
      bad: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -j DROP
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`,
      good: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -j DROP
COMMIT
`,
    },
  },
  check(context) {
    for (const [node, result] of chainOrder(context)) {
      for (const f of result.unreachable) {
        const rest = f.more === 0 ? "" : f.more === 1 ? " (and so is the rule after it)" : ` (and so are the ${f.more} rules after it)`;
        context.report({
          node,
          rule: f.rule,
          table: f.table,
          chain: f.chain,
          message: `rule ${f.position} of chain ${quote(f.chain)} is never reached: ${ruleRef(f.causePosition, f.cause.line)} sends every packet to ${quote(targetPhrase(f.cause))} first${rest}`,
        });
      }
    }
  },
});
