/**
 * The table behind KIPT2010 (test/graph/wrong-place.cases.ts) against the
 * real iptables-restore, each dump loaded in a namespace this test creates
 * and deletes. Skipped loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSaveWithObjects, oracleOrSkip } from "../../scripts/oracle.mjs";
import { placeDump, WRONG_PLACE_CASES } from "../graph/wrong-place.cases.js";

const unavailable = oracleOrSkip("wrong-place oracle");

describe.skipIf(unavailable !== null)("iptables-restore refuses exactly the dumps the KIPT2010 table says", () => {
  it.for(WRONG_PLACE_CASES.map((c) => [`${c.v6 ? "ip6 " : ""}${c.table}: ${c.rules.join("; ")}`, c] as const))("%s", ([, c], ctx) => {
    const text = placeDump(c);
    // The ipsets a rule names exist first: the tool refuses a rule for a set it does not have.
    const { kernel, missing } = kernelSaveWithObjects(text, c.v6 === true);
    if (missing !== null) {
      console.warn(`SKIPPED (wrong-place oracle): ${c.rules.join("; ")}: ${missing}`);
      ctx.skip();
    }
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(c.refused);
  });
});
