/**
 * Issue 7, "never crash, never hang": a small fixed slice of the mutation
 * campaign (`npm run fuzz` runs the large one) over samples/*.txt and
 * ../shared/wild/*.txt. Each mutant goes through decode, parse, format, load,
 * buildChainGraph, explain, lint and trace and their renderers; any exception
 * fails the test with the index that reproduces it:
 * `npm run fuzz -- --seed 7 --from I --runs 1 --giant-line 65536`.
 * Inputs that once crashed are kept in test/fuzz/regressions/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as kipt from "../../src/index.js";
import { decode } from "../../src/cli/io.js";
import { exercise, loadCorpus, mutant, OPERATOR_NAMES, OPERATORS, rng, type FuzzApi } from "../../scripts/fuzz-lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const api: FuzzApi = { ...kipt, decode };
const corpus = loadCorpus(root);

const SEED = 7;
const RUNS = 300;
const GIANT = 1 << 16;
/** A single mutant over this is a hang (the campaign's bound is 5 s; generous for slow CI). */
const HANG_MS = 5000;

describe("mutation engine", () => {
  it("is deterministic per (seed, index)", () => {
    for (const i of [0, 1, 17, 299]) {
      const a = mutant(corpus, SEED, i, { giantLine: 4096 });
      const b = mutant(corpus, SEED, i, { giantLine: 4096 });
      expect(a.base).toBe(b.base);
      expect(a.ops).toEqual(b.ops);
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    }
    expect(rng(1)()).toBe(rng(1)());
    expect(rng(1)()).not.toBe(rng(2)());
  });

  it("every operator changes a sample and never touches its input", () => {
    const base = corpus.find((c) => c.name === "samples/nginx.txt")!;
    const copy = base.bytes.slice();
    for (const op of OPERATOR_NAMES) {
      let changed = false;
      for (let s = 0; s < 5 && !changed; s++) {
        const out = OPERATORS[op]!(base.bytes, rng(s), { giantLine: 4096 });
        changed = !Buffer.from(out).equals(Buffer.from(base.bytes));
      }
      expect(changed, op).toBe(true);
    }
    expect(Buffer.from(base.bytes).equals(Buffer.from(copy))).toBe(true);
  });
});

describe(`${RUNS} mutants (seed ${SEED})`, () => {
  it("never crash and never hang", () => {
    const problems: string[] = [];
    const started = performance.now();
    let clean = 0;
    for (let i = 0; i < RUNS; i++) {
      // 64 KiB giant lines (the campaign's are 1 MiB) keep the slice fast.
      const m = mutant(corpus, SEED, i, { giantLine: GIANT });
      const t = performance.now();
      try {
        const { parsed, formatted } = exercise(api, m.bytes, `mutant-${i}.txt`);
        // A mutant the parser accepts without errors must print canonically: the output parses
        // without errors and prints the same again.
        if (!parsed.diagnostics.some((d) => d.severity === "error")) {
          clean++;
          const again = kipt.parse(formatted, { file: "canonical.txt" });
          const errors = again.diagnostics.filter((d) => d.severity === "error");
          if (errors.length) problems.push(`canonical text has errors at --seed ${SEED} --from ${i}: ${errors[0]!.message}`);
          else if (kipt.format(again.dump) !== formatted) problems.push(`format not idempotent at --seed ${SEED} --from ${i} --giant-line ${GIANT}`);
        }
      } catch (error) {
        const e = error as { stage?: string; cause?: { stack?: string } };
        problems.push(`crash at --seed ${SEED} --from ${i} --giant-line ${GIANT} (${m.base}, ${m.ops.join("+")}), ${e.stage}: ${e.cause?.stack ?? String(error)}`);
      }
      const ms = performance.now() - t;
      if (ms > HANG_MS) problems.push(`hang at --seed ${SEED} --from ${i} --giant-line ${GIANT} (${m.base}, ${m.ops.join("+")}): ${Math.round(ms)} ms`);
    }
    expect(problems).toEqual([]);
    // Most mutants are broken, but some must stay valid for the idempotence check to mean anything.
    expect(clean).toBeGreaterThan(5);
    // The whole slice is bounded too.
    expect(performance.now() - started).toBeLessThan(40_000);
  }, 60_000);
});

describe("regressions", () => {
  const dir = path.join(root, "test", "fuzz", "regressions");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".txt")).sort() : [];
  it.each(files.length ? files : ["(none)"])("%s", (name) => {
    if (name === "(none)") return;
    expect(() => exercise(api, new Uint8Array(readFileSync(path.join(dir, name))), name)).not.toThrow();
  });
});
