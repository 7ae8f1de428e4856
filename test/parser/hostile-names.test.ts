// Names from the input must never reach Object.prototype through a lookup table.
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype"];

describe("prototype-like names in a dump", () => {
  it.each(NAMES)("table, chain, match, target and unit named %s give diagnostics, never a crash", (name) => {
    const text = [
      `*${name}`,
      `:${name} - [0:0]`,
      "COMMIT",
      "*filter",
      ":INPUT ACCEPT [0:0]",
      `:${name} - [0:0]`,
      `-A INPUT -m ${name} --${name} 1 -j ${name}`,
      `-A INPUT -p ${name} -j ACCEPT`,
      `-A INPUT -m limit --limit 5/${name} -j ACCEPT`,
      `-A INPUT -p tcp --dport ${name} -j ACCEPT`,
      `-A ${name} -j ${name}`,
      "COMMIT",
      "",
    ].join("\n");
    const result = parse(text, { file: "x" });
    expect(result.diagnostics.some((d) => d.id === "KIPT1011")).toBe(true);
    expect(() => format(result.dump)).not.toThrow();
  });
});

describe("prototype-like names in a trace", () => {
  it.each(NAMES)("a match, tcp flag and icmp type named %s are evaluated as unknown, never a crash", async (name) => {
    const { load } = await import("../../src/model/load.js");
    const { trace } = await import("../../src/trace/index.js");
    const text = [
      "*filter",
      ":INPUT ACCEPT [0:0]",
      `-A INPUT -m ${name} -j DROP`,
      `-A INPUT -p tcp -m tcp --tcp-flags ${name} SYN -j DROP`,
      `-A INPUT -p icmp -m icmp --icmp-type ${name} -j DROP`,
      "COMMIT",
      "",
    ].join("\n");
    const ruleset = load(parse(text, { file: "x" }).dump);
    const spec = { dst: "10.0.0.1", dport: 80, proto: "tcp", src: null, sport: null, from: "external", inIface: null, outIface: null, nodeIps: ["10.0.0.1"], mark: 0, ctstate: "NEW" } as const;
    const result = trace(ruleset, spec);
    expect(result.outcomes.length).toBeGreaterThan(0);
  });
});

describe("the empty chain name", () => {
  // The parser remembers the last chain name it looked up; that memory must not
  // answer for "" (a fresh parser) or carry over into the next table (found in review).
  it.each([
    ["first table", '*filter\n-A "" -j ACCEPT\nCOMMIT\n', 2],
    ["after a table whose chain was looked up", '*filter\n:X - [0:0]\n-A X -j ACCEPT\nCOMMIT\n*nat\n-A "" -j ACCEPT\nCOMMIT\n', 6],
  ])("-A \"\" (%s) is an undeclared chain, not the chain looked up before", (_what, text, line) => {
    const result = parse(text, { file: "x" });
    expect(result.diagnostics.map((d) => `${d.line}:${d.id}`)).toEqual([`${line}:KIPT1008`]);
    expect(format(result.dump)).not.toContain('-A X -j ACCEPT\nCOMMIT\n# ');
    const nat = result.dump.tables.at(-1)!;
    expect(nat.statements.filter((s) => s.kind === "rule")).toHaveLength(0);
  });
});
