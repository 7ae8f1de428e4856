/**
 * Scenario tests on the samples: the kube-proxy samples against their
 * hand-checked expectations (samples/src/expected/*.json), and the sum of
 * all outcomes' probabilities exactly 1 for every sample and many packets.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Fraction } from "../../src/math/fraction.js";
import type { PacketSpec } from "../../src/trace/packet.js";
import { serviceLines, traceToJson } from "../../src/trace/render.js";
import { trace, type TraceResult } from "../../src/trace/trace.js";
import { root, sample, spec } from "./helpers.js";

interface Expected {
  node: { ip: string };
  servicePorts: {
    servicePortName: string;
    protocol: "tcp" | "udp";
    clusterIP: string;
    port: number;
    nodePort?: number;
    loadBalancerIPs?: string[];
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
    endpoints: { endpoint: string; clusterShare?: string; localShare?: string }[];
  }[];
}

const expected = (name: string): Expected => JSON.parse(readFileSync(path.join(root, "samples/src/expected", name), "utf8"));
const frac = (s: string) => {
  const [n, d] = s.split("/");
  return Number(n) / Number(d ?? 1);
};
const shareOf = (r: TraceResult, endpoint: string) => r.outcomes.filter((o) => o.dnat === endpoint).reduce((a, o) => a + o.probability.toNumber(), 0);
const total = (r: TraceResult) => r.outcomes.reduce((a, o) => a.add(o.probability), Fraction.ZERO);
const dest = (ip: string, port: number) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);

describe("the service summary line", () => {
  it("names each endpoint once, with its whole share, though outcomes that assumed different interfaces reach it", () => {
    const r = trace(sample("ip6-host.txt"), spec("[fd00:10:96::5f3a]:80"));
    // Four outcomes reach the two endpoints (in and out of wg0), 1/8 and 1/16 each.
    expect(r.outcomes.filter((o) => o.service === "default/echo6:http" && o.verdict === "ACCEPT")).toHaveLength(4);
    expect(serviceLines(r)).toEqual(["[fd00:10:96::5f3a]:80/tcp -> default/echo6:http -> [fd00:10:244:1::7]:8080 (18.8%), [fd00:10:244::5]:8080 (18.8%)"]);
  });
});

describe("nginx.txt", () => {
  it("reads like the issue's example", () => {
    const r = trace(sample("nginx.txt"), spec("10.0.33.45:80"));
    expect(serviceLines(r)).toEqual(["10.0.33.45:80/tcp -> default/nginx:web -> 10.240.0.28:80 (50%), 10.240.0.57:80 (50%)"]);
    const json = traceToJson(r) as { schemaVersion: number; outcomes: Record<string, unknown>[] };
    expect(json.schemaVersion).toBe(1);
    expect(json.outcomes.map((o) => [o.probability, o.probabilityExact, o.verdict, o.dnat, o.masquerade, o.snat])).toEqual([
      [0.5, "1/2", "ACCEPT", "10.240.0.28:80", true, null],
      [0.5, "1/2", "ACCEPT", "10.240.0.57:80", true, null],
    ]);
    const first = (json.outcomes[0]!.path as { table: string; chain: string; line: number; rule: string }[])[1]!;
    expect(first).toMatchObject({ table: "nat", chain: "KUBE-SERVICES", line: 69 });
    expect(first.rule).toMatch(/^-A KUBE-SERVICES -d 10\.0\.33\.45\/32 /);
  });
  it("pod traffic is not masqueraded", () => {
    const r = trace(sample("nginx.txt"), spec("10.0.33.45:80", { src: "10.240.0.99" }));
    expect(r.outcomes.map((o) => o.masquerade)).toEqual([false, false]);
  });
  it("hairpin: an endpoint reaching itself through the service is masqueraded on that path only", () => {
    const r = trace(sample("nginx.txt"), spec("10.0.33.45:80", { src: "10.240.0.28" }));
    expect(r.outcomes.map((o) => [o.dnat, o.masquerade])).toEqual([
      ["10.240.0.28:80", true],
      ["10.240.0.57:80", false],
    ]);
  });
  it("traffic to no service goes through untouched", () => {
    const r = trace(sample("nginx.txt"), spec("10.0.33.46:80"));
    expect(r.outcomes.map((o) => [o.verdict, o.dnat, o.probability.toString()])).toEqual([["ACCEPT", null, "1/1"]]);
  });
});

for (const [file, json] of [["kube-proxy-node.txt", "kube-proxy-node.json"], ["nginx.txt", "nginx.json"], ["ip6-host.txt", "ip6-host.json"]] as const) {
  describe(`${file}: every service port against samples/src/expected/${json}`, () => {
    const exp = expected(json);
    const ruleset = sample(file);
    // Locally generated, from the node: no anti-spoofing or rpfilter rules in the way.
    const local: Partial<PacketSpec> = { from: "local", src: exp.node.ip, nodeIps: [exp.node.ip] };
    for (const sp of exp.servicePorts) {
      it(`${sp.servicePortName} cluster IP ${dest(sp.clusterIP, sp.port)}/${sp.protocol}`, () => {
        const r = trace(ruleset, spec(dest(sp.clusterIP, sp.port), { proto: sp.protocol, ...local }));
        expect(total(r).isOne()).toBe(true);
        if (sp.endpoints.length === 0) {
          expect(r.outcomes.map((o) => o.verdict)).toEqual(["REJECT"]);
          return;
        }
        const shareKey = sp.internalTrafficPolicy === "Local" ? "localShare" : "clusterShare";
        for (const ep of sp.endpoints) expect(shareOf(r, ep.endpoint)).toBeCloseTo(frac(ep[shareKey] ?? "0"), 8);
        for (const o of r.outcomes) if (o.dnat) expect(o.service).toBe(sp.servicePortName);
      });
      if (sp.nodePort !== undefined && sp.endpoints.length) {
        it(`${sp.servicePortName} node port ${sp.nodePort} from outside`, () => {
          const r = trace(ruleset, spec(dest(exp.node.ip, sp.nodePort!), { proto: sp.protocol, nodeIps: [exp.node.ip], inIface: "eth0" }));
          expect(total(r).isOne()).toBe(true);
          const localPolicy = sp.externalTrafficPolicy === "Local";
          const shares = sp.endpoints.map((ep) => frac((localPolicy ? ep.localShare : ep.clusterShare) ?? "0"));
          if (localPolicy && shares.every((s) => s === 0)) {
            // No local endpoint: kube-proxy drops outside traffic in filter KUBE-EXTERNAL-SERVICES.
            expect(r.outcomes.map((o) => o.verdict)).toEqual(["DROP"]);
            return;
          }
          // ip6-host.txt's raw rpfilter rule leaves some paths uncertain: compare the split among the DNATed paths.
          const translated = r.outcomes.filter((o) => o.dnat).reduce((a, o) => a + o.probability.toNumber(), 0);
          if (file !== "ip6-host.txt") expect(translated).toBe(1);
          sp.endpoints.forEach((ep, i) => expect(shareOf(r, ep.endpoint) / translated).toBeCloseTo(shares[i]!, 8));
          // eTP=Cluster masquerades outside traffic; eTP=Local keeps the client address.
          for (const o of r.outcomes) if (o.dnat) expect(o.masquerade).toBe(!localPolicy);
        });
      }
    }
  });
}

describe("kube-proxy-node.txt special cases", () => {
  const ruleset = sample("kube-proxy-node.txt");
  it("loadBalancerSourceRanges: allowed sources reach the endpoints, others are dropped", () => {
    const allowed = trace(ruleset, spec("203.0.113.10:443", { src: "198.51.100.7", nodeIps: ["192.168.56.10"] }));
    expect(allowed.outcomes.map((o) => o.dnat)).toEqual(["10.240.1.21:8443", "10.240.1.22:8443", "10.240.2.30:8443", "10.240.3.41:8443"]);
    const denied = trace(ruleset, spec("203.0.113.10:443", { src: "100.64.0.1", nodeIps: ["192.168.56.10"] }));
    expect(denied.outcomes.map((o) => [o.verdict, o.dnat])).toEqual([["DROP", null]]);
  });
  it("session affinity: no prior state spreads, an assumed hit sticks to the first endpoint with one", () => {
    const none = trace(ruleset, spec("10.0.66.6:8080"));
    expect(none.outcomes.map((o) => [o.dnat, o.probability.toString()])).toEqual([
      ["10.240.1.33:8080", "1/2"],
      ["10.240.3.17:8080", "1/2"],
    ]);
    const sticky = trace(ruleset, spec("10.0.66.6:8080"), { assumeRecent: ["KUBE-SEP-J5S5VWY6PP7PQPLZ"] });
    expect(sticky.outcomes.map((o) => [o.dnat, o.probability.toString()])).toEqual([["10.240.3.17:8080", "1/1"]]);
    const any = trace(ruleset, spec("10.0.66.6:8080"), { assumeRecent: ["*"] });
    expect(any.outcomes.map((o) => [o.dnat, o.probability.toString()])).toEqual([["10.240.1.33:8080", "1/1"]]);
  });
  it("udp to kube-dns", () => {
    const r = trace(ruleset, spec("10.0.0.10:53", { proto: "udp" }));
    expect(r.outcomes.map((o) => o.dnat)).toEqual(["10.240.0.5:53", "10.240.1.7:53"]);
    expect(r.outcomes[0]!.service).toBe("kube-system/kube-dns:dns");
  });
});

describe("the probabilities of all outcomes sum to exactly 1", () => {
  const samples = readdirSync(path.join(root, "samples")).filter((f) => f.endsWith(".txt"));
  const packets: [string, Partial<PacketSpec>][] = [
    ["10.0.33.45:80", {}],
    ["10.0.33.45:80", { from: "local" }],
    ["10.0.120.7:80", { src: "10.240.1.5" }],
    ["10.0.66.6:8080", { ctstate: "ESTABLISHED" }],
    ["192.168.56.10:30080", { nodeIps: ["192.168.56.10"] }],
    ["192.168.56.10:22", { nodeIps: ["192.168.56.10"], inIface: "eth0" }],
    ["203.0.113.45:8443", { nodeIps: ["203.0.113.45"] }],
    ["203.0.113.45:22", { nodeIps: ["203.0.113.45"], inIface: "eth0" }],
    ["172.17.0.2:80", { inIface: "eth0", outIface: "docker0" }],
    ["127.0.0.1:5432", { from: "local" }],
    ["8.8.8.8:53", { proto: "udp", from: "local" }],
    ["8.8.8.8", { proto: "icmp" }],
    ["10.0.0.10", { proto: "udp" }],
    ["[fd00:10:96::5f3a]:80", {}],
    ["[2001:db8:56::10]:30808", { nodeIps: ["2001:db8:56::10"] }],
    ["[2001:db8:56::10]:22", { from: "local" }],
  ];
  for (const file of samples) {
    it(file, () => {
      const ruleset = sample(file);
      for (const [d, more] of packets) {
        const r = trace(ruleset, spec(d, more));
        expect(total(r).toString(), `${file} ${d} ${JSON.stringify(more)}`).toBe("1/1");
        expect(r.outcomes.length).toBeGreaterThan(0);
      }
    });
  }
});
