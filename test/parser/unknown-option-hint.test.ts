/** KIPT1003's "did you mean": the loaded extensions' options, and the match `-p` would load, at most two edits away. */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";

const messageOf = (rule: string): string => {
  const r = parse(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`);
  const found = r.diagnostics.filter((d) => d.id === "KIPT1003");
  expect(found).toHaveLength(1);
  return found[0]!.message;
};

describe("unknown option hints", () => {
  it("names the option a typo most likely means, with its extension", () => {
    expect(messageOf("-p tcp -m tcp --dprot 22 -j ACCEPT")).toMatch(/did you mean '--dport' \(of 'tcp'\)\?$/);
    // The option follows -m comment, but -p tcp would load tcp: its options count too.
    expect(messageOf('-m comment --comment "x" -p tcp --dprot 22 -j ACCEPT')).toMatch(/did you mean '--dport' \(of 'tcp'\)\?$/);
    expect(messageOf("-m comment --coment x -j ACCEPT")).toMatch(/did you mean '--comment' \(of 'comment'\)\?$/);
    // An alias counts: --destination-ports is multiport's other spelling of --dports.
    expect(messageOf("-p tcp -m multiport --destination-prots 1,2 -j ACCEPT")).toMatch(/did you mean '--dports' \(of 'multiport'\)\?$/);
  });

  it("says nothing when no option is close, or two are equally close", () => {
    expect(messageOf("-p tcp -m tcp --zzzzzz 22 -j ACCEPT")).not.toMatch(/did you mean/);
    // --xport is one edit from both --sport and --dport.
    expect(messageOf("-p tcp -m tcp --xport 22 -j ACCEPT")).not.toMatch(/did you mean/);
  });
});
