/**
 * KIPT3008 (with `--endpoints`): a ready endpoint of a service port the dump
 * has rules for, with no rule sending traffic to it: kube-proxy has not
 * caught up with a new pod. Service ports whose only dispatch chain is the
 * local one (internalTrafficPolicy: Local) hold only this node's endpoints
 * and are not checked; neither are partial dumps.
 */
import { defineRule } from "../rule.js";
import { portKey } from "../../kube/endpoints-file.js";
import { clusterEndpoints, endpointSliceList, kubeFacts, nginxExample, serviceLine, servicePortText } from "./kube-shared.js";

export const missingEndpoint = defineRule({
  meta: {
    id: "KIPT3008",
    name: "missing-endpoint",
    severity: "warning",
    summary: "With --endpoints: a ready endpoint of a service port that no rule sends traffic to.",
    kubernetes: true,
    examples: {
      bad: nginxExample(["10.240.0.28"]),
      good: nginxExample(["10.240.0.28", "10.240.0.53"]),
      options: { endpoints: endpointSliceList([{ namespace: "default", name: "nginx", port: ["web", 80], ips: ["10.240.0.53", "10.240.0.28"] }]) },
    },
  },
  check(context) {
    const cluster = clusterEndpoints(context);
    if (!cluster) return;
    for (const facts of kubeFacts(context)) {
      if (facts.model.proxy.partial) continue;
      const v6 = facts.model.family === "ipv6";
      for (const s of facts.model.services) {
        if (s.name === null) continue;
        if (s.chains.cluster === null && (s.chains.local !== null || s.chains.xlb !== null)) continue;
        if (s.endpoints.some((e) => e.address === null)) continue;
        const port = cluster.ports.get(portKey(s.name, s.protocol));
        if (!port) continue;
        const at = serviceLine(facts, s);
        if (!at) continue;
        const have = new Set(s.endpoints.map((e) => e.address));
        for (const e of port.endpoints) {
          if (!e.ready || e.ip.includes(":") !== v6 || have.has(e.address)) continue;
          context.report({
            node: facts.node,
            ...at,
            fingerprint: `${s.name}|${s.protocol}|${e.address}`,
            message: `${servicePortText(s.name, s.protocol)}: ${e.address} is a ready endpoint in --endpoints, but no rule sends traffic to it${s.endpoints.length === 0 ? " (the node's rules have no endpoint for this port)" : ` (the rules have ${s.endpoints.map((x) => x.address).join(", ")})`}: kube-proxy has not synced since the endpoint became ready`,
          });
        }
      }
    }
  },
});
