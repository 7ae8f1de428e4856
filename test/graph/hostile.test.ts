/**
 * Hostile structure: 100,000-deep nesting, a 100,000-chain loop, 100,000
 * chains jumping to one, a 64-level diamond (2^64 paths). Everything must
 * finish quickly without a stack overflow: the graph code never recurses
 * on chain depth and never enumerates paths.
 */
import { describe, expect, it } from "vitest";
import { buildChainGraph, nodeId, reachableFrom, type ChainGraph } from "../../src/graph/chain-graph.js";
import { renderGraph, selectView } from "../../src/graph/render.js";
import { load } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";
import { filterDump } from "./helpers.js";

const N = 100_000;
/** Generous for slow CI machines; locally each build takes a small fraction of this. */
const BUILD_MS = 3000;

function timedGraph(text: string): { graph: ChainGraph; ms: number } {
  const { dump } = parse(text, { file: "hostile.rules" });
  const ruleset = load(dump);
  const start = performance.now();
  const graph = buildChainGraph(ruleset, { file: "hostile.rules" });
  return { graph, ms: performance.now() - start };
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("hostile structure", () => {
  it(`${N}-deep nesting`, () => {
    const chains = names("C", N);
    const rules = ["-A INPUT -j C0", ...chains.slice(0, -1).map((c, i) => `-A ${c} -j C${i + 1}`), `-A C${N - 1} -j DROP`];
    const { graph, ms } = timedGraph(filterDump(chains, rules));
    expect(ms).toBeLessThan(BUILD_MS);
    // Only the nf_tables depth limit, once (at the 16th jump), not once per chain below it.
    expect(graph.diagnostics.map((d) => [d.id, d.line])).toEqual([["KIPT2009", 4 + N + 16]]);
    expect(graph.nodes.every((n) => n.reachable)).toBe(true);
    expect(reachableFrom(graph, [nodeId("filter", "C0")]).size).toBe(N);
    const view = selectView(graph, { from: `C${N / 2}` });
    expect(view.nodes).toHaveLength(N / 2);
    expect(renderGraph(view, "dot").split("\n").length).toBeGreaterThan(N);
    // graphlib's view is built without recursion too.
    expect(graph.graph.edgeCount()).toBe(N);
  });

  it(`a ${N}-chain loop`, () => {
    const chains = names("C", N);
    const rules = ["-A INPUT -j C0", ...chains.map((c, i) => `-A ${c} -j C${(i + 1) % N}`)];
    const { graph, ms } = timedGraph(filterDump(chains, rules));
    expect(ms).toBeLessThan(BUILD_MS);
    expect(graph.cycles).toHaveLength(1);
    expect(graph.cycles[0]!.chains).toHaveLength(N);
    expect(graph.cycles[0]!.path).toHaveLength(N + 1);
    expect(graph.diagnostics.map((d) => d.id)).toEqual(["KIPT2003"]);
    expect(graph.diagnostics[0]!.message.length).toBeLessThan(300);
  });

  it(`${N} chains jumping to one`, () => {
    const chains = [...names("C", N), "TARGET"];
    const rules = [...names("C", N).map((c) => `-A INPUT -j ${c}`), ...names("C", N).map((c) => `-A ${c} -j TARGET`), "-A TARGET -j ACCEPT"];
    const { graph, ms } = timedGraph(filterDump(chains, rules));
    expect(ms).toBeLessThan(BUILD_MS);
    expect(graph.diagnostics).toEqual([]);
    expect(graph.edges.filter((e) => e.to === "filter:TARGET")).toHaveLength(N);
    expect(selectView(graph, { from: "C7" }).nodes.map((n) => n.chain)).toEqual(["C7", "TARGET"]);
  });

  it("a 64-level diamond (2^64 paths)", () => {
    const levels = 64;
    const chains: string[] = [];
    const rules = ["-A INPUT -j L0a", "-A INPUT -j L0b"];
    for (let i = 0; i < levels; i++) {
      chains.push(`L${i}a`, `L${i}b`);
      for (const side of ["a", "b"]) {
        if (i + 1 < levels) rules.push(`-A L${i}${side} -j L${i + 1}a`, `-A L${i}${side} -j L${i + 1}b`);
        else rules.push(`-A L${i}${side} -j ACCEPT`);
      }
    }
    const start = performance.now();
    const { graph } = timedGraph(filterDump(chains, rules));
    const view = selectView(graph, { from: "L0a" });
    renderGraph(view, "dot");
    renderGraph(view, "mermaid");
    renderGraph(view, "json");
    expect(performance.now() - start).toBeLessThan(BUILD_MS);
    // The four jumps from level 14 to level 15 (16 jumps below INPUT) cross the nf_tables limit.
    expect(graph.diagnostics.map((d) => d.id)).toEqual(["KIPT2009", "KIPT2009", "KIPT2009", "KIPT2009"]);
    expect(graph.cycles).toEqual([]);
    expect(view.nodes).toHaveLength(2 * levels - 1);
    expect(view.edges).toHaveLength(4 * (levels - 1) - 2);
  });
});
