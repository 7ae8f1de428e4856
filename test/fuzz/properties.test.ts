/**
 * Issue 7, "never mislead": properties over generated valid dumps
 * (test/fuzz/arbitraries.ts), with fixed seeds so every run checks the same
 * inputs. A failure prints the shrunk counterexample and the seed/path to
 * replay it with `fc.assert(prop, { seed, path })`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildChainGraph, format, Fraction, lint, load, parse, trace, type PacketSpec } from "../../src/index.js";
import { kubeCascade, validDump } from "./arbitraries.js";

const errors = (text: string) => parse(text, { file: "gen.txt" }).diagnostics.filter((d) => d.severity === "error");
const canonical = (text: string) => format(parse(text, { file: "gen.txt" }).dump);

function spec(dst: string, dport: number, more: Partial<PacketSpec> = {}): PacketSpec {
  return { dst, dport, proto: "tcp", src: null, sport: null, from: "external", inIface: null, outIface: null, nodeIps: ["192.168.0.10"], mark: 0, ctstate: "NEW", ...more };
}

function sumOf(outcomes: readonly { probability: Fraction }[]): Fraction {
  return outcomes.reduce((s, o) => s.add(o.probability), Fraction.ZERO);
}

describe("generated valid dumps", () => {
  it("parse without diagnostics, and neither the chain graph nor lint reports an error", () => {
    fc.assert(
      fc.property(validDump, (text) => {
        // Not even a warning: the generator only writes what iptables-save prints.
        expect(parse(text, { file: "gen.txt" }).diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.id} ${d.message}`)).toEqual([]);
        const graph = buildChainGraph(load(parse(text).dump));
        expect(graph.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.id} ${d.message}`)).toEqual([]);
        const findings = lint([{ file: "gen.txt", text }]).findings;
        expect(findings.filter((f) => f.severity === "error").map((f) => `${f.id} ${f.message}`)).toEqual([]);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("format is idempotent: format(parse(format(x))) === format(parse(x))", () => {
    fc.assert(
      fc.property(validDump, (text) => {
        const once = canonical(text);
        expect(errors(once).map((d) => `${d.line}:${d.column} ${d.id} ${d.message}`)).toEqual([]);
        expect(canonical(once)).toBe(once);
      }),
      { seed: 43, numRuns: 500 },
    );
  });

  it("trace outcome probabilities sum to exactly 1", () => {
    fc.assert(
      fc.property(validDump, fc.constantFrom("10.0.0.1", "192.168.0.10", "127.0.0.1"), fc.integer({ min: 0, max: 65535 }), fc.constantFrom("external", "local") as fc.Arbitrary<"external" | "local">, (text, dst, dport, from) => {
        const result = trace(load(parse(text).dump), spec(dst, dport, { from }));
        expect(result.outcomes.length).toBeGreaterThan(0);
        const sum = sumOf(result.outcomes);
        expect(sum.isOne(), `sum is ${sum.toString()}`).toBe(true);
      }),
      { seed: 44, numRuns: 100 },
    );
  });
});

describe("generated kube-proxy cascades", () => {
  it("parse cleanly and trace's outcome probabilities sum to exactly 1", () => {
    fc.assert(
      fc.property(kubeCascade, fc.constantFrom("external", "local") as fc.Arbitrary<"external" | "local">, fc.boolean(), ({ text, ip, port }, from, hit) => {
        expect(errors(text).map((d) => `${d.line}:${d.column} ${d.id} ${d.message}`)).toEqual([]);
        const ruleset = load(parse(text).dump);
        const result = trace(ruleset, spec(ip, port, { from }), hit ? { assumeRecent: ["*"] } : {});
        const sum = sumOf(result.outcomes);
        expect(sum.isOne(), `sum is ${sum.toString()}`).toBe(true);
        // Every outcome has a positive probability.
        for (const o of result.outcomes) expect(o.probability.isZero()).toBe(false);
      }),
      { seed: 45, numRuns: 200 },
    );
  });
});
