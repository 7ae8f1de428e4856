/**
 * Issue 7's round trip: parse(fmt(x)) equals parse(x), for generated valid
 * dumps, in what the rules mean rather than how they are written (fmt
 * rewrites spellings: `--set-mark` becomes `--set-xmark`, `-d 10.0.0.1/8`
 * becomes `10.0.0.0/8`, `-p all` and `-s 0.0.0.0/0` disappear). Two checks:
 * - structure: the same tables, chains, policies and counters, and per rule
 *   the same addresses (as networks), interfaces, protocol, matches and target;
 * - behaviour: kipt trace gives the same outcomes, with the same exact
 *   probabilities, for packets to several destinations.
 */
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import type { AddressMatch, RuleNode } from "../../src/ast/types.js";
import { format, load, parse, trace, type PacketSpec } from "../../src/index.js";
import { validDump } from "./arbitraries.js";

/** An address match as the network it matches; null when it restricts nothing. */
function network(m: AddressMatch | null): string | null {
  if (!m) return null;
  const { address, prefixLength, family } = m.value;
  if (prefixLength === 0 && !m.negated) return null; // `-s 0.0.0.0/0`: left out by iptables-save
  const cidr = `${address}/${prefixLength}`;
  const net = family === "ipv6" ? ipaddr.IPv6.networkAddressFromCIDR(cidr) : ipaddr.IPv4.networkAddressFromCIDR(cidr);
  return `${m.negated ? "!" : ""}${net.toNormalizedString()}/${prefixLength}`;
}

function ruleShape(r: RuleNode) {
  const protocol = r.protocol && !(r.protocol.number === 0 && !r.protocol.negated) ? `${r.protocol.negated ? "!" : ""}${r.protocol.number}` : null;
  return {
    source: network(r.source),
    destination: network(r.destination),
    in: r.inInterface ? `${r.inInterface.negated ? "!" : ""}${r.inInterface.value.text}` : null,
    out: r.outInterface ? `${r.outInterface.negated ? "!" : ""}${r.outInterface.value.text}` : null,
    protocol,
    fragment: r.fragment ? (r.fragment.negated ? "!f" : "f") : null,
    matches: r.matches.map((m) => m.name).sort(),
    target: r.target ? `${r.target.goto ? "-g" : "-j"} ${r.target.name}` : null,
    // No counters and [0:0] mean the same to the kernel (fmt writes [0:0] when other rules have counters).
    counters: r.counters ? `${r.counters.packets}:${r.counters.bytes}` : "0:0",
  };
}

function structure(text: string) {
  return load(parse(text, { file: "gen.txt" }).dump).tables.map((t) => ({
    table: t.name,
    chains: t.chains.map((c) => ({ name: c.name, policy: c.policy, counters: c.counters ? `${c.counters.packets}:${c.counters.bytes}` : null, rules: c.rules.map(ruleShape) })),
  }));
}

function spec(dst: string, dport: number, from: "external" | "local"): PacketSpec {
  return { dst, dport, proto: "tcp", src: null, sport: null, from, inIface: null, outIface: null, nodeIps: ["192.168.0.10"], mark: 0, ctstate: "NEW" };
}

function behaviour(text: string, packet: PacketSpec) {
  return trace(load(parse(text, { file: "gen.txt" }).dump), packet)
    .outcomes.map((o) => [o.verdict, o.probability.toString(), o.destination, o.dnat, o.masquerade, o.snat, o.uncertain.join("; ")].join(" | "))
    .sort();
}

describe("round trip: parse(fmt(x)) means what parse(x) means", () => {
  it("the same tables, chains and rules, written canonically", () => {
    fc.assert(
      fc.property(validDump, (text) => {
        const printed = format(parse(text, { file: "gen.txt" }).dump);
        expect(structure(printed)).toEqual(structure(text));
      }),
      { seed: 45, numRuns: 300 },
    );
  });

  it("the same trace outcomes, to the exact probability", () => {
    fc.assert(
      fc.property(validDump, fc.constantFrom("10.0.0.1", "192.168.0.10", "127.0.0.1"), fc.integer({ min: 0, max: 65535 }), fc.constantFrom("external", "local") as fc.Arbitrary<"external" | "local">, (text, dst, dport, from) => {
        const printed = format(parse(text, { file: "gen.txt" }).dump);
        expect(behaviour(printed, spec(dst, dport, from))).toEqual(behaviour(text, spec(dst, dport, from)));
      }),
      { seed: 46, numRuns: 150 },
    );
  });
});
