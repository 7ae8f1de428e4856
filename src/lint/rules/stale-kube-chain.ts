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
import { kubeFacts } from "./kube-shared.js";

function dump(stale: boolean): string {
  return `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SEP-B4KBD76YHXMJL4VO - [0:0]
${stale ? ":KUBE-SEP-FSNMHP342VRFTCAB - [0:0]\n" : ""}:KUBE-SEP-V73B5NNFXA6V3U7A - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-YK2SNH4V42VSDWIJ - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SEP-B4KBD76YHXMJL4VO -s 10.240.0.28/32 -m comment --comment "default/nginx:web" -j KUBE-MARK-MASQ
-A KUBE-SEP-B4KBD76YHXMJL4VO -p tcp -m comment --comment "default/nginx:web" -m tcp -j DNAT --to-destination 10.240.0.28:80
${stale ? `-A KUBE-SEP-FSNMHP342VRFTCAB -s 10.240.0.44/32 -m comment --comment "default/nginx:web" -j KUBE-MARK-MASQ
-A KUBE-SEP-FSNMHP342VRFTCAB -p tcp -m comment --comment "default/nginx:web" -m tcp -j DNAT --to-destination 10.240.0.44:80
` : ""}-A KUBE-SEP-V73B5NNFXA6V3U7A -s 10.240.0.57/32 -m comment --comment "default/nginx:web" -j KUBE-MARK-MASQ
-A KUBE-SEP-V73B5NNFXA6V3U7A -p tcp -m comment --comment "default/nginx:web" -m tcp -j DNAT --to-destination 10.240.0.57:80
-A KUBE-SERVICES -d 10.0.33.45/32 -p tcp -m comment --comment "default/nginx:web cluster IP" -m tcp --dport 80 -j KUBE-SVC-YK2SNH4V42VSDWIJ
-A KUBE-SVC-YK2SNH4V42VSDWIJ ! -s 10.240.0.0/16 -d 10.0.33.45/32 -p tcp -m comment --comment "default/nginx:web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-YK2SNH4V42VSDWIJ -m comment --comment "default/nginx:web -> 10.240.0.28:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B4KBD76YHXMJL4VO
-A KUBE-SVC-YK2SNH4V42VSDWIJ -m comment --comment "default/nginx:web -> 10.240.0.57:80" -j KUBE-SEP-V73B5NNFXA6V3U7A
COMMIT
`;
}

export const staleKubeChain = defineRule({
  meta: {
    id: "KIPT3003",
    name: "stale-kube-chain",
    severity: "warning",
    summary: "A KUBE-SVC/SVL/EXT/FW/SEP chain that no rule jumps to: left over from a deleted service or endpoint (info in large-cluster mode).",
    kubernetes: true,
    examples: { bad: dump(true), good: dump(false) },
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
