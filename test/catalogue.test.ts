/**
 * The diagnostics catalogue: every registered code has a page in docs/rules,
 * and each page's Example triggers its code while its Fix is clean. Code
 * registries are listed in `codeSources` (src/docs/rule-pages.ts); a new
 * registry added there is checked here without changing this file.
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkRegistries,
  checkRuleDocs,
  codeSources,
  EXAMPLES_IN_TESTS,
  fenceIn,
  formatFailure,
  ID_PATTERN,
  NAME_PATTERN,
  RULES_DIR,
  titleOf,
  type CodeSource,
} from "../src/docs/rule-pages.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rulesDir = path.join(root, RULES_DIR);
const allCodes = codeSources.flatMap((source) => source.codes.map((code) => ({ source, code })));

function page(id: string): string {
  return readFileSync(path.join(rulesDir, `${id}.md`), "utf8");
}

function summary(ds: readonly { id: string; severity: string; line: number }[]): string[] {
  return ds.map((d) => `${d.id} ${d.severity} line ${d.line}`);
}

describe("code registries", () => {
  it("has at least one code source with codes", () => {
    expect(codeSources.length).toBeGreaterThan(0);
    for (const source of codeSources) expect(source.codes.length, source.name).toBeGreaterThan(0);
  });

  it("IDs match KIPTnnnn and are unique across all registries", () => {
    const ids = allCodes.map(({ code }) => code.id);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names are dash-case and unique across all registries", () => {
    const names = allCodes.map(({ code }) => code.name);
    for (const name of names) expect(name).toMatch(NAME_PATTERN);
    expect(new Set(names).size).toBe(names.length);
  });

  it("checkRegistries agrees", () => {
    expect(checkRegistries().map(formatFailure)).toEqual([]);
  });

  it("checkRegistries catches a duplicate ID, a bad ID and a bad name", () => {
    const twin: CodeSource = {
      name: "twin",
      codes: [
        { ...allCodes[0]!.code, name: "other-name" },
        { id: "KIPT12", name: "Bad_Name", severity: "error", summary: "x" },
      ],
      diagnose: () => [],
    };
    const messages = checkRegistries([...codeSources, twin]).map((f) => f.message);
    expect(messages.some((m) => m.includes(`${allCodes[0]!.code.id} is used twice`))).toBe(true);
    expect(messages.some((m) => m.includes('"KIPT12"'))).toBe(true);
    expect(messages.some((m) => m.includes('"Bad_Name"'))).toBe(true);
  });
});

describe.each(codeSources.map((source) => [source.name, source] as const))("%s codes have true pages", (_name, source) => {
  describe.each(source.codes.map((code) => [`${code.id} ${code.name}`, code] as const))("%s", (_label, code) => {
    it("has a page titled with its ID and name", () => {
      expect(existsSync(path.join(rulesDir, `${code.id}.md`)), `${RULES_DIR}/${code.id}.md`).toBe(true);
      expect(titleOf(page(code.id))).toBe(`# ${code.id} ${code.name}`);
    });

    it("its Example triggers it, and no other error", () => {
      const exampleTest = EXAMPLES_IN_TESTS[code.id];
      if (exampleTest !== undefined) {
        // Too large for a page: the test builds it, and the page points there.
        expect(existsSync(path.join(root, exampleTest)), exampleTest).toBe(true);
        expect(page(code.id)).toContain(exampleTest);
        return;
      }
      const example = fenceIn(page(code.id), "Example");
      expect(example, "an ```iptables block under ## Example").not.toBeNull();
      const ds = source.diagnose(example!.text, `${code.id}.md`, code);
      expect(summary(ds).filter((d) => d.startsWith(code.id)).length, summary(ds).join("; ")).toBeGreaterThan(0);
      expect(summary(ds.filter((d) => d.id !== code.id && d.severity === "error"))).toEqual([]);
    });

    it("its Fix triggers neither it nor any error", () => {
      const fix = fenceIn(page(code.id), "Fix");
      expect(fix, "an ```iptables block under ## Fix").not.toBeNull();
      const ds = source.diagnose(fix!.text, `${code.id}.md`, code);
      expect(summary(ds.filter((d) => d.id === code.id || d.severity === "error"))).toEqual([]);
    });
  });
});

describe("docs/rules", () => {
  it("has no orphan pages: every KIPT*.md belongs to a registered code", () => {
    const ids = new Set(allCodes.map(({ code }) => code.id));
    const orphans = readdirSync(rulesDir)
      .filter((f) => /^KIPT.*\.md$/.test(f))
      .filter((f) => !ids.has(f.slice(0, -3)));
    expect(orphans).toEqual([]);
  });

  it("passes every check of npm run docs:check", () => {
    expect(checkRuleDocs(root).map(formatFailure)).toEqual([]);
  });
});

describe("the page checker", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "kipt-catalogue-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("reads the first iptables fence of a section, decoding ␀ as NUL", () => {
    const md = "# T\n\n## Example\n\n```\nnot this\n```\n\n```iptables\n*filter\n-A INPUT ␀\n```\n\n## Fix\n";
    expect(fenceIn(md, "Example")).toEqual({ text: "*filter\n-A INPUT \u0000\n", line: 10 });
    expect(fenceIn(md, "Fix")).toBeNull();
    expect(fenceIn(md, "Rationale")).toBeNull();
  });

  it("reports a missing page, a wrong title, a false Example, a dirty Fix and an orphan", () => {
    const dir = path.join(scratch, RULES_DIR);
    mkdirSync(dir, { recursive: true });
    const [first, second] = allCodes;
    // First code: page copied, then broken (title, Example that triggers nothing, Fix with a syntax error).
    const broken = page(first!.code.id)
      .replace(/^# .*/, "# KIPT0000 wrong-title")
      .replace(/## Example\n([\s\S]*?)```iptables\n[\s\S]*?```/, "## Example\n$1```iptables\n*filter\nCOMMIT\n```")
      .replace(/## Fix\n([\s\S]*?)```iptables\n[\s\S]*?```/, "## Fix\n$1```iptables\n*filter\nnot a rule\nCOMMIT\n```");
    writeFileSync(path.join(dir, `${first!.code.id}.md`), broken);
    writeFileSync(path.join(dir, "KIPT9999.md"), "# KIPT9999 nothing\n");
    writeFileSync(path.join(dir, "README.md"), readFileSync(path.join(rulesDir, "README.md"), "utf8"));
    const failures = checkRuleDocs(scratch).map(formatFailure);
    const has = (text: string) => failures.some((f) => f.includes(text));
    expect(has(`${first!.code.id}.md:1: title is`)).toBe(true);
    expect(has(`Example does not trigger ${first!.code.id}`)).toBe(true);
    expect(has("Fix still gives")).toBe(true);
    expect(has(`missing: ${second!.code.id}`)).toBe(true);
    expect(has("KIPT9999.md: orphan page")).toBe(true);
  });
});
