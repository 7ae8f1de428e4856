/**
 * The chain graph and its findings, RuleTester style: per finding kind a
 * table of dumps that must not trigger it and of dumps that must, with the
 * line of each finding. Then the structure itself (nodes, edges, graphlib
 * view) and loops of every shape.
 */
import { alg } from "@dagrejs/graphlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { GraphCodes } from "../../src/diagnostics/graph-codes.js";
import { nodeId, reachableFrom } from "../../src/graph/chain-graph.js";
import { filterDump, findings, graphOf } from "./helpers.js";

interface Case {
  readonly name: string;
  readonly chains: readonly string[];
  readonly rules: readonly string[];
  /** Expected `ID line` findings (all graph codes), sorted. */
  readonly expected: readonly string[];
}

function table(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        expect(findings(filterDump(c.chains, c.rules))).toEqual([...c.expected].sort());
      });
    }
  });
}

// Line numbers: the head is 4 lines, then one per declared chain, then the rules.

table(`${GraphCodes.undefinedTarget.id} undefined-target`, [
  { name: "valid: a jump to a declared chain", chains: ["A"], rules: ["-A INPUT -j A", "-A A -j ACCEPT"], expected: [] },
  { name: "valid: target extensions are not chains", chains: [], rules: ["-A INPUT -j ACCEPT", "-A INPUT -j LOG --log-prefix x", "-A INPUT -j RETURN"], expected: [] },
  { name: "valid: -g to a declared chain", chains: ["A"], rules: ["-A INPUT -g A", "-A A -j DROP"], expected: [] },
  { name: "invalid: a jump to a built-in chain is KIPT2008, not KIPT2001 (the kernel refuses it)", chains: ["A"], rules: ["-A INPUT -j A", "-A A -j OUTPUT"], expected: ["KIPT2008 7"] },
  { name: "invalid: -j to a chain never declared", chains: [], rules: ["-A INPUT -j NOSUCH"], expected: ["KIPT2001 5"] },
  { name: "invalid: -g to a chain never declared", chains: [], rules: ["-A INPUT -p tcp -g NOSUCH"], expected: ["KIPT2001 5"] },
  { name: "invalid: -g to a target extension", chains: [], rules: ["-A INPUT -g ACCEPT"], expected: ["KIPT2001 5"] },
  { name: "invalid: one finding per rule", chains: [], rules: ["-A INPUT -j X", "-A OUTPUT -j X", "-A FORWARD -j Y"], expected: ["KIPT2001 5", "KIPT2001 6", "KIPT2001 7"] },
  { name: "invalid: the chain was deleted with -X", chains: ["A"], rules: ["-X A", "-A INPUT -j A"], expected: ["KIPT2001 7"] },
  { name: "invalid: the chain was renamed with -E before the jump", chains: ["A"], rules: ["-E A B", "-A INPUT -j A"], expected: ["KIPT2001 7"] },
  { name: "valid: -E renames the jumps made before it", chains: ["A"], rules: ["-A INPUT -j A", "-A A -j DROP", "-E A B"], expected: [] },
]);

table(`${GraphCodes.unreachableChain.id} unreachable-chain`, [
  { name: "valid: reached directly", chains: ["A"], rules: ["-A INPUT -j A", "-A A -j DROP"], expected: [] },
  { name: "valid: reached through -g", chains: ["A", "B"], rules: ["-A INPUT -j A", "-A A -g B", "-A B -j DROP"], expected: [] },
  { name: "valid: an empty unreachable chain (a canary) is not reported", chains: ["CANARY"], rules: [], expected: [] },
  { name: "invalid: no rule jumps to a chain with rules", chains: ["A"], rules: ["-A A -j DROP"], expected: ["KIPT2002 5"] },
  { name: "invalid: only an unreachable chain jumps to it", chains: ["A", "B"], rules: ["-A A -j B", "-A B -j DROP"], expected: ["KIPT2002 5", "KIPT2002 6"] },
  { name: "invalid: an unreachable loop is reported as unreachable, not as a loop", chains: ["A", "B"], rules: ["-A A -j B", "-A B -j A"], expected: ["KIPT2002 5", "KIPT2002 6"] },
  { name: "invalid: the jump to it was deleted with -D", chains: ["A"], rules: ["-A INPUT -j A", "-A A -j DROP", "-D INPUT -j A"], expected: ["KIPT2002 5"] },
]);

