/** Value and combination checks (value-checks.cases.ts): an error exactly where iptables refuses. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { VALUE_CHECK_CASES, valueCheckDump } from "./value-checks.cases.js";

describe("option values iptables checks", () => {
  it.each(VALUE_CHECK_CASES.map((c) => [`${c.v6 ? "ip6 " : ""}${c.table ?? "filter"}: ${c.rule}`, c.refused, c] as const))("%s: refused %s", (_name, refused, c) => {
    const diagnostics = parse(valueCheckDump(c)).diagnostics;
    const errors = diagnostics.filter((d) => d.severity === "error");
    if (c.hostDependent) {
      // The loading host decides: a warning, never a silent pass or an error.
      expect(errors).toEqual([]);
      expect(diagnostics.filter((d) => d.severity === "warning").length).toBe(1);
      return;
    }
    expect(errors.length > 0, errors.map((d) => d.message).join("; ")).toBe(refused);
  });
});
