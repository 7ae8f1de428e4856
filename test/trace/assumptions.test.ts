/**
 * One assumption per unknown fact, kept along the path (src/trace/facts.ts).
 *
 * When a match turns on something the packet leaves open (no --in-iface or
 * --out-iface, a bare-IP DEST, the link-layer type), trace follows both ways,
 * 1/2 each, and each way keeps what it assumed: a later match on the same
 * fact is decided by it. Before, every rule decided again on its own, so one
 * path could take `-o eth1` as matching at one rule and as not matching at
 * the next (an impossible path), and the odds counted the same fact once per
 * rule that asked.
 *
 * Every case below: the outcomes with their exact probabilities, worked out
 * by hand in the comment above it (each undecided fact is a fair coin, tossed
 * once, where a rule first needs it), and, in the comment, what the old walk
 * answered instead.
 */
import { describe, expect, it } from "vitest";
import { Fraction } from "../../src/math/fraction.js";
import { trace, type TraceOutcome, type TraceResult } from "../../src/trace/trace.js";
import { dump, run, sample, spec } from "./helpers.js";

const NODE = "192.0.2.10";
/** A destination no rule or node address names: the packet is forwarded. */
const FAR = "198.51.100.7";

const total = (r: TraceResult) => r.outcomes.reduce((a, o) => a.add(o.probability), Fraction.ZERO);

/** verdict, exact probability, the line of the path's last step, what was assumed. */
function brief(o: TraceOutcome): [string, string, number, string[]] {
  return [o.verdict, o.probability.toString(), o.path.at(-1)?.line ?? 0, o.uncertain.map((u) => u.replace(/^.*; assumed /, "assumed "))];
}

/** The outcomes in a stable order (largest share first, then verdict and line). */
function outcomes(r: TraceResult): [string, string, number, string[]][] {
  expect(total(r).isOne()).toBe(true);
  return r.outcomes.map(brief).sort((a, b) => Fraction.of(...(b[1].split("/").map(BigInt) as [bigint, bigint])).compare(Fraction.of(...(a[1].split("/").map(BigInt) as [bigint, bigint]))) || a[0].localeCompare(b[0]) || a[2] - b[2]);
}

/** Lines of a filter table; `-P`-style policies as `:CHAIN POLICY`. */
function filter(rules: string[], policies: Record<string, string> = {}): string {
  const p = { INPUT: "ACCEPT", FORWARD: "ACCEPT", OUTPUT: "ACCEPT", ...policies };
  const userChains = [...new Set(rules.map((r) => /^-A (\S+)/.exec(r)![1]!).filter((c) => !(c in p)))];
  return dump({ filter: [...Object.entries(p).map(([c, pol]) => `:${c} ${pol} [0:0]`), ...userChains.map((c) => `:${c} - [0:0]`), ...rules] });
}

