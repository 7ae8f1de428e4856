/**
 * The source address trace picks when none is given: the first documentation
 * or shared address that no rule's source names, so that source matches do
 * not decide the walk by accident; for a locally generated packet, an
 * address of the node.
 */
import { describe, expect, it } from "vitest";
import { buildKubeModel } from "../../src/kube/model.js";
import { pickSource } from "../../src/trace/packet.js";
import { trace } from "../../src/trace/trace.js";
import { dump, rulesetOf, sample, spec } from "./helpers.js";

const filter = (rules: string[]) => rulesetOf(dump({ filter: [":INPUT ACCEPT [0:0]", ...rules.map((r) => `-A INPUT ${r}`)] }));

describe("pickSource", () => {
  it("takes the first candidate when no rule names a source near it", () => {
    expect(pickSource(filter(["-s 10.0.0.0/8 -j DROP", "-s 192.168.1.7/32 -j DROP"]), "ipv4")).toBe("203.0.113.1");
  });

  it("skips the candidates a rule's source covers", () => {
    expect(pickSource(filter(["-s 203.0.113.0/28 -j DROP"]), "ipv4")).toBe("203.0.113.16");
    expect(pickSource(filter(["-s 203.0.113.0/24 -j DROP"]), "ipv4")).toBe("198.51.100.1");
    expect(pickSource(filter(["-s 192.0.0.0/2 -j DROP"]), "ipv4")).toBe("100.64.0.1");
    expect(pickSource(filter(["-m iprange --src-range 203.0.113.1-203.0.113.9 -j DROP"]), "ipv4")).toBe("203.0.113.10");
  });

  it("skips the addresses it is told to avoid (the destination, the node's addresses)", () => {
    expect(pickSource(filter([]), "ipv4", ["203.0.113.1", "203.0.113.2"])).toBe("203.0.113.3");
  });

  it("covers everything when a rule's source is everything but one address", () => {
    expect(pickSource(filter(["-s 0.0.0.0/1 -j DROP", "-s 128.0.0.0/1 -j DROP"]), "ipv4")).toBe("203.0.113.1");
  });
});

describe("the source of a locally generated packet (--from local, no --src)", () => {
  const kube = sample("kube-proxy-node.txt");

  it("is a node address: addrtype --src-type LOCAL holds, as for explain's traffic from the node", () => {
    const r = trace(kube, spec("203.0.113.20:80", { from: "local" }));
    expect(r.outcomes.map((o) => [o.dnat, o.probability.toString(), o.masquerade])).toEqual([
      ["10.240.1.50:80", "1/2", true],
      ["10.240.2.60:80", "1/2", true],
    ]);
    const lb = buildKubeModel(kube).services.flatMap((s) => s.frontends).find((f) => f.type === "LoadBalancer" && f.ip === "203.0.113.20" && f.port === 80)!;
    expect(Object.fromEntries(r.outcomes.map((o) => [o.dnat, o.probability.toString()]))).toEqual(Object.fromEntries(lb.endpointsFromNode.map((e) => [e.address, e.kernel.toString()])));
  });

  it("is loopback for a loopback destination, as the kernel picks (127.0.0.1, ::1)", () => {
    const r = trace(kube, spec("127.0.0.1:31080", { from: "local" }));
    expect(r.packet.src).toBe("127.0.0.1");
    expect(r.outcomes.map((o) => [o.verdict, o.dnat])).toEqual([["ACCEPT", "10.240.3.40:8080"]]);
    expect(trace(kube, spec("127.0.0.9:31080", { from: "local", nodeIps: ["192.168.56.10"] })).packet.src).toBe("127.0.0.1");
    expect(trace(sample("ip6-host.txt"), spec("[::1]:80", { from: "local" })).packet.src).toBe("::1");
  });

  it("is the first --node-ip of the destination's family when there is one", () => {
    expect(trace(kube, spec("10.0.33.45:80", { from: "local", nodeIps: ["2001:db8::10", "192.168.56.10"] })).packet.src).toBe("192.168.56.10");
    const onlyV6 = trace(kube, spec("203.0.113.20:80", { from: "local", nodeIps: ["2001:db8::10"] }));
    expect(onlyV6.packet.src).toBe("203.0.113.1");
    expect(onlyV6.outcomes.every((o) => o.masquerade)).toBe(true);
  });

  it("is what --src says when given (and then addrtype LOCAL holds only for node addresses)", () => {
    const r = trace(kube, spec("203.0.113.20:80", { from: "local", src: "198.51.100.9" }));
    expect(r.packet.src).toBe("198.51.100.9");
    expect(r.outcomes.map((o) => [o.dnat, o.masquerade])).toEqual([["10.240.1.50:80", false]]);
  });
});
