/**
 * Promise: no crash, no stack trace. Whatever the input, every command ends
 * with a documented exit code and says what went wrong in kipt's own words.
 * The built CLI runs in a child process, as a user runs it.
 */
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { bin, EXIT, plainEnv, everyCommand, filterDump, kipt, root, runAll, sample, scratch, stackTrace, type Run } from "./helpers.js";

const tmp = scratch("no-crash");
afterAll(tmp.cleanup);

/** Deterministic noise: the same bytes every run. */
function noise(length: number, seed: number): Buffer {
  const b = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const rule = "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT";
const MiB = 1 << 20;

/**
 * name -> [what kipt reads, the exit code every command gives]. Problems that
 * are handled line by line share a file; whole-file ones have their own.
 */
const inputs: Record<string, [string | Buffer, number]> = {
  "an empty file": ["", EXIT.ok],
  "binary noise": [noise(64 * 1024, 7), EXIT.findings],
  "UTF-16 with a byte-order mark": [Buffer.from(`\ufeff${filterDump([rule])}`, "utf16le"), EXIT.findings],
  "CR line ends only": [filterDump([rule]).replace(/\n/g, "\r"), EXIT.findings],
  "NUL bytes, invalid UTF-8, CRLF, cut mid-line without COMMIT": [
    Buffer.concat([
      Buffer.from(`*filter\r\n:INPUT ACCEPT [0:0]\r\n-A INPUT -s 10.0.0.1\u0000 -j DROP\r\n\u0000\u0000\r\n${rule}\r\n-A INPUT -m comment --comment "caf`),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from(`" -j DROP\r\n${rule}\r\n-A INPUT -p tc`),
    ]),
    EXIT.findings,
  ],
  "a 1 MiB comment; 8,000 options on one line": [filterDump([`-A INPUT -m comment --comment "${"x".repeat(MiB)}" -j DROP`, `-A INPUT ${"-s 10.0.0.1 ".repeat(8000)}-j DROP`]), EXIT.findings],
};

function expectCleanExit(r: Run, expected: number, what: string): void {
  expect(r.signal, what).toBeNull();
  expect(stackTrace(r.stderr), what).toBeNull();
  expect(r.code, `${what}\n${r.stderr.slice(0, 500)}`).toBe(expected);
}

describe("no crash and no stack trace, whatever the input", () => {
  const cases = Object.entries(inputs).map(([name, [content, code]], i) => ({ name, file: tmp.file(`input-${i}.txt`, content), content, code }));

  it("every command, on every kind of bad file, exits with the documented code", async () => {
    const jobs = cases.flatMap((c) => everyCommand(c.file).map((args) => async () => ({ c, args, r: await kipt(args) })));
    for (const { c, args, r } of await runAll(jobs)) {
      expectCleanExit(r, c.code, `${c.name}: kipt ${args[0]}`);
      if (c.code === EXIT.findings && args[0] !== "lint" && args[0] !== "parse") expect(r.stderr, `${c.name}: kipt ${args[0]}`).toMatch(/: error: .* \[KIPT\d{4}\]$/m);
    }
  });

  it("the same bad input on standard input ('-')", async () => {
    const chosen = cases.filter((c) => c.name.startsWith("NUL bytes"));
    const jobs = chosen.flatMap((c) => everyCommand("-").map((args) => async () => ({ c, args, r: await kipt(args, { input: c.content }) })));
    for (const { c, args, r } of await runAll(jobs)) expectCleanExit(r, c.code, `${c.name} on stdin: kipt ${args[0]}`);
  });

  it("a reader that stops early (kipt parse big.txt | head): exit 3, nothing on stderr", async () => {
    const r = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "parse", sample("kube-proxy-node.txt")], { cwd: root, env: plainEnv() });
      let stderr = "";
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout: "", stderr }));
    });
    expectCleanExit(r, EXIT.io, "closed pipe");
    expect(r.stderr).toBe("");
  });
});
