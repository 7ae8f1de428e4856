import { describe, expect, it } from "vitest";
import { dump, run } from "./helpers.js";

const NODE = "192.0.2.10";
const filter = (input: string[], policy = "ACCEPT") => [`:INPUT ${policy} [0:0]`, ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...input];
const only = (r: ReturnType<typeof run>) => {
  expect(r.outcomes).toHaveLength(1);
  return r.outcomes[0]!;
};

describe("targets", () => {
  it("ACCEPT, DROP, REJECT, and the built-in policy at the end of a built-in chain", () => {
    expect(only(run(dump({ filter: filter(["-A INPUT -j ACCEPT"], "DROP") }), `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("ACCEPT");
    expect(only(run(dump({ filter: filter(["-A INPUT -j DROP"]) }), `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
    expect(only(run(dump({ filter: filter(["-A INPUT -p tcp -j REJECT --reject-with tcp-reset"]) }), `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("REJECT");
    const policy = only(run(dump({ filter: filter([], "DROP") }), `${NODE}:80`, { nodeIps: [NODE] }));
    expect(policy.verdict).toBe("DROP");
    expect(policy.path.at(-1)!.rule).toBeNull();
  });
  it("a built-in policy step cites the line that set the policy: the declaration or the last -P", () => {
    const declared = only(run(dump({ filter: filter([], "DROP") }), `${NODE}:80`, { nodeIps: [NODE] }));
    expect([declared.path.at(-1)!.line, declared.path.at(-1)!.text]).toEqual([2, "-P INPUT DROP"]);
    const set = only(run(dump({ filter: [...filter([]), "-P INPUT DROP"] }), `${NODE}:80`, { nodeIps: [NODE] }));
    expect(set.path.at(-1)!.line).toBe(5);
  });
  it("RETURN and the end of a user chain return to the caller; -g does not return", () => {
    const jump = dump({ filter: [...filter([":A - [0:0]", "-A INPUT -j A", "-A INPUT -j DROP", "-A A -j RETURN", "-A A -j ACCEPT"])] });
    expect(only(run(jump, `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
    const endOfChain = dump({ filter: [...filter([":A - [0:0]", "-A INPUT -j A", "-A INPUT -j DROP"])] });
    expect(only(run(endOfChain, `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
    // INPUT -j A; A -g B; B returns -> back to INPUT after the jump to A (not into A).
    const gotoReturn = dump({ filter: filter([":A - [0:0]", ":B - [0:0]", "-A INPUT -j A", "-A INPUT -j DROP", "-A A -g B", "-A A -j ACCEPT", "-A B -j RETURN"]) });
    expect(only(run(gotoReturn, `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
    // -g from the built-in chain: the end of the goto'd chain applies the built-in policy.
    const gotoPolicy = dump({ filter: filter([":B - [0:0]", "-A INPUT -g B", "-A INPUT -j ACCEPT"], "DROP") });
    expect(only(run(gotoPolicy, `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
  });
  it("DNAT changes the destination for everything after it, and the routing decision", () => {
    const text = dump({
      nat: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -d 198.51.100.7/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.0.2.10:8080"],
      filter: filter(["-A INPUT -p tcp -m tcp --dport 8080 -j DROP"]),
    });
    const o = only(run(text, "198.51.100.7:80", { nodeIps: [NODE] }));
    expect(o.verdict).toBe("DROP");
    expect(o.dnat).toBe("192.0.2.10:8080");
    const forwarded = only(run(text.replace("192.0.2.10:8080", "10.9.9.9"), "198.51.100.7:80", { nodeIps: [NODE] }));
    expect([forwarded.verdict, forwarded.route, forwarded.dnat]).toEqual(["ACCEPT", "forward", "10.9.9.9:80"]);
  });
  it("DNAT and REDIRECT to a port set the port of a bare-IP destination", () => {
    const text = dump({ nat: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -d 198.51.100.7/32 -p tcp -j DNAT --to-destination 10.9.9.9:8080"] });
    const o = only(run(text, "198.51.100.7", { nodeIps: [NODE] }));
    expect([o.destination, o.dnat]).toEqual(["10.9.9.9:8080", "10.9.9.9:8080"]);
    const noPort = only(run(text.replace("10.9.9.9:8080", "10.9.9.9"), "198.51.100.7", { nodeIps: [NODE] }));
    expect([noPort.destination, noPort.dnat]).toEqual(["10.9.9.9", "10.9.9.9"]);
    const redirect = dump({ nat: [":OUTPUT ACCEPT [0:0]", "-A OUTPUT -p tcp -j REDIRECT --to-ports 3128"] });
    expect(only(run(redirect, "93.184.216.34", { from: "local" })).dnat).toBe("127.0.0.1:3128");
    const icmp = only(run(dump({ nat: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -d 198.51.100.7/32 -j DNAT --to-destination 10.9.9.9"] }), "198.51.100.7", { proto: "icmp", nodeIps: [NODE] }));
    expect(icmp.dnat).toBe("10.9.9.9");
  });
  it("SNAT and MASQUERADE in POSTROUTING", () => {
    const text = dump({ nat: [":POSTROUTING ACCEPT [0:0]", "-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE", "-A POSTROUTING -j SNAT --to-source 203.0.113.5"] });
    const m = only(run(text, "8.8.8.8:53", { src: "10.1.1.1" }));
    expect([m.masquerade, m.snat]).toEqual([true, null]);
    const s = only(run(text, "8.8.8.8:53", { src: "172.16.1.1" }));
    expect([s.masquerade, s.snat]).toEqual([false, "203.0.113.5"]);
  });
  it("REDIRECT sends to the node (loopback for local traffic)", () => {
    const text = dump({ nat: [":OUTPUT ACCEPT [0:0]", "-A OUTPUT -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3128"] });
    const o = only(run(text, "93.184.216.34:80", { from: "local" }));
    expect(o.dnat).toBe("127.0.0.1:3128");
  });
  it("MARK (--set-xmark, --or-mark, --and-mark, --xor-mark) and the mark match after it", () => {
    const chain = (set: string, test: string) =>
      dump({ mangle: [":PREROUTING ACCEPT [0:0]", `-A PREROUTING -j MARK ${set}`], filter: filter([`-A INPUT -m mark --mark ${test} -j DROP`]) });
    const verdict = (set: string, test: string, mark = 0) => only(run(chain(set, test), `${NODE}:80`, { nodeIps: [NODE], mark })).verdict;
    expect(verdict("--set-xmark 0x4000/0x4000", "0x4000/0x4000")).toBe("DROP");
    expect(verdict("--set-xmark 0x4000/0x0", "0x4000/0x4000", 0x4000)).toBe("ACCEPT"); // xor clears it
    expect(verdict("--or-mark 0x2", "0x3", 0x1)).toBe("DROP");
    expect(verdict("--and-mark 0x1", "0x1", 0x3)).toBe("DROP");
    expect(verdict("--xor-mark 0x1", "0x0", 0x1)).toBe("DROP");
    expect(verdict("--set-mark 0x5/0xf", "0xf5", 0xf0)).toBe("DROP");
  });
  it("CONNMARK: set, save and restore", () => {
    const text = dump({
      mangle: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j MARK --set-xmark 0x7/0xffffffff", "-A PREROUTING -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff", "-A PREROUTING -j MARK --set-xmark 0x0/0xffffffff", "-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff"],
      filter: filter(["-A INPUT -m mark --mark 0x7 -m connmark --mark 0x7 -j DROP"]),
    });
    expect(only(run(text, `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
    const set = dump({ mangle: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j CONNMARK --set-xmark 0x9/0xffffffff"], filter: filter(["-A INPUT -m connmark --mark 0x9 -j DROP"]) });
    expect(only(run(set, `${NODE}:80`, { nodeIps: [NODE] })).verdict).toBe("DROP");
  });
  it("LOG and NFLOG go on with the next rule", () => {
    const text = dump({ filter: filter(['-A INPUT -j LOG --log-prefix "x "', "-A INPUT -j NFLOG --nflog-group 2", "-A INPUT -j DROP"]) });
    const o = only(run(text, `${NODE}:80`, { nodeIps: [NODE] }));
    expect(o.verdict).toBe("DROP");
    expect(o.path).toHaveLength(3);
  });
  it("NOTRACK makes the packet UNTRACKED and the nat table is skipped", () => {
    const text = dump({
      raw: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j NOTRACK"],
      nat: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j DNAT --to-destination 10.0.0.1"],
      filter: filter(["-A INPUT -m conntrack --ctstate UNTRACKED -j DROP"]),
    });
    const o = only(run(text, `${NODE}:80`, { nodeIps: [NODE] }));
    expect([o.verdict, o.dnat]).toEqual(["DROP", null]);
  });
  it("a non-NEW packet does not see the nat table", () => {
    const text = dump({ nat: [":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j DNAT --to-destination 10.0.0.1"] });
    expect(only(run(text, `${NODE}:80`, { nodeIps: [NODE], ctstate: "ESTABLISHED" })).dnat).toBeNull();
  });
});
