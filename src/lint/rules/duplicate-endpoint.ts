/**
 * KIPT3005: the same endpoint twice in one service chain's cascade, by
 * KUBE-SEP chain or by the address two SEP chains DNAT to. kube-proxy
 * writes each endpoint once; a repeat gets two shares of the traffic.
 */
import { defineRule } from "../rule.js";
import { cascadeSteps, isDispatchChain, kubeExample, kubeFacts } from "./kube-shared.js";

const frontend = (endpoints: string[]) => kubeExample([{ name: "shop/frontend:http", clusterIP: "10.0.120.7", port: 80, endpoints }]);

export const duplicateEndpoint = defineRule({
  meta: {
    id: "KIPT3005",
    name: "duplicate-endpoint",
    severity: "warning",
    summary: "The same endpoint twice in one service chain's cascade: it gets two shares of the traffic.",
    kubernetes: true,
    examples: {
      bad: frontend(["10.240.1.11:8080", "10.240.2.14:8080", "10.240.1.11:8080"]),
      good: frontend(["10.240.1.11:8080", "10.240.2.14:8080", "10.240.3.9:8080"]),
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
