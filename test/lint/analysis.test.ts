/** The containment helpers under the shadowed-rule check, and the per-chain work budget. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyseChainOrder } from "../../src/lint/analysis/chain-order.js";
import { complementPorts, intersectPorts, normalizePorts, portsSubset, type PortSet } from "../../src/net/port-set.js";
import { lintNode } from "../../src/lint/run.js";
import { filterTable } from "./rule-tester.js";

const ranges = fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })), { maxLength: 6 });
const has = (set: PortSet, p: number) => set.some(([a, b]) => a <= p && p <= b);
const probes = fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 1, maxLength: 20 });

describe("port sets", () => {
  it("normalize, complement and intersect agree with membership", () => {
    fc.assert(
      fc.property(ranges, ranges, probes, (x, y, ps) => {
        const a = normalizePorts(x);
        const b = normalizePorts(y);
        for (const p of [...ps, 0, 65535]) {
          expect(has(complementPorts(a), p)).toBe(!has(a, p));
          expect(has(intersectPorts(a, b), p)).toBe(has(a, p) && has(b, p));
        }
        if (portsSubset(a, b)) for (const p of ps) if (has(a, p)) expect(has(b, p)).toBe(true);
      }),
    );
  });

  it("merges adjacent ranges", () => {
    expect(normalizePorts([[5, 9], [1, 4], [20, 20]])).toEqual([[1, 9], [20, 20]]);
    expect(complementPorts([[0, 65535]])).toEqual([]);
  });
});

describe("work budget", () => {
  // Port ranges: nothing the index can separate.
  const dump = filterTable(...Array.from({ length: 50 }, (_, i) => `-A INPUT -p tcp -m tcp --dport ${i * 10}:${i * 10 + 5} -j ACCEPT`), "-A INPUT -p tcp -m tcp --dport 71:72 -j DROP");
  it("finds the shadowed rule with enough budget", () => {
    expect(analyseChainOrder(lintNode({ file: "d", text: dump })).shadowed.map((f) => [f.position, f.causePosition])).toEqual([[51, 8]]);
  });
  it("stays silent past the budget", () => {
    expect(analyseChainOrder(lintNode({ file: "d", text: dump }), 100).shadowed).toEqual([]);
  });
});
