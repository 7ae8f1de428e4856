/**
 * The kernel as oracle for the chain graph's "the kernel refuses it"
 * findings: each dump is loaded for real with iptables-restore (not
 * `--test`, which checks syntax only and passes all of these) in a network
 * namespace this test creates and deletes. kipt must report an error-level
 * finding exactly where the kernel refuses, and nothing where it accepts.
 *
 * Needs root, `ip` and iptables (nf_tables backend); skipped loudly otherwise.
 */
import { describe, expect, it } from "vitest";
import { kernelSave, oracleOrSkip } from "../../scripts/oracle.mjs";
import { filterDump, findings } from "../graph/helpers.js";

const unavailable = oracleOrSkip("graph-oracle");

function nested(n: number, flag = "-j"): string {
  const chains = Array.from({ length: n }, (_, i) => `C${i + 1}`);
  return filterDump(chains, [`-A INPUT ${flag} C1`, ...chains.slice(1).map((c, i) => `-A ${chains[i]} ${flag} ${c}`)]);
}

interface Case {
  readonly name: string;
  readonly text: string;
  /** The kipt code that must explain the refusal, or null when the kernel accepts the dump. */
  readonly refusedAs: string | null;
}

const cases: Case[] = [
  { name: "15 nested jumps", text: nested(15), refusedAs: null },
  { name: "16 nested jumps", text: nested(16), refusedAs: "KIPT2009" },
  { name: "16 nested gotos", text: nested(16, "-g"), refusedAs: "KIPT2009" },
  { name: "100 nested jumps", text: nested(100), refusedAs: "KIPT2009" },
  { name: "a diamond", text: filterDump(["A", "B", "C"], ["-A INPUT -j A", "-A INPUT -j B", "-A A -j C", "-A B -j C", "-A C -j DROP"]), refusedAs: null },
  { name: "a loop", text: filterDump(["A", "B"], ["-A INPUT -j A", "-A A -j B", "-A B -j A"]), refusedAs: "KIPT2003" },
  { name: "an unreachable loop", text: filterDump(["A", "B"], ["-A A -j B", "-A B -j A"]), refusedAs: null },
  { name: "a jump to a built-in chain", text: filterDump([], ["-A FORWARD -j INPUT"]), refusedAs: "KIPT2008" },
];

describe.skipIf(unavailable !== null)("the kernel refuses exactly the jump structures kipt reports", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.refusedAs ? `refused, kipt says ${c.refusedAs}` : "accepted"}`, () => {
      const kernel = kernelSave(c.text);
      const ids = findings(c.text).map((f) => f.split(" ")[0]);
      if (c.refusedAs === null) {
        expect(kernel.ok, kernel.ok ? "" : kernel.error).toBe(true);
        expect(ids.filter((id) => id === "KIPT2003" || id === "KIPT2008" || id === "KIPT2009")).toEqual([]);
      } else {
        expect(kernel.ok).toBe(false);
        expect(ids).toContain(c.refusedAs);
      }
    });
  }
});
