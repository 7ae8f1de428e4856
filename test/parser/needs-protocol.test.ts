/** KIPT1024 needs-protocol: reported exactly for the rules iptables refuses (table in needs-protocol.cases.ts). */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { NEEDS_PROTOCOL_CASES } from "./needs-protocol.cases.js";

describe("KIPT1024 needs-protocol", () => {
  it.each(NEEDS_PROTOCOL_CASES.map((c) => [c.spec, c.refused] as const))("%s: refused %s", (spec, refused) => {
    const { dump, diagnostics } = parse(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${spec}\nCOMMIT\n`);
    const errors = diagnostics.filter((d) => d.severity === "error").map((d) => d.id);
    if (spec.includes(",16 ")) expect(errors).toEqual(["KIPT1004"]); // too many ports: a bad value, not a missing protocol
    else expect(errors).toEqual(refused ? ["KIPT1024"] : []);
    expect(dump.tables[0]!.statements.filter((s) => s.kind === "rule")).toHaveLength(refused ? 0 : 1);
  });
});
