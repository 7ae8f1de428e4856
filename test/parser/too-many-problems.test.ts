/**
 * KIPT1022: past MAX_DIAGNOSTICS problems, the parser counts instead of
 * listing (memory and output stay bounded on a binary file), but goes on
 * parsing: every valid line is still in the AST, and the severity of what
 * was not listed is kept, so the exit code does not change.
 */
import { describe, expect, it } from "vitest";
import { MAX_DIAGNOSTICS, parse } from "../../src/parser/parse.js";

const HEAD = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];

function rules(dump: ReturnType<typeof parse>["dump"]): number {
  return dump.tables.flatMap((t) => t.statements).filter((s) => s.kind === "rule").length;
}

describe("KIPT1022 too-many-problems", () => {
  it("lists the first 10,000 problems, counts the rest in one line, and still parses the valid rules after them", () => {
    const broken = MAX_DIAGNOSTICS + 2_500;
    const lines = [...HEAD];
    for (let i = 0; i < broken; i++) lines.push(`-A INPUT -p tcp --dport 22 -j ACCEPT extra${i}`, "-A INPUT -s 10.0.0.1 -j DROP");
    lines.push("COMMIT", "");
    const { dump, diagnostics } = parse(lines.join("\n"), { file: "many.rules" });
    expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    const last = diagnostics.at(-1)!;
    expect(last).toMatchObject({ id: "KIPT1022", severity: "error", line: HEAD.length + 1 + 2 * MAX_DIAGNOSTICS });
    expect(last.message).toBe(`2500 more problems from here on are not reported: kipt keeps the first ${MAX_DIAGNOSTICS} (is this an iptables-save dump?)`);
    expect(diagnostics.slice(0, -1).every((d) => d.id !== "KIPT1022")).toBe(true);
    // The good line of every pair is kept, before and after the limit.
    expect(rules(dump)).toBe(broken);
  });

  it("keeps the severity of what it did not list: warnings past the limit stay a warning", () => {
    const lines = [...HEAD];
    for (let i = 0; i < MAX_DIAGNOSTICS + 10; i++) lines.push(`-A INPUT -m nosuchmatch${i % 3} --x 1 -j ACCEPT`);
    lines.push("COMMIT", "");
    const { dump, diagnostics } = parse(lines.join("\n"), { file: "warn.rules" });
    expect(diagnostics.every((d) => d.severity === "warning")).toBe(true);
    expect(diagnostics.at(-1)).toMatchObject({ id: "KIPT1022", severity: "warning" });
    expect(rules(dump)).toBe(MAX_DIAGNOSTICS + 10);
  });

  it("a random binary input gives at most 10,001 diagnostics", () => {
    let seed = 7;
    const bytes = new Uint8Array(8_000_000); // about 19,000 lines of garbage
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const text = new TextDecoder().decode(bytes);
    const { diagnostics } = parse(text, { file: "random.bin" });
    expect(diagnostics.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS + 1);
    expect(diagnostics.at(-1)!.id).toBe("KIPT1022");
  });
});
