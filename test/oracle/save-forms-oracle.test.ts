/**
 * test/format/save-forms.cases.ts against the real iptables-restore and
 * iptables-save, in a namespace this test creates and deletes. Skipped loudly
 * without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { SAVE_FORM_CASES, saveFormDump } from "../format/save-forms.cases.js";

const unavailable = oracleOrSkip("save forms oracle");

describe.skipIf(unavailable !== null)("iptables-save prints the forms the tables say", () => {
  it.each(SAVE_FORM_CASES.map((c) => [c.rule, c.saved] as const))("%s", (rule, saved) => {
    const kernel = kernelSave(saveFormDump(rule));
    expect(kernel.ok, kernel.ok ? "" : kernel.error).toBe(true);
    if (kernel.ok) expect(kernel.saved.split("\n").filter((l) => l.startsWith("-A "))).toEqual([saved]);
  });
});
