/**
 * The source address trace picks when none is given: the first documentation
 * or shared address that no rule's source names, so that source matches do
 * not decide the walk by accident.
 */
import { describe, expect, it } from "vitest";
import { pickSource } from "../../src/trace/packet.js";
import { dump, rulesetOf } from "./helpers.js";

const filter = (rules: string[]) => rulesetOf(dump({ filter: [":INPUT ACCEPT [0:0]", ...rules.map((r) => `-A INPUT ${r}`)] }));

describe("pickSource", () => {
  it("takes the first candidate when no rule names a source near it", () => {
    expect(pickSource(filter(["-s 10.0.0.0/8 -j DROP", "-s 192.168.1.7/32 -j DROP"]), "ipv4")).toBe("203.0.113.1");
  });

  it("skips the candidates a rule's source covers", () => {
    expect(pickSource(filter(["-s 203.0.113.0/28 -j DROP"]), "ipv4")).toBe("203.0.113.16");
    expect(pickSource(filter(["-s 203.0.113.0/24 -j DROP"]), "ipv4")).toBe("198.51.100.1");
    expect(pickSource(filter(["-s 192.0.0.0/2 -j DROP"]), "ipv4")).toBe("100.64.0.1");
    expect(pickSource(filter(["-m iprange --src-range 203.0.113.1-203.0.113.9 -j DROP"]), "ipv4")).toBe("203.0.113.10");
  });

  it("skips the addresses it is told to avoid (the destination, the node's addresses)", () => {
    expect(pickSource(filter([]), "ipv4", ["203.0.113.1", "203.0.113.2"])).toBe("203.0.113.3");
  });

  it("covers everything when a rule's source is everything but one address", () => {
    expect(pickSource(filter(["-s 0.0.0.0/1 -j DROP", "-s 128.0.0.0/1 -j DROP"]), "ipv4")).toBe("203.0.113.1");
  });
});
