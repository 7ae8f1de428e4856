/**
 * Valid and invalid tables for every structure rule (RuleTester style).
 * Lines: `filterTable(a, b, c)` puts its arguments on lines 5, 6, 7.
 */
import { chainCycle } from "../../src/lint/rules/chain-cycle.js";
import { duplicateRule } from "../../src/lint/rules/duplicate-rule.js";
import { jumpToOtherTable } from "../../src/lint/rules/jump-to-other-table.js";
import { shadowedRule } from "../../src/lint/rules/shadowed-rule.js";
import { undefinedTarget } from "../../src/lint/rules/undefined-target.js";
import { unreachableChain } from "../../src/lint/rules/unreachable-chain.js";
import { unreachableRule } from "../../src/lint/rules/unreachable-rule.js";
import { filterTable as f, ruleTester } from "./rule-tester.js";

/** Two rules in INPUT: does the second one get shadowed by the first? */
const pair = (first: string, second: string) => f(`-A INPUT ${first}`, `-A INPUT ${second}`);

ruleTester(undefinedTarget, {
  valid: [
    { name: "jump to a declared chain", dump: f(":X - [0:0]", "-A INPUT -j X", "-A X -j ACCEPT") },
    { name: "target extensions", dump: f("-A INPUT -j LOG", "-A INPUT -j ACCEPT") },
  ],
  invalid: [
    { name: "jump to a chain never declared", dump: f("-A INPUT -j NOPE"), findings: [{ line: 5, message: "'NOPE'" }] },
    { name: "goto to a chain never declared", dump: f("-A INPUT -g NOPE"), findings: [{ line: 5, message: "'-g'" }] },
  ],
});

ruleTester(unreachableChain, {
  valid: [
    { name: "reached from INPUT", dump: f(":X - [0:0]", "-A INPUT -j X", "-A X -j ACCEPT") },
    { name: "empty unreachable chain (a canary)", dump: f(":KUBE-PROXY-CANARY - [0:0]") },
  ],
  invalid: [
    { name: "nothing jumps to it", dump: f(":X - [0:0]", "-A X -j ACCEPT"), findings: [{ line: 5, message: "no rule jumps to it" }] },
    { name: "only an unreachable chain jumps to it", dump: f(":X - [0:0]", ":Y - [0:0]", "-A X -j Y", "-A Y -j ACCEPT"), findings: [{ line: 5 }, { line: 6, message: "only unreachable chains" }] },
  ],
});

ruleTester(chainCycle, {
  valid: [
    { name: "a chain jumped to twice", dump: f(":X - [0:0]", "-A INPUT -j X", "-A OUTPUT -j X", "-A X -j ACCEPT") },
    { name: "a loop no built-in chain reaches", dump: f(":X - [0:0]", ":Y - [0:0]", "-A X -j Y", "-A Y -j X") },
  ],
  invalid: [
    { name: "A -> B -> A", dump: f(":A - [0:0]", ":B - [0:0]", "-A INPUT -j A", "-A A -j B", "-A B -j A"), findings: [{ line: 9, message: "jump loop" }] },
    { name: "a chain jumping to itself", dump: f(":A - [0:0]", "-A INPUT -j A", "-A A -p tcp -j A"), findings: [{ line: 7 }] },
  ],
});

ruleTester(jumpToOtherTable, {
  valid: [{ name: "same name in both tables", dump: "*nat\n:PREROUTING ACCEPT [0:0]\n:X - [0:0]\n-A PREROUTING -j X\nCOMMIT\n" + f(":X - [0:0]", "-A INPUT -j X") }],
  invalid: [
    { name: "filter rule jumps to a nat chain", dump: "*nat\n:PREROUTING ACCEPT [0:0]\n:X - [0:0]\n-A PREROUTING -j X\nCOMMIT\n" + f("-A INPUT -j X"), findings: [{ line: 10, message: "exists in table nat" }] },
  ],
});

