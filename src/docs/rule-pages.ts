/**
 * The rule pages in `docs/rules/`: one page per diagnostic code, each with an
 * Example that triggers the code and a Fix that does not. The checks here keep
 * those pages true; `test/catalogue.test.ts` and `npm run docs:check`
 * (`scripts/check-doc-examples.mjs`) both run them.
 *
 * Every registry of diagnostic codes is listed in `codeSources`: a new one
 * (the linter's rules, say) is one more entry, and its pages are then checked
 * like the parser's.
 */
import { compareDiagnostics, formatDiagnostic } from "../diagnostics/diagnostic.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic, DiagnosticCode, Severity } from "../diagnostics/diagnostic.js";
import { allGraphCodes } from "../diagnostics/graph-codes.js";
import { allParseCodes } from "../diagnostics/parse-codes.js";
import { buildChainGraph } from "../graph/chain-graph.js";
import { load } from "../model/load.js";
import { parse } from "../parser/parse.js";
import { lintOwnedRules } from "../lint/registry.js";
import { lint } from "../lint/run.js";

export type { DiagnosticCode };

/** One registry of codes and how to get its diagnostics for a dump. */
export interface CodeSource {
  /** Shown in test names and failure messages. */
  readonly name: string;
  readonly codes: readonly DiagnosticCode[];
  /**
   * Every diagnostic kipt reports for `text` when this registry's checks run
   * (parse errors included); `code` is the code whose page is being checked
   * (a Kubernetes rule's example runs with that rule's `--endpoints` JSON).
   */
  diagnose(text: string, file: string, code?: DiagnosticCode): readonly Diagnostic[];
  /** The command prints `[ID name]` rather than `[ID]` (`kipt lint`), so the pages show it that way. */
  readonly showsNames?: boolean;
}

export const codeSources: readonly CodeSource[] = [
  { name: "parser", codes: allParseCodes, diagnose: (text, file) => parse(text, { file }).diagnostics },
  {
    name: "chain graph",
    codes: allGraphCodes,
    diagnose: (text, file) => {
      const { dump, diagnostics } = parse(text, { file });
      return [...diagnostics, ...buildChainGraph(load(dump), { file }).diagnostics];
    },
  },
  // The linter's own rules (src/lint/registry.ts; KIPT2001-KIPT2004 are the chain graph's, above).
  {
    name: "lint",
    codes: lintOwnedRules.map((r) => r.meta),
    diagnose: (text, file, code) => {
      // A Kubernetes rule's examples run with its --endpoints/--cluster-cidr and, for cross-node rules, its other nodes' dumps.
      const examples = lintOwnedRules.find((r) => r.meta.id === code?.id)?.meta.examples;
      const others = (examples?.otherNodes ?? []).map((t, i) => ({ file: `node-${i + 2}.rules`, text: t }));
      return lint([{ file, text }, ...others], examples?.options ?? {}).findings.filter((f) => f.file === file);
    },
    showsNames: true,
  },
];

/** Directory of the rule pages, relative to the project root. */
export const RULES_DIR = "docs/rules";

export const ID_PATTERN = /^KIPT\d{4}$/;
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/**
 * In example blocks `␀` (U+2400 SYMBOL FOR NULL) stands for a NUL byte, which
 * a Markdown page cannot carry. No dump contains `␀` itself.
 */
export const NUL_SYMBOL = "\u2400";

/** A fenced block of a page: its text (NUL symbols decoded) and the page line its first text line is on. */
export interface Block {
  readonly text: string;
  readonly line: number;
}

/** The page's title: its first line, which must be `# ID name`. */
export function titleOf(markdown: string): string {
  return markdown.split("\n", 1)[0]!.trimEnd();
}

/**
 * The first ```` ```lang ```` fence in the `## heading` section (up to the
 * next `## `), or null when the section or the fence is missing or the fence
 * is never closed.
 */
export function fenceIn(markdown: string, heading: string, lang = "iptables"): Block | null {
  const lines = markdown.split("\n").map((l) => l.replace(/\r$/, ""));
  const at = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (at < 0) return null;
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("## ")) return null;
    // "```iptables crlf" marks a block whose lines end in CR LF (Markdown cannot keep them).
    const crlf = line.trim() === "```" + lang + " crlf";
    if (line.trim() !== "```" + lang && !crlf) continue;
    const close = lines.findIndex((l, j) => j > i && l.trim() === "```");
    if (close < 0) return null;
    const body = lines.slice(i + 1, close).join(crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n");
    return { text: body.split(NUL_SYMBOL).join("\u0000"), line: i + 2 };
  }
  return null;
}

