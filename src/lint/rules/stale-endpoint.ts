/**
 * KIPT3007 (with `--endpoints`): a DNAT to an address that is not a ready or
 * serving endpoint of that service port in the cluster: kube-proxy has not
 * caught up with a pod that went away (or the rule was added by hand).
 */
import { defineRule } from "../rule.js";
import { portKey } from "../../kube/endpoints-file.js";
import { clusterEndpoints, endpointRule, endpointSliceList, kubeFacts, nginxExample, serviceLine, serviceOf, servicePortText } from "./kube-shared.js";

export const staleEndpoint = defineRule({
  meta: {
    id: "KIPT3007",
    name: "stale-endpoint",
    severity: "warning",
    summary: "With --endpoints: a DNAT to an address that is not a ready or serving endpoint of that service port.",
    kubernetes: true,
    examples: {
      bad: nginxExample(["10.240.0.28", "10.240.0.57"]),
      good: nginxExample(["10.240.0.28", "10.240.0.53"]),
      options: { endpoints: endpointSliceList([{ namespace: "default", name: "nginx", port: ["web", 80], ips: ["10.240.0.53", "10.240.0.28"] }]) },
    },
  },
  check(context) {
    const cluster = clusterEndpoints(context);
    if (!cluster) return;
    for (const facts of kubeFacts(context)) {
      for (const s of facts.model.services) {
        if (s.name === null || !cluster.services.has(serviceOf(s.name))) continue;
        const port = cluster.ports.get(portKey(s.name, s.protocol));
        if (!port) continue; // unknown-service reports the port
        const usable = port.endpoints.filter((e) => e.usable);
        for (const ep of s.endpoints) {
          if (ep.address === null || usable.some((e) => e.address === ep.address)) continue;
          const listed = port.endpoints.find((e) => e.address === ep.address);
          const rule = endpointRule(facts, ep.chain);
          const at = rule ? { rule, table: "nat", chain: rule.chain } : serviceLine(facts, s);
          if (!at) continue;
          context.report({
            node: facts.node,
            ...at,
            fingerprint: `${s.name}|${s.protocol}|${ep.address}`,
            message: `${servicePortText(s.name, s.protocol)} sends traffic to ${ep.address}${ep.chain ? ` (${ep.chain})` : ""}, which ${listed ? "is listed but neither ready nor serving" : "is not one of its endpoints"} in --endpoints (${usable.length === 0 ? "it has no ready or serving endpoint" : `ready or serving: ${usable.map((e) => e.address).join(", ")}`}): kube-proxy has not synced since the endpoint went away`,
          });
        }
      }
    }
  },
});
