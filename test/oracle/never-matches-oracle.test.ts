/**
 * KIPT1023 against the real tools, in namespaces this test creates and
 * deletes: `! -p all` is refused by both back ends (kipt: error, the rule
 * left out); a negated /0 address is refused by nf_tables and loaded by
 * legacy iptables, whose iptables-save prints exactly what kipt fmt prints
 * (kipt: warning). Skipped loudly without root, `ip` or iptables-legacy.
 */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";
import { legacyAvailable, oracleOrSkip, restoreWith } from "../../scripts/oracle.mjs";

const unavailable = oracleOrSkip("never-matches-oracle", legacyAvailable() ? null : "iptables-legacy-restore not found");

const HEAD = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
const dump = (rule: string) => `${HEAD}-A INPUT -i lo -j ACCEPT\n${rule}\nCOMMIT\n`;

const load = (tool: "iptables" | "iptables-legacy", text: string) => restoreWith(tool, text, "kipt-never");

const rulesOf = (saved: string) => saved.split("\n").filter((l) => l.startsWith("-A ")).join("\n");

describe.skipIf(unavailable !== null)("KIPT1023 never-matches against the kernel", () => {
  for (const rule of ["-A INPUT ! -p all -j ACCEPT", "-A INPUT ! -p 0 -j DROP"]) {
    it(`${rule}: both back ends refuse it, kipt says error and leaves the rule out`, () => {
      const text = dump(rule);
      expect(load("iptables", text).ok).toBe(false);
      expect(load("iptables-legacy", text).error).toMatch(/never match protocol/);
      const { dump: ast, diagnostics } = parse(text);
      expect(diagnostics.map((d) => [d.id, d.severity])).toEqual([["KIPT1023", "error"]]);
      expect(ast.tables[0]!.statements.filter((s) => s.kind === "rule")).toHaveLength(1);
    });
  }

  for (const rule of ["-A INPUT ! -s 0.0.0.0/0 -j DROP", "-A INPUT ! -d 0.0.0.0/0 -p tcp -j LOG --log-prefix x", "-A INPUT ! -s 0/0 -j DROP"]) {
    it(`${rule}: nf_tables refuses it, legacy loads it and prints what kipt fmt prints`, () => {
      const text = dump(rule);
      const nft = load("iptables", text);
      expect(nft.ok).toBe(false);
      expect(nft.error).toMatch(/Invalid argument/);
      const old = load("iptables-legacy", text);
      expect(old.ok, old.error).toBe(true);
      const { dump: ast, diagnostics } = parse(text);
      expect(diagnostics.map((d) => [d.id, d.severity])).toEqual([["KIPT1023", "warning"]]);
      expect(rulesOf(format(ast))).toBe(rulesOf(old.saved));
    });
  }
});
