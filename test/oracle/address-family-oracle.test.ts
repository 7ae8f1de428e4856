/**
 * The verdicts of test/parser/address-family.cases.ts against the real
 * iptables-restore / ip6tables-restore, in a namespace this test creates and
 * deletes. Skipped loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { ADDRESS_FAMILY_CASES } from "../parser/address-family.cases.js";

const unavailable = oracleOrSkip("address family oracle");

describe.skipIf(unavailable !== null)("the tools refuse exactly the addresses of the other family the table says", () => {
  it.each(ADDRESS_FAMILY_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const kernel = kernelSave(c.dump, c.v6);
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(c.refused);
    if (kernel.ok && c.saved !== undefined) expect(kernel.saved.split("\n").filter((l) => l.startsWith("-A "))).toEqual([c.saved]);
  });
});
