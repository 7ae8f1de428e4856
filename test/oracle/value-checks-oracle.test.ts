/**
 * The value-check table (test/parser/value-checks.cases.ts) against the real
 * iptables-restore, in namespaces this test creates and deletes. Skipped
 * loudly without root, `ip` or iptables; a case that needs an ipset is
 * skipped loudly where the ipset tool is missing.
 */
import { describe, expect, it } from "vitest";
import { kernelSaveWithObjects, oracleOrSkip } from "../../scripts/oracle.mjs";
import { VALUE_CHECK_CASES, valueCheckDump } from "../parser/value-checks.cases.js";

const unavailable = oracleOrSkip("value-checks oracle");

describe.skipIf(unavailable !== null)("iptables-restore refuses exactly the values the table says", () => {
  it.for(VALUE_CHECK_CASES.map((c) => [`${c.v6 ? "ip6 " : ""}${c.table ?? "filter"}: ${c.rule}`, c.refused, c] as const))("%s: refused %s", ([, refused, c], ctx) => {
    const text = valueCheckDump(c);
    // The ipsets a rule names exist first: the tool refuses a rule for a set it does not have.
    const { kernel, missing } = kernelSaveWithObjects(text, c.v6 === true);
    if (missing !== null) {
      console.warn(`SKIPPED (value-checks oracle): ${c.rule}: ${missing}`);
      ctx.skip();
    }
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(refused);
  });
});
