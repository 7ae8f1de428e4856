/**
 * The chain graph of the real dumps in samples/: no findings, the expected
 * reachability, and the kube-proxy structure samples/README.md describes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nodeId, reachableFrom } from "../../src/graph/chain-graph.js";
import { selectView } from "../../src/graph/render.js";
import { graphOf } from "./helpers.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sample = (name: string) => readFileSync(path.join(root, "samples", name), "utf8");
const SAMPLES = ["nginx.txt", "kube-proxy-node.txt", "docker-host.txt", "host-firewall.txt", "ip6-host.txt"];
/** Empty on purpose: existence markers that nothing jumps to. */
const MARKERS = new Set(["KUBE-KUBELET-CANARY", "KUBE-PROXY-CANARY", "KUBE-IPTABLES-HINT"]);

describe.each(SAMPLES)("samples/%s", (name) => {
  const g = graphOf(sample(name));

  it("has no graph findings and no loops", () => {
    expect(g.diagnostics).toEqual([]);
    expect(g.cycles).toEqual([]);
  });

  it("reaches every chain except the empty markers", () => {
    const unreachable = g.nodes.filter((n) => !n.reachable);
    for (const n of unreachable) {
      expect(MARKERS.has(n.chain), n.id).toBe(true);
      expect(n.ruleCount, n.id).toBe(0);
    }
  });

  it("has an edge for every jump rule and a node for every chain", () => {
    const ruleJumps = g.nodes.reduce((count, n) => count + g.edges.filter((e) => e.from === n.id).length, 0);
    expect(ruleJumps).toBe(g.edges.length);
    expect(g.graph.nodeCount()).toBe(g.nodes.length);
    expect(g.graph.edgeCount()).toBe(g.edges.length);
  });
});

describe("samples/nginx.txt", () => {
  const g = graphOf(sample("nginx.txt"));

  it("reaches every KUBE-* chain that has rules, in every table", () => {
    const kube = g.nodes.filter((n) => n.chain.startsWith("KUBE-") && !MARKERS.has(n.chain));
    expect(kube.length).toBeGreaterThan(10);
    for (const n of kube) expect(n.reachable, n.id).toBe(true);
  });

  it("from KUBE-SVC-YK2SNH4V42VSDWIJ reaches exactly its two SEP chains (and KUBE-MARK-MASQ)", () => {
    const reached = [...reachableFrom(g, [nodeId("nat", "KUBE-SVC-YK2SNH4V42VSDWIJ")])].sort();
    expect(reached.filter((id) => id.startsWith("nat:KUBE-SEP-"))).toEqual(["nat:KUBE-SEP-B4KBD76YHXMJL4VO", "nat:KUBE-SEP-V73B5NNFXA6V3U7A"]);
    expect(reached).toEqual(["nat:KUBE-MARK-MASQ", "nat:KUBE-SEP-B4KBD76YHXMJL4VO", "nat:KUBE-SEP-V73B5NNFXA6V3U7A", "nat:KUBE-SVC-YK2SNH4V42VSDWIJ"]);
  });

  it("the SVC chain splits 50/50: a statistic edge, then the fall-through", () => {
    const out = g.edges.filter((e) => e.from === "nat:KUBE-SVC-YK2SNH4V42VSDWIJ");
    expect(out.map((e) => [e.ruleNumber, e.to])).toEqual([
      [1, "nat:KUBE-MARK-MASQ"],
      [2, "nat:KUBE-SEP-B4KBD76YHXMJL4VO"],
      [3, "nat:KUBE-SEP-V73B5NNFXA6V3U7A"],
    ]);
  });

  it("KUBE-SERVICES is two chains, one per table, both reached from built-ins", () => {
    expect(() => selectView(g, { from: "KUBE-SERVICES" })).toThrow(/in tables filter, nat; choose one with --table/);
    const nat = selectView(g, { table: "nat", from: "KUBE-SERVICES" });
    expect(nat.nodes.map((n) => n.chain)).toEqual(["KUBE-MARK-MASQ", "KUBE-NODEPORTS", "KUBE-SEP-B4KBD76YHXMJL4VO", "KUBE-SEP-V73B5NNFXA6V3U7A", "KUBE-SERVICES", "KUBE-SVC-YK2SNH4V42VSDWIJ"]);
    expect(nat.edges).toHaveLength(7);
  });
});

describe("samples/kube-proxy-node.txt", () => {
  const g = graphOf(sample("kube-proxy-node.txt"));

  it("every SEP chain is reached from exactly the SVC/SVL chains of its service", () => {
    const sep = g.nodes.filter((n) => n.chain.startsWith("KUBE-SEP-"));
    expect(sep).toHaveLength(25);
    for (const n of sep) {
      const callers = new Set(g.edges.filter((e) => e.to === n.id && e.kind === "jump").map((e) => e.from.split(":")[1]!.slice(0, 9)));
      expect([...callers].every((c) => c === "KUBE-SVC-" || c === "KUBE-SVL-"), n.id).toBe(true);
    }
  });
});
