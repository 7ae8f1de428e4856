/** KIPT1026 missing-option without root (test/oracle/required-options-oracle.test.ts checks the table against the tool). */
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parser/parse.js";

const ids = (rule: string, table = "mangle") => parse(`*${table}\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${rule}\nCOMMIT\n`).diagnostics.map((d) => d.id);

describe("KIPT1026 missing-option", () => {
  it.each([
    ["-A PREROUTING -m comment -j ACCEPT", ["KIPT1026"]],
    ["-A PREROUTING -m comment --comment x -j ACCEPT", []],
    ["-A PREROUTING -p tcp -m recent -j ACCEPT", ["KIPT1026"]],
    ["-A PREROUTING -p tcp -m recent --rcheck -j ACCEPT", []],
    ["-A PREROUTING -m hashlimit --hashlimit-upto 1/sec -j ACCEPT", ["KIPT1026"]],
    ["-A PREROUTING -m hashlimit --hashlimit-upto 1/sec --hashlimit-name a -j ACCEPT", []],
    ["-A PREROUTING -m conntrack -j ACCEPT", ["KIPT1026"]],
    ["-A PREROUTING -j MARK", ["KIPT1026"]],
    ["-A PREROUTING -j MARK --set-mark 1", []],
    ["-A PREROUTING -m cluster --cluster-local-node 1 --cluster-total-nodes 2 --cluster-hash-seed 1 -j ACCEPT", []],
    ["-A PREROUTING -m cluster --cluster-local-node 1 --cluster-local-nodemask 1 --cluster-total-nodes 2 --cluster-hash-seed 1 -j ACCEPT", ["KIPT1026"]],
    // A value refused with KIPT1004 is not also "missing".
    ["-A PREROUTING -m mac --mac-source XX:XX:XX:XX:XX:XX -j ACCEPT", ["KIPT1004"]],
  ])("%s", (rule, expected) => {
    expect(ids(rule)).toEqual(expected);
  });
});
