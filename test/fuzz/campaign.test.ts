/**
 * scripts/fuzz.mjs itself: a tiny campaign runs clean and prints its summary,
 * and its hang detection reports and saves inputs (with a 0 ms bound every
 * mutant is a "hang"). Uses dist/, which `npm test` builds first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const script = path.join(root, "scripts", "fuzz.mjs");
const out = mkdtempSync(path.join(tmpdir(), "kipt-fuzz-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args, "--out", out], { cwd: root, encoding: "utf8", timeout: 60_000 });

describe.skipIf(!existsSync(path.join(root, "dist", "src", "index.js")))("scripts/fuzz.mjs", () => {
  it("a clean campaign exits 0 with a summary line", () => {
    const r = run("--seed", "3", "--runs", "4", "--giant-line", "4096");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^4 runs, 0 crashes, 0 hangs \(seed 3, mutants 0\.\.3, corpus \d+ files\)\n$/);
    expect(r.status).toBe(0);
  });

  it("reports a hang, saves the input and exits 1", () => {
    const r = run("--seed", "3", "--runs", "2", "--giant-line", "4096", "--hang-ms", "0");
    expect(r.stdout).toMatch(/^2 runs, 0 crashes, 2 hangs/);
    expect(r.status).toBe(1);
    const saved = readdirSync(out).filter((f) => /^[0-9a-f]{16}\.txt$/.test(f));
    expect(saved).toHaveLength(2);
    const info = readFileSync(path.join(out, saved[0]!.replace(".txt", ".info.txt")), "utf8");
    expect(info).toMatch(/^hang --seed 3 --from [01] --giant-line 4096 base=/);
  });

  it("refuses a bad option with exit 2", () => {
    const r = run("--runs", "x");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: node scripts\/fuzz\.mjs/);
  });
});
