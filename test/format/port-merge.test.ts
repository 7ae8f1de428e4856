/** Several tcp/udp matches print as one, as iptables-save (nf_tables) prints them (cases in port-merge.cases.ts). */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";
import { ANY_INTERFACE_CASES, OPTION_PREFIX_CASES, PORT_MERGE_CASES, portMergeDump } from "./port-merge.cases.js";

describe("tcp and udp matches merged as nf_tables prints them", () => {
  it.each([...PORT_MERGE_CASES, ...ANY_INTERFACE_CASES, ...OPTION_PREFIX_CASES].map((c) => [c.rule, c.saved] as const))("%s", (rule, saved) => {
    const parsed = parse(portMergeDump(rule));
    expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(format(parsed.dump).split("\n").filter((l) => l.startsWith("-A "))).toEqual([saved]);
    // What is printed prints back the same.
    expect(format(parse(portMergeDump(saved)).dump).split("\n").filter((l) => l.startsWith("-A "))).toEqual([saved]);
  });
});
