/**
 * The value-check table (test/parser/value-checks.cases.ts) against the real
 * iptables-restore, in namespaces this test creates and deletes. Skipped
 * loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleAvailable } from "../../scripts/oracle.mjs";
import { VALUE_CHECK_CASES } from "../parser/value-checks.cases.js";

const unavailable = oracleAvailable();
if (unavailable) console.warn(`\n${"=".repeat(72)}\n  SKIPPED: value-checks oracle cannot run: ${unavailable}.\n${"=".repeat(72)}\n`);

describe.skipIf(unavailable !== null)("iptables-restore refuses exactly the values the table says", () => {
  it.each(VALUE_CHECK_CASES.map((c) => [c.rule, c.refused] as const))("%s: refused %s", (rule, refused) => {
    const kernel = kernelSave(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`);
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(refused);
  });
});
