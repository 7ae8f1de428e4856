/**
 * RuleTester in the manner of ESLint's: per rule, a table of `valid` dumps
 * (the rule reports nothing) and `invalid` dumps with the findings expected
 * (line, and optionally a message fragment and the severity). Only the rule
 * under test runs; a case with parse errors fails, so a typo in a test dump
 * cannot pass as "valid".
 */
import { describe, expect, it } from "vitest";
import type { Severity } from "../../src/diagnostics/diagnostic.js";
import type { LintOptions, LintRule } from "../../src/lint/rule.js";
import { lint } from "../../src/lint/run.js";

export interface ExpectedFinding {
  readonly line: number;
  readonly message?: string | RegExp;
  readonly severity?: Severity;
}

export interface InvalidCase {
  readonly name: string;
  readonly dump: string;
  readonly findings: readonly ExpectedFinding[];
  /** `--endpoints` / `--cluster-cidr` for the Kubernetes rules. */
  readonly options?: LintOptions;
  /** Other nodes' dumps linted with `dump` (cross-node rules); only `dump`'s findings are compared. */
  readonly otherNodes?: readonly string[];
}

export interface ValidCase {
  readonly name: string;
  readonly dump: string;
  readonly options?: LintOptions;
  readonly otherNodes?: readonly string[];
}

/** A filter table with the built-in chains and `lines` (rules and `:CHAIN - [0:0]` declarations). */
export function filterTable(...lines: string[]): string {
  return ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...lines, "COMMIT", ""].join("\n");
}

/** Line number in `filterTable(...)` of its n-th line argument (1-based). */
export function lineOf(n: number): number {
  return n + 4;
}

function findingsOf(rule: LintRule, dump: string, c: { options?: LintOptions; otherNodes?: readonly string[] } = {}) {
  const others = (c.otherNodes ?? []).map((text, i) => ({ file: `node-${i + 2}.rules`, text }));
  const result = lint([{ file: "test.rules", text: dump }, ...others], { rules: [rule], ...c.options });
  const parseErrors = result.findings.filter((f) => f.id.startsWith("KIPT1") && f.severity === "error");
  expect(parseErrors.map((f) => `${f.line}: ${f.message}`), "the test dump must parse").toEqual([]);
  return result.findings.filter((f) => f.id === rule.meta.id && f.file === "test.rules");
}

export function ruleTester(rule: LintRule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(`${rule.meta.id} ${rule.meta.name}`, () => {
    describe("valid", () => {
      it.each(cases.valid.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        expect(findingsOf(rule, c.dump, c).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
      });
    });
    describe("invalid", () => {
      it.each(cases.invalid.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const found = findingsOf(rule, c.dump, c);
        expect(found.map((f) => f.line), found.map((f) => `${f.line}: ${f.message}`).join("\n")).toEqual(c.findings.map((f) => f.line));
        c.findings.forEach((want, i) => {
          const got = found[i]!;
          expect(got.name).toBe(rule.meta.name);
          expect(got.severity).toBe(want.severity ?? rule.meta.severity);
          if (typeof want.message === "string") expect(got.message).toContain(want.message);
          else if (want.message) expect(got.message).toMatch(want.message);
        });
      });
    });
  });
}
