/**
 * The table behind KIPT1024's NAT ports and KIPT1029 (test/parser/nat-checks.cases.ts)
 * against the real iptables-restore / ip6tables-restore, which load each case
 * into a namespace this test creates and deletes. Skipped loudly without
 * root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { NAT_CHECK_CASES, natDump } from "../parser/nat-checks.cases.js";

const unavailable = oracleOrSkip("nat checks oracle");

describe.skipIf(unavailable !== null)("iptables-restore refuses exactly the nat rules the table says", () => {
  it.each(NAT_CHECK_CASES.map((c) => [c.line, c.v6 ? "v6" : "v4", c] as const))("%s (%s)", (_line, _family, c) => {
    const kernel = kernelSave(natDump(c), !!c.v6);
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(c.refused);
  });
});
