/**
 * Crafted dumps for each kube-proxy era and mode (test/kube/fixtures; each
 * file says what it models). The expected models below were worked out by
 * hand from the layout reference (../shared/kube-proxy-iptables-layout.md).
 */
import { describe, expect, it } from "vitest";
import { explain } from "../../src/kube/explain.js";
import { explainFile, fixture, frontend, hasWild, read, rulesetOf, sample, service, shares, wildDump } from "./helpers.js";

describe("kube-proxy 1.20: masquerade in KUBE-SERVICES, KUBE-FW with KUBE-MARK-DROP", () => {
  const x = explainFile(fixture("k8s-1.20-masq-in-services.txt"));

  it("recognises the era", () => {
    expect(x.kube.proxy.eras).toEqual(["masquerade rules in KUBE-SERVICES (kube-proxy before 1.21)", "KUBE-MARK-DROP in nat chains (kube-proxy before 1.25)"]);
    expect(x.kube.services.map((s) => s.name)).toEqual(["old/gone:http", "old/lb:https", "old/web:http"]);
  });

  it("old/web:http: ClusterIP and NodePort, three endpoints at 1/3 (kernel 715827883/2^31, then 1431655765/2^32 twice)", () => {
    const s = service(x, "old/web:http");
    expect(s.identifiedBy).toBe("comment+hash");
    expect(s.chains.cluster).toBe("KUBE-SVC-X4WXEUBDASZM3SQZ");
    const cip = frontend(s, "ClusterIP", "10.96.10.10");
    expect(shares(cip.endpoints)).toEqual([
      "10.244.1.5:8080 1/3 KUBE-SEP-ISLOKEGSVYRHURGN",
      "10.244.2.6:8080 1/3 KUBE-SEP-XCTK3WSDZMZPQHOO",
      "10.244.3.7:8080 1/3 KUBE-SEP-F3ZITVI3EYSW5T7I",
    ]);
    expect(cip.endpoints.map((e) => e.kernel.toString())).toEqual(["715827883/2147483648", "1431655765/4294967296", "1431655765/4294967296"]);
    // The masquerade rule before the capture in KUBE-SERVICES.
    expect(cip.masquerade).toEqual(["source not in 10.244.0.0/16"]);
    const np = frontend(s, "NodePort");
    expect(np.port).toBe(30080);
    expect(np.masquerade).toEqual(["all traffic"]);
    expect(shares(np.endpoints)).toEqual(shares(cip.endpoints));
    expect(s.endpoints.every((e) => e.hashVerified && e.local === null)).toBe(true);
  });

  it("old/lb:https: LB source ranges through KUBE-FW, others marked for drop", () => {
    const s = service(x, "old/lb:https");
    expect(s.chains).toEqual({ cluster: "KUBE-SVC-BANIFNHV4ETINLA4", local: null, external: null, firewall: "KUBE-FW-BANIFNHV4ETINLA4", xlb: null });
    expect(s.externalTrafficPolicy).toBe("Cluster");
    const lb = frontend(s, "LoadBalancer", "203.0.113.50");
    expect(lb.sourceRanges).toEqual(["198.51.100.0/24"]);
    expect(lb.otherSources).toBe("DROP (KUBE-MARK-DROP, kube-proxy before 1.25)");
    expect(lb.masquerade).toEqual(["all traffic"]);
    expect(shares(lb.endpoints)).toEqual(["10.244.1.8:8443 1/2 KUBE-SEP-A6CAK3HKKJSL45AJ", "10.244.2.9:8443 1/2 KUBE-SEP-HCAJEXPJRO3JVOWQ"]);
    expect(frontend(s, "NodePort").port).toBe(31443);
  });

  it("old/gone:http: no endpoints, REJECT in filter KUBE-SERVICES", () => {
    const s = service(x, "old/gone:http");
    const f = frontend(s, "ClusterIP", "10.96.30.30");
    expect(f.whenNoEndpoints).toEqual({ action: "REJECT", reason: "no endpoints", where: "filter KUBE-SERVICES", line: 25 });
    expect(f.endpoints).toEqual([]);
    expect(s.chains).toEqual({ cluster: null, local: null, external: null, firewall: null, xlb: null });
  });
});

