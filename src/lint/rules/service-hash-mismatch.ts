/**
 * KIPT3002: a KUBE-SVC/SVL/EXT/FW (or pre-1.24 KUBE-XLB) chain whose name is
 * not the hash of the service port its comments name: kube-proxy names them
 * `KUBE-SVC-` + hash(port name + protocol), so the chain was renamed or its
 * rules were written for another service port.
 */
import type { RuleNode } from "../../ast/types.js";
import { portProtoHash } from "../../kube/hash.js";
import { commentOf, parseComment, protocolOf, serviceChain } from "../../kube/recognize.js";
import { defineRule } from "../rule.js";
import { kubeFacts } from "./kube-shared.js";

const PROTOCOLS = ["tcp", "udp", "sctp"] as const;

function dump(svc: string, comment: string): string {
  return `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SEP-R6RLEQNQPYERUEH4 - [0:0]
:KUBE-SERVICES - [0:0]
:${svc} - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SEP-R6RLEQNQPYERUEH4 -s 10.240.2.31/32 -m comment --comment "monitoring/grafana" -j KUBE-MARK-MASQ
-A KUBE-SEP-R6RLEQNQPYERUEH4 -p tcp -m comment --comment "monitoring/grafana" -m tcp -j DNAT --to-destination 10.240.2.31:3000
-A KUBE-SERVICES -d 10.0.45.100/32 -p tcp -m comment --comment "${comment} cluster IP" -m tcp --dport 3000 -j ${svc}
-A ${svc} ! -s 10.240.0.0/16 -d 10.0.45.100/32 -p tcp -m comment --comment "${comment} cluster IP" -m tcp --dport 3000 -j KUBE-MARK-MASQ
-A ${svc} -m comment --comment "${comment} -> 10.240.2.31:3000" -j KUBE-SEP-R6RLEQNQPYERUEH4
COMMIT
`;
}

export const serviceHashMismatch = defineRule({
  meta: {
    id: "KIPT3002",
    name: "service-hash-mismatch",
    severity: "error",
    summary: "A KUBE-SVC/SVL/EXT/FW chain whose name is not the hash of the service port its comments name.",
    kubernetes: true,
    examples: {
      bad: dump("KUBE-SVC-XUJLWDDTZEWKLHU6", "monitoring/grafana:http"),
      good: dump("KUBE-SVC-XUJLWDDTZEWKLHU6", "monitoring/grafana"),
    },
  },
  check(context) {
    for (const facts of kubeFacts(context)) {
      for (const chain of facts.nat?.chains ?? []) {
        const sc = serviceChain(chain.name);
        if (!sc || sc.kind === "SEP") continue;
        // The chain's own rules, then the rules that jump to it: the first comment naming a port whose hash is not the chain's.
        const checked = new Set<string>();
        const mismatch = (rule: RuleNode, own: boolean): boolean => {
          const text = commentOf(rule);
          if (text === null) return false;
          const name = parseComment(text).name;
          if (name === null) return false;
          const p = protocolOf(rule);
          const protocol = p !== null && (PROTOCOLS as readonly string[]).includes(p) ? p : null;
          const key = `${name}|${protocol ?? "*"}`;
          if (checked.has(key)) return false;
          checked.add(key);
          const protocols = protocol !== null ? [protocol] : PROTOCOLS;
          if (protocols.some((q) => portProtoHash(name, q) === sc.hash)) return false;
          const would = `KUBE-${sc.kind}-${portProtoHash(name, protocols[0]!)}`;
          const owner = facts.model.services.find((s) => s.hash === sc.hash && s.name !== null && s.name !== name && s.identifiedBy === "hash");
          const whose = owner ? `; its name is the hash of ${owner.name} (${owner.protocol})` : "";
          context.report({
            node: facts.node,
            rule,
            table: "nat",
            chain: rule.chain,
            fingerprint: `${chain.name}|${name}`,
            message: `${own ? "" : `this rule jumps to ${chain.name}, whose `}comment names ${name}${protocols.length === 1 ? ` (${protocols[0]})` : ""}, but ${own ? `${chain.name}` : "the chain"} is not that port's: kube-proxy would call it ${would}${whose}`,
          });
          return true;
        };
        if (chain.rules.some((rule) => mismatch(rule, true))) continue;
        for (const rule of facts.jumpsTo.get(chain.name) ?? []) if (mismatch(rule, false)) break;
      }
    }
  },
});
