/**
 * The table behind KIPT2011 (test/graph/failed-command.cases.ts) against the
 * real iptables-restore, each dump loaded in a namespace this test creates
 * and deletes. Skipped loudly without root, `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { commandDump, FAILED_COMMAND_CASES } from "../graph/failed-command.cases.js";

const unavailable = oracleOrSkip("failed-command oracle");

describe.skipIf(unavailable !== null)("iptables-restore fails on exactly the commands the KIPT2011 table says", () => {
  it.each(FAILED_COMMAND_CASES.map((c) => [c.commands.join("; "), c] as const))("%s", (_name, c) => {
    const kernel = kernelSave(commandDump(c));
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(c.refused);
  });
});

describe.skipIf(unavailable !== null)("rule numbers: iptables takes 1 to 2147483647, kipt says KIPT1004 past that", () => {
  it.each([
    ["-I X 2147483648 -j DROP", true],
    ["-D X 4294967297", true],
    ["-R X 2147483648 -j DROP", true],
    ["-I X 1 -j DROP", false],
  ] as const)("%s: refused %s", (command, refused) => {
    const text = commandDump({ commands: [command], refused });
    const kernel = kernelSave(text);
    expect(!kernel.ok, kernel.ok ? "loaded" : kernel.error).toBe(refused);
    expect(parse(text).diagnostics.some((d) => d.id === "KIPT1004")).toBe(refused);
  });
});
