/**
 * grammar/extensions/required.ts against the real iptables-restore: each
 * extension with required options, given bare (no options), is refused by
 * the tool and gets KIPT1026 from kipt; the same extension with one option
 * of each group is not KIPT1026. Namespaces are the test's own; skipped
 * loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { requiredMatchOptions, requiredTargetOptions } from "../../grammar/extensions/required.js";
import { parse } from "../../src/parser/parse.js";
import { inNamespace, oracleOrSkip, withNamespace } from "../../scripts/oracle.mjs";

const unavailable = oracleOrSkip("required-options oracle");

/** Where an extension can stand at all (NAT targets in nat, REJECT in filter, ...). */
function placeOf(kind: "match" | "target", name: string): { table: string; chain: string } {
  if (kind === "target" && name === "DNAT") return { table: "nat", chain: "PREROUTING" };
  if (kind === "target" && (name === "SNAT" || name === "NETMAP")) return { table: "nat", chain: "POSTROUTING" };
  return { table: "mangle", chain: "PREROUTING" };
}

const cases = [
  ...Object.keys(requiredMatchOptions).map((name) => ({ kind: "match" as const, name })),
  ...Object.keys(requiredTargetOptions).map((name) => ({ kind: "target" as const, name })),
];

describe.skipIf(unavailable !== null)("extensions given without a required option: iptables refuses them, kipt says KIPT1026", () => {
  it.each(cases.map((c) => [`${c.kind} ${c.name}`, c] as const))("%s", (_label, c) => {
    const { table, chain } = placeOf(c.kind, c.name);
    // The protocol the extension needs (KIPT1024 otherwise).
    const proto = c.name === "icmp" ? "icmp" : c.name === "icmp6" ? "icmpv6" : "tcp";
    const text = `*${table}\n-A ${chain} -p ${proto} ${c.kind === "match" ? "-m" : "-j"} ${c.name}\nCOMMIT\n`;
    const r = withNamespace((ns) => inNamespace(ns, ["iptables-restore"], text), "kipt-required");
    expect(r.status, r.stderr).not.toBe(0);
    expect(parse(text).diagnostics.map((d) => d.id)).toContain("KIPT1026");
  });
});
