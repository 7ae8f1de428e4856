/**
 * test/parser/address-lists.cases.ts against the real iptables-restore and
 * iptables-save, in a namespace this test creates and deletes. Skipped loudly
 * without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { ADDRESS_LIST_CASES, listDump } from "../parser/address-lists.cases.js";

const unavailable = oracleOrSkip("address lists oracle");

describe.skipIf(unavailable !== null)("iptables-restore adds the rules the address-list table says", () => {
  it.each(ADDRESS_LIST_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const kernel = kernelSave(listDump(c));
    if (c.saved === null) {
      expect(kernel.ok, kernel.ok ? kernel.saved : "").toBe(false);
      return;
    }
    expect(kernel.ok, kernel.ok ? "" : kernel.error).toBe(true);
    if (kernel.ok) expect(kernel.saved.split("\n").filter((l) => l.startsWith("-A "))).toEqual(c.saved);
  });
});
