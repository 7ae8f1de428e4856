/**
 * Defaults iptables-save adds are printed in its order, and flag lists in
 * the catalogue's spelling (both found by a catalogue-wide property test;
 * test/oracle/corpus/defaults-order.rules holds them against the real tool).
 */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";

const rules = (rule: string) => format(parse(`*filter\n:INPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`).dump).split("\n").filter((l) => l.startsWith("-A "));

describe("defaults and flag lists", () => {
  it("limit's default --limit goes before --limit-burst", () => {
    expect(rules("-A INPUT -p tcp -m limit --limit-burst 1 -j ACCEPT")).toEqual(["-A INPUT -p tcp -m limit --limit 3/hour --limit-burst 1 -j ACCEPT"]);
  });
  it("is idempotent", () => {
    const once = rules("-A INPUT -p tcp -m limit --limit-burst 1 -j ACCEPT")[0]!;
    expect(rules(once)).toEqual([once]);
  });
  it("hashlimit modes keep their lower-case names", () => {
    expect(rules("-A INPUT -p udp -m hashlimit --hashlimit-upto 10/sec --hashlimit-mode dstport,srcip --hashlimit-name x -j ACCEPT")[0]).toContain("--hashlimit-mode srcip,dstport");
  });
});
