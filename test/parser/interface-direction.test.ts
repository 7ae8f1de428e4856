// iptables-restore refuses -i in OUTPUT/POSTROUTING and -o in INPUT/PREROUTING (built-in chains only).
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";

function codes(table: string, chains: string[], rule: string) {
  const text = [`*${table}`, ...chains.map((c) => `:${c} ${/^[A-Z]+$/.test(c) && c !== "MINE" ? "ACCEPT" : "-"} [0:0]`), rule, "COMMIT", ""].join("\n");
  const result = parse(text, { file: "x" });
  const rules = result.dump.tables[0]!.statements.filter((s) => s.kind === "rule");
  return { ids: result.diagnostics.map((d) => d.id), rules: rules.length, columns: result.diagnostics.map((d) => d.column) };
}

describe("interface-direction (KIPT1021)", () => {
  it.each([
    ["filter", "OUTPUT", "-A OUTPUT -i eth0 -j ACCEPT"],
    ["nat", "POSTROUTING", "-A POSTROUTING -i eth0 -j MASQUERADE"],
    ["filter", "INPUT", "-A INPUT -o eth0 -j ACCEPT"],
    ["nat", "PREROUTING", "-A PREROUTING ! -o eth0 -j ACCEPT"],
    ["mangle", "PREROUTING", "-A PREROUTING -o eth+ -j ACCEPT"],
  ])("%s %s: %s is an error and the rule is left out", (table, chain, rule) => {
    const r = codes(table, [chain], rule);
    expect(r.ids).toEqual(["KIPT1021"]);
    expect(r.rules).toBe(0);
  });

  it.each([
    ["filter", "INPUT", "-A INPUT -i eth0 -j ACCEPT"],
    ["filter", "FORWARD", "-A FORWARD -i eth0 -o eth1 -j ACCEPT"],
    ["filter", "OUTPUT", "-A OUTPUT -o eth0 -j ACCEPT"],
    ["nat", "POSTROUTING", "-A POSTROUTING -o eth0 -j MASQUERADE"],
    ["nat", "PREROUTING", "-A PREROUTING -i eth0 -j ACCEPT"],
  ])("%s %s: %s is fine", (table, chain, rule) => {
    expect(codes(table, [chain], rule)).toEqual({ ids: [], rules: 1, columns: [] });
  });

  it("is not reported in user chains, which iptables-restore does not check", () => {
    expect(codes("filter", ["INPUT", "MINE"], "-A MINE -o eth0 -j ACCEPT").ids).toEqual([]);
  });

  it("points at the interface option", () => {
    expect(codes("filter", ["INPUT"], "-A INPUT -p tcp -o eth0 -j ACCEPT").columns).toEqual([17]);
  });
});
