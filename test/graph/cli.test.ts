/**
 * `kipt graph` through the CLI's `main` (in process, so no build is
 * needed): formats, selections, and the documented exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { filterDump } from "./helpers.js";
import { runMain } from "../cli/run-main.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nginx = path.join(root, "samples/nginx.txt");
const dir = mkdtempSync(path.join(tmpdir(), "kipt-graph-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const run = (...args: string[]) => runMain("graph", ...args);

describe("kipt graph", () => {
  it("prints DOT by default, exit 0", async () => {
    const r = await run(nginx);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.startsWith("digraph kipt {\n")).toBe(true);
    expect(r.stdout).toContain('subgraph "cluster_mangle"');
  });

  it("-f mermaid and -f json", async () => {
    const mmd = await run(nginx, "-f", "mermaid", "--table", "filter");
    expect(mmd.code).toBe(0);
    expect(mmd.stdout.startsWith("flowchart LR\n")).toBe(true);
    const json = await run(nginx, "--format", "json", "--table", "nat", "--from", "KUBE-SVC-YK2SNH4V42VSDWIJ");
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.nodes.map((n: { chain: string }) => n.chain)).toEqual(["KUBE-MARK-MASQ", "KUBE-SEP-B4KBD76YHXMJL4VO", "KUBE-SEP-V73B5NNFXA6V3U7A", "KUBE-SVC-YK2SNH4V42VSDWIJ"]);
    expect(parsed.diagnostics).toEqual([]);
  });

  it("exit 1 on graph errors, still printing the graph and one line per finding", async () => {
    const p = file("undefined.rules", filterDump([], ["-A INPUT -j NOSUCH"]));
    const r = await run(p);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("digraph kipt");
    expect(r.stderr).toBe(`${p}:5:10: error: '-j' target 'NOSUCH' is neither a target extension nor a chain of table 'filter' [KIPT2001]\n`);
  });

  it("JSON carries the findings instead of printing them", async () => {
    const p = file("loop.rules", filterDump(["A"], ["-A INPUT -j A", "-A A -j A"]));
    const r = await run(p, "-f", "json");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).diagnostics.map((d: { id: string }) => d.id)).toEqual(["KIPT2003"]);
  });

  it("exit 0 with a warning only", async () => {
    const p = file("dead.rules", filterDump(["DEAD"], ["-A DEAD -j DROP"]));
    const r = await run(p);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: chain 'DEAD'");
  });

  it("findings of other tables do not count with --table", async () => {
    const nat = ["*nat", ":PREROUTING ACCEPT [0:0]", "COMMIT", ""].join("\n");
    const p = file("two.rules", nat + filterDump([], ["-A INPUT -j NOSUCH"]));
    expect((await run(p, "--table", "nat")).code).toBe(0);
    expect((await run(p, "--table", "filter")).code).toBe(1);
  });

  it("exit 1 for parse errors too", async () => {
    const p = file("broken.rules", filterDump([], ["-A INPUT -p tcp --dport"]));
    expect((await run(p)).code).toBe(1);
  });

  it("exit 2 with a one-line message for an unknown table or chain", async () => {
    const table = await run(nginx, "--table", "nosuch");
    expect(table.code).toBe(2);
    expect(table.stdout).toBe("");
    expect(table.stderr).toBe("kipt: error: no table 'nosuch' in the dump (it has: mangle, filter, nat) (run 'kipt graph --help' for usage)\n");
    const chain = await run(nginx, "--table", "nat", "--from", "NOPE\u001b[2J");
    expect(chain.code).toBe(2);
    expect(chain.stderr).toBe("kipt: error: no chain 'NOPE\\e[2J' in table nat (run 'kipt graph --help' for usage)\n");
    const ambiguous = await run(nginx, "--from", "KUBE-SERVICES");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe("kipt: error: chain 'KUBE-SERVICES' is in tables filter, nat; choose one with --table (run 'kipt graph --help' for usage)\n");
  });

  it("exit 2 for a bad format", async () => {
    const r = await run(nginx, "-f", "svg");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("svg");
  });

  it("exit 3 for I/O failures", async () => {
    expect((await run(path.join(dir, "missing.rules"))).code).toBe(3);
    expect((await run(dir)).code).toBe(3);
  });
});
