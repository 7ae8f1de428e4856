/** KIPT2007: the same rule twice in a chain. */
import { quote } from "../../diagnostics/diagnostic.js";
import { defineRule } from "../rule.js";
import { chainOrder, ruleRef } from "./order-shared.js";

export const duplicateRule = defineRule({
  meta: {
    id: "KIPT2007",
    name: "duplicate-rule",
    severity: "warning",
    summary: "The same rule (same matches, same target, in canonical form) twice in one chain.",
    examples: {
      bad: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j LOG --log-prefix "ssh: "
-A INPUT -s 10.0.0.0/8 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j LOG --log-prefix "ssh: "
COMMIT
`,
      good: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j LOG --log-prefix "ssh: "
-A INPUT -s 10.0.0.0/8 -j ACCEPT
COMMIT
`,
    },
  },
  check(context) {
    for (const [node, result] of chainOrder(context)) {
      for (const f of result.duplicates) {
        context.report({
          node,
          rule: f.rule,
          table: f.table,
          chain: f.chain,
          message: `rule ${f.position} of chain ${quote(f.chain)} repeats ${ruleRef(f.causePosition, f.cause.line)} exactly`,
        });
      }
    }
  },
});
