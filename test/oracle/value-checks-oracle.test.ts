/**
 * The value-check table (test/parser/value-checks.cases.ts) against the real
 * iptables-restore, in namespaces this test creates and deletes. Skipped
 * loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { VALUE_CHECK_CASES, valueCheckDump } from "../parser/value-checks.cases.js";

const unavailable = oracleOrSkip("value-checks oracle");

describe.skipIf(unavailable !== null)("iptables-restore refuses exactly the values the table says", () => {
  it.each(VALUE_CHECK_CASES.map((c) => [`${c.table ?? "filter"}: ${c.rule}`, c.refused, c] as const))("%s: refused %s", (_name, refused, c) => {
    const kernel = kernelSave(valueCheckDump(c));
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(refused);
  });
});
