/** KIPT1004 for an address of the other family than the dump's (cases in address-family.cases.ts). */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { prepareFormat } from "../../src/parallel/format-parallel.js";
import { ADDRESS_FAMILY_CASES } from "./address-family.cases.js";

describe("an address of the other family", () => {
  it.each(ADDRESS_FAMILY_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const expected = c.refused ? ["KIPT1004"] : [];
    for (const options of [{}, { ruleSkeletons: false, lineTemplates: false }]) {
      const errors = parse(c.dump, options).diagnostics.filter((d) => d.severity === "error").map((d) => d.id);
      expect(errors).toEqual(expected);
    }
    // fmt's short cut learns shapes too.
    const prepared = await prepareFormat(c.dump, { file: "x" });
    expect(prepared.diagnostics.filter((d) => d.severity === "error").map((d) => d.id)).toEqual(expected);
    if (c.saved !== undefined) {
      let printed = "";
      prepared.write((piece) => {
        printed += piece;
      });
      expect(printed.split("\n").filter((l) => l.startsWith("-A "))).toEqual([c.saved]);
    }
  });

  it("says which family the dump is and why", () => {
    const [d] = parse(ADDRESS_FAMILY_CASES[0]!.dump).diagnostics;
    expect(d?.message).toBe(`'::1/128' is an IPv6 address, and this dump is IPv4 (from its iptables-save header, or its first address); iptables-restore refuses it ("host/network \`::1/128' not found")`);
  });
});