/**
 * The plain ```` ``` ```` fence that follows the first ```` ```iptables ````
 * fence of the `## heading` section: the output the page shows for it.
 */
export function outputFenceIn(markdown: string, heading: string): Block | null {
  const lines = markdown.split("\n").map((l) => l.replace(/\r$/, ""));
  const at = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (at < 0) return null;
  const open = lines.findIndex((l, j) => j > at && l.trim().startsWith("```iptables"));
  if (open < 0) return null;
  const close = lines.findIndex((l, j) => j > open && l.trim() === "```");
  for (let i = close + 1; i < lines.length && close >= 0; i++) {
    const line = lines[i]!;
    if (line.startsWith("## ")) return null;
    if (line.trim() !== "```") continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === "```");
    if (end < 0) return null;
    return { text: lines.slice(i + 1, end).join("\n") + "\n", line: i + 2 };
  }
  return null;
}

/** The text of the `## heading` section, or null when the page has none. */
export function sectionText(markdown: string, heading: string): string | null {
  const lines = markdown.split("\n");
  const at = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (at < 0) return null;
  const end = lines.findIndex((l, j) => j > at && l.startsWith("## "));
  return lines.slice(at + 1, end < 0 ? undefined : end).join("\n");
}

export interface Failure {
  /** Path relative to the project root. */
  readonly file: string;
  /** 1-based line in `file`, 0 for the whole file. */
  readonly line: number;
  readonly message: string;
}

export function formatFailure(f: Failure): string {
  return f.line > 0 ? `${f.file}:${f.line}: ${f.message}` : `${f.file}: ${f.message}`;
}

function describe(ds: readonly Diagnostic[]): string {
  return ds.length === 0 ? "no diagnostics" : ds.map((d) => `${d.id} (${d.severity}) at line ${d.line}`).join(", ");
}

/** Problems with the registries themselves: malformed or duplicate IDs and names. */
export function checkRegistries(sources: readonly CodeSource[] = codeSources): Failure[] {
  const failures: Failure[] = [];
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  for (const source of sources) {
    const where = { file: `${source.name} registry`, line: 0 };
    for (const code of source.codes) {
      if (!ID_PATTERN.test(code.id)) failures.push({ ...where, message: `ID ${JSON.stringify(code.id)} does not match ${ID_PATTERN}` });
      if (!NAME_PATTERN.test(code.name)) failures.push({ ...where, message: `${code.id}: name ${JSON.stringify(code.name)} is not dash-case` });
      if (!SEVERITIES.includes(code.severity)) failures.push({ ...where, message: `${code.id}: severity ${JSON.stringify(code.severity)} is not error, warning or info` });
      if (code.summary.trim() === "") failures.push({ ...where, message: `${code.id}: empty summary` });
      const idOwner = ids.get(code.id);
      if (idOwner !== undefined) failures.push({ ...where, message: `ID ${code.id} is used twice (also in the ${idOwner} registry)` });
      else ids.set(code.id, source.name);
      const nameOwner = names.get(code.name);
      if (nameOwner !== undefined) failures.push({ ...where, message: `name ${code.name} is used twice (${nameOwner} and ${code.id})` });
      else names.set(code.name, code.id);
    }
  }
  return failures;
}

/**
 * Codes whose example cannot fit a page (KIPT1022 needs more than 10,000
 * problems): the test named here builds it, and the page points to it.
 */
export const EXAMPLES_IN_TESTS: Readonly<Record<string, string>> = {
  KIPT1022: "test/parser/too-many-problems.test.ts",
};

