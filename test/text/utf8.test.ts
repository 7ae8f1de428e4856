import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Length, utf8Prefix } from "../../src/text/utf8.js";
import { parse } from "../../src/parser/parse.js";
import { format } from "../../src/format/format.js";

describe("UTF-8 lengths", () => {
  it("utf8Length is what Buffer.byteLength counts, lone surrogates included", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => utf8Length(s) === Buffer.byteLength(s, "utf8")));
    expect(utf8Length("é€😀")).toBe(2 + 3 + 4);
  });

  it("utf8Prefix is the longest start within the limit that ends on a whole character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.nat(40), (s, limit) => {
        const p = utf8Prefix(s, limit);
        expect(s.startsWith(p)).toBe(true);
        expect(utf8Length(p)).toBeLessThanOrEqual(limit);
        if (p.length < s.length) {
          // One more character (a surrogate pair is one) would pass the limit.
          const next = s.codePointAt(p.length)!;
          expect(utf8Length(s.slice(0, p.length + (next > 0xffff ? 2 : 1)))).toBeGreaterThan(limit);
        }
      }),
    );
    expect(utf8Prefix("aé€", 3)).toBe("aé");
    expect(utf8Prefix("aé€", 5)).toBe("aé");
    expect(utf8Prefix("aé€", 6)).toBe("aé€");
  });
});

describe("values the kernel cuts (KIPT1027)", () => {
  const dump = (rule: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`;

  it("warns past the limit, not at it, and fmt prints what iptables-save prints", () => {
    const at = parse(dump(`-j LOG --log-prefix "${"a".repeat(29)}"`));
    expect(at.diagnostics).toEqual([]);
    const past = parse(dump(`-j LOG --log-prefix "dropped by the host firewall: "`));
    expect(past.diagnostics.map((d) => [d.id, d.severity, d.column])).toEqual([["KIPT1027", "warning", 30]]);
    expect(past.diagnostics[0]!.message).toBe("--log-prefix: the value is 30 bytes long and the kernel keeps 29; iptables-restore silently cuts it to 'dropped by the host firewall:'");
    expect(format(past.dump)).toContain('-A INPUT -j LOG --log-prefix "dropped by the host firewall:"\n');
  });

  it("counts bytes, and cuts before a character the limit splits", () => {
    const r = parse(dump(`-m helper --helper ${"a".repeat(28)}é`));
    expect(r.diagnostics.map((d) => d.id)).toEqual(["KIPT1027"]);
    expect(format(r.dump)).toContain(`-A INPUT -m helper --helper ${"a".repeat(28)}\n`);
  });
});
