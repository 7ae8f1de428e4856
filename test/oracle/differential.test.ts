/**
 * Differential testing against the kernel's own tools: generated dumps
 * (test/fuzz/arbitraries.ts, seeded, a fixed number) are loaded with
 * iptables-restore -c in a fresh network namespace each, and kipt must agree:
 * where iptables-restore refuses a dump, kipt reports an error; where it
 * loads it, kipt fmt prints exactly what iptables-save prints back.
 *
 * Needs root, `ip` and iptables; skipped loudly otherwise.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";
import { kernelSave, oracleOrSkip, tablesOf } from "../../scripts/oracle.mjs";
import { validDump } from "../fuzz/arbitraries.js";

const unavailable = oracleOrSkip("differential oracle");

const DUMPS = Number(process.env.KIPT_DIFF_DUMPS ?? 120);
const SEED = Number(process.env.KIPT_DIFF_SEED ?? 47);

describe.skipIf(unavailable !== null)("generated dumps: kipt agrees with iptables-restore and iptables-save", () => {
  it(`${DUMPS} dumps (seed ${SEED})`, () => {
    const dumps = fc.sample(validDump, { seed: SEED, numRuns: DUMPS });
    const disagreements: string[] = [];
    for (const [n, text] of dumps.entries()) {
      // Saved with -c when the dump has rule counters, as kipt fmt then prints them.
      const kernel = kernelSave(text, false, true, undefined, /^\[\d+:\d+\] -A /m.test(text));
      const { dump, diagnostics } = parse(text, { file: `gen-${n}.rules` });
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (!kernel.ok) {
        if (errors.length === 0) disagreements.push(`#${n}: iptables-restore refuses it (${kernel.error.replace(/\s+/g, " ")}), kipt reports no error\n${text}`);
        continue;
      }
      if (errors.length > 0) {
        disagreements.push(`#${n}: iptables-restore loads it, kipt reports ${errors.map((d) => `${d.line}:${d.column} ${d.id} ${d.message}`).join("; ")}\n${text}`);
        continue;
      }
      const want = tablesOf(kernel.saved);
      const got = tablesOf(format(dump));
      for (const table of Object.keys(want)) {
        if (got[table] !== want[table]) disagreements.push(`#${n}: table ${table} differs\n--- iptables-save\n${want[table]}\n--- kipt fmt\n${got[table]}`);
      }
    }
    if (process.env.KIPT_DIFF_SUMMARY) console.log(disagreements.map((d) => d.split("\n")[0]).join("\n"));
    expect(disagreements.slice(0, 3).join("\n\n")).toBe("");
  }, 120_000);
});