/** Problems with one code's page, given its text (null when the file is missing). */
export function checkPage(source: CodeSource, code: DiagnosticCode, markdown: string | null, file = `${RULES_DIR}/${code.id}.md`): Failure[] {
  if (markdown === null) return [{ file, line: 0, message: `missing: ${code.id} ${code.name} has no page` }];
  const failures: Failure[] = [];
  const title = titleOf(markdown);
  if (title !== `# ${code.id} ${code.name}`) {
    failures.push({ file, line: 1, message: `title is ${JSON.stringify(title)}, expected "# ${code.id} ${code.name}"` });
  }
  for (const heading of ["Problem", "Rationale", "Severity", "Disabling"]) {
    if (sectionText(markdown, heading) === null) failures.push({ file, line: 0, message: `no '## ${heading}' section` });
  }
  const severity = sectionText(markdown, "Severity");
  if (severity !== null && !severity.toLowerCase().includes(code.severity)) {
    failures.push({ file, line: 0, message: `the Severity section does not name the default severity '${code.severity}'` });
  }

  const example = fenceIn(markdown, "Example");
  const exampleTest = EXAMPLES_IN_TESTS[code.id];
  if (exampleTest !== undefined) {
    // No page can hold the example; the page must send the reader to the test that has it.
    if (!markdown.includes(exampleTest)) failures.push({ file, line: 0, message: `the page must point to ${exampleTest}, where its example lives` });
  } else if (!example) {
    failures.push({ file, line: 0, message: "no ```iptables block under '## Example'" });
  } else {
    const ds = source.diagnose(example.text, file, code);
    if (!ds.some((d) => d.id === code.id)) {
      failures.push({ file, line: example.line, message: `Example does not trigger ${code.id} (it gives ${describe(ds)})` });
    }
    // The output the page shows must be what kipt prints for the example today.
    const shown = outputFenceIn(markdown, "Example");
    if (shown) {
      const printed = [...ds]
        .sort(compareDiagnostics)
        .map((d) => formatDiagnostic({ ...d, file: "example.rules" }, source.showsNames === true))
        .join("\n");
      const lines = shown.text.trimEnd().split("\n").filter((l) => l.startsWith("example.rules:"));
      if (lines.join("\n") !== printed) {
        failures.push({ file, line: shown.line, message: `the output shown under Example is not what kipt prints now:\n${printed}` });
      }
    }
    const others = ds.filter((d) => d.id !== code.id && d.severity === "error");
    if (others.length > 0) {
      failures.push({ file, line: example.line, message: `Example has errors besides ${code.id}: ${describe(others)}` });
    }
  }

  const fix = fenceIn(markdown, "Fix");
  if (!fix) {
    failures.push({ file, line: 0, message: "no ```iptables block under '## Fix'" });
  } else {
    const ds = source.diagnose(fix.text, file, code);
    const bad = ds.filter((d) => d.id === code.id || d.severity === "error");
    if (bad.length > 0) {
      failures.push({ file, line: fix.line, message: `Fix still gives ${describe(bad)}` });
    }
  }
  return failures;
}

/** Everything: the registries, every code's page, no orphan pages, the index. `root` is the project root. */
export function checkRuleDocs(root: string, sources: readonly CodeSource[] = codeSources): Failure[] {
  const failures = checkRegistries(sources);
  const dir = path.join(root, RULES_DIR);
  const known = new Set<string>();
  for (const source of sources) {
    for (const code of source.codes) {
      known.add(code.id);
      const page = path.join(dir, `${code.id}.md`);
      const markdown = existsSync(page) ? readFileSync(page, "utf8") : null;
      failures.push(...checkPage(source, code, markdown));
    }
  }
  const pages = existsSync(dir) ? readdirSync(dir).filter((f) => /^KIPT.*\.md$/.test(f)).sort() : [];
  for (const page of pages) {
    if (!known.has(page.slice(0, -3))) failures.push({ file: `${RULES_DIR}/${page}`, line: 0, message: "orphan page: no registered code has this ID" });
  }
  const indexFile = `${RULES_DIR}/README.md`;
  const index = existsSync(path.join(root, indexFile)) ? readFileSync(path.join(root, indexFile), "utf8") : null;
  if (index === null) {
    failures.push({ file: indexFile, line: 0, message: "missing: the index of all codes" });
  } else {
    const rows = index.split("\n");
    for (const source of sources) {
      for (const code of source.codes) {
        const at = rows.findIndex((row) => row.includes(`(${code.id}.md)`));
        if (at < 0) failures.push({ file: indexFile, line: 0, message: `${code.id} is not linked from the index` });
        else if (!rows[at]!.includes(`\`${code.name}\``) || !rows[at]!.includes(` ${code.severity} `)) {
          failures.push({ file: indexFile, line: at + 1, message: `the row for ${code.id} does not give its name \`${code.name}\` and severity ${code.severity}` });
        }
      }
    }
  }
  return failures;
}
