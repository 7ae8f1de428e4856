/**
 * test/parser/icmp-type.cases.ts against the real iptables-restore and
 * iptables-save (ip6tables for ICMPv6), in a namespace this test creates and
 * deletes: refused exactly when the table says, printed as it says otherwise.
 * Skipped loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { ICMP_TYPE_CASES, icmpDump, icmpPrinted } from "../parser/icmp-type.cases.js";

const unavailable = oracleOrSkip("icmp type oracle");

describe.skipIf(unavailable !== null)("the tools read ICMP types as the table says", () => {
  it.each(ICMP_TYPE_CASES.map((c) => [c.v6 ? "--icmpv6-type" : "--icmp-type", c.arg, c] as const))("%s %s", (_option, _arg, c) => {
    const kernel = kernelSave(icmpDump(c), c.v6);
    if (c.printed === null) {
      expect(kernel.ok, kernel.ok ? kernel.saved : "").toBe(false);
      return;
    }
    expect(kernel.ok, kernel.ok ? "" : kernel.error).toBe(true);
    if (kernel.ok) expect(kernel.saved.split("\n")).toContain(icmpPrinted(c));
  });
});
