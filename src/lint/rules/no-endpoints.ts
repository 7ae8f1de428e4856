/**
 * KIPT3006: a service port kube-proxy only rejects or drops, its way of
 * saying "no endpoints" (no ready pod behind the service, or a selector
 * that matches none). Not a mistake in the rules: an inventory operators
 * want, hence an info.
 */
import type { KubeFrontend } from "../../kube/model.js";
import { defineRule } from "../rule.js";
import { kubeFacts, servicePortText } from "./kube-shared.js";

function dump(noEndpoints: boolean): string {
  return `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
${noEndpoints ? `-A KUBE-SERVICES -d 10.0.200.15/32 -p tcp -m comment --comment "staging/legacy-api:http has no endpoints" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable
` : ""}COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
${noEndpoints ? "" : ":KUBE-MARK-MASQ - [0:0]\n:KUBE-SEP-6V6CV6MBMZHSQWC7 - [0:0]\n"}:KUBE-SERVICES - [0:0]
${noEndpoints ? "" : ":KUBE-SVC-PCX4YVMKLJTWIN62 - [0:0]\n"}-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
${noEndpoints ? "" : `-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SEP-6V6CV6MBMZHSQWC7 -s 10.240.2.77/32 -m comment --comment "staging/legacy-api:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-6V6CV6MBMZHSQWC7 -p tcp -m comment --comment "staging/legacy-api:http" -m tcp -j DNAT --to-destination 10.240.2.77:8080
-A KUBE-SERVICES -d 10.0.200.15/32 -p tcp -m comment --comment "staging/legacy-api:http cluster IP" -m tcp --dport 8080 -j KUBE-SVC-PCX4YVMKLJTWIN62
-A KUBE-SVC-PCX4YVMKLJTWIN62 ! -s 10.240.0.0/16 -d 10.0.200.15/32 -p tcp -m comment --comment "staging/legacy-api:http cluster IP" -m tcp --dport 8080 -j KUBE-MARK-MASQ
-A KUBE-SVC-PCX4YVMKLJTWIN62 -m comment --comment "staging/legacy-api:http -> 10.240.2.77:8080" -j KUBE-SEP-6V6CV6MBMZHSQWC7
`}COMMIT
`;
}

function frontendText(fe: KubeFrontend): string {
  const at = fe.ip === null ? `*:${fe.port}` : `${fe.ip.includes(":") ? `[${fe.ip}]` : fe.ip}:${fe.port}`;
  return `${fe.type} ${at}`;
}

export const noEndpoints = defineRule({
  meta: {
    id: "KIPT3006",
    name: "no-endpoints",
    severity: "info",
    summary: "A service port kube-proxy only rejects or drops: it has no endpoints.",
    kubernetes: true,
    examples: { bad: dump(true), good: dump(false) },
  },
  check(context) {
    for (const facts of kubeFacts(context)) {
      for (const s of facts.model.services) {
        if (s.name === null) continue;
        const frontends = s.frontends.filter((fe) => fe.type !== "HealthCheckNodePort");
        if (frontends.length === 0 || s.endpoints.length > 0) continue;
        if (!frontends.every((fe) => fe.endpoints.length === 0 && fe.endpointsFromNode.length === 0 && fe.whenNoEndpoints !== null && fe.whenNoEndpoints.reason === "no endpoints")) continue;
        const policies = frontends.map((fe) => fe.whenNoEndpoints!);
        const first = policies.reduce((a, b) => (b.line < a.line ? b : a));
        const actions = [...new Set(policies.map((p) => p.action))].join(" or ");
        context.report({
          node: facts.node,
          line: first.line,
          fingerprint: `${s.name}|${s.protocol}`,
          message: `${servicePortText(s.name, s.protocol)} has no endpoints: kube-proxy answers ${frontends.map(frontendText).join(", ")} with ${actions}`,
        });
      }
    }
  },
});
