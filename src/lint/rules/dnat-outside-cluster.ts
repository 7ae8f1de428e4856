/**
 * KIPT3010 (with `--cluster-cidr`): a service endpoint (a KUBE-SEP chain's
 * DNAT) outside the cluster's pod CIDR. Pods get addresses from the pod
 * CIDR; an endpoint elsewhere is a host-network pod, a manually managed
 * EndpointSlice, or a rule that sends service traffic out of the cluster.
 * `default/kubernetes` (the API server, on the control-plane nodes'
 * addresses) is not reported; addresses of the other family cannot be judged.
 */
import ipaddr from "ipaddr.js";
import { dnatOf, serviceChain } from "../../kube/recognize.js";
import { defineRule } from "../rule.js";
import { kubeExample, kubeFacts, nginxService, sepService } from "./kube-shared.js";

function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  try {
    return ipaddr.parseCIDR(text);
  } catch {
    return null;
  }
}

export const dnatOutsideCluster = defineRule({
  meta: {
    id: "KIPT3010",
    name: "dnat-outside-cluster",
    severity: "warning",
    summary: "With --cluster-cidr: a service endpoint (KUBE-SEP DNAT) outside the cluster's pod CIDR.",
    kubernetes: true,
    examples: {
      bad: kubeExample([nginxService(["10.240.0.28"]), { name: "shop/payments:https", clusterIP: "10.0.91.4", port: 443, endpoints: ["203.0.113.77:443"] }]),
      good: kubeExample([nginxService(["10.240.0.28"]), { name: "shop/payments:https", clusterIP: "10.0.91.4", port: 443, endpoints: ["10.240.2.19:8443"] }]),
      options: { clusterCidr: "10.240.0.0/16" },
    },
  },
  check(context) {
    const text = context.options.clusterCidr;
    if (text === undefined) return;
    const cidr = parseCidr(text);
    if (!cidr) return;
    for (const facts of kubeFacts(context)) {
      for (const chain of facts.nat?.chains ?? []) {
        if (serviceChain(chain.name)?.kind !== "SEP") continue;
        const service = sepService(facts, chain);
        if (service?.name === "default/kubernetes:https" || service?.name === "default/kubernetes") continue;
        for (const r of chain.rules) {
          const d = dnatOf(r);
          if (!d || d.ip === null) continue;
          let addr: ipaddr.IPv4 | ipaddr.IPv6;
          try {
            addr = ipaddr.parse(d.ip);
          } catch {
            continue;
          }
          if (addr.kind() !== cidr[0].kind() || addr.match(cidr)) continue;
          context.report({
            node: facts.node,
            rule: r,
            table: "nat",
            chain: chain.name,
            message: `${service ? `${service.name} (${service.protocol})` : chain.name} sends traffic to ${d.endpoint}, outside the cluster CIDR ${text}: a host-network pod, a hand-made EndpointSlice, or service traffic leaving the cluster`,
          });
        }
      }
    }
  },
});
