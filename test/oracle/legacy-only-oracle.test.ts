/**
 * KIPT1028 against the real tools, in namespaces this test creates and
 * deletes: `-j QUEUE`, `-R` of a rule the input added and `-E` of a chain
 * it made are refused by the nf_tables back end (`-R` crashes it) and
 * applied by legacy iptables, whose iptables-save prints exactly what kipt
 * fmt prints (kipt: warning); `-j NFQUEUE --queue-num 0`, the fix the QUEUE
 * warning names, loads with both and draws nothing. Skipped loudly without root, `ip` or
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

  for (const [what, lines] of [
    ["-R of a rule the input added", ["-A INPUT -s 10.0.0.1/32 -j ACCEPT", "-R INPUT 2 -s 10.0.0.2/32 -j DROP"]],
    ["-E of a chain the input made", [":A - [0:0]", "-A INPUT -j A", "-A A -j ACCEPT", "-E A B"]],
  ] as const) {
    it(`${what}: nf_tables fails on it, legacy applies it and prints what kipt fmt prints`, () => {
      const text = `${HEAD}${lines.filter((l) => l.startsWith(":")).join("\n")}\n-A INPUT -i lo -j ACCEPT\n${lines.filter((l) => !l.startsWith(":")).join("\n")}\nCOMMIT\n`.replace("\n\n", "\n");
      const nft = load("iptables", text);
      expect(nft.ok).toBe(false);
      const old = load("iptables-legacy", text);
      expect(old.ok, old.error).toBe(true);
      const { dump: ast, diagnostics } = parse(text);
      expect(diagnostics.map((d) => [d.id, d.severity])).toEqual([["KIPT1028", "warning"]]);
      expect(rulesOf(format(ast))).toBe(rulesOf(old.saved));
      expect(format(ast).split("\n").filter((l) => l.startsWith(":"))).toEqual(old.saved.split("\n").filter((l) => l.startsWith(":")));
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
