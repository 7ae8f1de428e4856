/** `-D CHAIN N` takes no rule spec (cases in delete-by-number.cases.ts). */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { DELETE_BY_NUMBER_CASES, deleteDump } from "./delete-by-number.cases.js";

describe("-D by rule number", () => {
  it.each(DELETE_BY_NUMBER_CASES.map((c) => [c.line, c.refused] as const))("%s: refused %s", (line, refused) => {
    const errors = parse(deleteDump(line)).diagnostics.filter((d) => d.severity === "error").map((d) => d.id);
    expect(errors).toEqual(refused ? ["KIPT1001"] : []);
  });
});