describe("kube-proxy 1.16 restore payload: 5-decimal probabilities, unnamed udp port", () => {
  const x = explainFile(fixture("k8s-1.16-five-decimals.rules"));
  it("reads 0.33333 as the kernel does and still calls it kube-proxy's 1/3", () => {
    expect(x.kube.proxy.eras).toContain("5-decimal probabilities (kube-proxy before 1.17)");
    const s = service(x, "legacy/dns", "udp");
    expect(s.identifiedBy).toBe("comment+hash");
    const f = frontend(s, "ClusterIP", "10.96.0.10");
    expect(f.port).toBe(53);
    expect(shares(f.endpoints)).toEqual([
      "10.244.1.2:53 1/3 KUBE-SEP-2IRWMDSI4HQG7Y7R",
      "10.244.2.3:53 1/3 KUBE-SEP-HAT3RH4LILA6372X",
      "10.244.3.4:53 1/3 KUBE-SEP-PXFATROLWPY255AU",
    ]);
    // lround(0.33333 * 2^31) = 715820724 = 4 * 178955181; the rest, (2^31 - 715820724) / 2^32, twice.
    expect(f.endpoints.map((e) => e.kernel.toString())).toEqual(["178955181/536870912", "357915731/1073741824", "357915731/1073741824"]);
    expect(f.masquerade).toEqual(["source not in 10.244.0.0/16"]);
    expect(x.kube.proxy.masqueradeMark).toBe("0x00004000");
    expect(x.kube.findings).toEqual([]);
  });
});

describe("kube-proxy 1.23: KUBE-XLB for externalTrafficPolicy=Local", () => {
  const x = explainFile(fixture("k8s-1.23-xlb.txt"));

  it("recognises the era", () => {
    expect(x.kube.proxy.eras).toEqual(["KUBE-XLB chains (kube-proxy before 1.24)", "KUBE-MARK-DROP in nat chains (kube-proxy before 1.25)"]);
  });

  it("xlb/ingress:http: outside traffic to the local endpoint only, pods and the node to all", () => {
    const s = service(x, "xlb/ingress:http");
    expect(s.externalTrafficPolicy).toBe("Local");
    expect(s.chains).toEqual({ cluster: "KUBE-SVC-TYX6ICKFM64PLTGD", local: null, external: null, firewall: "KUBE-FW-TYX6ICKFM64PLTGD", xlb: "KUBE-XLB-TYX6ICKFM64PLTGD" });
    for (const type of ["LoadBalancer", "NodePort"] as const) {
      const f = frontend(s, type);
      expect(shares(f.endpoints)).toEqual(["10.244.1.20:80 1/1 KUBE-SEP-KPPHEJZSGFPDZK2I"]);
      expect(shares(f.endpointsFromNode)).toEqual(["10.244.1.20:80 1/2 KUBE-SEP-KPPHEJZSGFPDZK2I", "10.244.2.21:80 1/2 KUBE-SEP-TQ66USWMZUGC7YNU"]);
      expect(f.masquerade).toContain("source is a node address");
    }
    expect(frontend(s, "NodePort").masquerade).toContain("source in 127.0.0.0/8");
    expect(frontend(s, "LoadBalancer").sourceRanges).toEqual([]);
    expect(frontend(s, "HealthCheckNodePort").port).toBe(32100);
    expect(s.endpoints.map((e) => `${e.address} ${e.local}`).sort()).toEqual(["10.244.1.20:80 true", "10.244.2.21:80 false"]);
  });

  it("xlb/echo:http: no local endpoint, outside traffic marked for drop in KUBE-XLB", () => {
    const s = service(x, "xlb/echo:http");
    const np = frontend(s, "NodePort");
    expect(np.endpoints).toEqual([]);
    expect(np.whenNoEndpoints).toMatchObject({ action: "DROP", reason: "no local endpoints", where: "nat KUBE-XLB-7ZPUHQOYYYVXJXVH (KUBE-MARK-DROP)" });
    expect(shares(np.endpointsFromNode)).toEqual(["10.244.3.30:8080 1/1 KUBE-SEP-URF2OVT5Y5K7XSAB"]);
    expect(shares(frontend(s, "ClusterIP").endpoints)).toEqual(["10.244.3.30:8080 1/1 KUBE-SEP-URF2OVT5Y5K7XSAB"]);
  });
});

