/**
 * RuleTester tables for the Kubernetes rules that need more than one dump:
 * `--endpoints` (KIPT3007-KIPT3009), `--cluster-cidr` (KIPT3010) and
 * several nodes (KIPT3011). test/lint/kube-endpoints.test.ts has the
 * endpoints file reader and the finer cases.
 */
import { dnatOutsideCluster } from "../../src/lint/rules/dnat-outside-cluster.js";
import { endpointSliceList, kubeExample, nginxExample, nginxService } from "../../src/lint/rules/kube-shared.js";
import { missingEndpoint } from "../../src/lint/rules/missing-endpoint.js";
import { nodeDrift } from "../../src/lint/rules/node-drift.js";
import { staleEndpoint } from "../../src/lint/rules/stale-endpoint.js";
import { unknownService } from "../../src/lint/rules/unknown-service.js";
import { lineWith } from "./kube-dumps.js";
import { ruleTester } from "./rule-tester.js";

const nginxSlices = (...ips: string[]) => ({ endpoints: endpointSliceList([{ namespace: "default", name: "nginx", port: ["web", 80], ips }]) });
const twoPods = nginxExample(["10.240.0.28", "10.240.0.57"]);
const onePod = nginxExample(["10.240.0.28"]);
const dnatLine = (dump: string, ip: string) => lineWith(dump, `--to-destination ${ip}`);
const captureLine = (dump: string, name = "default/nginx:web") => lineWith(dump, `"${name} cluster IP" -m tcp --dport`);

ruleTester(staleEndpoint, {
  valid: [
    { name: "the rules are the cluster's endpoints", dump: twoPods, options: nginxSlices("10.240.0.57", "10.240.0.28") },
    { name: "no --endpoints", dump: twoPods },
    { name: "a service the file does not have (unknown-service's)", dump: twoPods, options: { endpoints: endpointSliceList([{ namespace: "default", name: "kubernetes", port: ["https", 6443], ips: ["192.168.56.2"] }]) } },
  ],
  invalid: [
    { name: "a pod that went away", dump: twoPods, options: nginxSlices("10.240.0.28", "10.240.0.53"), findings: [{ line: dnatLine(twoPods, "10.240.0.57"), message: "sends traffic to 10.240.0.57:80 (KUBE-SEP-V73B5NNFXA6V3U7A), which is not one of its endpoints" }] },
    { name: "every pod went away", dump: twoPods, options: nginxSlices(), findings: [{ line: dnatLine(twoPods, "10.240.0.28"), message: "it has no ready or serving endpoint" }, { line: dnatLine(twoPods, "10.240.0.57") }] },
  ],
});

ruleTester(missingEndpoint, {
  valid: [
    { name: "the rules are the cluster's endpoints", dump: twoPods, options: nginxSlices("10.240.0.28", "10.240.0.57") },
    { name: "no --endpoints", dump: onePod },
  ],
  invalid: [
    { name: "a new ready pod", dump: onePod, options: nginxSlices("10.240.0.28", "10.240.0.53"), findings: [{ line: captureLine(onePod), message: "10.240.0.53:80 is a ready endpoint in --endpoints, but no rule sends traffic to it (the rules have 10.240.0.28:80)" }] },
    { name: "two new pods: one finding each", dump: onePod, options: nginxSlices("10.240.0.28", "10.240.0.53", "10.240.0.54"), findings: [{ line: captureLine(onePod), message: "10.240.0.53:80" }, { line: captureLine(onePod), message: "10.240.0.54:80" }] },
  ],
});

const withOld = kubeExample([nginxService(["10.240.0.28"]), { name: "default/old-api:http", clusterIP: "10.0.71.12", port: 8080, endpoints: ["10.240.0.31:8080"] }]);

ruleTester(unknownService, {
  valid: [
    { name: "every service in the file", dump: onePod, options: nginxSlices("10.240.0.28") },
    { name: "the file covers another namespace only", dump: withOld, options: { endpoints: endpointSliceList([{ namespace: "other", name: "x", port: ["p", 1], ips: ["10.240.9.9"] }]) } },
  ],
  invalid: [
    { name: "a deleted service", dump: withOld, options: nginxSlices("10.240.0.28"), findings: [{ line: captureLine(withOld, "default/old-api:http"), message: "the rules send default/old-api to 1 endpoint(s), but --endpoints has no EndpointSlice or Endpoints for it" }] },
    {
      name: "a renamed port",
      dump: onePod,
      options: { endpoints: endpointSliceList([{ namespace: "default", name: "nginx", port: ["http", 80], ips: ["10.240.0.28"] }]) },
      findings: [{ line: captureLine(onePod), message: "but default/nginx in --endpoints has no such port" }],
    },
  ],
});

const payments = (ep: string) => kubeExample([nginxService(["10.240.0.28"]), { name: "shop/payments:https", clusterIP: "10.0.91.4", port: 443, endpoints: [ep] }]);
const kubernetes = kubeExample([{ name: "default/kubernetes:https", clusterIP: "10.0.0.1", port: 443, endpoints: ["192.168.56.2:6443"] }]);

ruleTester(dnatOutsideCluster, {
  valid: [
    { name: "endpoints in the pod CIDR", dump: payments("10.240.2.19:8443"), options: { clusterCidr: "10.240.0.0/16" } },
    { name: "no --cluster-cidr", dump: payments("203.0.113.77:443") },
    { name: "default/kubernetes (the API server) is never reported", dump: kubernetes, options: { clusterCidr: "10.240.0.0/16" } },
  ],
  invalid: [
    { name: "an Internet address", dump: payments("203.0.113.77:443"), options: { clusterCidr: "10.240.0.0/16" }, findings: [{ line: dnatLine(payments("203.0.113.77:443"), "203.0.113.77"), message: "shop/payments:https (tcp) sends traffic to 203.0.113.77:443, outside the cluster CIDR 10.240.0.0/16" }] },
    { name: "a narrower cluster CIDR", dump: payments("10.240.2.19:8443"), options: { clusterCidr: "10.240.0.0/24" }, findings: [{ line: dnatLine(payments("10.240.2.19:8443"), "10.240.2.19") }] },
  ],
});

const fresh = nginxExample(["10.240.0.28", "10.240.0.53"]);

ruleTester(nodeDrift, {
  valid: [
    { name: "one dump", dump: twoPods },
    { name: "nodes that agree", dump: fresh, otherNodes: [fresh, fresh] },
    { name: "the majority, while another node is behind", dump: fresh, otherNodes: [twoPods, fresh] },
  ],
  invalid: [
    { name: "the node that is behind", dump: twoPods, otherNodes: [fresh, fresh], findings: [{ line: captureLine(twoPods), message: "this node sends traffic to 10.240.0.57:80 (1 of 3 nodes do) but not to 10.240.0.53:80 (2 of 3 nodes do), compared with node-2.rules, node-3.rules" }] },
    { name: "two nodes that disagree", dump: twoPods, otherNodes: [fresh], findings: [{ line: captureLine(twoPods), message: "sends traffic to 10.240.0.57:80 (1 of 2 nodes do), compared with node-2.rules" }] },
  ],
});
