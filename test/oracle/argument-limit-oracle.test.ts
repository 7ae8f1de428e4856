/**
 * iptables-restore's limit on the words of a line, against the real tool in
 * namespaces this test creates and deletes: 251 words pass and 252 are refused
 * ("Parser cannot handle more arguments"; kipt: KIPT1004 error, the other
 * cases are in test/parser/value-checks.cases.ts); a line's `[packets:bytes]`
 * does not count without -c, and counts as three more words with -c (kipt:
 * a warning, since it cannot know how the dump will be loaded). Skipped loudly
 * without root or `ip`.
 */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { inNamespace, oracleOrSkip, withNamespace } from "../../scripts/oracle.mjs";

const unavailable = oracleOrSkip("argument-limit-oracle");

/** A filter table whose one rule has `words` words after its counters. */
function dump(words: number, counters: boolean): string {
  // -A INPUT (2) + n comment matches (4 each) + a LOG target of 2 to 5 words.
  const n = Math.floor((words - 4) / 4);
  const tail = ["-j LOG", "-j LOG --log-tcp-sequence", "-j LOG --log-level 4", "-j LOG --log-level 4 --log-tcp-sequence"][words - 2 - 4 * n - 2]!;
  const rule = `-A INPUT ${Array.from({ length: n }, (_, i) => `-m comment --comment c${i}`).join(" ")} ${tail}`;
  expect(rule.split(" ")).toHaveLength(words);
  return `*filter\n:INPUT ACCEPT [0:0]\n${counters ? "[1:2] " : ""}${rule}\nCOMMIT\n`;
}

function restore(text: string, flags: string[]): boolean {
  return withNamespace((ns) => inNamespace(ns, ["iptables-restore", ...flags], text).status === 0, "kipt-args");
}

const kipt = (text: string) => parse(text).diagnostics.map((d) => `${d.id} ${d.severity}`);

describe.skipIf(unavailable !== null)("the words of a line against iptables-restore", () => {
  it("251 words pass and 252 are refused; kipt agrees", () => {
    expect(restore(dump(251, false), [])).toBe(true);
    expect(kipt(dump(251, false))).toEqual([]);
    expect(restore(dump(252, false), [])).toBe(false);
    expect(kipt(dump(252, false))).toEqual(["KIPT1004 error"]);
  });

  it("counters count as three words with -c only; kipt warns past 248", () => {
    expect(restore(dump(251, true), [])).toBe(true);
    expect(restore(dump(248, true), ["-c"])).toBe(true);
    expect(restore(dump(249, true), ["-c"])).toBe(false);
    expect(kipt(dump(248, true))).toEqual([]);
    expect(kipt(dump(249, true))).toEqual(["KIPT1004 warning"]);
  });
});
