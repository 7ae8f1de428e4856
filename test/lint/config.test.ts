/**
 * Configuration (.kiptrc.json) and baselines: validation with one-line
 * errors, discovery upward, per-rule severities and `off`, per-chain
 * ignores, what cannot be turned off, and baselines that survive moved lines.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chainGlobMatches, ConfigError, ConfigReadError, findConfig, loadConfig, readConfig, validateConfig } from "../../src/lint/config.js";
import { lint, readBaseline, subtractBaseline, toBaseline, writeBaseline } from "../../src/lint/run.js";
import { filterTable } from "./rule-tester.js";

const dir = mkdtempSync(path.join(tmpdir(), "kipt-lint-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dump = filterTable(
  ":X - [0:0]",
  ":KUBE-SEP-A - [0:0]",
  "-A INPUT -j LOG",
  "-A INPUT -j LOG",
  "-A INPUT -j X",
  "-A X -s 10.0.0.0/8 -j DROP",
  "-A X -s 10.1.0.0/16 -j ACCEPT",
  "-A KUBE-SEP-A -j ACCEPT",
  "-A KUBE-SEP-A -j ACCEPT",
);
const ids = (config: unknown) => lint([{ file: "d.rules", text: dump }], { config: validateConfig(config, ".kiptrc.json") }).findings.map((f) => `${f.id} ${f.severity} ${f.chain}`);

describe("config validation", () => {
  const bad: [string, unknown, string][] = [
    ["not an object", [], "top level: expected a JSON object"],
    ["unknown key", { rule: {} }, 'rule: unknown key (expected "rules" or "ignore")'],
    ["unknown rule", { rules: { "no-such-rule": "off" } }, "rules.no-such-rule: unknown rule"],
    ["bad severity", { rules: { "duplicate-rule": "fatal" } }, 'rules.duplicate-rule: expected "off", "error", "warning" or "info", got "fatal"'],
    ["same rule twice", { rules: { "duplicate-rule": "off", KIPT2007: "info" } }, "KIPT2007 is set twice"],
    ["a parse error code", { rules: { KIPT1001: "off" } }, "KIPT1001 syntax-error cannot be turned off or re-graded"],
    ["a kernel-refused code", { rules: { "chain-cycle": "warning" } }, "KIPT2003 chain-cycle cannot be turned off"],
    ["ignore not an array", { ignore: {} }, "ignore: expected an array"],
    ["ignore without chain", { ignore: [{ table: "nat" }] }, "ignore[0].chain: expected a chain name"],
    ["ignore with unknown key", { ignore: [{ chain: "X", rule: "x" }] }, "ignore[0].rule: unknown key"],
    ["ignore with unknown rule", { ignore: [{ chain: "X", rules: ["nope"] }] }, 'ignore[0].rules[0]: unknown rule "nope"'],
  ];
  it.each(bad)("%s", (_name, value, message) => {
    expect(() => validateConfig(value, ".kiptrc.json")).toThrow(ConfigError);
    let text = "";
    try {
      validateConfig(value, ".kiptrc.json");
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text.startsWith(".kiptrc.json: ")).toBe(true);
    expect(text).toContain(message);
    expect(text).not.toContain("\n");
  });

  it("accepts IDs and names, settings and ignores", () => {
    const c = validateConfig({ $schema: "x", rules: { KIPT2005: "error", "duplicate-rule": "off", "leading-whitespace": "info" }, ignore: [{ chain: "KUBE-*", table: "filter", rules: ["KIPT2007"] }] }, "c.json");
    expect([...c.rules]).toEqual([["KIPT2005", "error"], ["KIPT2007", "off"], ["KIPT1014", "info"]]);
    expect(c.ignore).toEqual([{ chain: "KUBE-*", table: "filter", rules: ["KIPT2007"] }]);
  });

  it("reports invalid JSON and missing files in one line", () => {
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{ rules: ");
    expect(() => readConfig(broken)).toThrow(/broken\.json: not valid JSON/);
    expect(() => readConfig(path.join(dir, "missing.json"))).toThrow(/missing\.json: no such file/);
    expect(() => readConfig(dir)).toThrow(/is a directory/);
    // What could not be read is a ConfigReadError (the CLI's exit 3); what was read but is wrong is not.
    expect(() => readConfig(path.join(dir, "missing.json"))).toThrow(ConfigReadError);
    expect(() => readConfig(dir)).toThrow(ConfigReadError);
    expect(() => readConfig(broken)).toThrow(ConfigError);
    expect(() => readConfig(broken)).not.toThrow(ConfigReadError);
  });
});

describe("config discovery", () => {
  it("finds .kiptrc.json in the directory or the nearest parent", () => {
    const top = path.join(dir, "project");
    const deep = path.join(top, "a", "b");
    mkdirSync(deep, { recursive: true });
    expect(findConfig(deep)).toBeNull();
    writeFileSync(path.join(top, ".kiptrc.json"), JSON.stringify({ rules: { "duplicate-rule": "off" } }));
    expect(findConfig(deep)).toBe(path.join(top, ".kiptrc.json"));
    expect(loadConfig(undefined, deep).rules.get("KIPT2007")).toBe("off");
    writeFileSync(path.join(deep, ".kiptrc.json"), "{}");
    expect(findConfig(deep)).toBe(path.join(deep, ".kiptrc.json"));
    expect(loadConfig(undefined, deep).rules.size).toBe(0);
  });

  it("--config wins over discovery", () => {
    const explicit = path.join(dir, "explicit.json");
    writeFileSync(explicit, JSON.stringify({ rules: { "shadowed-rule": "info" } }));
    expect(loadConfig(explicit, dir).rules.get("KIPT2006")).toBe("info");
  });
});

describe("config applied", () => {
  it("default: every finding at its default severity", () => {
    expect(ids({})).toEqual(["KIPT2002 warning KUBE-SEP-A", "KIPT2007 warning INPUT", "KIPT2006 warning X", "KIPT2005 warning KUBE-SEP-A"]);
  });

  it("re-grades and turns off rules", () => {
    expect(ids({ rules: { "duplicate-rule": "error", KIPT2006: "off", "unreachable-chain": "info" } })).toEqual(["KIPT2002 info KUBE-SEP-A", "KIPT2007 error INPUT", "KIPT2005 warning KUBE-SEP-A"]);
  });

  it("ignores findings in matching chains, optionally per table and rule", () => {
    expect(ids({ ignore: [{ chain: "KUBE-SEP-*" }] })).toEqual(["KIPT2007 warning INPUT", "KIPT2006 warning X"]);
    expect(ids({ ignore: [{ chain: "KUBE-SEP-*", rules: ["unreachable-rule"] }] })).toEqual(["KIPT2002 warning KUBE-SEP-A", "KIPT2007 warning INPUT", "KIPT2006 warning X"]);
    expect(ids({ ignore: [{ chain: "*", table: "nat" }] })).toHaveLength(4);
  });

  it("parse errors and kernel-refused findings stay whatever the config says", () => {
    const text = filterTable("-A INPUT -j NOPE", "-A INPUT --bogus", " -A INPUT -j LOG");
    const config = validateConfig({ rules: { "leading-whitespace": "off" }, ignore: [{ chain: "*" }] }, "c.json");
    const found = lint([{ file: "d.rules", text }], { config }).findings.map((f) => `${f.id} ${f.severity}`);
    expect(found).toContain("KIPT2001 error");
    expect(found.some((f) => f.startsWith("KIPT1") && f.endsWith("error"))).toBe(true);
    expect(found.some((f) => f.startsWith("KIPT1014"))).toBe(false);
  });

  it("chain globs", () => {
    expect(chainGlobMatches("KUBE-*", "KUBE-SEP-X")).toBe(true);
    expect(chainGlobMatches("KUBE-*-X", "KUBE-SEP-X")).toBe(true);
    expect(chainGlobMatches("*SEP*", "KUBE-SEP-X")).toBe(true);
    expect(chainGlobMatches("KUBE-*-Y", "KUBE-SEP-X")).toBe(false);
    expect(chainGlobMatches("A*A", "A")).toBe(false);
    expect(chainGlobMatches("INPUT", "INPUT")).toBe(true);
    expect(chainGlobMatches("INPUT", "INPUTS")).toBe(false);
  });
});

describe("baselines", () => {
  const moved = filterTable(
    ":X - [0:0]",
    ":KUBE-SEP-A - [0:0]",
    "-A INPUT -p icmp -j ACCEPT",
    "[3:180] -A INPUT -j LOG",
    "-A INPUT -j LOG",
    "-A INPUT -j X",
    "-A X -s 10.0.0.0/8 -j DROP",
    "-A X -s 10.1.0.0/16 -j ACCEPT",
    "-A KUBE-SEP-A -j ACCEPT",
    "-A KUBE-SEP-A -j ACCEPT",
  );

  it("hides known findings even when lines moved and counters changed", () => {
    const before = lint([{ file: "d.rules", text: dump }]);
    const after = lint([{ file: "d.rules", text: moved }], { baseline: toBaseline(before.all) });
    expect(after.findings).toEqual([]);
    expect(after.baselined).toBe(before.all.length);
  });

  it("reports a new finding, and a second copy of a known one", () => {
    const base = toBaseline(lint([{ file: "d.rules", text: dump }]).all);
    const grown = dump.replace("COMMIT", "-A INPUT -j LOG\n-A X -s 10.2.0.0/16 -j ACCEPT\nCOMMIT");
    const after = lint([{ file: "d.rules", text: grown }], { baseline: base });
    expect(after.findings.map((f) => f.id).sort()).toEqual(["KIPT2006", "KIPT2007"]);
  });

  it("is per file: the same finding in another node's dump is new", () => {
    const base = toBaseline(lint([{ file: "node-1.rules", text: dump }]).all);
    expect(lint([{ file: "node-2.rules", text: dump }], { baseline: base }).findings.length).toBeGreaterThan(0);
  });

  it("round-trips through a file; bad files are config errors", () => {
    const file = path.join(dir, "baseline.json");
    const all = lint([{ file: "d.rules", text: dump }]).all;
    writeBaseline(file, all);
    const read = readBaseline(file);
    expect(read.schemaVersion).toBe(1);
    expect(subtractBaseline(all, read)).toEqual([]);
    writeFileSync(file, "[]");
    expect(() => readBaseline(file)).toThrow(/not a kipt baseline/);
    writeFileSync(file, '{"schemaVersion":1,"findings":[{"ruleId":1}]}');
    expect(() => readBaseline(file)).toThrow(/findings\[0\]/);
    expect(() => readBaseline(path.join(dir, "nope.json"))).toThrow(/nope\.json: no such file \(create a baseline with --write-baseline\)/);
    expect(() => readBaseline(path.join(dir, "nope.json"))).toThrow(ConfigReadError);
    expect(() => readBaseline(dir)).toThrow(ConfigReadError);
  });
});