describe("the out-interface is assumed once and kept", () => {
  it("a packet leaves by one interface: -o eth1 that matched (or not) is not decided again", () => {
    // Lines 5-7. The out-interface is open (forwarded, no --out-iface).
    //   line 5 `-o eth1 -j ACCEPT`: eth1 (1/2) ACCEPT.
    //   not eth1 (1/2): line 6 `-o eth1` is then false, line 7 `-o eth2`: eth2 (1/4) DROP, else (1/4) the ACCEPT policy.
    // Old: line 6 was 1/2 again, a DROP of 1/4 by a path that had just found the packet not to leave by eth1,
    // and line 7 1/8: ACCEPT 1/2 + 1/8, DROP 1/4 (line 6) + 1/8 (line 7).
    const r = run(filter(["-A FORWARD -o eth1 -j ACCEPT", "-A FORWARD -o eth1 -j DROP", "-A FORWARD -o eth2 -j DROP"]), `${FAR}:80`);
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 5, ["assumed it is eth1"]],
      ["ACCEPT", "1/4", 0, ["assumed it is not eth1 or eth2"]],
      ["DROP", "1/4", 7, ["assumed it is eth2"]],
    ]);
  });

  it("+ wildcards and negations are decided against what was assumed", () => {
    // FORWARD line 6 `-o br-+ -j BR`: br-* (1/2) goes to BR:
    //   BR line 9 `-o br-1`: br-1 (1/4) ACCEPT; else line 10 `-o eth0` is false (eth0 is not br-*),
    //   line 11 `-o br-+` is true: REJECT 1/4.
    // Not br-* (1/2): line 7 `! -o br-+` is true: ACCEPT 1/2 (line 8 is never reached).
    // Old: BR line 10 was 1/2 (a packet leaving by br-* and by eth0: DROP 1/8), line 11 1/2 again,
    // and line 7 1/2 again after BR's paths that assumed br-* came back.
    const r = run(
      filter(["-A FORWARD -o br-+ -j BR", "-A FORWARD ! -o br-+ -j ACCEPT", "-A FORWARD -j DROP", "-A BR -o br-1 -j ACCEPT", "-A BR -o eth0 -j DROP", "-A BR -o br-+ -j REJECT"]),
      `${FAR}:80`,
    );
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 7, ["assumed it does not match br-+"]],
      ["ACCEPT", "1/4", 9, ["assumed it is br-1"]],
      ["REJECT", "1/4", 11, ["assumed it matches br-+ and it is not br-1"]],
    ]);
  });

  it("a packet sent to a node address leaves by lo, so -o eth0 is known not to match", () => {
    // Locally generated, to the node's own address: the route is lo. Old: `-o eth0` was 1/2 (REJECT 1/2).
    const r = run(filter(["-A OUTPUT -o eth0 -j REJECT"]), `${NODE}:80`, { from: "local", nodeIps: [NODE] });
    expect(outcomes(r)).toEqual([["ACCEPT", "1/1", 0, []]]);
  });

  it("a packet routed again after a nat OUTPUT DNAT may leave by another interface", () => {
    // mangle OUTPUT line 3 `-o eth0 -j CONNMARK --set-mark 0x1`: eth0 (1/2) sets ctmark 1; not eth0 (1/2) leaves it 0.
    // nat OUTPUT line 7 DNATs the packet to another address: the kernel routes it again, and what was assumed of the
    // old route is dropped. filter OUTPUT line 11 `-o eth0 -m connmark --mark 0x0 -j REJECT`:
    //   ctmark 1: false (connmark), ACCEPT 1/2;
    //   ctmark 0: the new route is open again: eth0 (1/4) REJECT, else ACCEPT (1/4).
    const text =
      dump({ mangle: [":OUTPUT ACCEPT [0:0]", "-A OUTPUT -o eth0 -j CONNMARK --set-mark 0x1"] }) +
      dump({ nat: [":OUTPUT ACCEPT [0:0]", `-A OUTPUT -d ${FAR}/32 -p tcp -j DNAT --to-destination 198.51.100.8`] }) +
      dump({ filter: [":OUTPUT ACCEPT [0:0]", "-A OUTPUT -o eth0 -m connmark --mark 0x0 -j REJECT"] });
    const r = run(text, `${FAR}:80`, { from: "local", nodeIps: [NODE] });
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 7, ["assumed it is eth0"]],
      ["ACCEPT", "1/4", 7, ["assumed it is not eth0", "assumed it is not eth0"]],
      ["REJECT", "1/4", 11, ["assumed it is not eth0", "assumed it is eth0"]],
    ]);
    expect(r.outcomes.every((o) => o.dnat === "198.51.100.8:80")).toBe(true);
    // What was assumed of the first route is kept, marked as such.
    expect(r.outcomes.find((o) => o.verdict === "REJECT")!.uncertain).toEqual([
      "the outgoing interface is not known (give --out-iface) (before the packet was routed again); assumed it is not eth0",
      "the outgoing interface is not known (give --out-iface); assumed it is eth0",
    ]);
    // Without the DNAT there is no second route: the packet that missed line 3 is not eth0, and the filter rule is false.
    const same = run(text.replace(/-A OUTPUT -d .*DNAT.*\n/, ""), `${FAR}:80`, { from: "local", nodeIps: [NODE] });
    expect(outcomes(same).map((o) => o.slice(0, 2))).toEqual([
      ["ACCEPT", "1/2"],
      ["ACCEPT", "1/2"],
    ]);
  });
});

