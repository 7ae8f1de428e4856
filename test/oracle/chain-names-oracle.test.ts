/**
 * Chain names iptables-restore refuses, against both back ends of the real
 * tool in namespaces this test creates and deletes (src/parser/rule-checks.ts,
 * chainNameProblem): kipt reports KIPT1004 (error) exactly for the names both
 * refuse, KIPT1028 (warning) for the ones only the nf_tables back end refuses,
 * and nothing for the rest; where legacy iptables takes the name, its
 * iptables-save prints what kipt fmt prints. Skipped loudly without root,
 * `ip` or iptables-legacy.
 */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";
import { legacyAvailable, oracleOrSkip, restoreWith } from "../../scripts/oracle.mjs";

const unavailable = oracleOrSkip("chain-names-oracle", legacyAvailable() ? null : "iptables-legacy-restore not found");

const dump = (line: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${line}\nCOMMIT\n`;

type Verdict = "both" | "nft" | "none";

const CASES: readonly (readonly [line: string, refusedBy: Verdict])[] = [
  [`:${"A".repeat(28)} - [0:0]`, "none"],
  [`:${"A".repeat(29)} - [0:0]`, "both"],
  [`:${"é".repeat(14)} - [0:0]`, "none"],
  [`:${"é".repeat(15)} - [0:0]`, "both"],
  [":ACCEPT - [0:0]", "both"],
  [":DROP - [0:0]", "both"],
  [":QUEUE - [0:0]", "both"],
  [":RETURN - [0:0]", "both"],
  [":DNAT - [0:0]", "none"],
  [":LOG - [0:0]", "none"],
  [":!foo - [0:0]", "nft"],
  [":-foo - [0:0]", "nft"],
  [":a!b - [0:0]", "none"],
  ["-N Z", "none"],
  ["-N DNAT", "both"],
  ["-N LOG", "both"],
  ["-N ACCEPT", "both"],
  ["-N !foo", "both"],
  [`-N ${"A".repeat(28)}`, "none"],
  [`-N ${"A".repeat(29)}`, "both"],
];

const expected: Record<Verdict, string[]> = { both: ["KIPT1004 error"], nft: ["KIPT1028 warning"], none: [] };

describe.skipIf(unavailable !== null)("chain names against the kernel", () => {
  it.each(CASES)("%s: refused by %s", (line, refusedBy) => {
    const text = dump(line);
    const nft = restoreWith("iptables", text, "kipt-names");
    const legacy = restoreWith("iptables-legacy", text, "kipt-names");
    expect(nft.ok, nft.error).toBe(refusedBy === "none");
    expect(legacy.ok, legacy.error).toBe(refusedBy !== "both");
    const { dump: ast, diagnostics } = parse(text);
    expect(diagnostics.map((d) => `${d.id} ${d.severity}`)).toEqual(expected[refusedBy]);
    if (legacy.ok) {
      const chains = (saved: string) => saved.split("\n").filter((l) => l.startsWith(":"));
      expect(chains(format(ast))).toEqual(chains(legacy.saved));
    }
  });
});
