/**
 * Dumps from the wild: `../shared/wild/*.txt` next to the repository (never
 * copied into it; several are licensed non-commercial / share-alike).
 *
 * For each file:
 *  - it parses without throwing;
 *  - its diagnostics are exactly the expected ones. Files whose INDEX.tsv
 *    note starts with `ODD` are deliberately broken or unusual; their
 *    diagnostics are listed below, each checked by hand against the file.
 *    Other files must give no error, and only the warnings and infos listed
 *    below. Unknown-extension warnings (KIPT1002) are checked apart: each one
 *    must be true (the catalogue really lacks the extension it names, and it
 *    points at that extension), since the catalogue grows over time;
 *  - as root: kipt agrees with `iptables-restore --test` (in a namespace of
 *    its own): no error when it accepts the file, at least one when it
 *    rejects it;
 *  - as root, for files iptables-restore accepts: kipt's fmt equals what
 *    iptables-save prints after iptables-restore loaded the file;
 *  - `format` is stable on it: fmt(parse(fmt(x))) === fmt(x).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic, Severity } from "../src/diagnostics/diagnostic.js";
import { allParseCodes } from "../src/diagnostics/parse-codes.js";
import { registry } from "../src/extensions/registry.js";
import { format } from "../src/format/format.js";
import { parse } from "../src/parser/parse.js";
import { createKernelObjects, kernelSave, kernelTest, oracleAvailable, tablesOf } from "../scripts/oracle.mjs";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// KIPT_WILD_DIR overrides the location (e.g. to check the skip path).
const wildDir = process.env.KIPT_WILD_DIR ? path.resolve(process.env.KIPT_WILD_DIR) : path.resolve(repoRoot, "../shared/wild");
const haveWild = existsSync(path.join(wildDir, "INDEX.tsv"));

function banner(lines: string[]): void {
  console.warn(["", "=".repeat(72), ...lines.map((l) => `  ${l}`), "=".repeat(72), ""].join("\n"));
}

if (!haveWild) banner([`SKIPPED: wild dumps not found at ${wildDir}.`, "test/wild.test.ts needs ../shared/wild/*.txt and INDEX.tsv next to the repository."]);

const oracleMissing = oracleAvailable();
if (haveWild && oracleMissing) {
  banner([
    `SKIPPED: the iptables-restore --test agreement checks on wild dumps: ${oracleMissing}.`,
    "They need root, `ip netns` and iptables-restore; the rest of test/wild.test.ts still runs.",
  ]);
}

// ---------------------------------------------------------------------------
// INDEX.tsv

interface IndexEntry {
  readonly file: string;
  readonly source: string;
  readonly what: string;
  readonly lines: number;
  readonly note: string;
  readonly odd: boolean;
}

function readIndex(): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry>();
  if (!haveWild) return entries;
  const rows = readFileSync(path.join(wildDir, "INDEX.tsv"), "utf8").split("\n");
  const header = rows[0]!.split("\t");
  const col = (name: string) => header.indexOf(name);
  for (const row of rows.slice(1)) {
    if (row.trim() === "") continue;
    const cells = row.split("\t");
    const note = cells[col("notable_features")] ?? "";
    entries.set(cells[col("file")]!, {
      file: cells[col("file")]!,
      source: cells[col("source")] ?? "",
      what: cells[col("what")] ?? "",
      lines: Number(cells[col("lines")]),
      note,
      odd: note.startsWith("ODD"),
    });
  }
  return entries;
}

const index = readIndex();
const files = haveWild ? readdirSync(wildDir).filter((f) => f.endsWith(".txt")).sort() : [];
const texts = new Map<string, string>();
const textOf = (file: string): string => {
  let t = texts.get(file);
  if (t === undefined) texts.set(file, (t = readFileSync(path.join(wildDir, file), "utf8")));
  return t;
};
const parsed = new Map<string, ReturnType<typeof parse>>();
const parsedOf = (file: string) => {
  let r = parsed.get(file);
  if (!r) parsed.set(file, (r = parse(textOf(file), { file })));
  return r;
};

// ---------------------------------------------------------------------------
// Expected diagnostics

/** One expected diagnostic; fields left out are not checked. */
interface Expected {
  readonly id?: string;
  readonly severity?: Severity;
  readonly line: number;
  readonly column?: number;
}

const severityOf = (id: string): Severity => allParseCodes.find((c) => c.id === id)!.severity;
const d = (id: string, line: number, column: number, severity: Severity = severityOf(id)): Expected => ({ id, severity, line, column });

/**
 * Every match of `re` in `text` as a diagnostic position: 1-based line and
 * column of capture group 1 (or of the whole match), kept when `keep(group)`.
 */
