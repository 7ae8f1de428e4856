/**
 * `kipt fmt` and `kipt parse` through the CLI's `main` (in process): output,
 * diagnostics on standard error, and the documented exit codes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "./run-main.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nginx = path.join(root, "samples/nginx.txt");
const dir = mkdtempSync(path.join(tmpdir(), "kipt-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const run = runMain;

const broken = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 99999 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n";
const restoreInput = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport ssh -j ACCEPT\n-I INPUT -s 10.0.0.1 -j DROP\nCOMMIT\n";

describe("kipt fmt", () => {
  it("prints an iptables-save file back byte for byte, exit 0", async () => {
    const r = await run("fmt", nginx);
    expect(r).toEqual({ code: 0, stdout: readFileSync(nginx, "utf8"), stderr: "" });
  });

  it("applies restore commands and prints the canonical form", async () => {
    const r = await run("fmt", file("restore.rules", restoreInput));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.1/32 -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n",
    );
  });

  it("prints nothing but the diagnostics when the input has errors (exit 1), and what parsed with --force", async () => {
    const f = file("broken.rules", broken);
    const r = await run("fmt", f);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3:25: error: .*99999.* \\[KIPT1004\\]\\n$`));
    const forced = await run("fmt", "--force", f);
    expect(forced.code).toBe(1);
    expect(forced.stdout).toContain("-A INPUT -j DROP\n");
    expect(forced.stdout).not.toContain("99999");
  });

  it("gives the same output on worker threads", async () => {
    const one = await run("fmt", nginx);
    const two = await run("fmt", "--threads", "2", nginx);
    expect(two).toEqual(one);
  });

  it("exit 2 for bad usage, 3 for a missing file or a directory, 1 for a binary file", async () => {
    expect((await run("fmt", "--threads", "0", nginx)).code).toBe(2);
    expect((await run("fmt", "--bogus", nginx)).code).toBe(2);
    const missing = await run("fmt", path.join(dir, "nope.txt"));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no such file/);
    expect((await run("fmt", dir)).code).toBe(3);
    const binary = await run("fmt", file("bin.dat", Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a, 0x80])));
    expect(binary.code).toBe(1);
    expect(binary.stderr).toMatch(/KIPT1015/);
    expect(binary.stderr).not.toMatch(/[\u0000-\u0008\u000e-\u001f]/);
  });
});

describe("kipt parse", () => {
  it("prints the AST as JSON with schemaVersion 1, counters as strings", async () => {
    const r = await run("parse", nginx, "-o", "json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.diagnostics).toEqual([]);
    expect(json.dump.tables.map((t: { name: string }) => t.name)).toEqual(["mangle", "filter", "nat"]);
    const chainDecl = json.dump.tables[0].statements.find((s: { kind: string }) => s.kind === "chainDecl");
    expect(typeof chainDecl.counters.packets).toBe("string");
  });

  it("prints a summary per table with -o text, diagnostics on standard error, exit 1 on errors", async () => {
    const r = await run("parse", file("broken2.rules", broken), "-o", "text");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("filter: 1 chains declared, 1 rules\n");
    expect(r.stderr).toMatch(/\[KIPT1004\]/);
  });
});
