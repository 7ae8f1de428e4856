/**
 * Hostile structure (issue #7): 100,000-deep nesting, a 64-level diamond
 * (2^64 paths), 100,000 chains jumping to one, a 100,000-chain loop and a
 * 10,000-endpoint statistic cascade, from bench/gen-hostile.mjs (the bench
 * times the CLI on the same dumps against the 2-second promise; tests do not
 * time anything). Here: lint, explain and trace finish on each with the right
 * answer, a finding where the kernel would refuse the dump, no stack
 * overflow, and work (trace's rule evaluations) linear in the dump.
 */
import { describe, expect, it } from "vitest";
import { HOSTILE_CASES } from "../../bench/gen-hostile.mjs";
import { explain } from "../../src/kube/explain.js";
import { lint } from "../../src/lint/run.js";
import { Fraction } from "../../src/math/fraction.js";
import type { TraceResult } from "../../src/trace/trace.js";
import { run } from "../trace/helpers.js";

/** kipt trace's arguments after the file: the destination, then `--src IP` when given. */
function traceCase(text: string, args: readonly string[]): TraceResult {
  const at = args.indexOf("--src");
  return run(text, args[0]!, at > 0 ? { src: args[at + 1]! } : {});
}

/** What trace must answer, per case. */
const VERDICTS: Record<string, (r: TraceResult) => void> = {
  "deep-100k": (r) => {
    expect(r.outcomes.map((o) => [o.verdict, o.probability.toString()])).toEqual([["ACCEPT", "1/1"]]);
    expect(r.outcomes[0]!.path.at(-1)!.depth).toBe(100_000);
  },
  "diamond-64": (r) => {
    // Each L_i chain reaches L64_A (DROP) with probability 1 - (1/2)^(64 - i)...; nearly everything is dropped.
    expect(r.outcomes.map((o) => o.verdict)).toEqual(["DROP", "ACCEPT"]);
    expect(r.outcomes[0]!.probability.toNumber()).toBeGreaterThan(0.999);
  },
  "fan-in-100k": (r) => {
    expect(r.outcomes.map((o) => [o.verdict, o.probability.toString()])).toEqual([["DROP", "1/1"]]);
    expect(r.outcomes[0]!.path.map((s) => s.chain)).toEqual(["FORWARD", "C50000", "TARGET"]);
  },
  "loop-100k": (r) => {
    expect(r.outcomes.map((o) => o.verdict)).toEqual(["UNKNOWN"]);
    expect(r.outcomes[0]!.uncertain.join()).toMatch(/loop/);
  },
  "delete-50k": (r) => {
    expect(r.outcomes.map((o) => [o.verdict, o.probability.toString()])).toEqual([["DROP", "1/1"]]);
    expect(r.outcomes[0]!.path.map((s) => s.chain)).toEqual(["FORWARD", "C25000"]);
  },
  "cascade-10k": (r) => {
    expect(r.outcomes).toHaveLength(10_000);
    expect(r.outcomes.every((o) => o.verdict === "ACCEPT" && o.dnat !== null && Math.abs(o.probability.toNumber() * 10_000 - 1) < 1e-4)).toBe(true);
  },
};

describe("hostile structures", () => {
  for (const c of HOSTILE_CASES) {
    describe(c.what, () => {
      const text = c.make();
      const lines = text.split("\n").length;

      it(`lint reports ${c.expect.length ? c.expect.join(", ") : "nothing wrong"}`, () => {
        const result = lint([{ file: "hostile.rules", text }]);
        const ids = new Set(result.findings.filter((f) => f.severity !== "info").map((f) => f.id));
        expect([...ids].sort()).toEqual([...c.expect].sort());
        // One line per finding, bounded: the loop and the nest are named once, not per chain.
        expect(result.findings.length).toBeLessThan(10);
        for (const f of result.findings) expect(f.message.length).toBeLessThan(600);
      }, 30_000);

      it("explain answers", () => {
        const e = explain(text, { file: "hostile.rules" });
        if (c.name === "cascade-10k") {
          const endpoints = e.kube.services.flatMap((s) => s.frontends.flatMap((f) => f.endpoints));
          expect(endpoints).toHaveLength(10_000);
          expect(endpoints.reduce((a, x) => a.add(x.kernel), Fraction.ZERO).toNumber()).toBeCloseTo(1, 12);
        } else expect(e.kube.services).toEqual([]);
      }, 30_000);

      it("trace answers in work linear in the dump", () => {
        const r = traceCase(text, c.trace);
        VERDICTS[c.name]!(r);
        expect(Math.abs(r.outcomes.reduce((a, o) => a.add(o.probability), Fraction.ZERO).toNumber() - 1)).toBeLessThan(1e-12);
        expect(r.steps).toBeLessThan(2 * lines);
      }, 30_000);
    });
  }
});
