/**
 * Reading input, through the built CLI in a child process: the size limit
 * (a twentieth of the V8 heap, checked before reading a file and while
 * reading standard input) and standard input from a slow pipe (which failed
 * with EAGAIN once chalk had touched process.stdin).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/kipt.js");
const dir = mkdtempSync(path.join(tmpdir(), "kipt-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sample = readFileSync(path.join(root, "samples/kube-proxy-node.txt"), "utf8");

function kipt(args: string[], options: { input?: string; heapMB?: number } = {}) {
  const env = { ...process.env, NODE_OPTIONS: options.heapMB ? `--max-old-space-size=${options.heapMB}` : "" };
  return spawnSync(process.execPath, [bin, ...args], { input: options.input, env, encoding: "utf8", maxBuffer: 64 << 20 });
}

describe("the input size limit", () => {
  it("refuses a 1 GB file before reading it: exit 3, one line, how to raise the heap", () => {
    const big = path.join(dir, "sparse.rules");
    writeFileSync(big, "");
    truncateSync(big, 1 << 30); // sparse: no disk, no read
    for (const command of ["fmt", "lint", "explain"]) {
      const r = kipt([command, big]);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^kipt: error: .*sparse\.rules is 1024 MB, more than the \d+ MB kipt reads with a \d+ MB heap; .*NODE_OPTIONS=--max-old-space-size=\d+\n$/);
    }
  });

  it("follows the heap: with a 100 MB heap, a 12 MB dump is refused from a file and from a pipe", () => {
    let text = "";
    while (text.length < 12 << 20) text += sample;
    const file = path.join(dir, "twelve.rules");
    writeFileSync(file, text);
    const fromFile = kipt(["lint", file], { heapMB: 100 });
    expect(fromFile.status).toBe(3);
    expect(fromFile.stderr).toMatch(/twelve\.rules is 1[23] MB, more than the \d+ MB kipt reads/);
    const fromPipe = kipt(["lint", "-"], { heapMB: 100, input: text });
    expect(fromPipe.status).toBe(3);
    expect(fromPipe.stderr).toMatch(/standard input is over \d+ MB, more than the \d+ MB kipt reads/);
    // The default heap reads it.
    expect(kipt(["fmt", file]).status).toBe(0); // each repeated table replaces the one before, as in iptables-restore
  });
});

describe("standard input", () => {
  it("reads a pipe whose writer pauses (iptables-save | kipt fmt -)", async () => {
    const child = spawn(process.execPath, [bin, "fmt", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const half = Math.floor(sample.length / 2);
    child.stdin.write(sample.slice(0, half));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdin.end(sample.slice(half));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(kipt(["fmt", path.join(root, "samples/kube-proxy-node.txt")]).stdout);
  });
});
