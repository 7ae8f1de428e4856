/**
 * KIPT1028 against the real tools, in namespaces this test creates and
 * deletes: `-j QUEUE` is refused by the nf_tables back end and loaded by
 * legacy iptables, whose iptables-save prints exactly what kipt fmt prints
 * (kipt: warning); `-j NFQUEUE --queue-num 0`, the fix the warning names,
 * loads with both and draws nothing. Skipped loudly without root, `ip` or
 * iptables-legacy.
 */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";
import { legacyAvailable, oracleOrSkip, restoreWith } from "../../scripts/oracle.mjs";

const unavailable = oracleOrSkip("legacy-only-oracle", legacyAvailable() ? null : "iptables-legacy-restore not found");

const HEAD = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
const dump = (rule: string) => `${HEAD}-A INPUT -i lo -j ACCEPT\n${rule}\nCOMMIT\n`;

const load = (tool: "iptables" | "iptables-legacy", text: string) => restoreWith(tool, text, "kipt-legacy");

const rulesOf = (saved: string) => saved.split("\n").filter((l) => l.startsWith("-A ")).join("\n");

describe.skipIf(unavailable !== null)("KIPT1028 legacy-only against the kernel", () => {
  for (const rule of ["-A INPUT -j QUEUE", "-A INPUT -p tcp -m tcp --dport 8080 -j QUEUE"]) {
    it(`${rule}: nf_tables refuses it, legacy loads it and prints what kipt fmt prints`, () => {
      const text = dump(rule);
      const nft = load("iptables", text);
      expect(nft.ok).toBe(false);
      expect(nft.error).toMatch(/RULE_APPEND failed \(No such file or directory\)/);
      const old = load("iptables-legacy", text);
      expect(old.ok, old.error).toBe(true);
      const { dump: ast, diagnostics } = parse(text);
      expect(diagnostics.map((d) => [d.id, d.severity])).toEqual([["KIPT1028", "warning"]]);
      expect(rulesOf(format(ast))).toBe(rulesOf(old.saved));
    });
  }

  it("-j NFQUEUE --queue-num 0 (the fix) loads with both back ends and draws nothing", () => {
    const text = dump("-A INPUT -p tcp -m tcp --dport 8080 -j NFQUEUE --queue-num 0");
    const nft = load("iptables", text);
    expect(nft.ok, nft.error).toBe(true);
    const old = load("iptables-legacy", text);
    expect(old.ok, old.error).toBe(true);
    const { dump: ast, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(rulesOf(format(ast))).toBe(rulesOf(nft.saved));
  });
});
