/**
 * The `--endpoints` rules (KIPT3007-KIPT3009) and the endpoints file reader:
 * EndpointSlice and Endpoints JSON, ready/serving/terminating conditions,
 * and the proof on samples/nginx.txt with samples/nginx-endpointslices.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readClusterEndpoints } from "../../src/kube/endpoints-file.js";
import type { LintRule } from "../../src/lint/rule.js";
import { endpointSliceList, kubeExample, nginxExample, nginxService } from "../../src/lint/rules/kube-shared.js";
import { missingEndpoint } from "../../src/lint/rules/missing-endpoint.js";
import { staleEndpoint } from "../../src/lint/rules/stale-endpoint.js";
import { unknownService } from "../../src/lint/rules/unknown-service.js";
import { lint } from "../../src/lint/run.js";
import { kubeDump, lineWith, sepChain } from "./kube-dumps.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sampleSlices = JSON.parse(readFileSync(path.join(root, "samples/nginx-endpointslices.json"), "utf8")) as unknown;

function run(rule: LintRule, dump: string, endpoints: unknown) {
  return lint([{ file: "t", text: dump }], { rules: [rule], endpoints }).findings.map((f) => `${f.line}: ${f.message}`);
}

const slices = (ips: string[], extra: { ready?: boolean; serving?: boolean; terminating?: boolean }[] = []) => ({
  kind: "List",
  items: [
    {
      kind: "EndpointSlice",
      addressType: "IPv4",
      metadata: { namespace: "default", name: "nginx-abcde", labels: { "kubernetes.io/service-name": "nginx" } },
      endpoints: ips.map((ip, i) => ({ addresses: [ip], ...(extra[i] ? { conditions: extra[i] } : {}) })),
      ports: [{ name: "web", port: 80, protocol: "TCP" }],
    },
  ],
});

describe("readClusterEndpoints", () => {
  it("reads the sample EndpointSlice list", () => {
    const c = readClusterEndpoints(sampleSlices)!;
    expect([...c.services].sort()).toEqual(["default/kubernetes", "default/nginx"]);
    expect(c.ports.get("default/nginx:web|tcp")!.endpoints.map((e) => `${e.address} ${e.ready}`)).toEqual(["10.240.0.53:80 true", "10.240.0.28:80 true"]);
    expect(c.ports.get("default/kubernetes:https|tcp")!.endpoints.map((e) => e.address)).toEqual(["192.168.56.2:6443"]);
  });

  it("reads v1 Endpoints (kubectl get endpoints -A -o json): addresses ready, notReadyAddresses not", () => {
    const c = readClusterEndpoints({
      kind: "List",
      items: [
        {
          kind: "Endpoints",
          metadata: { namespace: "kube-system", name: "kube-dns" },
          subsets: [{ addresses: [{ ip: "10.240.0.5" }], notReadyAddresses: [{ ip: "10.240.1.7" }], ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "metrics", port: 9153, protocol: "TCP" }] }],
        },
      ],
    })!;
    expect(c.ports.get("kube-system/kube-dns:dns|udp")!.endpoints.map((e) => `${e.address} ${e.ready} ${e.usable}`)).toEqual(["10.240.0.5:53 true true", "10.240.1.7:53 false false"]);
    expect(c.ports.has("kube-system/kube-dns:metrics|tcp")).toBe(true);
  });

  it("conditions: missing means ready; serving while terminating is usable but not ready; unnamed ports; IPv6", () => {
    const c = readClusterEndpoints({
      items: [
        {
          kind: "EndpointSlice",
          addressType: "IPv6",
          metadata: { namespace: "default", name: "echo6-x", labels: { "kubernetes.io/service-name": "echo6" } },
          endpoints: [{ addresses: ["fd00:10:244::5"] }, { addresses: ["fd00:10:244::6"], conditions: { ready: false, serving: true, terminating: true } }, { addresses: ["fd00:10:244::7"], conditions: { ready: false, serving: false } }],
          ports: [{ port: 8080, protocol: "TCP" }],
        },
      ],
    })!;
    expect(c.ports.get("default/echo6|tcp")!.endpoints.map((e) => `${e.address} ${e.ready} ${e.usable}`)).toEqual(["[fd00:10:244::5]:8080 true true", "[fd00:10:244::6]:8080 false true", "[fd00:10:244::7]:8080 false false"]);
  });

  it("anything else: null, never a throw", () => {
    for (const v of [null, 3, "x", [], {}, { items: [{ kind: "Pod" }] }, { kind: "EndpointSlice", metadata: {} }]) expect(readClusterEndpoints(v)).toBeNull();
  });
});

describe("KIPT3007 stale-endpoint", () => {
  it("reports 10.240.0.57:80 of the nginx sample, at its DNAT", () => {
    const dump = readFileSync(path.join(root, "samples/nginx.txt"), "utf8");
    expect(run(staleEndpoint, dump, sampleSlices)).toEqual([expect.stringMatching(/^68: default\/nginx:web \(tcp\) sends traffic to 10\.240\.0\.57:80 \(KUBE-SEP-V73B5NNFXA6V3U7A\), which is not one of its endpoints/)]);
  });
  it("nothing when the rules are the cluster's endpoints, or without --endpoints", () => {
    expect(run(staleEndpoint, nginxExample(["10.240.0.28", "10.240.0.57"]), slices(["10.240.0.57", "10.240.0.28"]))).toEqual([]);
    expect(run(staleEndpoint, nginxExample(["10.240.0.28", "10.240.0.57"]), undefined)).toEqual([]);
  });
  it("a serving, terminating endpoint is not stale; a not-serving one is", () => {
    const dump = nginxExample(["10.240.0.28", "10.240.0.57"]);
    expect(run(staleEndpoint, dump, slices(["10.240.0.28", "10.240.0.57"], [{}, { ready: false, serving: true, terminating: true }]))).toEqual([]);
    expect(run(staleEndpoint, dump, slices(["10.240.0.28", "10.240.0.57"], [{}, { ready: false, serving: false, terminating: true }]))).toEqual([expect.stringContaining("10.240.0.57:80 (KUBE-SEP-V73B5NNFXA6V3U7A), which is listed but neither ready nor serving")]);
  });
  it("services the file does not have are left to unknown-service", () => {
    expect(run(staleEndpoint, nginxExample(["10.240.0.28"]), endpointSliceList([{ namespace: "default", name: "kubernetes", port: ["https", 6443], ips: ["192.168.56.2"] }]))).toEqual([]);
  });
});

describe("KIPT3008 missing-endpoint", () => {
  it("reports 10.240.0.53:80 for the nginx sample, at the service's capture rule", () => {
    const dump = readFileSync(path.join(root, "samples/nginx.txt"), "utf8");
    expect(run(missingEndpoint, dump, sampleSlices)).toEqual([expect.stringMatching(/^69: default\/nginx:web \(tcp\): 10\.240\.0\.53:80 is a ready endpoint in --endpoints, but no rule sends traffic to it/)]);
  });
  it("not-ready endpoints are not missing; neither are endpoints of the other family", () => {
    expect(run(missingEndpoint, nginxExample(["10.240.0.28"]), slices(["10.240.0.28", "10.240.0.53"], [{}, { ready: false, serving: false }]))).toEqual([]);
    const dual = { items: [...(slices(["10.240.0.28"]).items), { kind: "EndpointSlice", addressType: "IPv6", metadata: { namespace: "default", name: "nginx-v6", labels: { "kubernetes.io/service-name": "nginx" } }, endpoints: [{ addresses: ["fd00:10:244::28"] }], ports: [{ name: "web", port: 80, protocol: "TCP" }] }] };
    expect(run(missingEndpoint, nginxExample(["10.240.0.28"]), dual)).toEqual([]);
  });
  it("a service the rules reject as having no endpoints while the cluster has a ready one", () => {
    const dump = kubeDump([], { filter: ['-A KUBE-SERVICES -d 10.0.33.45/32 -p tcp -m comment --comment "default/nginx:web has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable'] });
    expect(run(missingEndpoint, dump, slices(["10.240.0.28"]))).toEqual([`${lineWith(dump, "has no endpoints")}: default/nginx:web (tcp): 10.240.0.28:80 is a ready endpoint in --endpoints, but no rule sends traffic to it (the node's rules have no endpoint for this port): kube-proxy has not synced since the endpoint became ready`]);
  });
  it("services the rules do not have (headless ones, say) are not reported", () => {
    expect(run(missingEndpoint, nginxExample(["10.240.0.28"]), endpointSliceList([{ namespace: "default", name: "nginx", port: ["web", 80], ips: ["10.240.0.28"] }, { namespace: "default", name: "db-headless", port: ["pg", 5432], ips: ["10.240.0.90"] }]))).toEqual([]);
  });
});

describe("KIPT3009 unknown-service", () => {
  const withOld = kubeExample([nginxService(["10.240.0.28"]), { name: "default/old-api:http", clusterIP: "10.0.71.12", port: 8080, endpoints: ["10.240.0.31:8080"] }]);
  it("a service the file does not have, once, at its capture rule", () => {
    expect(run(unknownService, withOld, slices(["10.240.0.28"]))).toEqual([`${lineWith(withOld, '"default/old-api:http cluster IP" -m tcp --dport 8080 -j KUBE-SVC')}: the rules send default/old-api to 1 endpoint(s), but --endpoints has no EndpointSlice or Endpoints for it: the service was deleted and kube-proxy has not synced`]);
  });
  it("a port the service does not have", () => {
    const renamed = { kind: "List", items: [{ ...slices(["10.240.0.28"]).items[0]!, ports: [{ name: "http", port: 80, protocol: "TCP" }] }] };
    expect(run(unknownService, nginxExample(["10.240.0.28"]), renamed)).toEqual([expect.stringContaining("the rules have default/nginx:web (tcp), but default/nginx in --endpoints has no such port")]);
  });
  it("namespaces the file does not cover, and ports with no endpoints (REJECT only), are not reported", () => {
    expect(run(unknownService, withOld, endpointSliceList([{ namespace: "other", name: "x", port: ["p", 1], ips: ["10.240.9.9"] }]))).toEqual([]);
    const rejectOnly = kubeDump([], { filter: ['-A KUBE-SERVICES -d 10.0.71.12/32 -p tcp -m comment --comment "default/manual:http has no endpoints" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable'] });
    expect(run(unknownService, rejectOnly, slices(["10.240.0.28"]))).toEqual([]);
  });
});

describe.runIf(existsSync(path.join(root, "dist/kipt-cli.js")))("kipt lint --endpoints (built CLI)", () => {
  it("the issue's proof: nginx.txt with nginx-endpointslices.json", () => {
    const r = spawnSync(process.execPath, [path.join(root, "bin/kipt.js"), "lint", "--format", "gcc", "--endpoints", "samples/nginx-endpointslices.json", "samples/nginx.txt"], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^samples\/nginx\.txt:68:1: warning: .*10\.240\.0\.57:80 .*\[KIPT3007 stale-endpoint\]$/);
    expect(lines[1]).toMatch(/^samples\/nginx\.txt:69:1: warning: .*10\.240\.0\.53:80 is a ready endpoint.*\[KIPT3008 missing-endpoint\]$/);
  });
});

it("the test helpers agree with kube-proxy's names", () => {
  expect(sepChain("default/nginx:web", "10.240.0.57:80")).toBe("KUBE-SEP-V73B5NNFXA6V3U7A");
});

describe("KIPT3010 dnat-outside-cluster", async () => {
  const { dnatOutsideCluster } = await import("../../src/lint/rules/dnat-outside-cluster.js");
  const cidr = (dump: string, clusterCidr: string | undefined) =>
    lint([{ file: "t", text: dump }], { rules: [dnatOutsideCluster], ...(clusterCidr ? { clusterCidr } : {}) }).findings.map((f) => `${f.line}: ${f.message}`);

  it("endpoints in the pod CIDR: nothing; without --cluster-cidr: nothing", () => {
    expect(cidr(readFileSync(path.join(root, "samples/nginx.txt"), "utf8"), "10.240.0.0/16")).toEqual([]);
    expect(cidr(kubeExample([{ name: "a/b:c", clusterIP: "10.0.1.1", port: 80, endpoints: ["203.0.113.7:80"] }]), undefined)).toEqual([]);
  });
  it("the kube-proxy-node sample: the host-network node-exporter, not the API server", () => {
    const found = cidr(readFileSync(path.join(root, "samples/kube-proxy-node.txt"), "utf8"), "10.240.0.0/16");
    expect(found).toEqual([expect.stringContaining("monitoring/node-exporter:metrics (tcp) sends traffic to 192.168.56.10:9100, outside the cluster CIDR 10.240.0.0/16")]);
  });
  it("IPv6 endpoints against an IPv6 CIDR; the other family is skipped", () => {
    const dump = readFileSync(path.join(root, "samples/ip6-host.txt"), "utf8");
    expect(cidr(dump, "fd00:10:244::/56")).toEqual([]);
    expect(cidr(dump, "fd00:99::/56")).toHaveLength(2);
    expect(cidr(dump, "10.240.0.0/16")).toEqual([]);
  });
});

describe("KIPT3011 node-drift", async () => {
  const { nodeDrift } = await import("../../src/lint/rules/node-drift.js");
  const drift = (...dumps: string[]) =>
    lint(dumps.map((text, i) => ({ file: `node-${i + 1}`, text })), { rules: [nodeDrift] }).findings.map((f) => `${f.file}:${f.line}: ${f.message}`);
  const a = nginxExample(["10.240.0.28", "10.240.0.57"]);
  const b = nginxExample(["10.240.0.28", "10.240.0.53"]);

  it("one dump, or nodes that agree: nothing", () => {
    expect(drift(a)).toEqual([]);
    expect(drift(a, a, a)).toEqual([]);
    // The cascade's order may differ between nodes' syncs; the set is what counts.
    expect(drift(nginxExample(["10.240.0.28", "10.240.0.57"]), nginxExample(["10.240.0.57", "10.240.0.28"]))).toEqual([]);
  });
  it("two nodes that differ: both reported, each with what only it has", () => {
    expect(drift(a, b)).toEqual([
      "node-1:18: default/nginx:web (tcp) differs between nodes: this node sends traffic to 10.240.0.57:80 (1 of 2 nodes do), compared with node-2; a kube-proxy has not synced",
      "node-2:18: default/nginx:web (tcp) differs between nodes: this node sends traffic to 10.240.0.53:80 (1 of 2 nodes do), compared with node-1; a kube-proxy has not synced",
    ]);
  });
  it("three nodes: only the odd one out", () => {
    expect(drift(b, a, b)).toEqual([expect.stringContaining("node-2:18: default/nginx:web (tcp) differs between nodes: this node sends traffic to 10.240.0.57:80 (1 of 3 nodes do) but not to 10.240.0.53:80 (2 of 3 nodes do), compared with node-1, node-3")]);
  });
  it("a node that lacks an endpoint the others have", () => {
    expect(drift(b, nginxExample(["10.240.0.28"]), b)).toEqual([expect.stringContaining("node-2:15: default/nginx:web (tcp) differs between nodes: this node does not send traffic to 10.240.0.53:80 (2 of 3 nodes do)")]);
  });
  it("a node that rejects the service as having no endpoints", () => {
    const none = kubeDump([], { filter: ['-A KUBE-SERVICES -d 10.0.33.45/32 -p tcp -m comment --comment "default/nginx:web has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable'] });
    expect(drift(b, none, b)).toEqual([expect.stringContaining("node-2:")]);
  });
  it("services only one node has, and the IPv4 and IPv6 dumps of one service, are not compared", () => {
    const v6 = kubeDump([{ name: "default/nginx:web", clusterIP: "fd00:10:96::21", port: 80, endpoints: ["[fd00:10:244::5]:80"] }]);
    expect(drift(a, v6, kubeExample([{ name: "x/y:z", clusterIP: "10.0.9.9", port: 1, endpoints: ["10.240.9.9:1"] }]))).toEqual([]);
  });
  it("the repository's samples as one cluster agree", () => {
    const dumps = ["nginx.txt", "kube-proxy-node.txt", "ip6-host.txt"].map((s) => readFileSync(path.join(root, "samples", s), "utf8"));
    expect(drift(...dumps)).toEqual([]);
  });
});
