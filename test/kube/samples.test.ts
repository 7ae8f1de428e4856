/**
 * The kube model of every sample against the hand-checked expectations in
 * samples/src/expected/*.json: per service port its chains, frontends,
 * endpoints, SEP chains and intended shares (clusterShare: what traffic
 * through KUBE-SVC gets; localShare: what traffic from outside gets
 * through KUBE-SVL).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { KubeFrontend, KubeServicePort } from "../../src/kube/model.js";
import { explainFile, frontend, root, sample, service } from "./helpers.js";

interface ExpectedEndpoint {
  endpoint: string;
  local: boolean;
  sepChain?: string;
  clusterShare?: string;
  localShare?: string;
}
interface ExpectedPort {
  servicePortName: string;
  protocol: string;
  type: string;
  clusterIP: string;
  port: number;
  nodePort?: number;
  loadBalancerIPs?: string[];
  loadBalancerSourceRanges?: string[];
  externalIPs?: string[];
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  sessionAffinity?: { type: string; timeoutSeconds: number };
  chains: { svc?: string; svl?: string; ext?: string; fw?: string };
  endpoints: ExpectedEndpoint[];
  filter?: string;
}

function expected(name: string): ExpectedPort[] {
  return (JSON.parse(readFileSync(path.join(root, "samples/src/expected", `${name}.json`), "utf8")) as { servicePorts: ExpectedPort[] }).servicePorts;
}

function shareMap(list: KubeFrontend["endpoints"]): Map<string, string> {
  return new Map(list.map((e) => [e.chain ?? "", e.intended.toString()]));
}

function checkPort(s: KubeServicePort, sp: ExpectedPort): void {
  expect(s.protocol).toBe(sp.protocol);
  expect(s.identifiedBy === "comment+hash" || sp.endpoints.length === 0 || Object.keys(sp.chains).length === 0).toBe(true);
  expect({ svc: s.chains.cluster, svl: s.chains.local, ext: s.chains.external, fw: s.chains.firewall }).toEqual({
    svc: sp.chains.svc ?? null,
    svl: sp.chains.svl ?? null,
    ext: sp.chains.ext ?? null,
    fw: sp.chains.fw ?? null,
  });

  // Frontends.
  const types = s.frontends.map((f) => `${f.type} ${f.ip ?? "*"}:${f.port}`).sort();
  const want = [`ClusterIP ${sp.clusterIP}:${sp.port}`];
  if (sp.nodePort) want.push(`NodePort *:${sp.nodePort}`);
  for (const ip of sp.loadBalancerIPs ?? []) want.push(`LoadBalancer ${ip}:${sp.port}`);
  for (const ip of sp.externalIPs ?? []) want.push(`ExternalIP ${ip}:${sp.port}`);
  if (sp.healthCheckNodePort) want.push(`HealthCheckNodePort *:${sp.healthCheckNodePort}`);
  expect(types).toEqual(want.sort());
  for (const f of s.frontends) {
    if (f.type === "LoadBalancer") expect(f.sourceRanges).toEqual(sp.loadBalancerSourceRanges ?? []);
    else expect(f.sourceRanges).toEqual([]);
  }

  // Policies and affinity.
  if (sp.externalTrafficPolicy && sp.endpoints.length > 0) expect(s.externalTrafficPolicy).toBe(sp.externalTrafficPolicy);
  expect(s.internalTrafficPolicy).toBe(sp.internalTrafficPolicy ?? (sp.endpoints.length > 0 ? "Cluster" : null));
  expect(s.affinity).toEqual(sp.sessionAffinity ? { type: "ClientIP", timeoutSeconds: sp.sessionAffinity.timeoutSeconds } : null);

  // Endpoints: the cluster share is what the ClusterIP frontend's traffic gets through KUBE-SVC (or,
  // under iTP=Local, KUBE-SVL); the local share is what outside traffic to an external frontend gets.
  const cluster = frontend(s, "ClusterIP");
  const clusterShares = shareMap(cluster.endpoints);
  const itpLocal = sp.internalTrafficPolicy === "Local";
  const external = s.frontends.find((f) => f.type === "NodePort" || f.type === "LoadBalancer" || f.type === "ExternalIP");
  const externalShares = external ? shareMap(external.endpoints) : new Map<string, string>();
  const inDump = sp.endpoints.filter((e) => e.sepChain);
  expect(s.endpoints.map((e) => e.chain).sort()).toEqual(inDump.map((e) => e.sepChain).sort());
  for (const e of inDump) {
    const model = s.endpoints.find((m) => m.chain === e.sepChain)!;
    expect(model.address).toBe(e.endpoint);
    expect(model.hashVerified).toBe(true);
    if (s.chains.local) expect(model.local).toBe(e.local);
    if (itpLocal) expect(clusterShares.get(e.sepChain!)).toBe(e.localShare);
    else expect(clusterShares.get(e.sepChain!)).toBe(e.clusterShare);
    if (external) {
      if (sp.externalTrafficPolicy === "Local") expect(externalShares.get(e.sepChain!)).toBe(e.localShare);
      else expect(externalShares.get(e.sepChain!)).toBe(e.clusterShare);
      // Pods and the node always reach every (cluster) endpoint.
      expect(shareMap(external.endpointsFromNode).get(e.sepChain!)).toBe(e.clusterShare);
    }
  }
  if (!itpLocal) expect(cluster.endpoints.length).toBe(inDump.length);

  // No (local) endpoints: what the filter table does.
  if (sp.filter) {
    const [action, reason] = sp.filter.match(/^(\w+) \((no (?:local )?endpoints)/)!.slice(1);
    const fes = s.frontends.filter((f) => f.whenNoEndpoints);
    expect(fes.length).toBeGreaterThan(0);
    for (const f of fes) expect([f.whenNoEndpoints!.action, f.whenNoEndpoints!.reason]).toEqual([action, reason]);
    if (reason === "no local endpoints") {
      for (const f of fes) {
        expect(f.endpoints).toEqual([]);
        expect(f.unmatched.toString()).toBe("1/1");
        expect(f.endpointsFromNode.length).toBe(inDump.length);
      }
    }
  } else expect(s.frontends.filter((f) => f.whenNoEndpoints)).toEqual([]);
}

describe("kube model of the samples matches samples/src/expected", () => {
  for (const name of ["nginx", "kube-proxy-node", "ip6-host"]) {
    describe(name, () => {
      const x = explainFile(sample(`${name}.txt`));
      const ports = expected(name);
      it("finds exactly the expected service ports", () => {
        expect(x.kube.detected).toBe(true);
        expect(x.kube.services.map((s) => `${s.name}/${s.protocol}`).sort()).toEqual(ports.map((p) => `${p.servicePortName}/${p.protocol}`).sort());
      });
      for (const sp of ports) it(sp.servicePortName + " " + sp.protocol, () => checkPort(service(x, sp.servicePortName, sp.protocol), sp));
      it("finds nothing odd", () => {
        expect(x.kube.findings).toEqual([]);
        expect(x.kube.proxy.eras).toEqual([]);
        expect(x.kube.proxy.masqueradeMark).toBe("0x4000");
      });
    });
  }

  it("kube-proxy-node: details the expectations leave implicit", () => {
    const x = explainFile(sample("kube-proxy-node.txt"));
    const frontendSvc = service(x, "shop/frontend:http");
    const np = frontend(frontendSvc, "NodePort");
    expect(np.localhost).toBe(true);
    expect(np.masquerade).toEqual(["all traffic"]);
    expect(frontend(frontendSvc, "ClusterIP").masquerade).toEqual(["source not in 10.240.0.0/16"]);
    expect(np.endpoints.map((e) => e.kernel.toString())).toEqual(["715827883/2147483648", "1431655765/4294967296", "1431655765/4294967296"]);
    const api = service(x, "shop/api:https");
    expect(frontend(api, "LoadBalancer").otherSources).toBe("DROP (filter KUBE-PROXY-FIREWALL)");
    const ingress = service(x, "ingress-nginx/ingress-nginx-controller:http");
    const lb = frontend(ingress, "LoadBalancer");
    expect(lb.masquerade).toEqual(["source is a node address"]);
    expect(lb.endpoints.map((e) => e.address)).toEqual(["10.240.1.50:80"]);
    expect(lb.endpointsFromNode.map((e) => e.address)).toEqual(["10.240.1.50:80", "10.240.2.60:80"]);
    const legacy = service(x, "staging/legacy-api:http");
    expect(frontend(legacy, "ClusterIP").whenNoEndpoints).toMatchObject({ action: "REJECT", where: "filter KUBE-SERVICES" });
    expect(frontend(legacy, "NodePort").whenNoEndpoints).toMatchObject({ action: "REJECT", where: "filter KUBE-EXTERNAL-SERVICES" });
    expect(legacy.externalTrafficPolicy).toBe(null);
    expect(x.owners.map((o) => o.owner)).toEqual(["kube-proxy", "flannel", "kubelet"]);
    expect(x.kube.proxy.clusterCIDRs).toEqual(["10.240.0.0/16"]);
    expect(x.kube.proxy.nodePortAddresses).toBe("all local addresses");
  });

  it("ip6-host: IPv6 endpoints are [addr]:port and hash as such", () => {
    const x = explainFile(sample("ip6-host.txt"));
    expect(x.family).toBe("ipv6");
    const s = service(x, "default/echo6:http");
    expect(frontend(s, "ClusterIP").ip).toBe("fd00:10:96::5f3a");
    expect(s.endpoints.map((e) => e.address)).toEqual(["[fd00:10:244:1::7]:8080", "[fd00:10:244::5]:8080"]);
    expect(x.kube.proxy.nodePortAddresses).toBe("all local addresses except loopback");
    expect(x.owners.find((o) => o.owner === "other")?.chains).toBe(3);
  });
});

describe("dumps without kube-proxy", () => {
  it("docker-host: owners, policies and port-forwards", () => {
    const x = explainFile(sample("docker-host.txt"));
    expect(x.kube.detected).toBe(false);
    expect(x.kube.services).toEqual([]);
    expect(x.owners.map((o) => o.owner)).toEqual(["Docker"]);
    expect(x.tables.find((t) => t.name === "filter")!.builtins.find((b) => b.chain === "FORWARD")!.policy).toBe("DROP");
    expect(x.portForwards.map((n) => `${n.protocol} ${n.match} -> ${n.to}`)).toEqual([
      "tcp *:8080 in !docker0 -> 172.17.0.2:80",
      "tcp *:8443 in !docker0 -> 172.17.0.2:443",
      "tcp *:3000 in !br-3f9a1c2d7e8b -> 172.18.0.2:3000",
      "tcp 127.0.0.1:5432 in !br-3f9a1c2d7e8b -> 172.18.0.3:5432",
      "udp *:5353 in !br-3f9a1c2d7e8b -> 172.18.0.4:53",
    ]);
    expect(x.nat.filter((n) => n.action === "MASQUERADE").length).toBe(2);
  });

  it("host-firewall: tables, policies, user chains, port-forwards and SNAT", () => {
    const x = explainFile(sample("host-firewall.txt"));
    expect(x.kube.detected).toBe(false);
    const filter = x.tables.find((t) => t.name === "filter")!;
    expect(filter.builtins.map((b) => `${b.chain} ${b.policy}`)).toEqual(["INPUT DROP", "FORWARD DROP", "OUTPUT ACCEPT"]);
    expect(filter.userChains).toBe(5);
    expect(x.owners).toEqual([{ owner: "other", chains: 5, rules: 22, examples: ["filter/ICMP-IN", "filter/LOG-DROP", "filter/SSH-GUARD", "filter/TCP-IN", "filter/UDP-IN"] }]);
    expect(x.portForwards.map((n) => `${n.protocol} ${n.match} -> ${n.to}`)).toEqual([
      "tcp 203.0.113.45:8443 in eth0 -> 10.20.0.50:443",
      "udp 203.0.113.45:3478,49152:49200 in eth0 -> 10.20.0.60",
      "tcp 203.0.113.45:8443 in eth1 -> 10.20.0.50:443",
    ]);
    expect(x.nat.find((n) => n.action === "SNAT")?.to).toBe("203.0.113.45");
  });
});