describe("large-cluster mode: no comments on SVC jumps and SEP rules", () => {
  const x = explainFile(fixture("large-cluster.txt"));
  it("names the service from its KUBE-SERVICES comment and verifies chains and endpoints by hash", () => {
    expect(x.kube.proxy.largeClusterMode).toBe(true);
    const s = service(x, "big/api:grpc");
    expect(s.identifiedBy).toBe("comment+hash");
    expect(shares(frontend(s, "ClusterIP").endpoints)).toEqual([
      "10.8.0.1:9000 1/3 KUBE-SEP-K6FGH3LELFFU56B5",
      "10.8.0.2:9000 1/3 KUBE-SEP-547DB5R26635TUUU",
      "10.8.0.3:9000 1/3 KUBE-SEP-NRAV4GYR4OQ2WOEH",
    ]);
    expect(s.endpoints.every((e) => e.hashVerified)).toBe(true);
  });

  it("names a service with no comment at all on its capture from a name seen elsewhere and the hash", () => {
    const text = read(fixture("large-cluster.txt")).replace(' -m comment --comment "big/api:grpc cluster IP" -m tcp --dport 9000 -j KUBE-SVC', " -m tcp --dport 9000 -j KUBE-SVC");
    expect(text).not.toContain('"big/api:grpc cluster IP" -m tcp --dport 9000 -j KUBE-SVC');
    const y = explain(rulesetOf(text));
    const s = service(y, "big/api:grpc");
    expect(s.identifiedBy).toBe("hash");
    expect(frontend(s, "ClusterIP", "10.96.70.70").endpoints.length).toBe(3);
    // With no comment anywhere, the service port keeps its hash and no name.
    const bare = text.replace(/ -m comment --comment "big\/api:grpc cluster IP"/g, "");
    const z = explain(rulesetOf(bare));
    expect(z.kube.services.map((v) => [v.name, v.hash, v.identifiedBy])).toEqual([[null, "O2SADQ3JUD3TIGBC", "none"]]);
    expect(z.kube.services[0]!.endpoints.every((e) => !e.hashVerified)).toBe(true);
  });
});

describe("partial restore payload", () => {
  const x = explainFile(fixture("partial-payload.rules"));
  it("explains what it holds and reports what it jumps to without declaring", () => {
    expect(x.kube.proxy.partial).toBe(true);
    const shop = service(x, "part/shop:http");
    expect(shares(frontend(shop, "ClusterIP").endpoints)).toEqual(["10.1.0.5:80 1/1 KUBE-SEP-6ULSBVASBFYZEO5Q"]);
    expect(frontend(shop, "ClusterIP").masquerade).toEqual(["source not in 10.0.0.0/8"]);
    const cache = service(x, "part/cache:redis");
    expect(cache.identifiedBy).toBe("comment+hash");
    const f = frontend(cache, "ClusterIP", "10.96.6.6");
    expect(f.missingChains).toEqual(["KUBE-SVC-YXRQFK63H2SQUAW6"]);
    expect(f.endpoints).toEqual([]);
    expect(x.kube.findings.map((v) => v.code)).toEqual(["missing-chain"]);
    // The stale chain was deleted by -X and is gone.
    expect(x.kube.chainCounts).toEqual([{ kind: "KUBE-SEP-*", count: 1 }, { kind: "KUBE-SVC-*", count: 1 }]);
  });
});

