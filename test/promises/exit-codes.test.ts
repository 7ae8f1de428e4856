/**
 * Promise: the exit code says what happened, the same way for every command.
 * 0 fine, 1 the input has errors (diagnostics printed; for `kipt lint` a
 * finding at or above --fail-on), 2 bad usage, 3 I/O or internal failure.
 */
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, filterDump, kipt, runAll, sample, scratch, stackTrace } from "./helpers.js";

const tmp = scratch("exit-codes");
afterAll(tmp.cleanup);

const good = sample("nginx.txt");
const broken = tmp.file("broken.txt", filterDump(["-A INPUT -p tcp -m tcp --dport 99999 -j ACCEPT", "-A INPUT -j DROP"]));
/** Parses, but with a warning only: a user chain nothing jumps to. */
const warnings = tmp.file("warnings.txt", filterDump(["-A orphan -j ACCEPT"], ["orphan"]));
const missing = `${tmp.dir}/missing.txt`;
const notJson = tmp.file("not-json.json", "{");

/** Each command's arguments around FILE, and one bad option value. */
const commands: Record<string, { args: (file: string) => string[]; badValue: string[] }> = {
  explain: { args: (f) => ["explain", f], badValue: ["-o", "yaml"] },
  trace: { args: (f) => ["trace", f, "10.0.33.45:80"], badValue: ["--proto", "gre"] },
  lint: { args: (f) => ["lint", f], badValue: ["-f", "xml"] },
  graph: { args: (f) => ["graph", f], badValue: ["-f", "png"] },
  fmt: { args: (f) => ["fmt", f], badValue: ["--threads", "0"] },
  parse: { args: (f) => ["parse", f], badValue: ["-o", "yaml"] },
};

interface Case {
  readonly name: string;
  readonly args: string[];
  readonly code: number;
}

const cases: Case[] = Object.entries(commands).flatMap(([name, c]) => [
  { name: `${name}: a good dump`, args: c.args(good), code: EXIT.ok },
  { name: `${name}: a broken dump`, args: c.args(broken), code: EXIT.findings },
  { name: `${name}: an unknown option`, args: [...c.args(good), "--no-such-option"], code: EXIT.usage },
  { name: `${name}: a bad option value`, args: [...c.args(good), ...c.badValue], code: EXIT.usage },
  { name: `${name}: a missing file`, args: c.args(missing), code: EXIT.io },
  { name: `${name}: a directory`, args: c.args(tmp.dir), code: EXIT.io },
]);

cases.push(
  { name: "an unknown command", args: ["frobnicate", good], code: EXIT.usage },
  { name: "--version", args: ["--version"], code: EXIT.ok },
  { name: "--help", args: ["--help"], code: EXIT.ok },
  // Help is printed (on standard error), but a missing command is bad usage.
  { name: "no command", args: [], code: EXIT.usage },
  { name: "trace: a destination that is not an address", args: ["trace", good, "10.0.0.300:80"], code: EXIT.usage },
  { name: "graph: an unknown table", args: ["graph", good, "--table", "nope"], code: EXIT.usage },
  // Warnings alone are not errors; lint decides by --fail-on (default error).
  { name: "graph: warnings only", args: ["graph", warnings], code: EXIT.ok },
  { name: "lint: warnings only", args: ["lint", warnings], code: EXIT.ok },
  { name: "lint: warnings only, --fail-on warning", args: ["lint", warnings, "--fail-on", "warning"], code: EXIT.findings },
  { name: "lint: errors, --fail-on never", args: ["lint", broken, "--fail-on", "never"], code: EXIT.ok },
  // A helper file that cannot be read is an I/O failure, as a dump is; one that is read but wrong is bad usage.
  { name: "lint: a missing config", args: ["lint", good, "--config", missing], code: EXIT.io },
  { name: "lint: a missing baseline", args: ["lint", good, "--baseline", missing], code: EXIT.io },
  { name: "lint: a missing endpoints file", args: ["lint", good, "--endpoints", missing], code: EXIT.io },
  { name: "lint: a config that is not JSON", args: ["lint", good, "--config", notJson], code: EXIT.usage },
  { name: "lint: a baseline that is not JSON", args: ["lint", good, "--baseline", notJson], code: EXIT.usage },
  { name: "lint: an endpoints file that is not JSON", args: ["lint", good, "--endpoints", notJson], code: EXIT.usage },
  { name: "lint: a missing file among good ones", args: ["lint", good, missing], code: EXIT.io },
);

describe("exit codes", () => {
  it("0 fine, 1 input errors, 2 bad usage, 3 I/O: every command", async () => {
    const runs = await runAll(cases.map((c) => () => kipt(c.args)));
    const got = runs.map((r, i) => ({ name: cases[i]!.name, code: r.code }));
    expect(got).toEqual(cases.map((c) => ({ name: c.name, code: c.code })));
    runs.forEach((r, i) => {
      const c = cases[i]!;
      expect(stackTrace(r.stderr), c.name).toBeNull();
      // Something on stderr says why, except for success and lint's findings (on stdout).
      if (c.code === EXIT.usage || c.code === EXIT.io) expect(r.stderr, c.name).not.toBe("");
      // Diagnostics on stderr; `parse` (JSON by default) carries them in its JSON, `lint` prints findings on stdout.
      if (c.code === EXIT.findings && c.args[0] === "parse") expect(JSON.parse(r.stdout).diagnostics.some((d: { severity: string }) => d.severity === "error"), c.name).toBe(true);
      else if (c.code === EXIT.findings && c.args[0] !== "lint") expect(r.stderr, c.name).toMatch(/: error: .*\[KIPT\d{4}\]/);
      if (c.code === EXIT.io) expect(r.stderr, c.name).toMatch(/^kipt: error: .*(no such file|is a directory)/);
    });
  });
});