ruleTester(unreachableRule, {
  valid: [
    { name: "terminating rule last", dump: f("-A INPUT -p tcp -j ACCEPT", "-A INPUT -j DROP") },
    { name: "conditional drop before", dump: f("-A INPUT -s 10.0.0.0/8 -j DROP", "-A INPUT -j ACCEPT") },
    { name: "unconditional non-terminating (LOG) before", dump: f("-A INPUT -j LOG", "-A INPUT -j ACCEPT") },
    { name: "unconditional jump to a chain (it may return)", dump: f(":X - [0:0]", "-A INPUT -j X", "-A INPUT -j ACCEPT", "-A X -j RETURN") },
    { name: "0.0.0.0/0 is no condition, but a negated address is", dump: f("-A INPUT ! -s 10.0.0.0/8 -j DROP", "-A INPUT -j ACCEPT") },
    { name: "NFQUEUE may pass packets on (--queue-bypass)", dump: f("-A INPUT -j NFQUEUE --queue-num 1 --queue-bypass", "-A INPUT -j ACCEPT") },
  ],
  invalid: [
    { name: "after an unconditional DROP", dump: f("-A INPUT -j DROP", "-A INPUT -p tcp -j ACCEPT"), findings: [{ line: 6, message: "rule 1 (line 5) sends every packet to 'DROP'" }] },
    { name: "only the first unreachable rule, with a count", dump: f("-A INPUT -j ACCEPT", "-A INPUT -j LOG", "-A INPUT -j DROP", "-A INPUT -j REJECT"), findings: [{ line: 6, message: "and so are the 2 rules after it" }] },
    { name: "after an unconditional RETURN in a user chain", dump: f(":X - [0:0]", "-A INPUT -j X", "-A X -j RETURN", "-A X -j DROP"), findings: [{ line: 8 }] },
    { name: "after an unconditional goto", dump: f(":X - [0:0]", "-A INPUT -g X", "-A INPUT -j DROP", "-A X -j ACCEPT"), findings: [{ line: 7, message: "'-g X'" }] },
    { name: "a comment is no condition", dump: f('-A INPUT -m comment --comment "catch all" -j DROP', "-A INPUT -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "0.0.0.0/0 addresses and -p all are no condition", dump: f("-A INPUT -s 0.0.0.0/0 -p all -j DROP", "-A INPUT -j ACCEPT"), findings: [{ line: 6 }] },
  ],
});

ruleTester(duplicateRule, {
  valid: [
    { name: "different comments", dump: f('-A INPUT -p tcp -m comment --comment "a" -j ACCEPT', '-A INPUT -p tcp -m comment --comment "b" -j ACCEPT') },
    { name: "same rule in two chains", dump: f("-A INPUT -p tcp -j ACCEPT", "-A OUTPUT -p tcp -j ACCEPT") },
    { name: "different targets", dump: f("-A INPUT -p tcp -j LOG", "-A INPUT -p tcp -j ACCEPT") },
  ],
  invalid: [
    { name: "the same rule twice", dump: f("-A INPUT -p tcp -j LOG", "-A INPUT -p tcp -j LOG"), findings: [{ line: 6, message: "repeats rule 1 (line 5)" }] },
    { name: "the same rule in different spellings", dump: f("-A INPUT -s 10.0.0.1 -p tcp --dport 22 -j ACCEPT", "-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --destination-port 22 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "counters do not count", dump: f("[1:2] -A INPUT -p udp -j LOG", "[3:4] -A INPUT -p udp -j LOG"), findings: [{ line: 6 }] },
    { name: "three copies: two findings", dump: f("-A INPUT -j LOG", "-A INPUT -j LOG", "-A INPUT -j LOG"), findings: [{ line: 6 }, { line: 7 }] },
  ],
});

ruleTester(shadowedRule, {
  valid: [
    { name: "narrow rule first", dump: pair("-s 10.1.0.0/16 -j ACCEPT", "-s 10.0.0.0/8 -j DROP") },
    { name: "overlapping, not contained", dump: pair("-s 10.0.0.0/8 -p tcp -j DROP", "-s 10.0.0.0/8 -j ACCEPT") },
    { name: "earlier rule does not terminate (LOG)", dump: pair("-s 10.0.0.0/8 -j LOG", "-s 10.1.0.0/16 -j DROP") },
    { name: "earlier rule jumps to a chain", dump: f(":X - [0:0]", "-A INPUT -s 10.0.0.0/8 -j X", "-A INPUT -s 10.1.0.0/16 -j DROP", "-A X -j RETURN") },
    { name: "different protocols", dump: pair("-p tcp -m tcp --dport 53 -j ACCEPT", "-p udp -m udp --dport 53 -j DROP") },
    { name: "port range not inside", dump: pair("-p tcp -m tcp --dport 80:90 -j ACCEPT", "-p tcp -m tcp --dport 85:95 -j DROP") },
    { name: "earlier has ports, later has none", dump: pair("-p tcp -m tcp --dport 22 -j ACCEPT", "-p tcp -j DROP") },
    { name: "negated source does not cover an overlapping network", dump: pair("! -s 10.0.0.0/8 -j DROP", "-s 10.0.0.0/7 -j ACCEPT") },
    { name: "interface wildcard does not cover a shorter prefix", dump: pair("-i eth+ -j DROP", "-i et+ -j ACCEPT") },
    { name: "exact interface does not cover a wildcard", dump: pair("-i eth0 -j DROP", "-i eth+ -j ACCEPT") },
    { name: "an unknown match in the earlier rule: silent", dump: pair("-s 10.0.0.0/8 -m mark --mark 0x1 -j DROP", "-s 10.1.0.0/16 -j ACCEPT") },
    { name: "an unknown match in the later rule: silent", dump: pair("-s 10.0.0.0/8 -j DROP", "-s 10.1.0.0/16 -m mark --mark 0x1 -j ACCEPT") },
    { name: "statistic: silent", dump: pair("-m statistic --mode random --probability 0.5 -j DROP", "-j ACCEPT") },
    { name: "ctstate DNAT is not modelled: silent", dump: pair("-m conntrack --ctstate DNAT -j ACCEPT", "-m conntrack --ctstate DNAT -p tcp -j DROP") },
    { name: "ctstate sets not contained", dump: pair("-m conntrack --ctstate ESTABLISHED -j ACCEPT", "-m conntrack --ctstate ESTABLISHED,RELATED -j DROP") },
    { name: "tcp match does not cover a later rule that can see fragments", dump: pair("-p tcp -m tcp -j ACCEPT", "-p tcp -j DROP") },
    { name: "-f does not cover unfragmented", dump: pair("-f -j DROP", "-s 10.0.0.0/8 -j ACCEPT") },
    { name: "a negated destination is not inside a positive one", dump: pair("-d 10.0.0.0/8 -j DROP", "! -d 10.0.0.0/8 -j ACCEPT") },
    { name: "multiport --ports not implied by a destination port range it overlaps", dump: pair("-p tcp -m multiport --ports 80,443 -j ACCEPT", "-p tcp -m tcp --dport 80:443 -j DROP") },
    { name: "exact duplicates belong to duplicate-rule", dump: pair("-s 10.0.0.0/8 -j DROP", "-s 10.0.0.0/8 -j DROP") },
    { name: "after an unconditional rule belongs to unreachable-rule", dump: pair("-j DROP", "-s 10.0.0.0/8 -j ACCEPT") },
    { name: "CT in the raw table changes the state later rules see", dump: "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -m conntrack --ctstate NEW -j ACCEPT\n-A PREROUTING -p tcp -m conntrack --ctstate NEW -j DROP\nCOMMIT\n" },
  ],
  invalid: [
    { name: "source network inside an earlier one", dump: pair("-s 10.0.0.0/8 -j DROP", "-s 10.1.2.3/32 -j ACCEPT"), findings: [{ line: 6, message: "rule 1 (line 5) already sends every packet it would match to 'DROP', so its 'ACCEPT' never happens" }] },
    { name: "destination, protocol and port inside", dump: pair("-d 192.168.0.0/16 -p tcp -j REJECT", "-d 192.168.1.0/24 -p tcp -m tcp --dport 443 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "port range inside", dump: pair("-p udp -m udp --dport 1000:2000 -j DROP", "-p udp -m udp --dport 1500 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "multiport list inside", dump: pair("-p tcp -m multiport --dports 80,443,8000:9000 -j ACCEPT", "-p tcp -m multiport --dports 443,8080 -j DROP"), findings: [{ line: 6 }] },
    { name: "single port inside a multiport list", dump: pair("-p tcp -m multiport --dports 22,80 -j DROP", "-p tcp -m tcp --dport 80 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "negated port: everything but 22 covers 80", dump: pair("-p tcp -m tcp ! --dport 22 -j DROP", "-p tcp -m tcp --dport 80 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "--ports covers a destination port in its list", dump: pair("-p tcp -m multiport --ports 80,443 -j ACCEPT", "-p tcp -m tcp --dport 443 -j DROP"), findings: [{ line: 6 }] },
    { name: "source port", dump: pair("-p udp -m udp --sport 53 -j ACCEPT", "-s 8.8.8.8/32 -p udp -m udp --sport 53 --dport 1024:65535 -j DROP"), findings: [{ line: 6 }] },
    { name: "negated source: outside 10/8 covers 192.168/16", dump: pair("! -s 10.0.0.0/8 -j DROP", "-s 192.168.0.0/16 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "negated both: ! 10.0/16 covers ! 10/8", dump: pair("! -s 10.0.0.0/16 -j DROP", "! -s 10.0.0.0/8 -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "protocol negation: ! udp covers tcp", dump: pair("! -p udp -j DROP", "-p tcp -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "interface wildcard covers a name", dump: pair("-i eth+ -j DROP", "-i eth0 -p tcp -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "interface wildcard covers a longer wildcard", dump: pair("-i veth+ -j ACCEPT", "-i vethab+ -j DROP"), findings: [{ line: 6 }] },
    { name: "negated interface: ! eth+ covers lo", dump: f("-A FORWARD ! -o eth+ -j DROP", "-A FORWARD -o lo -j ACCEPT"), findings: [{ line: 6 }] },
    { name: "conntrack states contained (state and conntrack alike)", dump: pair("-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-m state --state ESTABLISHED -j DROP"), findings: [{ line: 6 }] },
    { name: "negated ctstate", dump: pair("-m conntrack ! --ctstate NEW -j ACCEPT", "-m conntrack --ctstate INVALID -j DROP"), findings: [{ line: 6 }] },
    { name: "comments are ignored", dump: pair('-s 10.0.0.0/8 -m comment --comment "lan" -j DROP', '-s 10.1.0.0/16 -m comment --comment "office" -j ACCEPT'), findings: [{ line: 6 }] },
    { name: "goto ends the chain too", dump: f(":X - [0:0]", "-A INPUT -s 10.0.0.0/8 -g X", "-A INPUT -s 10.1.0.0/16 -j DROP", "-A X -j ACCEPT"), findings: [{ line: 7, message: "'-g X'" }] },
    { name: "RETURN ends the chain", dump: pair("-p tcp -j RETURN", "-p tcp -m tcp --dport 80 -j DROP"), findings: [{ line: 6 }] },
    { name: "the earliest covering rule is named", dump: f("-A INPUT -s 10.0.0.0/8 -j DROP", "-A INPUT -s 10.1.0.0/16 -j REJECT", "-A INPUT -s 10.1.1.0/24 -j ACCEPT"), findings: [{ line: 6 }, { line: 7, message: "rule 1 (line 5)" }] },
    { name: "same action: redundant, an info", dump: pair("-p tcp -m tcp --dport 32000 -j ACCEPT", '-p tcp -m comment --comment "second port" -m tcp --dport 32000 -j ACCEPT'), findings: [{ line: 6, severity: "info", message: "it is redundant" }] },
    { name: "tcp match after ! -f is covered", dump: pair("-p tcp -m tcp -j ACCEPT", "-p tcp ! -f -j DROP"), findings: [{ line: 6 }] },
    { name: "IPv6 prefixes", dump: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::/32 -j DROP\n-A INPUT -s 2001:db8:1::/48 -j ACCEPT\nCOMMIT\n", findings: [{ line: 4 }] },
    { name: "many rules: indexed by destination and port", dump: f(...Array.from({ length: 300 }, (_, i) => `-A INPUT -d 10.0.${i >> 8}.${i & 255}/32 -p tcp -m tcp --dport ${1000 + i} -j ACCEPT`), "-A INPUT -d 10.0.0.7/32 -p tcp -m tcp --dport 1007 -m comment --comment again -j DROP"), findings: [{ line: 305, message: "rule 8 (line 12)" }] },
  ],
});
