/**
 * KIPT3003: a per-service or per-endpoint chain (KUBE-SVC/SVL/EXT/FW/XLB/SEP)
 * that no rule jumps to: kube-proxy deletes such chains on its next sync,
 * so one that stays is left over (a service or endpoint deleted while
 * kube-proxy was down, a hand edit). In large-cluster mode (more than 1,000
 * endpoints) kube-proxy deletes stale chains only now and then, so there
 * it is an info, and so is an empty leftover chain (harmless: nothing in it
 * can act on a packet).
 */
import { serviceChain } from "../../kube/recognize.js";
import { defineRule } from "../rule.js";
import { kubeExample, kubeFacts, nginxExample, nginxService } from "./kube-shared.js";

export const staleKubeChain = defineRule({
  meta: {
    id: "KIPT3003",
    name: "stale-kube-chain",
    severity: "warning",
    summary: "A KUBE-SVC/SVL/EXT/FW/SEP chain that no rule jumps to: left over from a deleted service or endpoint (info in large-cluster mode).",
    kubernetes: true,
    examples: {
      bad: kubeExample([{ ...nginxService(["10.240.0.28", "10.240.0.57"]), staleEndpoints: ["10.240.0.44:80"] }]),
      good: nginxExample(["10.240.0.28", "10.240.0.57"]),
    },
  },
  check(context) {
    for (const facts of kubeFacts(context)) {
      const large = facts.model.proxy.largeClusterMode;
      for (const chain of facts.nat?.chains ?? []) {
        const sc = serviceChain(chain.name);
        if (!sc) continue;
        if ((facts.jumpsTo.get(chain.name)?.length ?? 0) > 0) continue;
        const what = sc.kind === "SEP" ? "endpoint chain" : "service chain";
        const empty = chain.rules.length === 0;
        context.report({
          node: facts.node,
          line: chain.declaredAt,
          table: "nat",
          chain: chain.name,
          // An empty leftover is harmless (nothing in it can act), like one in large-cluster mode.
          ...(large || empty ? { severity: "info" as const } : {}),
          message: `${what} ${chain.name} ${empty ? "is empty and" : `has ${chain.rules.length} rule${chain.rules.length === 1 ? "" : "s"} but`} no rule jumps to it: left over from a deleted ${sc.kind === "SEP" ? "endpoint" : "service"}${large ? " (large-cluster mode: kube-proxy removes stale chains only now and then)" : ""}`,
        });
      }
    }
  },
});
