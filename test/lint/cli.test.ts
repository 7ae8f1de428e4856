/**
 * `kipt lint` end to end, through the built CLI (`node bin/kipt.js`; run
 * `npm run build` first, `npm test` does): formats, several files, standard
 * input, --fail-on, config, baselines, and the documented exit codes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterTable } from "./rule-tester.js";
import { lint } from "../../src/lint/run.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/kipt.js");
const dir = mkdtempSync(path.join(tmpdir(), "kipt-lint-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(path.join(root, "dist/kipt-cli.js"))) throw new Error("kipt is not built: run 'npm run build' before these tests");
});

function kipt(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, "lint", ...args], {
    cwd: options.cwd ?? dir,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const clean = file("clean.rules", filterTable("-A INPUT -i lo -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", "-A INPUT -j DROP"));
const warns = file("warns.rules", filterTable("-A INPUT -j DROP", "-A INPUT -p tcp -j ACCEPT"));
const errors = file("errors.rules", filterTable("-A INPUT -j NOPE"));
const infos = file("infos.rules", filterTable("-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT", '-A INPUT -p tcp -m comment --comment "again" -m tcp --dport 80 -j ACCEPT'));

describe("kipt lint exit codes", () => {
  it("0 for a clean dump", () => {
    const r = kipt(["clean.rules"]);
    expect(r).toMatchObject({ code: 0, stdout: "no problems\n", stderr: "" });
  });

  it("0 for warnings by default, 1 with --fail-on warning", () => {
    expect(kipt(["warns.rules"]).code).toBe(0);
    expect(kipt(["warns.rules", "--fail-on", "warning"]).code).toBe(1);
    expect(kipt(["warns.rules", "--fail-on", "error"]).code).toBe(0);
  });

  it("1 for errors; --fail-on never always 0", () => {
    expect(kipt(["errors.rules"]).code).toBe(1);
    expect(kipt(["errors.rules", "--fail-on", "never"]).code).toBe(0);
  });

  it("infos fail only with --fail-on info", () => {
    expect(kipt(["infos.rules", "--fail-on", "warning"]).code).toBe(0);
    expect(kipt(["infos.rules", "--fail-on", "info"]).code).toBe(1);
  });

  it("2 for bad usage: unknown format, bad --fail-on, bad CIDR, unknown option", () => {
    for (const args of [["-f", "xml", "clean.rules"], ["--fail-on", "fatal", "clean.rules"], ["--cluster-cidr", "10.0.0.0/99", "clean.rules"], ["--frobnicate"]]) {
      const r = kipt(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
    }
  });

  it("2 for a bad config, with one line naming the problem", () => {
    file("bad-config/.kiptrc.json", JSON.stringify({ rules: { "no-such": "off" } }));
    const r = kipt([clean], { cwd: path.join(dir, "bad-config") });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kipt: error: .kiptrc.json: rules.no-such: unknown rule (give an ID such as KIPT2005 or a name such as unreachable-rule)\n");
  });

  it("--config, --baseline, --endpoints alike: 3 when the file cannot be read, 2 when it is not what the option takes", () => {
    file("broken.json", "{");
    mkdirSync(path.join(dir, "a-directory.json"), { recursive: true });
    for (const option of ["--config", "--baseline", "--endpoints"]) {
      const missing = kipt([option, "nope.json", "clean.rules"]);
      expect(missing.code, `${option} missing`).toBe(3);
      expect(missing.stderr, `${option} missing`).toMatch(/^kipt: error: nope\.json: no such file[^\n]*\n$/);
      const directory = kipt([option, "a-directory.json", "clean.rules"]);
      expect(directory.code, `${option} directory`).toBe(3);
      expect(directory.stderr, `${option} directory`).toMatch(/^kipt: error: a-directory\.json: is a directory, expected [^\n]*\n$/);
      const broken = kipt([option, "broken.json", "clean.rules"]);
      expect(broken.code, `${option} broken`).toBe(2);
      expect(broken.stderr, `${option} broken`).toMatch(/^kipt: error: broken\.json: [^\n]*not valid JSON[^\n]*\n$/);
    }
    expect(kipt(["--config", "nope.json", "clean.rules"]).stderr).toBe("kipt: error: nope.json: no such file\n");
  });

  it("3 for I/O failures: missing file, a directory", () => {
    const r = kipt(["missing.rules"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("kipt: error: missing.rules: no such file\n");
    expect(kipt([dir]).code).toBe(3);
  });
});

describe("kipt lint output", () => {
  it("text: line, source, caret, doc link, count", () => {
    const r = kipt(["warns.rules"]);
    expect(r.stdout).toBe(
      [
        "warns.rules:6:1: warning: rule 2 of chain 'INPUT' is never reached: rule 1 (line 5) sends every packet to 'DROP' first [KIPT2005 unreachable-rule]",
        "    6 | -A INPUT -p tcp -j ACCEPT",
        "      | ^~~~~~~~~~~~~~~~~~~~~~~~~",
        "      = see docs/rules/KIPT2005.md",
        "1 problem (0 errors, 1 warning, 0 info)",
        "",
      ].join("\n"),
    );
  });

  it("every format for several files at once, from standard input too", () => {
    const input = readFileSync(warns, "utf8");
    for (const format of ["text", "gcc", "json", "sarif", "github"]) {
      const r = kipt(["-f", format, "errors.rules", "-"], { input });
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain("errors.rules");
      expect(r.stdout, format).toContain(format === "sarif" ? "stdin" : "-");
    }
    const json = JSON.parse(kipt(["-f", "json", "errors.rules", "warns.rules"]).stdout);
    expect(json.diagnostics.map((d: { file: string; ruleName: string }) => `${d.file} ${d.ruleName}`)).toEqual(["errors.rules undefined-target", "warns.rules unreachable-rule"]);
  });

  it("reads standard input when no file is given", () => {
    const r = kipt(["-f", "gcc"], { input: readFileSync(errors, "utf8") });
    expect(r.stdout).toBe("-:5:10: error: '-j' target 'NOPE' is neither a target extension nor a chain of table 'filter' [KIPT2001 undefined-target]\n");
  });

  it("--config and .kiptrc.json change severities", () => {
    file("cfg/.kiptrc.json", JSON.stringify({ rules: { "unreachable-rule": "error" } }));
    const found = kipt([warns, "-f", "gcc"], { cwd: path.join(dir, "cfg") });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain(": error: ");
    file("off.json", JSON.stringify({ rules: { "unreachable-rule": "off" } }));
    expect(kipt(["--config", "off.json", "warns.rules"]).stdout).toBe("no problems\n");
  });

  it("--write-baseline records findings; --baseline reports only new ones", () => {
    file("b-warns.rules", filterTable("-A INPUT -j ACCEPT", "-A INPUT -p icmp -j ACCEPT", "-A INPUT -p udp -j ACCEPT"));
    const w = kipt(["--write-baseline", "base.json", "warns.rules", "b-warns.rules"]);
    expect(w.code).toBe(0);
    expect(w.stderr).toBe("kipt: wrote 2 findings to base.json\n");
    expect(JSON.parse(readFileSync(path.join(dir, "base.json"), "utf8")).findings).toHaveLength(2);
    const known = kipt(["--baseline", "base.json", "warns.rules", "b-warns.rules"]);
    expect(known).toMatchObject({ code: 0, stdout: "no problems\n" });
    expect(known.stderr).toBe("kipt: 2 known findings hidden by the baseline\n");
    file("b-warns.rules", filterTable("-A INPUT -j ACCEPT", "-A INPUT -p icmp -j ACCEPT", "-A INPUT -p udp -j ACCEPT", "-A INPUT -j ALSO-NOPE"));
    const grown = kipt(["--baseline", "base.json", "-f", "gcc", "warns.rules", "b-warns.rules"]);
    expect(grown.code).toBe(1);
    expect(grown.stdout).toBe("b-warns.rules:8:10: error: '-j' target 'ALSO-NOPE' is neither a target extension nor a chain of table 'filter' [KIPT2001 undefined-target]\n");
  });

  it("a baseline never records or hides an error iptables-restore fails on (a refused dump must not pass CI)", () => {
    file("b-errors.rules", readFileSync(errors, "utf8"));
    const w = kipt(["--write-baseline", "base2.json", "-f", "gcc", "warns.rules", "b-errors.rules"]);
    expect(w.code, w.stderr).toBe(1);
    expect(w.stdout).toBe("b-errors.rules:5:10: error: '-j' target 'NOPE' is neither a target extension nor a chain of table 'filter' [KIPT2001 undefined-target]\n");
    expect(w.stderr).toBe("kipt: wrote 1 finding to base2.json; 1 error that iptables-restore fails on cannot be recorded and is reported\n");
    expect(JSON.parse(readFileSync(path.join(dir, "base2.json"), "utf8")).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["KIPT2005"]);
    // A baseline written by hand (or by an older kipt) with the error in it hides it no more.
    const forged = JSON.parse(readFileSync(path.join(dir, "base2.json"), "utf8"));
    const all = lint([{ file: "b-errors.rules", text: readFileSync(errors, "utf8") }]).all;
    expect(all.map((f) => f.id)).toEqual(["KIPT2001"]);
    file("base3.json", JSON.stringify({ schemaVersion: 1, findings: [...forged.findings, { ruleId: "KIPT2001", file: "b-errors.rules", fingerprint: all[0]!.fingerprint, message: "" }] }));
    const r = kipt(["--baseline", "base3.json", "-f", "gcc", "warns.rules", "b-errors.rules"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("[KIPT2001 undefined-target]");
  });

  it("--endpoints: 2 for JSON that holds no EndpointSlice or Endpoints; an empty list is fine", () => {
    file("pods.json", JSON.stringify({ kind: "List", items: [{ kind: "Pod", metadata: { name: "p" } }] }));
    const r = kipt(["--endpoints", "pods.json", "clean.rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--endpoints holds no EndpointSlice or Endpoints");
    file("empty.json", JSON.stringify({ apiVersion: "v1", kind: "List", items: [] }));
    expect(kipt(["--endpoints", "empty.json", "clean.rules"]).code).toBe(0);
  });

  it("--endpoints with the nginx sample: the stale and the missing endpoint (warnings)", () => {
    const r = kipt(["--endpoints", path.join(root, "samples/nginx-endpointslices.json"), path.join(root, "samples/nginx.txt"), "-f", "json", "--fail-on", "warning"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { ruleName: string; line: number }) => `${d.ruleName} ${d.line}`)).toEqual(["stale-endpoint 68", "missing-endpoint 69"]);
  });

  it("the clean samples give no warning or error", () => {
    for (const sample of ["samples/nginx.txt", "samples/kube-proxy-node.txt"]) {
      const r = kipt([path.join(root, sample), "--fail-on", "warning", "-f", "json"]);
      expect(r.code, `${sample}: ${r.stdout}`).toBe(0);
    }
  });
});
