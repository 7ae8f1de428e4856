/**
 * The lint rule catalogue: every registered rule has well-formed metadata,
 * a page in docs/rules whose Example and Fix are the rule's own examples,
 * and its bad example fires it while its good example stays silent (with no
 * other warning or error from any rule). The page checks themselves (title,
 * sections, shown output) run in test/catalogue.test.ts via `codeSources`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allGraphCodes } from "../../src/diagnostics/graph-codes.js";
import { allParseCodes } from "../../src/diagnostics/parse-codes.js";
import { codeSources, fenceIn, ID_PATTERN, NAME_PATTERN, titleOf } from "../../src/docs/rule-pages.js";
import { findRule, lintOwnedRules, lintRules } from "../../src/lint/registry.js";
import type { LintRule } from "../../src/lint/rule.js";
import { lint } from "../../src/lint/run.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The other nodes' dumps a cross-node rule's examples are linted with. */
function otherNodes(rule: LintRule) {
  return (rule.meta.examples.otherNodes ?? []).map((text, i) => ({ file: `node-${i + 2}.rules`, text }));
}

describe("lint registry", () => {
  it("IDs and names are well formed, unique, and in ID order", () => {
    const ids = lintRules.map((r) => r.meta.id);
    for (const r of lintRules) {
      expect(r.meta.id).toMatch(ID_PATTERN);
      expect(r.meta.name).toMatch(NAME_PATTERN);
      expect(["error", "warning", "info"]).toContain(r.meta.severity);
      expect(r.meta.summary.trim()).not.toBe("");
      expect(r.meta.summary).not.toContain("\n");
      expect(r.meta.docs).toBe(`docs/rules/${r.meta.id}.md`);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(lintRules.map((r) => r.meta.name)).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("structure rules are KIPT2xxx and clash with no parser code", () => {
    const parse = new Set(allParseCodes.flatMap((c) => [c.id, c.name]));
    for (const r of lintRules) {
      expect(r.meta.id.startsWith("KIPT2") || r.meta.id.startsWith("KIPT3")).toBe(true);
      expect(parse.has(r.meta.id) || parse.has(r.meta.name)).toBe(false);
    }
  });

  it("reuses the chain graph's codes for undefined-target, unreachable-chain, chain-cycle and jump-to-other-table", () => {
    for (const code of allGraphCodes) {
      const rule = findRule(code.id);
      expect(rule, code.id).toBeDefined();
      expect(rule!.meta.name).toBe(code.name);
      expect(rule!.meta.severity).toBe(code.severity);
    }
    expect(lintRules.map((r) => r.meta.name)).toEqual(expect.arrayContaining(["undefined-target", "chain-cycle", "unreachable-chain", "unreachable-rule", "shadowed-rule", "duplicate-rule"]));
  });

  it("the docs check covers every rule: the graph's codes through the chain graph source, the rest through the lint source", () => {
    const covered = new Set(codeSources.flatMap((s) => s.codes.map((c) => c.id)));
    for (const r of lintRules) expect(covered.has(r.meta.id), r.meta.id).toBe(true);
    expect(codeSources.find((s) => s.name === "lint")!.codes.map((c) => c.id)).toEqual(lintOwnedRules.map((r) => r.meta.id));
  });
});

describe.each(lintRules.map((r) => [`${r.meta.id} ${r.meta.name}`, r] as const))("%s", (_label, rule) => {
  const page = path.join(root, rule.meta.docs);

  it("has its page", () => {
    expect(existsSync(page), rule.meta.docs).toBe(true);
    expect(titleOf(readFileSync(page, "utf8"))).toBe(`# ${rule.meta.id} ${rule.meta.name}`);
  });

  it("its bad example fires it, with no other warning or error", () => {
    const findings = lint([{ file: "bad.rules", text: rule.meta.examples.bad }, ...otherNodes(rule)], rule.meta.examples.options ?? {}).findings;
    expect(findings.filter((f) => f.id === rule.meta.id).length).toBeGreaterThan(0);
    const others = findings.filter((f) => f.id !== rule.meta.id && f.severity === "error");
    expect(others.map((f) => `${f.id} ${f.line}`)).toEqual([]);
  });

  it("its good example stays silent (no finding at all)", () => {
    const findings = lint([{ file: "good.rules", text: rule.meta.examples.good }, ...otherNodes(rule)], rule.meta.examples.options ?? {}).findings;
    expect(findings.map((f) => `${f.id} ${f.severity} ${f.line}: ${f.message}`)).toEqual([]);
  });

  it.runIf(lintOwnedRules.includes(rule))("its page shows its examples", () => {
    const markdown = readFileSync(page, "utf8");
    expect(fenceIn(markdown, "Example")!.text).toBe(rule.meta.examples.bad);
    expect(fenceIn(markdown, "Fix")!.text).toBe(rule.meta.examples.good);
  });
});
