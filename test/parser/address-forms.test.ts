/**
 * Addresses as iptables reads them (xtables numeric_to_ipaddr): parts in C's
 * base 0 (octal with a leading zero, hex with 0x), short forms filled with
 * zeros, prefix lengths in base 0 too. The AST holds the address in plain
 * dotted-quad form and the raw spelling in `text`; kipt fmt prints what
 * iptables-save prints (test/oracle/corpus/address-forms.rules holds these
 * against the real tool).
 */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";

const rule = (spec: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${spec} -j DROP\nCOMMIT\n`;

function source(spec: string) {
  const { dump, diagnostics } = parse(rule(spec));
  const r = dump.tables[0]!.statements.find((s) => s.kind === "rule");
  return { diagnostics: diagnostics.map((d) => `${d.id} ${d.severity}`), value: r && r.kind === "rule" ? r.source?.value ?? null : null, printed: format(dump).split("\n").find((l) => l.startsWith("-A ")) };
}

describe("IPv4 address forms", () => {
  it.each([
    ["-s 0/0", "0.0.0.0", 0, "-A INPUT -j DROP"],
    ["-s 10/8", "10.0.0.0", 8, "-A INPUT -s 10.0.0.0/8 -j DROP"],
    ["-s 192.168/16", "192.168.0.0", 16, "-A INPUT -s 192.168.0.0/16 -j DROP"],
    ["-s 10.1", "10.1.0.0", 32, "-A INPUT -s 10.1.0.0/32 -j DROP"],
    ["-s 010.0.0.1", "8.0.0.1", 32, "-A INPUT -s 8.0.0.1/32 -j DROP"],
    ["-s 0x0a.0x1.2.3", "10.1.2.3", 32, "-A INPUT -s 10.1.2.3/32 -j DROP"],
    ["-s 172.16.0.0/012", "172.16.0.0", 10, "-A INPUT -s 172.0.0.0/10 -j DROP"],
    ["-s 1.2.3.4/0377.0377.0.0", "1.2.3.4", 16, "-A INPUT -s 1.2.0.0/16 -j DROP"],
  ])("%s is %s/%i", (spec, address, prefix, printed) => {
    const r = source(spec);
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toMatchObject({ family: "ipv4", address, prefixLength: prefix, text: spec.slice(3) });
    expect(r.printed).toBe(printed);
  });

  it.each([["-s 08.1.1.1"], ["-s 1.2.3.4.5"], ["-s 256/8"], ["-s 10/041"], ["-s 0x100.1.1.1"]])("%s is an error", (spec) => {
    expect(source(spec).diagnostics).toEqual(["KIPT1004 error"]);
  });
});
