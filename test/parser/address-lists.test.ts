/** `-s`/`-d` comma lists: kipt adds the rules iptables adds, and refuses what it refuses (cases in address-lists.cases.ts). */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { load } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";
import { prepareFormat } from "../../src/parallel/format-parallel.js";
import { lint } from "../../src/lint/run.js";
import { ADDRESS_LIST_CASES, listDump } from "./address-lists.cases.js";

const rulesOf = (text: string) => text.split("\n").filter((l) => l.startsWith("-A "));

describe("address lists", () => {
  it.each(ADDRESS_LIST_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const parsed = parse(listDump(c));
    const errors = parsed.diagnostics.filter((d) => d.severity === "error");
    if (c.saved === null) {
      expect(errors.length).toBeGreaterThan(0);
      return;
    }
    expect(errors).toEqual([]);
    expect(rulesOf(format(parsed.dump))).toEqual(c.saved);
    // fmt's own path (short cuts, the printed rules' loader) prints the same.
    const prepared = await prepareFormat(listDump(c), { file: "x" });
    let printed = "";
    prepared.write((piece) => {
      printed += piece;
    });
    expect(rulesOf(printed)).toEqual(c.saved);
  });

  it("a problem of the line is reported once, not once per address", () => {
    const text = listDump({ name: "", rules: ["-A INPUT -s 10.0.0.1,10.0.0.2 -d 10.0.0.3,10.0.0.4 -j NOPE"], saved: null });
    expect(lint([{ file: "x", text }]).findings.map((f) => `${f.line}:${f.column} ${f.id}`)).toEqual(["5:52 KIPT2001"]);
  });

  it("the rules of one line share its position and text, each with its own address", () => {
    const { dump } = parse(listDump(ADDRESS_LIST_CASES[0]!));
    const rules = load(dump).tables[0]!.chains.find((ch) => ch.name === "INPUT")!.rules;
    expect(rules.map((r) => `${r.source!.value.text} ${r.destination!.value.text}`)).toEqual(["10.0.0.0/8 1.1.1.1", "10.0.0.0/8 2.2.2.2", "192.168.0.0/16 1.1.1.1", "192.168.0.0/16 2.2.2.2"]);
    expect(new Set(rules.map((r) => `${r.line}:${r.column}:${r.text}`)).size).toBe(1);
  });
});
