/** Value and combination checks (value-checks.cases.ts): an error exactly where iptables refuses. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { VALUE_CHECK_CASES } from "./value-checks.cases.js";

describe("option values iptables checks", () => {
  it.each(VALUE_CHECK_CASES.map((c) => [c.rule, c.refused] as const))("%s: refused %s", (rule, refused) => {
    const errors = parse(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`).diagnostics.filter((d) => d.severity === "error");
    expect(errors.length > 0, errors.map((d) => d.message).join("; ")).toBe(refused);
  });
});
