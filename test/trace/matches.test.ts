/**
 * One test (or a few) per match: a filter INPUT rule with the match and
 * `-j DROP`, and the probability that a packet to a node address is dropped.
 */
import { describe, expect, it } from "vitest";
import type { PacketSpec } from "../../src/trace/packet.js";
import { trace } from "../../src/trace/trace.js";
import { dump, run, sample, spec } from "./helpers.js";

const NODE = "192.0.2.10";

function drop(rules: string[], dest = `${NODE}:80`, more: Partial<PacketSpec> = {}, extra: Record<string, string[]> = {}) {
  const text = dump({ ...extra, filter: [":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...rules.map((r) => `-A INPUT ${r} -j DROP`)] });
  const result = run(text, dest, { nodeIps: [NODE], ...more });
  const dropped = result.outcomes.filter((o) => o.verdict === "DROP");
  return {
    p: dropped.reduce((a, o) => a + o.probability.toNumber(), 0),
    exact: dropped.map((o) => o.probability.toString()).join("+") || "0",
    uncertain: [...new Set(result.outcomes.flatMap((o) => o.uncertain))],
    result,
  };
}

describe("built-in matches", () => {
  it("addresses and CIDRs, with negation", () => {
    expect(drop(["-s 10.0.0.0/8"], NODE + ":80", { src: "10.1.2.3" }).p).toBe(1);
    expect(drop(["-s 10.0.0.0/8"], NODE + ":80", { src: "11.1.2.3" }).p).toBe(0);
    expect(drop(["! -s 10.0.0.0/8"], NODE + ":80", { src: "11.1.2.3" }).p).toBe(1);
    expect(drop(["-d 192.0.2.10/32"]).p).toBe(1);
    expect(drop(["-d 192.0.2.11/32"]).p).toBe(0);
    expect(drop(["! -d 192.0.2.0/24"]).p).toBe(0);
  });
  it("the default source is outside every source range in the rules", () => {
    const r = drop(["-s 203.0.113.0/24", "-s 198.51.100.0/25"]);
    expect(r.p).toBe(0);
    expect(r.result.packet.src).toBe("198.51.100.128");
  });
  it("protocols", () => {
    expect(drop(["-p tcp"]).p).toBe(1);
    expect(drop(["-p udp"]).p).toBe(0);
    expect(drop(["! -p udp"]).p).toBe(1);
    expect(drop(["-p udp"], NODE + ":53", { proto: "udp" }).p).toBe(1);
    expect(drop(["-p icmp"], NODE, { proto: "icmp" }).p).toBe(1);
  });
  it("interfaces with + wildcards, and unknown interfaces are uncertain", () => {
    expect(drop(["-i eth0"], NODE + ":80", { inIface: "eth0" }).p).toBe(1);
    expect(drop(["-i eth+"], NODE + ":80", { inIface: "eth1" }).p).toBe(1);
    expect(drop(["-i eth+"], NODE + ":80", { inIface: "wg0" }).p).toBe(0);
    expect(drop(["! -i eth+"], NODE + ":80", { inIface: "wg0" }).p).toBe(1);
    const unknown = drop(["-i eth0"]);
    expect(unknown.exact).toBe("1/2");
    expect(unknown.uncertain.join()).toMatch(/incoming interface is not known/);
    // An arriving packet does not come in on loopback.
    expect(drop(["-i lo"]).p).toBe(0);
  });
});

describe("extension matches", () => {
  it("tcp/udp/sctp ports and ranges, with negation", () => {
    expect(drop(["-p tcp -m tcp --dport 80"]).p).toBe(1);
    expect(drop(["-p tcp -m tcp --dport 1:79"]).p).toBe(0);
    expect(drop(["-p tcp -m tcp ! --dport 1:79"]).p).toBe(1);
    expect(drop(["-p tcp -m tcp --sport 43210"]).p).toBe(1);
    expect(drop(["-p tcp -m tcp --sport 1000"], NODE + ":80", { sport: 1000 }).p).toBe(1);
    expect(drop(["-p udp -m udp --dport 53"], NODE + ":53", { proto: "udp" }).p).toBe(1);
    expect(drop(["-p sctp -m sctp --dport 9"], NODE + ":9", { proto: "sctp" }).p).toBe(1);
    expect(drop(["-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN"]).p).toBe(1);
    expect(drop(["-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN"], NODE + ":80", { ctstate: "ESTABLISHED" }).p).toBe(0);
  });
  it("a bare-IP destination leaves port matches uncertain", () => {
    const r = drop(["-p tcp -m tcp --dport 80"], NODE);
    expect(r.exact).toBe("1/2");
    expect(r.uncertain.join()).toMatch(/no destination port/);
  });
  it("multiport", () => {
    expect(drop(["-p tcp -m multiport --dports 22,80:90"]).p).toBe(1);
    expect(drop(["-p tcp -m multiport --dports 22,81:90"]).p).toBe(0);
    expect(drop(["-p tcp -m multiport ! --dports 22,81:90"]).p).toBe(1);
    expect(drop(["-p tcp -m multiport --ports 43210"]).p).toBe(1);
  });
  it("icmp types", () => {
    expect(drop(["-p icmp -m icmp --icmp-type 8"], NODE, { proto: "icmp" }).p).toBe(1);
    expect(drop(["-p icmp -m icmp --icmp-type echo-request"], NODE, { proto: "icmp" }).p).toBe(1);
    expect(drop(["-p icmp -m icmp --icmp-type 3/4"], NODE, { proto: "icmp" }).p).toBe(0);
  });
  it("addrtype: LOCAL is the node IPs and loopback", () => {
    expect(drop(["-m addrtype --dst-type LOCAL"]).p).toBe(1);
    expect(drop(["-m addrtype --src-type LOCAL"]).p).toBe(0);
    expect(drop(["-m addrtype ! --dst-type LOCAL"]).p).toBe(0);
    expect(drop(["-m addrtype --dst-type LOCAL"], "127.0.0.1:80").p).toBe(1);
  });
  it("mark, with the value the packet arrived with", () => {
    expect(drop(["-m mark --mark 0x4000/0x4000"]).p).toBe(0);
    expect(drop(["-m mark --mark 0x4000/0x4000"], NODE + ":80", { mark: 0x4001 }).p).toBe(1);
    expect(drop(["-m mark ! --mark 0x4000/0x4000"]).p).toBe(1);
    expect(drop(["-m mark --mark 0x1"], NODE + ":80", { mark: 1 }).p).toBe(1);
  });
  it("conntrack and state against the packet's state", () => {
    expect(drop(["-m conntrack --ctstate NEW"]).p).toBe(1);
    expect(drop(["-m conntrack --ctstate RELATED,ESTABLISHED"]).p).toBe(0);
    expect(drop(["-m conntrack --ctstate RELATED,ESTABLISHED"], NODE + ":80", { ctstate: "ESTABLISHED" }).p).toBe(1);
    expect(drop(["-m conntrack ! --ctstate INVALID"]).p).toBe(1);
    expect(drop(["-m state --state NEW"]).p).toBe(1);
    expect(drop(["-m conntrack --ctstate DNAT"]).p).toBe(0);
    expect(drop(["-m conntrack --ctorigdstport 80 --ctdir ORIGINAL"]).p).toBe(1);
  });
  it("comment always matches; nfacct counts and matches", () => {
    expect(drop(['-m comment --comment "x"']).p).toBe(1);
  });
  it("iprange", () => {
    expect(drop(["-m iprange --src-range 10.0.0.1-10.0.0.9"], NODE + ":80", { src: "10.0.0.5" }).p).toBe(1);
    expect(drop(["-m iprange --src-range 10.0.0.1-10.0.0.9"], NODE + ":80", { src: "10.0.0.10" }).p).toBe(0);
    expect(drop(["-m iprange ! --dst-range 192.0.2.1-192.0.2.20"]).p).toBe(0);
  });
  it("statistic random: both branches, weighted p and 1-p", () => {
    expect(drop(["-m statistic --mode random --probability 0.25000000000"]).exact).toBe("1/4");
    expect(drop(["-m statistic --mode random ! --probability 0.25000000000"]).exact).toBe("3/4");
    const cascade = drop(["-m statistic --mode random --probability 0.50000000000", "-m statistic --mode random --probability 0.50000000000"]);
    expect(cascade.exact).toBe("3/4");
  });
  it("statistic nth: weighted 1/n", () => {
    expect(drop(["-m statistic --mode nth --every 3 --packet 0"]).exact).toBe("1/3");
  });
  it("recent: no prior state by default, --recent-hit assumes affinity, --set then --rcheck hits", () => {
    expect(drop(["-m recent --rcheck --seconds 10 --name A --mask 255.255.255.255 --rsource"]).p).toBe(0);
    const text = dump({ filter: [":INPUT ACCEPT [0:0]", "-A INPUT -m recent --rcheck --name A --mask 255.255.255.255 --rsource -j DROP"] });
    expect(run(text, `${NODE}:80`, { nodeIps: [NODE] }, { assumeRecent: ["A"] }).outcomes[0]!.verdict).toBe("DROP");
    expect(run(text, `${NODE}:80`, { nodeIps: [NODE] }, { assumeRecent: ["B"] }).outcomes[0]!.verdict).toBe("ACCEPT");
    const setThenCheck = dump({
      filter: [":INPUT ACCEPT [0:0]", "-A INPUT -m recent --set --name A --mask 255.255.255.255 --rsource", "-A INPUT -m recent --update --seconds 60 --name A --mask 255.255.255.255 --rsource -j DROP"],
    });
    expect(run(setThenCheck, `${NODE}:80`, { nodeIps: [NODE] }).outcomes[0]!.verdict).toBe("DROP");
  });
  it("recent --hitcount counts the hits this walk recorded: one --set is one hit", () => {
    // samples/host-firewall.txt SSH-GUARD: --set, then --update --hitcount 4 -j LOG-DROP, then ACCEPT.
    const r = trace(sample("host-firewall.txt"), spec("203.0.113.45:22", { nodeIps: ["203.0.113.45"], inIface: "eth0" }));
    expect(r.outcomes.map((o) => [o.verdict, o.probability.toString(), o.path.at(-1)!.line])).toEqual([["ACCEPT", "1/1", 69]]);
    const hits = (n: number, check: string) =>
      run(dump({ filter: [":INPUT ACCEPT [0:0]", ...Array<string>(n).fill("-A INPUT -m recent --set --name A"), `-A INPUT -m recent ${check} --name A -j DROP`] }), `${NODE}:80`, { nodeIps: [NODE] }).outcomes[0]!.verdict;
    expect(hits(3, "--update --seconds 60 --hitcount 4")).toBe("ACCEPT");
    expect(hits(4, "--update --seconds 60 --hitcount 4")).toBe("DROP");
    expect(hits(1, "--rcheck --hitcount 1")).toBe("DROP");
    expect(hits(1, "! --rcheck --hitcount 2")).toBe("DROP");
    expect(hits(0, "--rcheck --hitcount 1")).toBe("ACCEPT");
  });
  it("recent --update records a hit only when it matches; --rcheck never does", () => {
    const walk = (second: string) =>
      run(dump({ filter: [":INPUT ACCEPT [0:0]", "-A INPUT -m recent --set --name A", `-A INPUT -m recent ${second} --name A`, "-A INPUT -m recent --rcheck --hitcount 2 --name A -j DROP"] }), `${NODE}:80`, { nodeIps: [NODE] }).outcomes[0]!.verdict;
    expect(walk("--update")).toBe("DROP");
    expect(walk("--update --hitcount 2")).toBe("ACCEPT");
    expect(walk("--rcheck")).toBe("ACCEPT");
  });
  it("recent records when the match is evaluated: ! --set, and a later match of the rule that misses", () => {
    const after = (first: string) =>
      run(dump({ filter: [":INPUT ACCEPT [0:0]", `-A INPUT ${first} -j ACCEPT`, "-A INPUT -m recent --rcheck --name A -j DROP"] }), `${NODE}:80`, { nodeIps: [NODE] }).outcomes[0]!.verdict;
    expect(after("-m recent ! --set --name A")).toBe("DROP");
    expect(after("-p tcp -m recent --set --name A -m tcp --dport 9999")).toBe("DROP");
    // The kernel does not reach the recent match when an earlier match misses.
    expect(after("-p tcp -m tcp --dport 9999 -m recent --set --name A")).toBe("ACCEPT");
  });
  it("recent lists hold addresses: --rsource/--rdest, --mask, --name and --remove", () => {
    const check = (set: string, rcheck: string, between: string[] = []) =>
      run(dump({ filter: [":INPUT ACCEPT [0:0]", `-A INPUT -m recent --set ${set}`, ...between.map((b) => `-A INPUT ${b}`), `-A INPUT -m recent --rcheck ${rcheck} -j DROP`] }), `${NODE}:80`, { nodeIps: [NODE], src: "198.51.100.7" }).outcomes[0]!.verdict;
    expect(check("--name A --rsource", "--name A --rdest")).toBe("ACCEPT");
    expect(check("--name A --rdest", "--name A --rdest")).toBe("DROP");
    expect(check("--name A --rsource --mask 0.0.0.0", "--name A --rdest --mask 0.0.0.0")).toBe("DROP");
    expect(check("--name A", "--name B")).toBe("ACCEPT");
    expect(check("", "--name DEFAULT")).toBe("DROP");
    expect(check("--name A", "--name A", ["-m recent --remove --name A"])).toBe("ACCEPT");
  });
  it("recent with a list assumed by --recent-hit: any --hitcount is met", () => {
    const text = dump({ filter: [":INPUT ACCEPT [0:0]", "-A INPUT -m recent --update --seconds 60 --hitcount 20 --name A -j DROP"] });
    expect(run(text, `${NODE}:80`, { nodeIps: [NODE] }, { assumeRecent: ["A"] }).outcomes[0]!.verdict).toBe("DROP");
    expect(run(text, `${NODE}:80`, { nodeIps: [NODE] }).outcomes[0]!.verdict).toBe("ACCEPT");
  });
  it("set and matches the dump cannot decide: both branches, marked uncertain with the reason", () => {
    const r = drop(["-m set --match-set blocked src"]);
    expect(r.exact).toBe("1/2");
    expect(r.uncertain).toEqual(["ipset contents are not in the dump"]);
    const u = drop(["-m limit --limit 5/min"]);
    expect(u.exact).toBe("1/2");
  });
  it("an undecidable match on a LOG rule does not branch (either way the walk goes on the same)", () => {
    const text = dump({ filter: [":INPUT ACCEPT [0:0]", "-A INPUT -m limit --limit 5/min -j LOG", "-A INPUT -j DROP"] });
    const r = run(text, `${NODE}:80`, { nodeIps: [NODE] });
    expect(r.outcomes).toHaveLength(1);
    expect(r.outcomes[0]!.uncertain).toEqual([]);
  });
});
