/** `summarizeRule`: the short form of a rule's conditions used on edge labels. */
import { describe, expect, it } from "vitest";
import type { RuleNode } from "../../src/ast/types.js";
import { summarizeRule } from "../../src/graph/summary.js";
import { parse } from "../../src/parser/parse.js";
import { filterDump } from "./helpers.js";

function summary(rule: string): string {
  const { dump, diagnostics } = parse(filterDump(["X"], [rule]), { file: "t" });
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const node = dump.tables[0]!.statements.find((s): s is RuleNode => s.kind === "rule")!;
  return summarizeRule(node);
}

describe("summarizeRule", () => {
  it.each([
    ["-A INPUT -j X", ""],
    ["-A INPUT -d 10.0.33.45/32 -p tcp -m tcp --dport 80 -j X", "-d 10.0.33.45/32 tcp dpt:80"],
    ["-A INPUT -d 10.0.33.45 -p tcp --dport 80 -j X", "-d 10.0.33.45/32 tcp dpt:80"],
    ["-A INPUT ! -s 10.240.0.0/16 -j X", "! -s 10.240.0.0/16"],
    ["-A INPUT -s 0.0.0.0/0 -j X", ""],
    ["-A FORWARD -i eth0 ! -o lo -j X", "-i eth0 ! -o lo"],
    ["-A INPUT -p udp -m udp --sport 53 ! --dport 1024:65535 -j X", "udp spt:53 ! dpt:1024:65535"],
    ["-A INPUT -p tcp -j X", "tcp"],
    ["-A INPUT -m statistic --mode random --probability 0.50000000000 -j X", "statistic p=0.5"],
    ["-A INPUT -m statistic --mode random --probability 0.33333333349 -j X", "statistic p=0.33333333349"],
    ["-A INPUT -m statistic --mode nth --every 3 --packet 1 -j X", "statistic every 3 packet 1"],
    ["-A INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED -j X", "! ctstate RELATED,ESTABLISHED"],
    ["-A INPUT -m mark --mark 0x4000/0x4000 -j X", "mark 0x4000/0x4000"],
    ["-A INPUT -m addrtype --dst-type LOCAL -j X", "addrtype dst-type LOCAL"],
    ["-A INPUT -p tcp -m multiport --dports 80,443 -j X", "tcp multiport dports 80,443"],
    ["-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j X", "tcp flags:FIN,SYN,RST,ACK/SYN"],
    ["-A INPUT -m recent --update --seconds 60 --hitcount 4 --name SSH --mask 255.255.255.255 --rsource -j X", "recent update seconds 60 hitcount 4 name SSH"],
    ["-A INPUT -m recent --rcheck --name SSH --mask 255.255.255.0 --rdest -j X", "recent rcheck name SSH mask 255.255.255.0 rdest"],
    ['-A INPUT -m comment --comment "default/nginx:web" -j X', "/* default/nginx:web */"],
    ['-A INPUT -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j X', ""],
    ['-A INPUT -s 10.240.0.28/32 -m comment --comment "default/nginx:web" -j X', "-s 10.240.0.28/32 /* default/nginx:web */"],
  ])("%s -> %j", (rule, expected) => {
    expect(summary(rule)).toBe(expected);
  });

  it("keeps hostile text as it is (escaping is the renderer's job)", () => {
    expect(summary('-A INPUT -m comment --comment "a\\"b" -j X')).toBe('/* a"b */');
  });
});
