/** Rules print as iptables-save (nf_tables) prints them: merged port matches, `-i +`, option prefixes (cases in save-forms.cases.ts). */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";
import { SAVE_FORM_CASES, saveFormDump } from "./save-forms.cases.js";

describe("forms iptables-save prints differently from the input", () => {
  it.each(SAVE_FORM_CASES.map((c) => [c.rule, c.saved] as const))("%s", (rule, saved) => {
    const parsed = parse(saveFormDump(rule));
    expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(format(parsed.dump).split("\n").filter((l) => l.startsWith("-A "))).toEqual([saved]);
    // What is printed prints back the same.
    expect(format(parse(saveFormDump(saved)).dump).split("\n").filter((l) => l.startsWith("-A "))).toEqual([saved]);
  });
});