describe("the in-interface is assumed once and kept", () => {
  it("-i eth0 then ! -i eth0: one of them holds", () => {
    // Line 5 `-i eth0 -j ACCEPT`: eth0 (1/2). Else line 6 `! -i eth0` is true: DROP 1/2; line 7 is never reached.
    // Old: line 6 was 1/2 on its own: REJECT 1/4 at line 7, for a packet that came in neither by eth0 nor by another.
    const r = run(filter(["-A INPUT -i eth0 -j ACCEPT", "-A INPUT ! -i eth0 -j DROP", "-A INPUT -j REJECT"]), `${NODE}:80`, { nodeIps: [NODE] });
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 5, ["assumed it is eth0"]],
      ["DROP", "1/2", 6, ["assumed it is not eth0"]],
    ]);
  });

  it("each open fact of a rule weighs 1/2: -i eth0 -o eth1 matches 1/4", () => {
    // Line 5 `-i eth0 -o eth1 -j ACCEPT`: in eth0 (1/2), then out eth1 (1/2 of that): ACCEPT 1/4.
    //   in eth0, out not eth1 (1/4): line 6 `-i eth0` is true: DROP 1/4.
    //   in not eth0 (1/2): line 6 is false: the ACCEPT policy, 1/2.
    // Old: line 5 was 1/2 for the whole rule and line 6 1/2 again: ACCEPT 1/2 + 1/4, DROP 1/4, so the packet came
    // in by eth0 3/4 of the time though each rule tossed one coin for it.
    const r = run(filter(["-A FORWARD -i eth0 -o eth1 -j ACCEPT", "-A FORWARD -i eth0 -j DROP"]), `${FAR}:80`);
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 0, ["assumed it is not eth0"]],
      ["ACCEPT", "1/4", 5, ["assumed it is eth0", "assumed it is eth1"]],
      ["DROP", "1/4", 6, ["assumed it is eth0", "assumed it is not eth1"]],
    ]);
  });
});

describe("the destination port of a bare-IP DEST is assumed once and kept", () => {
  it("single ports, a multiport list, and the port the assumption leaves", () => {
    // Line 6 `--dport 22 -j ACCEPT`: 22 (1/2), to NODE:22.
    // Not 22: line 7 `multiport --dports 80,443 -j WEB`: in {80,443} (1/4):
    //   WEB line 9 `--dport 443`: 443 (1/8) ACCEPT; else the port is 80 (the one left), line 10 ACCEPTs it (1/8).
    // Not in {22,80,443} (1/4): line 8 `--dport 22` is false: the DROP policy (line 2).
    // Old: WEB line 10 was 1/2 again (DROP 1/16 at line 11 for a port in {80,443} that is neither) and line 8
    // was 1/2 again (REJECT 1/8 for a port already found not to be 22).
    const r = run(
      filter(
        [
          "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
          "-A INPUT -p tcp -m multiport --dports 80,443 -j WEB",
          "-A INPUT -p tcp -m tcp --dport 22 -j REJECT",
          "-A WEB -p tcp -m tcp --dport 443 -j ACCEPT",
          "-A WEB -p tcp -m tcp --dport 80 -j ACCEPT",
          "-A WEB -j DROP",
        ],
        { INPUT: "DROP" },
      ),
      NODE,
      { nodeIps: [NODE] },
    );
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 6, ["assumed 22"]],
      ["DROP", "1/4", 2, ["assumed not in 22,80,443"]],
      ["ACCEPT", "1/8", 9, ["assumed 443"]],
      ["ACCEPT", "1/8", 10, ["assumed 80"]],
    ]);
    expect(r.outcomes.map((o) => o.destination).sort()).toEqual([NODE, `${NODE}:22`, `${NODE}:443`, `${NODE}:80`]);
  });

  it("port ranges and negations", () => {
    // Line 6 `--dport 1000:1999 -j A`: in the range (1/2); A line 9 `! --dport 1500` holds unless the port is 1500 (1/4 each):
    //   not 1500: ACCEPT 1/4; 1500: A returns, line 7 `--dport 1500` is then true: DROP 1/4.
    // Not in the range (1/2): line 7 is false; line 8 `--dport 1000:2999` then means 2000:2999 (1/4) REJECT, else (1/4) the policy.
    // Old: line 7 was 1/2 for both A's returns and the out-of-range half (a DROP for ports that cannot be 1500).
    const r = run(
      filter(["-A INPUT -p tcp -m tcp --dport 1000:1999 -j A", "-A INPUT -p tcp -m tcp --dport 1500 -j DROP", "-A INPUT -p tcp -m tcp --dport 1000:2999 -j REJECT", "-A A -p tcp -m tcp ! --dport 1500 -j ACCEPT"]),
      NODE,
      { nodeIps: [NODE] },
    );
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/4", 0, ["assumed not in 1000:2999"]],
      ["ACCEPT", "1/4", 9, ["assumed in 1000:1499,1501:1999"]],
      ["DROP", "1/4", 7, ["assumed 1500"]],
      ["REJECT", "1/4", 8, ["assumed in 2000:2999"]],
    ]);
  });

  it("after a DNAT to ip:port the port is known, and the original port is the one assumed before (--ctorigdstport)", () => {
    // nat PREROUTING line 3 `--dport 80 -j DNAT --to-destination 10.1.1.1:8080`: port 80 (1/2) is DNATed.
    // filter FORWARD line 10 `ctstate DNAT --dport 8080 -j DNATED`: true for it (the port is 8080 now), false for the other.
    //   DNATED line 13 `--ctorigdstport 80 -j ACCEPT`: true (the original port was assumed 80): ACCEPT 1/2.
    // Not 80 (1/2): line 11 `--ctorigdstport 80 -j DROP` is false; line 12 ACCEPTs: 1/2.
    // Old: --ctorigdstport was undecided: REJECT 1/4 at line 14 for a packet DNATed because its port was 80,
    // and DROP 1/4 at line 11 for one not DNATed because it was not.
    const text =
      dump({ nat: [":PREROUTING ACCEPT [0:0]", `-A PREROUTING -d ${FAR}/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.1.1.1:8080`] }) +
      filter(
        [
          "-A FORWARD -p tcp -m conntrack --ctstate DNAT -m tcp --dport 8080 -j DNATED",
          "-A FORWARD -m conntrack --ctorigdstport 80 -j DROP",
          "-A FORWARD -j ACCEPT",
          "-A DNATED -m conntrack --ctorigdstport 80 -j ACCEPT",
          "-A DNATED -j REJECT",
        ],
        { FORWARD: "DROP" },
      );
    const r = run(text, FAR);
    expect(r.outcomes.map((o) => [o.verdict, o.probability.toString(), o.destination, o.dnat, o.path.at(-1)!.line, o.uncertain]).sort((a, b) => Number(a[4]) - Number(b[4]))).toEqual([
      ["ACCEPT", "1/2", FAR, null, 12, ["no destination port given (DEST is a bare IP); assumed not 80"]],
      ["ACCEPT", "1/2", "10.1.1.1:8080", "10.1.1.1:8080", 13, ["no destination port given (DEST is a bare IP); assumed 80"]],
    ]);
  });
});