table(`${GraphCodes.chainCycle.id} chain-cycle`, [
  { name: "valid: a diamond is not a loop", chains: ["A", "B", "C"], rules: ["-A INPUT -j A", "-A INPUT -j B", "-A A -j C", "-A B -j C", "-A C -j DROP"], expected: [] },
  { name: "valid: jumping to the same chain twice", chains: ["A"], rules: ["-A INPUT -j A", "-A INPUT -j A", "-A A -j DROP"], expected: [] },
  { name: "invalid: a self-jump", chains: ["A"], rules: ["-A INPUT -j A", "-A A -j A"], expected: ["KIPT2003 7"] },
  { name: "invalid: a self-goto", chains: ["A"], rules: ["-A INPUT -j A", "-A A -g A"], expected: ["KIPT2003 7"] },
  { name: "invalid: two chains, reported at the closing rule", chains: ["A", "B"], rules: ["-A INPUT -j A", "-A A -j B", "-A B -j A"], expected: ["KIPT2003 9"] },
  { name: "invalid: two separate loops", chains: ["A", "B", "C"], rules: ["-A INPUT -j A", "-A INPUT -j C", "-A A -j B", "-A B -j A", "-A C -j C"], expected: ["KIPT2003 11", "KIPT2003 12"] },
  { name: "invalid: a loop reached from a built-in through other chains", chains: ["A", "B", "C"], rules: ["-A INPUT -j A", "-A A -j B", "-A B -j C", "-A C -j B"], expected: ["KIPT2003 11"] },
]);

/** Chains C1..Cn, INPUT -> C1 -> ... -> Cn, each call made with `flag`. */
function nestedRules(n: number, flag = "-j"): { chains: string[]; rules: string[] } {
  const chains = Array.from({ length: n }, (_, i) => `C${i + 1}`);
  return { chains, rules: [`-A INPUT ${flag} C1`, ...chains.slice(1).map((c, i) => `-A ${chains[i]} ${flag} ${c}`)] };
}
const line = (n: number, k: number): number => 4 + n + k; // k-th rule (1-based) of a nestedRules(n) dump

table(`${GraphCodes.jumpDepth.id} jump-depth`, [
  { name: "valid: 15 levels, the most nf_tables accepts", ...nestedRules(15), expected: [] },
  { name: "invalid: 16 levels, reported at the 16th jump", ...nestedRules(16), expected: [`KIPT2009 ${line(16, 16)}`] },
  { name: "invalid: -g counts like -j", ...nestedRules(16, "-g"), expected: [`KIPT2009 ${line(16, 16)}`] },
  { name: "invalid: 40 levels, one finding (the first jump past the limit), not 25", ...nestedRules(40), expected: [`KIPT2009 ${line(40, 16)}`] },
  {
    name: "valid: the depth is per path from a built-in, not the number of chains",
    chains: Array.from({ length: 20 }, (_, i) => `W${i}`),
    rules: Array.from({ length: 20 }, (_, i) => `-A INPUT -j W${i}`),
    expected: [],
  },
  {
    name: "invalid: the longest path counts, even when a short one also reaches the chain",
    chains: nestedRules(16).chains,
    rules: [...nestedRules(16).rules, "-A INPUT -j C16"],
    expected: [`KIPT2009 ${line(16, 16)}`],
  },
  {
    name: "valid: an unreachable deep nest is KIPT2002, not KIPT2009",
    chains: nestedRules(17).chains,
    rules: nestedRules(17).rules.slice(1),
    expected: Array.from({ length: 16 }, (_, i) => `KIPT2002 ${5 + i}`), // C1..C16 have rules; C17 is empty
  },
]);

