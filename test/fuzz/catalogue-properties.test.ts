/**
 * Properties over rules drawn from the whole extension catalogue
 * (catalogue-arbitraries.ts): every match and target kipt knows, random
 * option subsets, negations and typed values. Not every combination is one
 * iptables accepts, so the properties are the ones that must hold for any
 * input: kipt never throws; what it accepts without an error it prints in a
 * form it reads back without an error, to the same text (idempotence) and
 * the same rules (structure).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, load, parse } from "../../src/index.js";
import { catalogueDump } from "./catalogue-arbitraries.js";

const errorsOf = (text: string) => parse(text, { file: "cat.rules" }).diagnostics.filter((d) => d.severity === "error");

/** Per chain: how many rules, with which match names (sorted) and which target. */
function shape(text: string) {
  return load(parse(text, { file: "cat.rules" }).dump).tables.map((t) => t.chains.map((c) => ({ chain: c.name, rules: c.rules.map((r) => [r.matches.map((m) => m.name).sort().join(","), r.target?.name ?? null]) })));
}

describe("rules from the whole catalogue", () => {
  it("are parsed without throwing; what parses cleanly prints, re-parses cleanly, to the same text and rules", () => {
    let clean = 0;
    fc.assert(
      fc.property(catalogueDump, (text) => {
        const { dump } = parse(text, { file: "cat.rules" });
        const once = format(dump);
        if (errorsOf(text).length > 0) return; // a combination iptables would refuse too: only "no throw" applies
        clean++;
        expect(errorsOf(once).map((d) => `${d.line}:${d.column} ${d.id} ${d.message}`)).toEqual([]);
        expect(format(parse(once).dump)).toBe(once);
        expect(shape(once)).toEqual(shape(text));
      }),
      { seed: 48, numRuns: 600 },
    );
    // The generator must produce enough clean rules for the checks to mean something.
    expect(clean).toBeGreaterThan(30);
  });
});