describe("real dumps of old eras (../shared/wild)", () => {
  it.skipIf(!hasWild("021-k8s-1.11-weave-docker-kubeadm.txt"))("021: kubeadm 1.11 with Weave and Docker", () => {
    const x = explainFile(wildDump("021-k8s-1.11-weave-docker-kubeadm.txt"));
    expect(x.kube.proxy.eras).toEqual(["masquerade rules in KUBE-SERVICES (kube-proxy before 1.21)"]);
    expect(x.kube.services.map((s) => `${s.name} ${s.protocol}`)).toEqual(["default/kubernetes:https tcp", "kube-system/kube-dns:dns udp", "kube-system/kube-dns:dns-tcp tcp"]);
    const dns = service(x, "kube-system/kube-dns:dns", "udp");
    expect(shares(frontend(dns, "ClusterIP", "10.96.0.10").endpoints)).toEqual(["10.32.0.2:53 1/2 KUBE-SEP-SZZ7MOWKTWUFXIJT", "10.32.0.3:53 1/2 KUBE-SEP-3DU66DE6VORVEQVD"]);
    expect(frontend(dns, "ClusterIP").masquerade).toEqual(["source not in 10.32.0.0/12"]);
    expect(x.kube.services.every((s) => s.identifiedBy === "comment+hash" && s.endpoints.every((e) => e.hashVerified))).toBe(true);
    expect(x.owners.map((o) => o.owner)).toEqual(["kube-proxy", "Weave Net", "Docker", "kubelet"]);
    expect(x.kube.findings).toEqual([]);
  });

  it.skipIf(!hasWild("033-kind-1.23-traefik-lb-pending.txt"))("033: kind 1.23 with traefik", () => {
    const x = explainFile(wildDump("033-kind-1.23-traefik-lb-pending.txt"));
    expect(x.kube.services.map((s) => s.name)).toEqual([
      "default/kubernetes:https",
      "default/traefik:web",
      "default/traefik:websecure",
      "kube-system/kube-dns:dns",
      "kube-system/kube-dns:dns-tcp",
      "kube-system/kube-dns:metrics",
    ]);
    const web = service(x, "default/traefik:web");
    expect(shares(frontend(web, "ClusterIP", "10.96.237.231").endpoints)).toEqual(["10.244.0.5:8000 1/1 KUBE-SEP-242VRRB6CJESMF7F"]);
    expect(x.kube.services.every((s) => s.identifiedBy === "comment+hash" && s.endpoints.every((e) => e.hashVerified))).toBe(true);
    expect(x.owners.map((o) => o.owner)).toContain("kind");
    expect(x.portForwards.map((n) => n.to)).toEqual(["127.0.0.11:42845", "127.0.0.11:50410"]);
  });
});

describe("other software's chains interleaved", () => {
  it("attributes Calico, Cilium, kube-router, Docker and flannel chains, and leaves the kube model alone", () => {
    const extra = [
      ":cali-FORWARD - [0:0]",
      ":cali-fw-cali1234 - [0:0]",
      ":CILIUM_FORWARD - [0:0]",
      ":KUBE-ROUTER-INPUT - [0:0]",
      ":KUBE-POD-FW-ABCDEFGHIJKLMNOP - [0:0]",
      ":KUBE-NWPLCY-ABCDEFGHIJKLMNOP - [0:0]",
      ":DOCKER-USER - [0:0]",
      ":FLANNEL-FWD - [0:0]",
      "-A FORWARD -j cali-FORWARD",
      "-A cali-FORWARD -j cali-fw-cali1234",
      "-A FORWARD -j KUBE-ROUTER-INPUT",
      "-A KUBE-ROUTER-INPUT -j KUBE-POD-FW-ABCDEFGHIJKLMNOP",
    ].join("\n");
    const text = read(sample("nginx.txt")).replace(":KUBE-EXTERNAL-SERVICES - [0:0]", `${extra}\n:KUBE-EXTERNAL-SERVICES - [0:0]`);
    const x = explain(rulesetOf(text));
    const owners = new Map(x.owners.map((o) => [o.owner, o.chains]));
    expect(owners.get("Calico")).toBe(2);
    expect(owners.get("Cilium")).toBe(1);
    expect(owners.get("kube-router")).toBe(3);
    expect(owners.get("Docker")).toBe(1);
    expect(owners.get("flannel")).toBe(1);
    expect(x.kube.services.map((s) => s.name)).toEqual(["default/nginx:web"]);
    expect(x.kube.findings).toEqual([]);
  });

  it("before 1.20: a service with no endpoints rejects its cluster IP and external IP in filter KUBE-SERVICES", () => {
    const text = [
      "*filter",
      ":KUBE-SERVICES - [0:0]",
      '-A KUBE-SERVICES -d 10.96.9.9/32 -p tcp -m comment --comment "old/none:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      '-A KUBE-SERVICES -d 192.0.2.80/32 -p tcp -m comment --comment "old/none:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      "COMMIT",
      "",
    ].join("\n");
    const s = service(explain(rulesetOf(text)), "old/none:http");
    expect(s.frontends.map((f) => `${f.type} ${f.ip} ${f.whenNoEndpoints?.action}`)).toEqual(["ClusterIP 10.96.9.9 REJECT", "ExternalIP 192.0.2.80 REJECT"]);
    expect(s.identifiedBy).toBe("comment");
  });
});
