/** Value and combination checks (value-checks.cases.ts): an error exactly where iptables refuses. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { VALUE_CHECK_CASES, valueCheckDump } from "./value-checks.cases.js";

describe("option values iptables checks", () => {
  it.each(VALUE_CHECK_CASES.map((c) => [`${c.table ?? "filter"}: ${c.rule}`, c.refused, c] as const))("%s: refused %s", (_name, refused, c) => {
    const errors = parse(valueCheckDump(c)).diagnostics.filter((d) => d.severity === "error");
    expect(errors.length > 0, errors.map((d) => d.message).join("; ")).toBe(refused);
  });
});
