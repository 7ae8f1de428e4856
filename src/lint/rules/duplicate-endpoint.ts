/**
 * KIPT3005: the same endpoint twice in one service chain's cascade, by
 * KUBE-SEP chain or by the address two SEP chains DNAT to. kube-proxy
 * writes each endpoint once; a repeat gets two shares of the traffic.
 */
import { defineRule } from "../rule.js";
import { cascadeSteps, isDispatchChain, kubeFacts } from "./kube-shared.js";

function dump(third: { sep: string; ip: string }): string {
  return `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SEP-7PI4NT77BE5VR6NG - [0:0]
:KUBE-SEP-DQFAR6TGMXRAPA22 - [0:0]
${third.sep === "KUBE-SEP-ZBKNRYNHRK5JVO3J" ? ":KUBE-SEP-ZBKNRYNHRK5JVO3J - [0:0]\n" : ""}:KUBE-SERVICES - [0:0]
:KUBE-SVC-PY4JZH2ITZYEO4CN - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SEP-7PI4NT77BE5VR6NG -s 10.240.1.11/32 -m comment --comment "shop/frontend:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-7PI4NT77BE5VR6NG -p tcp -m comment --comment "shop/frontend:http" -m tcp -j DNAT --to-destination 10.240.1.11:8080
-A KUBE-SEP-DQFAR6TGMXRAPA22 -s 10.240.2.14/32 -m comment --comment "shop/frontend:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-DQFAR6TGMXRAPA22 -p tcp -m comment --comment "shop/frontend:http" -m tcp -j DNAT --to-destination 10.240.2.14:8080
${third.sep === "KUBE-SEP-ZBKNRYNHRK5JVO3J" ? `-A KUBE-SEP-ZBKNRYNHRK5JVO3J -s 10.240.3.9/32 -m comment --comment "shop/frontend:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-ZBKNRYNHRK5JVO3J -p tcp -m comment --comment "shop/frontend:http" -m tcp -j DNAT --to-destination 10.240.3.9:8080
` : ""}-A KUBE-SERVICES -d 10.0.120.7/32 -p tcp -m comment --comment "shop/frontend:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-PY4JZH2ITZYEO4CN
-A KUBE-SVC-PY4JZH2ITZYEO4CN ! -s 10.240.0.0/16 -d 10.0.120.7/32 -p tcp -m comment --comment "shop/frontend:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-PY4JZH2ITZYEO4CN -m comment --comment "shop/frontend:http -> 10.240.1.11:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-7PI4NT77BE5VR6NG
-A KUBE-SVC-PY4JZH2ITZYEO4CN -m comment --comment "shop/frontend:http -> 10.240.2.14:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-DQFAR6TGMXRAPA22
-A KUBE-SVC-PY4JZH2ITZYEO4CN -m comment --comment "shop/frontend:http -> ${third.ip}:8080" -j ${third.sep}
COMMIT
`;
}

export const duplicateEndpoint = defineRule({
  meta: {
    id: "KIPT3005",
    name: "duplicate-endpoint",
    severity: "warning",
    summary: "The same endpoint twice in one service chain's cascade: it gets two shares of the traffic.",
    kubernetes: true,
    examples: {
      bad: dump({ sep: "KUBE-SEP-7PI4NT77BE5VR6NG", ip: "10.240.1.11" }),
      good: dump({ sep: "KUBE-SEP-ZBKNRYNHRK5JVO3J", ip: "10.240.3.9" }),
    },
  },
  check(context) {
    for (const facts of kubeFacts(context)) {
      for (const chain of facts.nat?.chains ?? []) {
        if (!isDispatchChain(chain.name)) continue;
        const steps = cascadeSteps(facts.nat, chain);
        const bySep = new Map<string, number>();
        const byEndpoint = new Map<string, number>();
        steps.forEach((step, i) => {
          const sameSep = bySep.get(step.sep);
          const sameEndpoint = step.endpoint === null ? undefined : byEndpoint.get(step.endpoint);
          const first = sameSep ?? sameEndpoint;
          if (first !== undefined) {
            const earlier = steps[first]!;
            const how = sameSep !== undefined ? `jumps to ${step.sep} again` : `jumps to ${step.sep}, which DNATs to ${step.endpoint} like ${earlier.sep}`;
            context.report({
              node: facts.node,
              rule: step.rule,
              table: "nat",
              chain: chain.name,
              message: `endpoint ${step.endpoint ?? step.sep} is in ${chain.name}'s cascade twice: this rule ${how} (line ${earlier.rule.line}), so it gets two shares of the service's traffic`,
            });
          }
          if (sameSep === undefined) bySep.set(step.sep, i);
          if (step.endpoint !== null && sameEndpoint === undefined) byEndpoint.set(step.endpoint, i);
        });
      }
    }
  },
});
