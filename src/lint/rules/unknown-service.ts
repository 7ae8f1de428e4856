/**
 * KIPT3009 (with `--endpoints`): rules sending traffic to endpoints of a
 * service (or service port) the cluster does not have: deleted, and
 * kube-proxy has not synced. Only namespaces the endpoints file has objects
 * in are checked (it may cover some namespaces only), and only service
 * ports with endpoints in the rules (a service without a selector has no
 * EndpointSlices and kube-proxy only rejects it).
 */
import { defineRule } from "../rule.js";
import { portKey } from "../../kube/endpoints-file.js";
import { clusterEndpoints, endpointSliceList, kubeExample, kubeFacts, nginxExample, nginxService, serviceLine, serviceOf, servicePortText } from "./kube-shared.js";

export const unknownService = defineRule({
  meta: {
    id: "KIPT3009",
    name: "unknown-service",
    severity: "warning",
    summary: "With --endpoints: rules for a service or service port the cluster does not have.",
    kubernetes: true,
    examples: {
      bad: kubeExample([nginxService(["10.240.0.28", "10.240.0.57"]), { name: "default/old-api:http", clusterIP: "10.0.71.12", port: 8080, endpoints: ["10.240.0.31:8080"] }]),
      good: nginxExample(["10.240.0.28", "10.240.0.57"]),
      options: { endpoints: endpointSliceList([{ namespace: "default", name: "nginx", port: ["web", 80], ips: ["10.240.0.28", "10.240.0.57"] }]) },
    },
  },
  check(context) {
    const cluster = clusterEndpoints(context);
    if (!cluster) return;
    for (const facts of kubeFacts(context)) {
      const reported = new Set<string>();
      for (const s of facts.model.services) {
        if (s.name === null || s.endpoints.length === 0) continue;
        const service = serviceOf(s.name);
        const namespace = service.slice(0, service.indexOf("/"));
        if (!cluster.namespaces.has(namespace) || cluster.ports.has(portKey(s.name, s.protocol))) continue;
        const at = serviceLine(facts, s);
        if (!at) continue;
        if (!cluster.services.has(service)) {
          if (reported.has(service)) continue;
          reported.add(service);
          context.report({ node: facts.node, ...at, fingerprint: service, message: `the rules send ${service} to ${s.endpoints.length} endpoint(s), but --endpoints has no EndpointSlice or Endpoints for it: the service was deleted and kube-proxy has not synced` });
        } else {
          context.report({ node: facts.node, ...at, fingerprint: `${s.name}|${s.protocol}`, message: `the rules have ${servicePortText(s.name, s.protocol)}, but ${service} in --endpoints has no such port: the port was renamed or removed and kube-proxy has not synced` });
        }
      }
    }
  },
});