describe("the link-layer packet type is assumed once and kept", () => {
  it("pkttype unicast, host (the same type), ! broadcast", () => {
    // Line 5 `unicast -j ACCEPT`: unicast (1/2). Else line 6 `host` (= unicast) is false;
    // line 7 `! broadcast`: not broadcast (1/4) REJECT, broadcast (1/4) the ACCEPT policy.
    // Old: line 6 was 1/2 (DROP 1/4 for a packet found not to be unicast), line 7 1/2 of the rest.
    const r = run(filter(["-A INPUT -m pkttype --pkt-type unicast -j ACCEPT", "-A INPUT -m pkttype --pkt-type host -j DROP", "-A INPUT -m pkttype ! --pkt-type broadcast -j REJECT"]), `${NODE}:80`, {
      nodeIps: [NODE],
    });
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 5, ["assumed unicast"]],
      ["ACCEPT", "1/4", 0, ["assumed broadcast"]],
      ["REJECT", "1/4", 7, ["assumed not broadcast or unicast"]],
    ]);
  });
});

describe("a fixed fact decides later rules instead of branching again", () => {
  it("24 rules on the same open interface: two ways, not 2^24", () => {
    // Each rule sets its own mark bit when the packet leaves by eth1. The first rule fixes the fact; every later
    // one is decided: two states all the way. Old: each rule split the walk again into states that differ in
    // their mark (2^24), far past the work bound given here.
    const rules = Array.from({ length: 24 }, (_, i) => `-A FORWARD -o eth1 -j MARK --set-xmark 0x${(1 << i).toString(16)}/0x${(1 << i).toString(16)}`);
    const r = run(filter(rules), `${FAR}:80`, {}, { maxSteps: 10_000 });
    expect(r.outcomes.map((o) => [o.verdict, o.probability.toString(), o.packet.mark.toString(16)])).toEqual([
      ["ACCEPT", "1/2", "0"],
      ["ACCEPT", "1/2", "ffffff"],
    ]);
    expect(r.steps).toBeLessThan(100);
  });

  it("a LOG (or CT --helper) rule on an open fact neither branches nor assumes", () => {
    // Line 5 changes nothing trace follows either way: the fact stays open for line 6, which tosses the one coin.
    const r = run(filter(["-A INPUT -i eth1 -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A INPUT -i eth1 -j DROP"]), NODE, { nodeIps: [NODE] });
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 0, ["assumed it is not eth1"]],
      ["DROP", "1/2", 6, ["assumed it is eth1"]],
    ]);
  });
});

