/**
 * What the kernel refuses to load but `iptables-restore --test` passes (a
 * target that names nothing, a loop): lint and graph report it, and so do
 * explain and trace, with exit 1 and their output still shown. kipt fmt
 * mirrors `--test` and passes it (checked against the real tool in
 * test/oracle/graph-oracle.test.ts for the graph's side).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "./run-main.js";

const dir = mkdtempSync(path.join(tmpdir(), "kipt-refusals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runMain;

const cases = [
  { name: "an undefined target", id: "KIPT2001", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j nowhere\nCOMMIT\n" },
  { name: "a loop", id: "KIPT2003", text: "*filter\n:INPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\nCOMMIT\n" },
];

describe("what only loading reveals", () => {
  for (const c of cases) {
    describe(c.name, () => {
      const file = path.join(dir, `${c.id}.rules`);
      writeFileSync(file, c.text);

      it(`explain reports ${c.id}, explains, exits 1`, async () => {
        const r = await run("explain", file);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: error: .* \\[${c.id}\\]\\n$`));
        expect(r.stdout).toContain("Tables");
      });

      it(`trace reports ${c.id}, traces, exits 1`, async () => {
        const r = await run("trace", file, "10.0.0.1:80", "--node-ip", "10.0.0.1");
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`[${c.id}]`);
        expect(r.stdout).toContain("outcome 1:");
      });

      it("fmt passes it, as iptables-restore --test does", async () => {
        const r = await run("fmt", file);
        expect(r).toMatchObject({ code: 0, stderr: "" });
      });
    });
  }
});
