/**
 * What trace keeps of an assumed fact (src/trace/facts.ts): port sets
 * against a brute-force model, interface knowledge, and the notes.
 */
import { describe, expect, it } from "vitest";
import { assumeIface, ifaceAssumption, ifaceMatches, portAssumption, portSet, portsMatch, type IfaceFact, type PortRanges } from "../../src/trace/facts.js";
import { ALL_PORTS, intersectPorts, subtractPorts } from "../../src/net/port-set.js";

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random ranges near a few hot spots (so sets overlap), normalized. */
function randomSet(next: () => number): PortRanges {
  const n = 1 + Math.floor(next() * 6);
  const ranges = Array.from({ length: n }, () => {
    const base = [0, 80, 443, 1000, 30000, 65535][Math.floor(next() * 6)]!;
    const first = Math.min(65535, Math.max(0, base + Math.floor(next() * 40) - 20));
    return { first, last: Math.min(65535, first + Math.floor(next() * (next() < 0.2 ? 40000 : 30))) };
  });
  return portSet(ranges);
}

const members = (s: PortRanges): Set<number> => {
  const out = new Set<number>();
  for (const [a, b] of s) for (let p = a; p <= b; p++) out.add(p);
  return out;
};
const normalized = (s: PortRanges) => s.every(([a, b], i) => a <= b && (i === 0 || a > s[i - 1]![1] + 1));

describe("port sets", () => {
  it("intersect, subtract and match agree with sets of ports", () => {
    const next = rng(7);
    for (let round = 0; round < 80; round++) {
      const a = randomSet(next);
      const b = randomSet(next);
      const ma = members(a);
      const mb = members(b);
      const both = intersectPorts(a, b);
      const rest = subtractPorts(a, b);
      expect(normalized(both) && normalized(rest)).toBe(true);
      expect([...members(both)]).toEqual([...ma].filter((p) => mb.has(p)));
      expect([...members(rest)]).toEqual([...ma].filter((p) => !mb.has(p)));
      const all = [...ma].every((p) => mb.has(p));
      const none = [...ma].every((p) => !mb.has(p));
      expect(portsMatch(a, b)).toBe(all ? true : none ? false : null);
    }
  });

  it("an open port is undecided for a port match, and the notes name what is assumed", () => {
    const p80 = portSet([{ first: 80, last: 80 }]);
    expect(portsMatch(null, p80)).toBe(null);
    expect(portsMatch(null, ALL_PORTS)).toBe(true);
    expect(portAssumption(p80)).toBe("assumed 80");
    expect(portAssumption(subtractPorts(ALL_PORTS, p80))).toBe("assumed not 80");
    expect(portAssumption(subtractPorts(ALL_PORTS, portSet([{ first: 80, last: 80 }, { first: 443, last: 443 }])))).toBe("assumed not in 80,443");
    expect(portAssumption(portSet([{ first: 80, last: 80 }, { first: 8000, last: 8999 }]))).toBe("assumed in 80,8000:8999");
    // Thousands of excluded ports (a bare IP walked past every NodePort rule): a few are named, the rest counted.
    const many = subtractPorts(ALL_PORTS, portSet(Array.from({ length: 3000 }, (_, i) => ({ first: 30000 + 2 * i, last: 30000 + 2 * i }))));
    expect(portAssumption(many)).toBe("assumed not in 30000,30002,30004,30006,30008,30010,30012,30014 and 2992 more");
  });
});

describe("interface knowledge", () => {
  const step = (f: IfaceFact | null, name: string, wildcard: boolean, holds: boolean) => assumeIface(f, name, wildcard, holds);

  it("a name assumed not to be, a prefix assumed or not, decide later matches", () => {
    const notEth0 = step(null, "eth0", false, false);
    expect(ifaceMatches(notEth0, "eth0", false, false)).toBe(false);
    expect(ifaceMatches(notEth0, "eth1", false, false)).toBe(null);
    expect(ifaceMatches(notEth0, "eth", true, false)).toBe(null);

    const br = step(notEth0, "br-", true, true);
    expect(br.not).toEqual([]); // eth0 does not start with br-: nothing left to say
    expect(ifaceMatches(br, "br", true, false)).toBe(true);
    expect(ifaceMatches(br, "br-1", true, false)).toBe(null);
    expect(ifaceMatches(br, "eth", true, false)).toBe(false);
    expect(ifaceMatches(br, "eth1", false, false)).toBe(false);
    expect(ifaceMatches(br, "br-1", false, false)).toBe(null);
    expect(ifaceAssumption(br, null)).toBe("assumed it matches br-+");

    const notDocker = step(step(null, "docker0", false, false), "docker", true, false);
    expect(notDocker.not).toEqual([]); // docker0 is covered by docker+
    expect(ifaceMatches(notDocker, "docker", true, false)).toBe(false);
    expect(ifaceMatches(notDocker, "docker1", false, false)).toBe(false);
    expect(ifaceMatches(notDocker, "dock", true, false)).toBe(null);
    expect(ifaceAssumption(notDocker, null)).toBe("assumed it does not match docker+");

    expect(ifaceMatches(null, "", true, false)).toBe(true); // `-o +` matches every name
    expect(ifaceMatches(null, "lo", false, true)).toBe(false);
    expect(step(null, "eth0", false, true).fixed).toBe(true);
    expect(ifaceAssumption(step(null, "eth0", false, true), "eth0")).toBe("assumed it is eth0");
  });
});
