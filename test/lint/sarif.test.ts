/**
 * SARIF output validated against the official SARIF 2.1.0 JSON schema
 * (test/lint/schema/sarif-schema-2.1.0.json, copied from
 * oasis-tcs/sarif-spec sarif-2.1/schema/; a JSON Schema draft-04 document,
 * hence ajv-draft-04), plus what GitHub code scanning needs on top.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import AjvFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { formatSarif } from "../../src/lint/format/sarif.js";
import { lintRules } from "../../src/lint/registry.js";
import { lint } from "../../src/lint/run.js";
import { filterTable } from "./rule-tester.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const schema = JSON.parse(readFileSync(path.join(root, "test/lint/schema/sarif-schema-2.1.0.json"), "utf8"));
// CommonJS packages: under NodeNext their default export is `module.exports`, which holds `default`.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
AjvFormats.default(ajv);
const validate = ajv.compile(schema);

function sarifFor(inputs: { file: string; text: string }[]) {
  const result = lint(inputs);
  return JSON.parse(formatSarif({ findings: result.findings, nodes: result.nodes, version: "0.1.0" }));
}

function errorsOf(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}

const golden = ["node-a.rules", "node-b.rules", "node-c.rules"].map((name) => {
  const file = `test/lint/golden/${name}`;
  return { file, text: readFileSync(path.join(root, file), "utf8") };
});

describe("SARIF 2.1.0", () => {
  it("the schema is the official one", () => {
    expect(schema.title).toBe("Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema");
    expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
  });

  it("golden output is valid", () => {
    expect(errorsOf(sarifFor(golden))).toEqual([]);
  });

  it("an empty run is valid", () => {
    expect(errorsOf(sarifFor([{ file: "clean.rules", text: filterTable("-A INPUT -j ACCEPT") }]))).toEqual([]);
  });

  it("parse errors, whole-file findings, standard input and odd file names are valid", () => {
    const log = sarifFor([
      { file: "-", text: "*filter\n-A INPUT -j\nCOMMIT\n" },
      { file: "dir with space/n#1?.rules", text: "" },
      { file: "/abs/path.rules", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOPE\n" },
    ]);
    expect(errorsOf(log)).toEqual([]);
    const uris = log.runs[0].artifacts.map((a: { location: { uri: string } }) => a.location.uri);
    expect(uris).toEqual(expect.arrayContaining(["stdin", "dir%20with%20space/n%231%3F.rules", "file:///abs/path.rules"]));
    // The empty file's finding is about the whole file: no region (SARIF lines start at 1), not an invented line 1.
    const empty = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "KIPT1019");
    expect(empty.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "dir%20with%20space/n%231%3F.rules", index: expect.any(Number) } });
  });

  it("a broken log is caught by the validator (the test can fail)", () => {
    const log = sarifFor(golden);
    log.runs[0].results[0].level = "fatal";
    expect(errorsOf(log).length).toBeGreaterThan(0);
  });

  it("lists every registered rule and parser code; results point at them by ruleIndex", () => {
    const log = sarifFor(golden);
    const rules = log.runs[0].tool.driver.rules as { id: string; defaultConfiguration: { level: string } }[];
    for (const r of lintRules) expect(rules.map((x) => x.id)).toContain(r.meta.id);
    expect(rules.find((r) => r.id === "KIPT1001")).toBeDefined();
    for (const result of log.runs[0].results) {
      expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
      // A region starts at line 1 or later; a whole-file result (the empty node-c) has none.
      const region = result.locations[0].physicalLocation.region;
      if (result.ruleId === "KIPT1019") expect(region).toBeUndefined();
      else expect(region.startLine).toBeGreaterThan(0);
      expect(Object.keys(result.partialFingerprints)).toEqual(["kiptFinding/v1"]);
    }
  });

  it("partialFingerprints survive lines moving and counters changing, and differ per finding", () => {
    const before = sarifFor([{ file: "n.rules", text: filterTable("-A INPUT -s 10.0.0.0/8 -j DROP", "-A INPUT -s 10.1.0.0/16 -j ACCEPT", "-A INPUT -j LOG", "-A INPUT -j LOG") }]);
    const after = sarifFor([{ file: "n.rules", text: filterTable("-A INPUT -p icmp -j ACCEPT", "[5:300] -A INPUT -s 10.0.0.0/8 -j DROP", "", "[7:420] -A INPUT -s 10.1.0.0/16 -j ACCEPT", "-A INPUT -j LOG", "-A INPUT -j LOG") }]);
    const prints = (log: { runs: { results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }) =>
      log.runs[0]!.results.map((r) => `${r.ruleId} ${r.partialFingerprints["kiptFinding/v1"]}`);
    expect(prints(after)).toEqual(prints(before));
    const lines = (log: typeof before) => log.runs[0].results.map((r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => r.locations[0]!.physicalLocation.region.startLine);
    expect(lines(after)).not.toEqual(lines(before));
    expect(new Set(prints(before)).size).toBe(prints(before).length);
  });
});