function positions(text: string, re: RegExp, id: string, keep: (captured: string) => boolean = () => true): Expected[] {
  const out: Expected[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  for (const m of text.matchAll(re)) {
    const captured = m[1] ?? m[0];
    if (!keep(captured)) continue;
    const offset = m.index! + (m[1] !== undefined ? m[0].lastIndexOf(m[1]) : 0);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    out.push(d(id, lo + 1, offset - lineStarts[lo]! + 1));
  }
  return out;
}

/** A MAC address the way the `mac` match accepts it. */
const MAC_RE = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

/** An invalid-value error at each `--mac-source` value that is no MAC address, once the catalogue knows `mac`. */
function badMacs(text: string): Expected[] {
  if (!registry.match("mac")) return [];
  return positions(text, /--mac-source\s+(?:!\s+)?(\S+)/g, "KIPT1004", (mac) => !MAC_RE.test(mac));
}

/**
 * The diagnostics each file must give, KIPT1002 (unknown extension) aside.
 * A file not listed must give none. Every ODD file must be listed.
 */
const EXPECTED: Record<string, (text: string) => Expected[]> = {
  // Non-ODD files with justified diagnostics --------------------------------

  // The TUM dumps were anonymised by writing every MAC as XX:XX:XX:XX:XX:XX,
  // which iptables-restore rejects ("Invalid MAC address specified"). Once the
  // catalogue knows `mac`, each such value is an invalid-value error at the
  // value; until then the `-m mac` matches are unknown-extension warnings only.
  "001-tum-chair-fw-iptables-2016.txt": (text) => badMacs(text),
  "002-tum-chair-fw-ip6tables-2016.txt": (text) => badMacs(text),

  // iptables v1.3.5 wrote `-d ! 192.168.122.0/255.255.255.0` (negation after
  // the option): one deprecated-syntax diagnostic (not an error) at each `-d`
  // so written (lines 71-244, column 47). The rules themselves are fine.
  "008-ugent-v1.3.5.txt": (text) => positions(text, /(?:^|\s)(-[sdiop]|--[a-z][a-z-]*) !\s/gm, "KIPT1018"),

  // ODD files ------------------------------------------------------------

  // '#Generated by iptables-save v1.4.7' (no space after '#') is still just a
  // comment: iptables-restore accepts the file, kipt has nothing to say.
  "012-serverfault-769294.txt": () => [],

  // CRLF line endings (fine for kipt). Line 1 is a shell prompt
  // ('root@gmgt /rtorrent $ cat iptables.txt   SX763'): stray text at 1:1.
  // Sixteen long lines were wrapped by a web page at column 81, the rest of
  // the line continuing at column 204 (123 spaces later); each wrap that cut
  // a word gives one error at the continuation:
  //   24, 25, 26, 28, 29: '--to-destination 192.16|8.1.1:22' -> stray '8.1.1:22' ...
  //   27: '--to-destination 192.168|.1.1:1194' -> stray '.1.1:1194'
  //   86: '-j ACC|EPT' -> stray 'EPT'
  //   88: '--cts|tate NEW' -> '--cts' is no conntrack option (ambiguous
  //       prefix of --ctstate/--ctstatus): unknown option at '--cts', 88:76
  //   103: '--limit 25/s|ec' -> stray 'ec'
  //   118, 122, 123: '--ctstate DN|AT' -> stray 'AT' (the line's first
  //       grammar error; values of a line that does not parse are not typed)
  // Lines 87 and 119-121 were wrapped between two words and parse fine.
  "013-openwrt-AA.txt": () => [
    d("KIPT1013", 1, 1),
    d("KIPT1020", 1, 47, "warning"),
    d("KIPT1001", 24, 204),
    d("KIPT1001", 25, 204),
    d("KIPT1001", 26, 204),
    d("KIPT1001", 27, 204),
    d("KIPT1001", 28, 204),
    d("KIPT1001", 29, 204),
    d("KIPT1001", 86, 204),
    d("KIPT1003", 88, 76),
    d("KIPT1001", 103, 204),
    d("KIPT1001", 118, 204),
    d("KIPT1001", 122, 204),
    d("KIPT1001", 123, 204),
  ],

  // The first table (*nat) has no '# Generated' header, the later one has:
  // both are fine.
  "018-serverfault-758088.txt": () => [],

  // CRLF, no final newline, and lines 3-9 of *raw indented by four spaces: one
  // leading-whitespace diagnostic at column 1 of each; an error for the chain
  // declarations (3-6), which iptables-restore rejects indented ("Bad
  // argument `:PREROUTING'"), a warning for the rules (7-9), which it accepts.
  // ('*raw' on line 2 and COMMIT on line 10 are not indented.)
  "020-odd-indented-openwrt-raw.txt": () => [
    d("KIPT1020", 1, 64, "warning"),
    ...[3, 4, 5, 6].map((line) => d("KIPT1014", line, 1, "error")),
    ...[7, 8, 9].map((line) => d("KIPT1014", line, 1, "warning")),
  ],

  // A stray '# Completed on' comment before the first header: a comment.
  "026-fedora27-firewalld-iptables.txt": () => [],

  // Three lines of English before the dump (1-3) and, after it, a pasted
  // `ip addr` listing (54-65): stray text at each line's first word. The
  // indented ones (56, 57, 60, 61, 64, 65) also give leading-whitespace at
  // column 1.
  "037-odd-qubesos-prose-preamble.txt": () => [
    d("KIPT1013", 1, 1),
    d("KIPT1013", 2, 1),
    d("KIPT1013", 3, 1),
    d("KIPT1013", 54, 1),
    d("KIPT1013", 55, 1),
    d("KIPT1014", 56, 1),
    d("KIPT1013", 56, 5),
    d("KIPT1014", 57, 1),
    d("KIPT1013", 57, 8),
    d("KIPT1013", 58, 1),
    d("KIPT1013", 59, 1),
    d("KIPT1014", 60, 1),
    d("KIPT1013", 60, 5),
    d("KIPT1014", 61, 1),
    d("KIPT1013", 61, 8),
    d("KIPT1013", 62, 1),
    d("KIPT1013", 63, 1),
    d("KIPT1014", 64, 1),
    d("KIPT1013", 64, 5),
    d("KIPT1014", 65, 1),
    d("KIPT1013", 65, 8),
  ],
};

/**
 * Known bugs: the test is written as it should pass and marked `it.fails`
 * until kipt is fixed (then remove the entry).
 */
const KNOWN_BUGS: Record<string, string> = {
};

/** Expected diagnostics of files with a known bug (what kipt should say). */
const EXPECTED_WHEN_FIXED: Record<string, (text: string) => Expected[]> = {
  "007-veroneau-server-v1.4.8.txt": () => [{ severity: "error", line: 269 }],
};

const testName = (kind: string, file: string) => `${kind} ${file}`;
const itFor = (name: string) => (KNOWN_BUGS[name] ? it.fails : it);

const sortKey = (x: { line: number; column?: number; id?: string }) =>
  `${String(x.line).padStart(7, "0")}:${String(x.column ?? 0).padStart(5, "0")}:${x.id ?? ""}`;

function checked(diagnostics: readonly Diagnostic[]): Expected[] {
  return diagnostics
    .filter((x) => x.id !== "KIPT1002")
    .map((x) => ({ id: x.id, severity: x.severity, line: x.line, column: x.column }))
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
}

// ---------------------------------------------------------------------------

describe.skipIf(!haveWild)("wild dumps (../shared/wild)", () => {
  it("INDEX.tsv describes exactly the .txt files there", () => {
    expect([...index.keys()].sort()).toEqual(files);
    expect(files.length).toBeGreaterThan(0);
  });

  it("every ODD file has hand-checked expectations", () => {
    const odd = [...index.values()].filter((e) => e.odd).map((e) => e.file);
    expect(odd.length).toBeGreaterThan(0);
    expect(odd.filter((f) => !EXPECTED[f])).toEqual([]);
  });

  for (const file of files) {
    const name = testName("diagnostics", file);
    itFor(name)(name, () => {
      const entry = index.get(file);
      const text = textOf(file);
      let result: ReturnType<typeof parse> | undefined;
      expect(() => {
        result = parsedOf(file);
      }).not.toThrow();
      const { dump, diagnostics } = result!;
      // INDEX counts lines the way `wc -l` does, plus a last line without newline.
      expect(dump.lineCount).toBe(entry?.lines);

      const expected = (EXPECTED_WHEN_FIXED[file] ?? EXPECTED[file] ?? (() => []))(text).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
      const actual = checked(diagnostics);
      if (!entry?.odd && !EXPECTED[file] && !EXPECTED_WHEN_FIXED[file]) {
        expect(actual.filter((x) => x.severity === "error"), `${file} is not ODD: no errors`).toEqual([]);
      }
      expect(actual).toEqual(expected.map((e) => expect.objectContaining(e)));

      // Unknown-extension warnings must be true and point at the extension.
      for (const w of diagnostics.filter((x) => x.id === "KIPT1002")) {
        expect(w.severity).toBe("warning");
        const at = text.slice(w.offset, w.offset + w.length);
        const target = /^-[jg]\s+(\S+)$/.exec(at);
        if (target) {
          expect(registry.target(target[1]!), `${file}:${w.line}: '${target[1]}' is an unknown target`).toBeUndefined();
        } else {
          expect(text.slice(Math.max(0, w.offset - 16), w.offset), `${file}:${w.line}:${w.column} follows '-m'`).toMatch(/(-m|--match)\s+$/);
          expect(registry.match(at), `${file}:${w.line}: '${at}' is an unknown match`).toBeUndefined();
        }
        expect(w.message).toContain(`'${target ? target[1] : at}'`);
      }
    });
  }

  for (const file of files) {
    it(testName("fmt is stable on", file), () => {
      const once = format(parsedOf(file).dump);
      const twice = format(parse(once, { file }).dump);
      expect(twice).toBe(once);
    });
  }

  describe.skipIf(oracleMissing !== null)("kipt fmt equals iptables-save for the dumps iptables-restore accepts", () => {
    for (const file of files) {
      it(testName("fmt equals iptables-save for", file), (ctx) => {
        const text = textOf(file);
        const v6 = /^#\s*Generated by ip6tables-save/m.test(text);
        // `-c` keeps the policy counters, but iptables-restore -c rejects chain
        // lines without them (006 has `:PREROUTING ACCEPT`): then restore
        // without -c and compare chain lines without counters.
        const chainLines = text.split("\n").filter((l) => l.startsWith(":"));
        const withCounters = chainLines.every((l) => /\[\d+:\d+\]\s*$/.test(l));
        const ruleCounters = /^\[\d+:\d+\]\s+-/m.test(text);
        const setup: { problem: string | null } = { problem: null };
        const kernel = kernelSave(text, v6, withCounters || ruleCounters, (ns) => {
          setup.problem = createKernelObjects(ns, text, v6);
        }, ruleCounters);
        if (!kernel.ok) {
          ctx.skip(`iptables-restore rejects ${file} (the agreement test covers it)`);
          return;
        }
        const strip = (t: string) => (withCounters ? t : t.replace(/^(:\S+ \S+) \[\d+:\d+\]$/gm, "$1"));
        const want = tablesOf(strip(kernel.saved));
        const got = tablesOf(strip(format(parsedOf(file).dump)));
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const table of Object.keys(want)) expect(got[table], `table ${table}`).toBe(want[table]);
      });
    }
  });

  describe.skipIf(oracleMissing !== null)("agreement with iptables-restore --test", () => {
    for (const file of files) {
      const name = testName("iptables-restore agreement", file);
      itFor(name)(name, (ctx) => {
        const text = textOf(file);
        const v6 = /^#\s*Generated by ip6tables-save/m.test(text);
        const setup: { problem: string | null } = { problem: null };
        const kernel = kernelTest(text, v6, (ns) => {
          setup.problem = createKernelObjects(ns, text, v6);
        });
        const { diagnostics } = parsedOf(file);
        const errors = diagnostics.filter((x) => x.severity === "error");
        if (kernel.ok) {
          expect(errors, `iptables-restore --test accepts ${file}`).toEqual([]);
          return;
        }
        const blamed = kernel.line;
        const why = `iptables-restore --test rejects ${file}: ${kernel.error.split("\n")[0]} (line ${blamed})`;
        if (file === "008-ugent-v1.3.5.txt") {
          // Deliberate difference: iptables >= 1.4.3 rejects `-d ! ADDR`; kipt
          // reads it (old dumps are still worth reading) with a deprecated-syntax
          // diagnostic that is not an error.
          expect(kernel.error).toMatch(/Bad argument/);
          expect(diagnostics.some((x) => x.line === blamed && x.id === "KIPT1018" && x.severity !== "error"), why).toBe(true);
          return;
        }
        if (errors.length === 0 && setup.problem !== null) {
          const msg = `SKIPPED ${file}: kernel objects could not be created (${setup.problem}); ${why}`;
          console.warn(msg);
          ctx.skip(msg);
        }
        if (errors.length === 0 && diagnostics.some((x) => x.line === blamed && x.id === "KIPT1002")) {
          // kipt cannot judge an extension its catalogue does not know yet.
          const msg = `SKIPPED ${file}: catalogue gap: ${why}; kipt does not know the extension on that line`;
          console.warn(msg);
          ctx.skip(msg);
        }
        expect(errors.length, why).toBeGreaterThan(0);
        // iptables-restore stops at the first problem; kipt must not find its
        // first one later. Except for CRLF files: kipt reads CRLF on purpose,
        // while iptables-restore fails on the first line ending in CR.
        if (blamed !== null && !text.includes("\r\n")) expect(errors[0]!.line, why).toBeLessThanOrEqual(blamed);
      });
    }
  });
});
