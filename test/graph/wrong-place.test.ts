/** KIPT2010 wrong-place: reported exactly for the dumps iptables refuses (table in wrong-place.cases.ts). */
import { describe, expect, it } from "vitest";
import { findings } from "./helpers.js";
import { placeDump, WRONG_PLACE_CASES } from "./wrong-place.cases.js";

describe("KIPT2010 wrong-place", () => {
  it.each(WRONG_PLACE_CASES.map((c) => [`${c.v6 ? "ip6 " : ""}${c.table}: ${c.rules.join("; ")}`, c] as const))("%s", (_name, c) => {
    const ids = findings(placeDump(c)).map((f) => f.split(" ")[0]);
    expect(ids.includes("KIPT2010")).toBe(c.refused);
  });
});
