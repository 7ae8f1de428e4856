/**
 * The table behind KIPT1024 (test/parser/needs-protocol.cases.ts) against
 * the real iptables-restore, which loads each rule into a namespace this test
 * creates and deletes. Skipped loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { NEEDS_PROTOCOL_CASES } from "../parser/needs-protocol.cases.js";

const unavailable = oracleOrSkip("needs-protocol oracle");

describe.skipIf(unavailable !== null)("iptables-restore refuses exactly the rules the KIPT1024 table says", () => {
  it.each(NEEDS_PROTOCOL_CASES.map((c) => [c.spec, c.refused] as const))("%s: refused %s", (spec, refused) => {
    const kernel = kernelSave(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${spec}\nCOMMIT\n`);
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(refused);
  });
});