describe("the new-user trial's repros", () => {
  it("docker-host.txt 192.0.2.10:8080 --in-iface eth0: one out-interface per packet", () => {
    // nat DOCKER line 63 DNATs to 172.17.0.2:80; the packet is forwarded and its out-interface is open.
    // DOCKER-BRIDGE line 34 `-o docker0 -j DOCKER`: docker0 (1/2): DOCKER line 31 (`-o docker0 --dport 80 -j ACCEPT`)
    //   is then decided: ACCEPT 1/2.
    // Not docker0: line 35 `-o br-3f9a1c2d7e8b -j DOCKER`: br-... (1/4): line 33 DROPs it (lines 31-32 are false);
    //   neither (1/4): back in FORWARD, the DROP policy.
    // Old: 12.5% + 48.4% (31/64) DROP: line 34 taken as matching and then line 31 as not matching but 32 as
    // matching the same -o docker0, and paths that left by both docker0 and br-....
    const r = trace(sample("docker-host.txt"), spec("192.0.2.10:8080", { nodeIps: ["192.0.2.10"], inIface: "eth0" }));
    expect(outcomes(r)).toEqual([
      ["ACCEPT", "1/2", 31, ["assumed it is docker0"]],
      ["DROP", "1/4", 16, ["assumed it is not br-3f9a1c2d7e8b or docker0"]],
      ["DROP", "1/4", 33, ["assumed it is br-3f9a1c2d7e8b"]],
    ]);
    expect(r.outcomes.every((o) => o.dnat === "172.17.0.2:80")).toBe(true);
  });

  it("ip6-host.txt fd00:10:96::5f3a (bare IP): every path that assumed --dport 80 into the service is masqueraded", () => {
    // raw line 22 rpfilter --invert: DROP 1/2 (not a fact: each rpfilter match is 1/2 on its own).
    // mangle line 12 `-i wg0 rpfilter ... -j DROP`: wg0 (1/4), then rpfilter 1/2: DROP 1/8; wg0 and kept 1/8; not wg0 1/4.
    // nat KUBE-SERVICES line 128 `--dport 80`: port 80 (1/2 of each) into KUBE-SVC, whose line 130 (same
    //   `--dport 80`, source outside the pods) is then true: marked for masquerade, then 1/2 per endpoint.
    //   not wg0: 1/16 per endpoint; wg0: 1/32 per endpoint; all masqueraded.
    // Not 80: no service; FORWARD line 66 `-i wg0 -o eth0 -j ACCEPT`:
    //   not wg0 (1/8): false, the DROP policy;
    //   wg0 (1/16): out eth0 (1/32) ACCEPT, else (1/32) the DROP policy.
    // Old: line 130's --dport 80 was 1/2 again, so 1/32 of the traffic went through the service unmasqueraded.
    const r = trace(sample("ip6-host.txt"), spec("fd00:10:96::5f3a"));
    const rows = r.outcomes.map((o) => [o.verdict, o.probability.toString(), o.dnat ?? o.destination, o.masquerade]);
    expect(rows.sort()).toEqual(
      [
        ["DROP", "1/2", "fd00:10:96::5f3a", false],
        ["DROP", "1/8", "fd00:10:96::5f3a", false],
        ["DROP", "1/8", "fd00:10:96::5f3a", false],
        ["DROP", "1/32", "fd00:10:96::5f3a", false],
        ["ACCEPT", "1/16", "[fd00:10:244:1::7]:8080", true],
        ["ACCEPT", "1/16", "[fd00:10:244::5]:8080", true],
        ["ACCEPT", "1/32", "[fd00:10:244:1::7]:8080", true],
        ["ACCEPT", "1/32", "[fd00:10:244::5]:8080", true],
        ["ACCEPT", "1/32", "fd00:10:96::5f3a", false],
      ].sort(),
    );
    expect(total(r).isOne()).toBe(true);
    // Every path through the service assumed port 80, and none assumed it both ways.
    for (const o of r.outcomes.filter((x) => x.dnat)) expect(o.uncertain).toContain("no destination port given (DEST is a bare IP); assumed 80");
  });
});
