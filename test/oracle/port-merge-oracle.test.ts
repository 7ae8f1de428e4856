/**
 * test/format/port-merge.cases.ts against the real iptables-restore and
 * iptables-save, in a namespace this test creates and deletes. Skipped loudly
 * without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { ANY_INTERFACE_CASES, OPTION_PREFIX_CASES, PORT_MERGE_CASES, portMergeDump } from "../format/port-merge.cases.js";

const unavailable = oracleOrSkip("port merge oracle");

describe.skipIf(unavailable !== null)("iptables-save prints the merged matches the table says", () => {
  it.each([...PORT_MERGE_CASES, ...ANY_INTERFACE_CASES, ...OPTION_PREFIX_CASES].map((c) => [c.rule, c.saved] as const))("%s", (rule, saved) => {
    const kernel = kernelSave(portMergeDump(rule));
    expect(kernel.ok, kernel.ok ? "" : kernel.error).toBe(true);
    if (kernel.ok) expect(kernel.saved.split("\n").filter((l) => l.startsWith("-A "))).toEqual([saved]);
  });
});
