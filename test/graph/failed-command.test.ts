/** KIPT2011 failed-command: reported exactly for the commands iptables-restore fails on (table in failed-command.cases.ts), by lint and by fmt. */
import { describe, expect, it } from "vitest";
import { prepareFormat } from "../../src/parallel/format-parallel.js";
import { findings, graphOf } from "./helpers.js";
import { commandDump, FAILED_COMMAND_CASES } from "./failed-command.cases.js";

describe("KIPT2011 failed-command", () => {
  it.each(FAILED_COMMAND_CASES.map((c) => [c.commands.join("; "), c] as const))("%s", async (_name, c) => {
    const ids = findings(commandDump(c)).map((f) => f.split(" ")[0]);
    expect(ids.includes("KIPT2011")).toBe(c.refused);
    // fmt, like iptables-restore --test, fails on it too.
    const fmt = await prepareFormat(commandDump(c), { file: "x" });
    expect(fmt.diagnostics.some((d) => d.id === "KIPT2011" && d.severity === "error")).toBe(c.refused);
  });

  it("points at the command and says what the tool says", () => {
    const text = commandDump({ commands: ["-I X 3 -j DROP"], refused: true });
    const d = graphOf(text).diagnostics.find((x) => x.id === "KIPT2011")!;
    expect(d.message).toContain("Index of insertion too big");
    expect([d.line, d.column]).toEqual([8, 1]);
  });
});
