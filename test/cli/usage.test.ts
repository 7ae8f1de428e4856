/**
 * Help and usage errors through the CLI's `main` (in process): `kipt` with
 * no command is bad usage (exit 2, help on standard error), `--help` is
 * not (exit 0, help on standard output), and every usage error is one line
 * in one style, naming the help of the command at fault, whoever found it
 * (commander or kipt).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runMain } from "./run-main.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nginx = path.join(root, "samples/nginx.txt");

describe("help", () => {
  it("no command: the help on standard error, exit 2", async () => {
    const r = await runMain();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Usage: kipt \[options\] \[command\]\n/);
  });

  it("--help, -h, `help` and `help COMMAND`: the help on standard output, exit 0", async () => {
    for (const args of [["--help"], ["-h"], ["help"], ["help", "lint"], ["lint", "--help"]]) {
      const r = await runMain(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout, args.join(" ")).toMatch(/^Usage: kipt /);
      expect(r.stderr, args.join(" ")).toBe("");
    }
  });

  it("help for a command kipt does not have is bad usage", async () => {
    const r = await runMain("help", "frobnicate");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});

describe("usage errors", () => {
  const hint = (command: string) => ` (run '${command} --help' for usage)\n`;
  const cases: [string[], string][] = [
    // Found by commander.
    [["frobnicate"], "kipt: error: unknown command 'frobnicate'" + hint("kipt")],
    [["lnt"], "kipt: error: unknown command 'lnt'; did you mean lint?" + hint("kipt")],
    [["lint", nginx, "--frobnicate"], "kipt: error: unknown option '--frobnicate'" + hint("kipt lint")],
    [["lint", nginx, "--formt", "json"], "kipt: error: unknown option '--formt'; did you mean --format?" + hint("kipt lint")],
    [["lint", nginx, "-f", "xml"], "kipt: error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, gcc, json, sarif, github" + hint("kipt lint")],
    [["fmt", nginx, "--threads", "0"], "kipt: error: option '--threads <n>' argument '0' is invalid. --threads takes a whole number from 1 to 64" + hint("kipt fmt")],
    [["explain", nginx, "extra"], "kipt: error: too many arguments for 'explain'. Expected 1 argument but got 2" + hint("kipt explain")],
    // Found by kipt.
    [["trace", nginx, "10.0.0.300:80"], "kipt: error: '10.0.0.300:80' is not IP:port, [IPv6]:port or an IP address" + hint("kipt trace")],
    [["graph", nginx, "--table", "nope"], "kipt: error: no table 'nope' in the dump (it has: mangle, filter, nat)" + hint("kipt graph")],
    [["lint", "-", "-"], "kipt: error: standard input ('-') can be read only once" + hint("kipt lint")],
  ];

  it.each(cases.map(([args, message]) => [args.map((a) => path.basename(a)).join(" "), args, message] as const))("kipt %s", async (_name, args, message) => {
    const r = await runMain(...args);
    expect(r).toEqual({ code: 2, stdout: "", stderr: message });
  });
});
