/**
 * Golden outputs: three small dumps (one per node; node-c's is empty, for a
 * whole-file finding) linted together, printed in every format, compared
 * byte for byte with test/lint/golden/expected.*.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/lint/golden.test.ts`
 * and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatters, LINT_FORMATS } from "../../src/lint/format/index.js";
import { lint } from "../../src/lint/run.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = "test/lint/golden";
const files = [`${dir}/node-a.rules`, `${dir}/node-b.rules`, `${dir}/node-c.rules`];

function run() {
  return lint(files.map((file) => ({ file, text: readFileSync(path.join(root, file), "utf8") })));
}

describe("golden output", () => {
  const result = run();

  it.each(LINT_FORMATS.map((f) => [f]))("%s", (format) => {
    const printed = formatters[format]({ findings: result.findings, nodes: result.nodes, version: "0.1.0" });
    const expectedFile = path.join(root, dir, `expected.${format}`);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(expectedFile)) writeFileSync(expectedFile, printed);
    expect(printed).toBe(readFileSync(expectedFile, "utf8"));
  });

  it("is deterministic: the same output when the files come in the other order", () => {
    const reversed = lint([...files].reverse().map((file) => ({ file, text: readFileSync(path.join(root, file), "utf8") })));
    expect(formatters.json({ findings: reversed.findings, nodes: reversed.nodes, version: "0.1.0" })).toBe(
      formatters.json({ findings: result.findings, nodes: result.nodes, version: "0.1.0" }),
    );
  });

  it("neutralizes control characters from the dump in every format", () => {
    for (const format of LINT_FORMATS) {
      const printed = formatters[format]({ findings: result.findings, nodes: result.nodes, version: "0.1.0" });
      expect(printed.includes("\u001b"), format).toBe(false);
    }
  });

  it("json has the documented shape, sorted by file, line, column, rule", () => {
    const json = JSON.parse(formatters.json({ findings: result.findings, nodes: result.nodes, version: "0.1.0" }));
    expect(Object.keys(json)).toEqual(["schemaVersion", "diagnostics"]);
    expect(json.schemaVersion).toBe(1);
    for (const d of json.diagnostics) {
      expect(Object.keys(d)).toEqual(["ruleId", "ruleName", "severity", "message", "file", "line", "column", "table", "chain"]);
    }
    const keys = json.diagnostics.map((d: { file: string; line: number; column: number }) => [d.file, d.line, d.column]);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
  });
});
