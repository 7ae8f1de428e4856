/**
 * The rule framework itself: rules see every dump of the run (cross-node
 * checks are ordinary rules), share work through the cache, report with
 * positions taken from a rule node, get their severity re-graded by config,
 * and are not run at all when turned off.
 */
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/lint/config.js";
import { defineRule, type LintRule } from "../../src/lint/rule.js";
import { lint, lintNode, lintNodes } from "../../src/lint/run.js";
import { filterTable } from "./rule-tester.js";

/** A toy cross-node rule: a user chain some nodes have and others lack. */
function driftRule(calls: { count: number }): LintRule {
  return defineRule({
    meta: {
      id: "KIPT2999",
      name: "chain-drift",
      severity: "warning",
      summary: "A user chain only some nodes have.",
      examples: { bad: "", good: "" },
    },
    check(context) {
      const chainsPerNode = context.cache("chains-per-node", () => {
        calls.count++;
        return context.nodes.map((n) => new Set(n.ruleset.tables.flatMap((t) => t.chains.filter((c) => !c.builtin).map((c) => `${t.name}/${c.name}`))));
      });
      const everywhere = new Set([...chainsPerNode.flatMap((s) => [...s])]);
      context.nodes.forEach((node, i) => {
        for (const key of everywhere) {
          if (chainsPerNode[i]!.has(key)) continue;
          const [table, chain] = key.split("/") as [string, string];
          context.report({ node, message: `chain ${chain} of table ${table} is missing on this node`, table, chain, fingerprint: key });
        }
      });
      // The same cache key in the same run is computed once.
      context.cache("chains-per-node", () => {
        calls.count++;
        return [];
      });
    },
  });
}

describe("lint framework", () => {
  const a = filterTable(":X - [0:0]", "-A INPUT -j X", "-A X -j ACCEPT");
  const b = filterTable("-A INPUT -j ACCEPT");

  it("a rule sees every node and can compare them", () => {
    const calls = { count: 0 };
    const result = lint([{ file: "node-a", text: a }, { file: "node-b", text: b }], { rules: [driftRule(calls)] });
    expect(result.findings.map((f) => `${f.file} ${f.id} ${f.name} ${f.table} ${f.chain} ${f.line}`)).toEqual(["node-b KIPT2999 chain-drift filter X 0"]);
    expect(calls.count).toBe(1);
  });

  it("config re-grades or skips a rule; an off rule is not run", () => {
    const calls = { count: 0 };
    const rule = driftRule(calls);
    const config = (setting: string) => validateConfig({ rules: { "unreachable-rule": setting } }, "c");
    expect(lint([{ file: "x", text: filterTable("-A INPUT -j DROP", "-A INPUT -j ACCEPT") }], { config: config("error") }).findings.map((f) => f.severity)).toEqual(["error"]);
    expect(lint([{ file: "x", text: filterTable("-A INPUT -j DROP", "-A INPUT -j ACCEPT") }], { config: config("off") }).findings).toEqual([]);
    lint([{ file: "x", text: a }], { rules: [rule] });
    expect(calls.count).toBe(1);
  });

  it("a finding on a rule takes its position, table, chain and a fingerprint from the rule's canonical text", () => {
    const text = filterTable("-A INPUT -j DROP", "[9:9] -A INPUT -s 10.0.0.1 -j ACCEPT");
    const [f] = lint([{ file: "x", text }]).findings;
    expect(f).toMatchObject({ id: "KIPT2005", line: 6, column: 1, table: "filter", chain: "INPUT" });
    const [g] = lint([{ file: "x", text: filterTable("-A INPUT -p icmp -j ACCEPT", "-A INPUT -j DROP", "-A INPUT -s 10.0.0.1/32 -j ACCEPT") }]).findings;
    expect(g!.fingerprint).toBe(f!.fingerprint);
  });

  it("a rule that throws becomes an error naming the rule", () => {
    const broken = defineRule({
      meta: { id: "KIPT2998", name: "broken", severity: "error", summary: "x", examples: { bad: "", good: "" } },
      check() {
        throw new Error("boom");
      },
    });
    expect(() => lint([{ file: "x", text: a }], { rules: [broken] })).toThrow("lint rule KIPT2998 broken failed: boom");
  });

  it("reporting for a dump outside the run is a programming error", () => {
    const stranger = lintNode({ file: "other", text: a });
    const rule = defineRule({
      meta: { id: "KIPT2997", name: "stray", severity: "error", summary: "x", examples: { bad: "", good: "" } },
      check(context) {
        context.report({ node: stranger, message: "x" });
      },
    });
    expect(() => lintNodes([lintNode({ file: "x", text: a })], { rules: [rule] })).toThrow(/not part of the run/);
  });
});