describe(`${GraphCodes.jumpToOtherTable.id} jump-to-other-table`, () => {
  const nat = ["*nat", ":PREROUTING ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ":PORTS - [0:0]", "-A PREROUTING -j PORTS", "COMMIT"];
  it("valid: the same name in both tables is two chains", () => {
    expect(findings([...nat, ...filterDump(["PORTS"], ["-A INPUT -j PORTS"]).split("\n")].join("\n"))).toEqual([]);
  });
  it("invalid: a filter rule jumps to a nat-only chain", () => {
    const text = [...nat, ...filterDump([], ["-A FORWARD -j PORTS"]).split("\n")].join("\n");
    expect(findings(text)).toEqual(["KIPT2004 11"]);
    const [d] = graphOf(text).diagnostics;
    expect(formatDiagnostic(d!)).toBe("t.rules:11:12: error: chain 'PORTS' exists in table nat, not in filter; a rule can only jump to chains of its own table [KIPT2004]");
  });
  it("names every table that has the chain", () => {
    const mangle = ["*mangle", ":PREROUTING ACCEPT [0:0]", ":PORTS - [0:0]", "-A PREROUTING -j PORTS", "COMMIT"];
    const text = [...nat, ...mangle, ...filterDump([], ["-A FORWARD -g PORTS"]).split("\n")].join("\n");
    expect(graphOf(text).diagnostics.map((d) => d.message)).toEqual([
      "chain 'PORTS' exists in tables nat, mangle, not in filter; a rule can only go to chains of its own table",
    ]);
  });
});

describe("messages and positions", () => {
  it("point at the target and say what is wrong", () => {
    const g = graphOf(filterDump(["A", "B", "DEAD"], ["-A INPUT -p tcp -j NOSUCH", "-A INPUT -j A", "-A A -j B", "-A B -j A", "-A DEAD -j DROP", "-A INPUT -g ACCEPT"]));
    expect(g.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "t.rules:8:17: error: '-j' target 'NOSUCH' is neither a target extension nor a chain of table 'filter' [KIPT2001]",
      "t.rules:13:10: error: '-g' goes to a chain and table 'filter' has no chain 'ACCEPT'; for the target write '-j ACCEPT' [KIPT2001]",
      "t.rules:11:6: error: jump loop 'B' -> 'A' -> 'B' in table filter; the kernel refuses loops, so iptables-restore fails here [KIPT2003]",
      "t.rules:7:1: warning: chain 'DEAD' in table filter is never reached from a built-in chain (no rule jumps to it); its 1 rule never sees a packet [KIPT2002]",
    ]);
  });
  it("neutralize hostile names when printed", () => {
    const g = graphOf(filterDump([], ["-A INPUT -j X\u001b[2J"]));
    expect(formatDiagnostic(g.diagnostics[0]!)).toContain("'X\\e[2J'");
  });
});

describe("structure", () => {
  const text = filterDump(["A", "B"], ["-A INPUT -s 10.0.0.1 -j A", "-A INPUT -j A", "-A A -g B", "-A A -j ACCEPT", "-A B -j DROP"]);

  it("has one node per chain, in iptables-save order, with policy and rule count", () => {
    const g = graphOf(text);
    expect(g.nodes.map((n) => [n.id, n.builtin, n.policy, n.ruleCount, n.reachable])).toEqual([
      ["filter:INPUT", true, "ACCEPT", 2, true],
      ["filter:FORWARD", true, "ACCEPT", 0, true],
      ["filter:OUTPUT", true, "ACCEPT", 0, true],
      ["filter:A", false, null, 2, true],
      ["filter:B", false, null, 1, true],
    ]);
  });

  it("has one edge per jump rule, named uniquely, with kind, line and canonical text", () => {
    const g = graphOf(text);
    expect(g.edges.map((e) => [e.name, e.kind, e.from, e.to, e.ruleNumber, e.line, e.text])).toEqual([
      ["filter:INPUT#1", "jump", "filter:INPUT", "filter:A", 1, 7, "-A INPUT -s 10.0.0.1/32 -j A"],
      ["filter:INPUT#2", "jump", "filter:INPUT", "filter:A", 2, 8, "-A INPUT -j A"],
      ["filter:A#1", "goto", "filter:A", "filter:B", 1, 9, "-A A -g B"],
    ]);
  });

  it("gives the same as a graphlib multigraph", () => {
    const g = graphOf(text);
    const graph = g.graph;
    expect(graph.isDirected() && graph.isMultigraph()).toBe(true);
    expect(graph.nodeCount()).toBe(5);
    expect(graph.edgeCount()).toBe(3);
    // Two parallel edges INPUT -> A, told apart by name.
    expect(graph.outEdges("filter:INPUT", "filter:A")!.map((e) => e.name).sort()).toEqual(["filter:INPUT#1", "filter:INPUT#2"]);
    expect(graph.edge("filter:A", "filter:B", "filter:A#1")!.kind).toBe("goto");
    expect(graph.node("filter:INPUT")!.policy).toBe("ACCEPT");
    expect(g.graph).toBe(graph); // built once
  });

  it("reachableFrom follows jumps and gotos", () => {
    const g = graphOf(text);
    expect([...reachableFrom(g, [nodeId("filter", "A")])].sort()).toEqual(["filter:A", "filter:B"]);
  });

  it("takes the last block when a table appears twice (iptables-restore flushes it at each *table)", () => {
    const g = graphOf(filterDump(["OLD"], ["-A INPUT -j OLD", "-A OLD -j DROP"]) + filterDump(["NEW"], ["-A INPUT -j NEW", "-A NEW -j DROP"]));
    expect(g.nodes.filter((n) => !n.builtin).map((n) => n.chain)).toEqual(["NEW"]);
    expect(g.diagnostics).toEqual([]);
  });

  it("handles an empty dump", () => {
    const g = graphOf("");
    expect(g.nodes).toEqual([]);
    expect(g.diagnostics).toEqual([]);
  });
});

