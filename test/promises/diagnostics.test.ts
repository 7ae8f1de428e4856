/**
 * Promise: every problem is one line, `file:line:col: severity: message [ID]`
 * (`file: severity: ...` for the whole file), and one broken line never hides
 * the rest: the lines after it are still parsed and reported on.
 */
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, kipt, runAll, scratch } from "./helpers.js";

const tmp = scratch("diagnostics");
afterAll(tmp.cleanup);

/** [line, broken?] — every kind of mistake the parser knows, between good lines. */
const lines: [string, boolean][] = [
  ["*filter", false],
  [":INPUT ACCEPT [0:0]", false],
  [":FORWARD ACCEPT [0:0]", false],
  [":OUTPUT ACCEPT [0:0]", false],
  [":svc - [0:0]", false],
  ["-A INPUT -p tcp -m tcp --dport 99999 -j ACCEPT", true],
  ["-A INPUT -s 10.0.0.300 -j DROP", true],
  ["-A INPUT --bogus-option 1 -j DROP", true],
  ['-A INPUT -m comment --comment "unterminated -j ACCEPT', true],
  ["-A INPUT -p tcp -m tcp --dport", true],
  ["-A INPUT -j ACCEPT trailing words", true],
  ["-A nowhere -j ACCEPT", true],
  ["-A INPUT -s 10.0.0.1 -s 10.0.0.2 -j DROP", true],
  ["-A INPUT -j ACCEPT -j DROP", true],
  [":svc - [0:0]", true],
  ["-A INPUT -m comment --comment a\u0000b -j ACCEPT", true],
  ["-P FORWARD MAYBE", true],
  ["-A INPUT -p tcp -m tcp --dport 22 -j svc", false],
  ["-A svc -s 10.1.0.0/16 -j ACCEPT", false],
  ["-A INPUT -j DROP", false],
  ["COMMIT", false],
  ["-A INPUT -j DROP", true],
  ["*nat", false],
  [":PREROUTING ACCEPT [0:0]", false],
  ["-A PREROUTING -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5:6443", false],
  ["COMMIT", false],
];
const file = tmp.file("broken.rules", lines.map(([l]) => l).join("\n") + "\n");
const brokenLines = lines.flatMap(([, broken], i) => (broken ? [i + 1] : []));

const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** One diagnostic line; `[ID]`, or `[ID name]` for lint. */
const DIAGNOSTIC = new RegExp(`^${escaped}(?::(\\d+):(\\d+))?: (error|warning|info): \\S.* \\[(KIPT\\d{4})(?: [a-z0-9-]+)?\\]$`);

describe("diagnostics", () => {
  it("one line each, file:line:col: severity: message [ID]; an error for each broken line, none for a good one; the rest still parsed", async () => {
    const runs = [
      ["explain", file],
      ["trace", file, "10.96.0.1:443"],
      ["graph", file],
      ["fmt", "--force", file],
      ["parse", "-o", "text", file],
      ["lint", "-f", "gcc", file],
    ];
    const results = await runAll(runs.map((args) => () => kipt(args)));
    results.forEach((r, i) => {
      const command = runs[i]!.join(" ");
      expect(r.code, command).toBe(EXIT.findings);
      // lint prints its findings on stdout; the others on stderr.
      const text = runs[i]![0] === "lint" ? r.stdout : r.stderr;
      const out = text.split("\n").filter((l) => l !== "");
      for (const l of out) expect(l, command).toMatch(DIAGNOSTIC);
      const errorLines = out.flatMap((l) => {
        const m = DIAGNOSTIC.exec(l)!;
        return m[3] === "error" ? [Number(m[1])] : [];
      });
      expect([...new Set(errorLines)].sort((a, b) => a - b), command).toEqual(brokenLines);
      // Each of these lines has one mistake, so one error (a line with two bad values gets two).
      expect(errorLines.length, `${command}: one error per broken line`).toBe(brokenLines.length);
    });

    // Recovery: the good rules after the broken ones are all there.
    const fmt = results[3]!.stdout;
    for (const rule of ["-A INPUT -p tcp -m tcp --dport 22 -j svc", "-A svc -s 10.1.0.0/16 -j ACCEPT", "-A INPUT -j DROP", "-A PREROUTING -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5:6443"]) {
      expect(fmt).toContain(`${rule}\n`);
    }
    expect(results[4]!.stdout).toBe("filter: 5 chains declared, 3 rules\nnat: 1 chains declared, 1 rules\n");
    expect(results[2]!.stdout).toContain('"filter:INPUT" -> "filter:svc"');
  });
});
