/**
 * test/parser/delete-by-number.cases.ts against the real iptables-restore, in
 * a namespace this test creates and deletes. Skipped loudly without root,
 * `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { DELETE_BY_NUMBER_CASES, deleteDump } from "../parser/delete-by-number.cases.js";

const unavailable = oracleOrSkip("delete-by-number oracle");

describe.skipIf(unavailable !== null)("iptables-restore refuses -D N with a rule spec", () => {
  it.each(DELETE_BY_NUMBER_CASES.map((c) => [c.line, c.refused] as const))("%s: refused %s", (line, refused) => {
    const kernel = kernelSave(deleteDump(line));
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(refused);
  });
});