describe("loops", () => {
  it("lists every chain of a component and one loop through it", () => {
    const g = graphOf(filterDump(["A", "B", "C"], ["-A INPUT -j A", "-A A -j B", "-A B -j C", "-A C -j A", "-A B -j A"]));
    expect(g.cycles).toHaveLength(1);
    expect(g.cycles[0]!.chains).toEqual(["A", "B", "C"]);
    // Closed by the last jump in the file, B -> A (line 12).
    expect(g.cycles[0]!.path).toEqual(["B", "A", "B"]);
    expect(g.cycles[0]!.reachable).toBe(true);
  });

  it("a self-loop is a loop of one chain", () => {
    const g = graphOf(filterDump(["A"], ["-A INPUT -j A", "-A A -j A"]));
    expect(g.cycles.map((c) => c.path)).toEqual([["A", "A"]]);
  });

  it("a long loop is found and its message shortened", () => {
    const n = 1000;
    const chains = Array.from({ length: n }, (_, i) => `C${i}`);
    const rules = ["-A INPUT -j C0", ...chains.map((c, i) => `-A ${c} -j C${(i + 1) % n}`)];
    const g = graphOf(filterDump(chains, rules));
    expect(g.cycles).toHaveLength(1);
    expect(g.cycles[0]!.path).toHaveLength(n + 1);
    expect(g.cycles[0]!.path[0]).toBe(g.cycles[0]!.path[n]);
    const [d] = g.diagnostics;
    expect(d!.message).toBe("jump loop 'C999' -> 'C0' -> 'C1' -> 'C2' -> ... -> 'C998' -> 'C999' (1000 chains) in table filter; the kernel refuses loops, so iptables-restore fails here");
  });

  it("reports loops per table", () => {
    const nat = ["*nat", ":PREROUTING ACCEPT [0:0]", ":L - [0:0]", "-A PREROUTING -j L", "-A L -j L", "COMMIT"].join("\n");
    const g = graphOf(nat + "\n" + filterDump(["L"], ["-A INPUT -j L", "-A L -j L"]));
    expect(g.cycles.map((c) => `${c.table} ${c.path.join(">")}`).sort()).toEqual(["filter L>L", "nat L>L"]);
  });
});

describe("loops agree with graphlib's alg.findCycles on small graphs", () => {
  it("random graphs of up to 10 chains", () => {
    const jumps = fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 25 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), jumps, (count, pairs) => {
        const chains = Array.from({ length: count }, (_, i) => `C${i}`);
        const rules = ["-A INPUT -j C0", ...pairs.map(([a, b]) => `-A C${a % count} -j C${b % count}`)];
        const g = graphOf(filterDump(chains, rules));
        const ours = g.cycles.map((c) => c.chains.map((name) => nodeId("filter", name)).sort().join(" ")).sort();
        const theirs = alg.findCycles(g.graph).map((ids) => [...ids].sort().join(" ")).sort();
        expect(ours).toEqual(theirs);
        // Every reported path is a real loop: consecutive chains are joined by a jump.
        for (const c of g.cycles) {
          expect(c.path[0]).toBe(c.path[c.path.length - 1]);
          for (let i = 0; i + 1 < c.path.length; i++) {
            expect(g.edges.some((e) => e.from === nodeId("filter", c.path[i]!) && e.to === nodeId("filter", c.path[i + 1]!))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
