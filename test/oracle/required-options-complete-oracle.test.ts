/**
 * grammar/extensions/required.ts against the real iptables-restore, one
 * group at a time. required-options-oracle.test.ts loads each extension bare,
 * which shows only the first option the tool misses; here each extension
 * gets a complete minimal rule, one option of each of its groups. The tool
 * must take it and kipt must not say KIPT1026; then, for each group, the same
 * rule without that group's option must be refused by the tool (with the
 * message in `refused`) and get KIPT1026 from kipt. One namespace per
 * extension, the test's own, always deleted; skipped loudly without root,
 * `ip` or iptables.
 */
import { describe, expect, it } from "vitest";
import { requiredMatchOptions, requiredTargetOptions } from "../../grammar/extensions/required.js";
import { parse } from "../../src/parser/parse.js";
import { createKernelObjects, inNamespace, oracleOrSkip, withNamespace } from "../../scripts/oracle.mjs";

const unavailable = oracleOrSkip("required-options-complete oracle");

interface Complete {
  readonly kind: "match" | "target";
  readonly name: string;
  /** An ip6tables extension, loaded with ip6tables-restore. */
  readonly v6?: boolean;
  /** Where the extension may stand (the kernel refuses other hooks). */
  readonly table: string;
  readonly chain: string;
  /** `-p` of the rule (tcp unless the extension needs another). */
  readonly proto?: string;
  /** Rules of the same chain the extension needs before it (an estimator for -m rateest). */
  readonly before?: readonly string[];
  /** One option (with its value) per group of required.ts, in the same order. */
  readonly options: readonly string[];
  /** For each group, what the tool says when only that group's option is left out. */
  readonly refused: readonly (string | RegExp)[];
}

const KERNEL_EINVAL = /RULE_APPEND failed \(Invalid argument\)/;
const KERNEL_ENOENT = /RULE_APPEND failed \(No such file or directory\)/;
const ESTIMATOR = "-A PREROUTING -j RATEEST --rateest-name est --rateest-interval 250ms --rateest-ewmalog 0.5s";

const M = "mangle";
const PRE = "PREROUTING";

const COMPLETE: readonly Complete[] = [
  // Matches.
  { kind: "match", name: "addrtype", table: M, chain: PRE, options: ["--src-type LOCAL"], refused: ["you must specify --src-type or --dst-type"] },
  { kind: "match", name: "bpf", table: M, chain: PRE, options: ['--bytecode "4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0"'], refused: ["one of --bytecode or --pinned is required"] },
  // The kernel refuses a cgroup match with neither (dmesg: "xt_cgroup: no path or classid specified"); it stands in OUTPUT.
  { kind: "match", name: "cgroup", table: M, chain: "OUTPUT", options: ["--cgroup 1"], refused: [KERNEL_EINVAL] },
  {
    kind: "match",
    name: "cluster",
    table: M,
    chain: PRE,
    options: ["--cluster-local-node 1", "--cluster-total-nodes 2", "--cluster-hash-seed 0xdeadbeef"],
    refused: ["`--cluster-local-node' or`--cluster-local-nodemask' is missing", 'option "--cluster-total-nodes" must be specified', 'option "--cluster-hash-seed" must be specified'],
  },
  { kind: "match", name: "comment", table: M, chain: PRE, options: ["--comment x"], refused: ['option "--comment" must be specified'] },
  {
    kind: "match",
    name: "connbytes",
    table: M,
    chain: PRE,
    options: ["--connbytes 10", "--connbytes-dir original", "--connbytes-mode bytes"],
    refused: ['option "--connbytes" must be specified', 'option "--connbytes-dir" must be specified', 'option "--connbytes-mode" must be specified'],
  },
  { kind: "match", name: "connlabel", table: M, chain: PRE, options: ["--label 1"], refused: ['option "--label" must be specified'] },
  { kind: "match", name: "connlimit", table: M, chain: PRE, options: ["--connlimit-above 2"], refused: ['You must specify "--connlimit-above" or "--connlimit-upto"'] },
  { kind: "match", name: "connmark", table: M, chain: PRE, options: ["--mark 1"], refused: ['option "--mark" must be specified'] },
  { kind: "match", name: "conntrack", table: M, chain: PRE, options: ["--ctstate NEW"], refused: ["At least one option is required"] },
  { kind: "match", name: "cpu", table: M, chain: PRE, options: ["--cpu 0"], refused: ['option "--cpu" must be specified'] },
  { kind: "match", name: "devgroup", table: M, chain: PRE, options: ["--src-group 1"], refused: ["You must specify either '--src-group' or '--dst-group'"] },
  { kind: "match", name: "dscp", table: M, chain: PRE, options: ["--dscp 1"], refused: ["Parameter --dscp is required"] },
  { kind: "match", name: "ecn", table: M, chain: PRE, options: ["--ecn-tcp-ece"], refused: ["some option required"] },
  {
    kind: "match",
    name: "hashlimit",
    table: M,
    chain: PRE,
    options: ["--hashlimit-upto 10/sec", "--hashlimit-name kipt"],
    refused: ["You have to specify --hashlimit", 'option "--hashlimit-name" must be specified'],
  },
  { kind: "match", name: "helper", table: M, chain: PRE, options: ["--helper ftp"], refused: ['option "--helper" must be specified'] },
  { kind: "match", name: "hl", v6: true, table: M, chain: PRE, options: ["--hl-eq 1"], refused: ["You must specify one of `--hl-eq', `--hl-lt', `--hl-gt'"] },
  { kind: "match", name: "icmp", table: M, chain: PRE, proto: "icmp", options: ["--icmp-type 8"], refused: ['option "--icmp-type" must be specified'] },
  { kind: "match", name: "icmp6", v6: true, table: M, chain: PRE, proto: "icmpv6", options: ["--icmpv6-type 128"], refused: ['option "--icmpv6-type" must be specified'] },
  { kind: "match", name: "iprange", table: M, chain: PRE, options: ["--src-range 10.0.0.1-10.0.0.2"], refused: ["You must specify `--src-range' or `--dst-range'"] },
  { kind: "match", name: "ipv6header", v6: true, table: M, chain: PRE, options: ["--header frag"], refused: ['option "--header" must be specified'] },
  { kind: "match", name: "length", table: M, chain: PRE, options: ["--length 100"], refused: ['option "--length" must be specified'] },
  { kind: "match", name: "mac", table: M, chain: PRE, options: ["--mac-source 00:11:22:33:44:55"], refused: ['option "--mac-source" must be specified'] },
  { kind: "match", name: "mark", table: M, chain: PRE, options: ["--mark 1"], refused: ['option "--mark" must be specified'] },
  { kind: "match", name: "multiport", table: M, chain: PRE, options: ["--dports 80"], refused: ["multiport expection an option"] },
  // The accounting object is created first (createKernelObjects).
  { kind: "match", name: "nfacct", table: M, chain: PRE, options: ["--nfacct-name kipt"], refused: ['option "--nfacct-name" must be specified'] },
  { kind: "match", name: "osf", table: M, chain: PRE, options: ["--genre Linux"], refused: ['option "--genre" must be specified'] },
  // The kernel takes the owner match only where there is a local socket.
  { kind: "match", name: "owner", table: M, chain: "OUTPUT", options: ["--uid-owner 0"], refused: ["At least one of --uid-owner, --gid-owner or --socket-exists is required"] },
  { kind: "match", name: "physdev", table: M, chain: PRE, options: ["--physdev-in eth0"], refused: ["no physdev option specified"] },
  { kind: "match", name: "pkttype", table: M, chain: PRE, options: ["--pkt-type unicast"], refused: ['option "--pkt-type" must be specified'] },
  { kind: "match", name: "policy", table: M, chain: PRE, options: ["--dir in"], refused: ["neither --dir in nor --dir out specified"] },
  { kind: "match", name: "quota", table: M, chain: PRE, options: ["--quota 1000"], refused: ['option "--quota" must be specified'] },
  // The estimator comes from a RATEEST rule of the same file. The kernel checks the options, without a message.
  {
    kind: "match",
    name: "rateest",
    table: M,
    chain: PRE,
    before: [ESTIMATOR],
    options: ["--rateest est", "--rateest-bps 1000", "--rateest-lt"],
    refused: [KERNEL_ENOENT, KERNEL_EINVAL, KERNEL_EINVAL],
  },
  // The kernel takes realm in INPUT, FORWARD, OUTPUT and POSTROUTING.
  { kind: "match", name: "realm", table: M, chain: "POSTROUTING", options: ["--realm 1"], refused: ['option "--realm" must be specified'] },
  { kind: "match", name: "recent", table: M, chain: PRE, options: ["--set"], refused: ["you must specify one of `--set', `--rcheck' `--update' or `--remove'"] },
  // The ipset is created first (createKernelObjects).
  { kind: "match", name: "set", table: M, chain: PRE, options: ["--match-set kipt src"], refused: ["You must specify `--match-set' with proper arguments"] },
  { kind: "match", name: "state", table: M, chain: PRE, options: ["--state NEW"], refused: ['option "--state" must be specified'] },
  {
    kind: "match",
    name: "statistic",
    table: M,
    chain: PRE,
    options: ["--mode random", "--probability 0.5"],
    refused: ['option "--mode" must be specified', "--probability must be specified when using random mode"],
  },
  {
    kind: "match",
    name: "string",
    table: M,
    chain: PRE,
    options: ["--string kipt", "--algo bm"],
    refused: ["You must specify `--string' or `--hex-string'", 'option "--algo" must be specified'],
  },
  { kind: "match", name: "tcpmss", table: M, chain: PRE, options: ["--mss 100"], refused: ['option "--mss" must be specified'] },
  { kind: "match", name: "tos", table: M, chain: PRE, options: ["--tos 0x10"], refused: ['option "--tos" must be specified'] },
  { kind: "match", name: "ttl", table: M, chain: PRE, options: ["--ttl-eq 1"], refused: ["You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt"] },
  { kind: "match", name: "u32", table: M, chain: PRE, options: ['--u32 "0&0xFFFF=0x100:0xFFFF"'], refused: ['option "--u32" must be specified'] },

  // Targets.
  { kind: "target", name: "AUDIT", table: M, chain: PRE, options: ["--type accept"], refused: ['option "--type" must be specified'] },
  { kind: "target", name: "CHECKSUM", table: M, chain: PRE, options: ["--checksum-fill"], refused: ['option "--checksum-fill" must be specified'] },
  // The kernel takes CLASSIFY in FORWARD, OUTPUT and POSTROUTING.
  { kind: "target", name: "CLASSIFY", table: M, chain: "POSTROUTING", options: ["--set-class 1:1"], refused: ['option "--set-class" must be specified'] },
  { kind: "target", name: "CONNMARK", table: M, chain: PRE, options: ["--set-mark 1"], refused: ["No operation specified"] },
  { kind: "target", name: "CONNSECMARK", table: M, chain: PRE, options: ["--save"], refused: ["parameter required"] },
  { kind: "target", name: "DNAT", table: "nat", chain: PRE, options: ["--to-destination 10.0.0.1"], refused: ['option "--to-destination" must be specified'] },
  {
    kind: "target",
    name: "DNPT",
    v6: true,
    table: M,
    chain: PRE,
    options: ["--src-pfx 2001:db8::/64", "--dst-pfx 2001:db8:1::/64"],
    refused: ['option "--src-pfx" must be specified', 'option "--dst-pfx" must be specified'],
  },
  { kind: "target", name: "DSCP", table: M, chain: PRE, options: ["--set-dscp 1"], refused: ["Parameter --set-dscp is required"] },
  { kind: "target", name: "ECN", table: M, chain: PRE, options: ["--ecn-tcp-remove"], refused: ["An operation is required"] },
  { kind: "target", name: "HL", v6: true, table: M, chain: PRE, options: ["--hl-set 64"], refused: ["You must specify an action"] },
  {
    kind: "target",
    name: "HMARK",
    table: M,
    chain: PRE,
    options: ["--hmark-mod 10", "--hmark-rnd 1", "--hmark-tuple src"],
    refused: ["--hmark-mod is mandatory", "--hmark-rnd is mandatory", "you have to specify --hmark-tuple at least"],
  },
  {
    kind: "target",
    name: "IDLETIMER",
    table: M,
    chain: PRE,
    options: ["--timeout 10", "--label kipt"],
    refused: ['option "--timeout" must be specified', 'option "--label" must be specified'],
  },
  {
    kind: "target",
    name: "MARK",
    table: M,
    chain: PRE,
    options: ["--set-mark 1"],
    refused: ["One of the --set-xmark, --{and,or,xor,set}-mark options is required"],
  },
  { kind: "target", name: "NETMAP", table: "nat", chain: PRE, options: ["--to 10.0.0.0/24"], refused: ['option "--to" must be specified'] },
  // Without an interval or an averaging time the tool cannot compute the other and says so.
  {
    kind: "target",
    name: "RATEEST",
    table: M,
    chain: PRE,
    options: ["--rateest-name kipt", "--rateest-interval 250ms", "--rateest-ewmalog 0.5s"],
    refused: ['option "--rateest-name" must be specified', "ewmalog value is out of range", "ewmalog value is out of range"],
  },
  // The ipset is created first (createKernelObjects).
  { kind: "target", name: "SET", table: M, chain: PRE, options: ["--add-set kipt src"], refused: ["You must specify either `--add-set' or `--del-set' or `--map-set'"] },
  { kind: "target", name: "SNAT", table: "nat", chain: "POSTROUTING", options: ["--to-source 10.0.0.1"], refused: ['option "--to-source" must be specified'] },
  {
    kind: "target",
    name: "SNPT",
    v6: true,
    table: M,
    chain: "POSTROUTING",
    options: ["--src-pfx 2001:db8::/64", "--dst-pfx 2001:db8:1::/64"],
    refused: ['option "--src-pfx" must be specified', 'option "--dst-pfx" must be specified'],
  },
  { kind: "target", name: "TCPMSS", table: M, chain: PRE, options: ["--set-mss 1400"], refused: ["At least one parameter is required"] },
  { kind: "target", name: "TEE", table: M, chain: PRE, options: ["--gateway 10.0.0.1"], refused: ['option "--gateway" must be specified'] },
  { kind: "target", name: "TOS", table: M, chain: PRE, options: ["--set-tos 0x10"], refused: ["An action is required"] },
  { kind: "target", name: "TPROXY", table: M, chain: PRE, options: ["--on-port 80"], refused: ['option "--on-port" must be specified'] },
  { kind: "target", name: "TTL", table: M, chain: PRE, options: ["--ttl-set 64"], refused: ["You must specify an action"] },
];

/** Extensions of required.ts with no complete rule above, and why. */
const LEFT_OUT: Readonly<Record<string, string>> = {
  // A rule with --selctx loads only where SELinux knows the context ("RULE_APPEND failed (No such file or
  // directory)", dmesg "xt_SECMARK: unable to map security context"); no SELinux here.
  "target SECMARK": "needs SELinux, which maps the --selctx context",
};

function groupsOf(c: { kind: "match" | "target"; name: string }): readonly (readonly string[])[] | undefined {
  return (c.kind === "match" ? requiredMatchOptions : requiredTargetOptions)[c.name];
}

/** The dump with the extension's options `options` (a subset of c.options). */
function dumpOf(c: Complete, options: readonly string[]): string {
  const tool = c.v6 ? "ip6tables-save" : "iptables-save";
  const use = `${c.kind === "match" ? "-m" : "-j"} ${c.name}${options.map((o) => ` ${o}`).join("")}`;
  const lines = [
    `# Generated by ${tool} v1.8.9 (nf_tables) on Wed Nov 25 12:00:00 2026`,
    `*${c.table}`,
    `:${c.chain} ACCEPT [0:0]`,
    ...(c.before ?? []),
    `-A ${c.chain} -p ${c.proto ?? "tcp"} ${use}`,
    "COMMIT",
  ];
  return `${lines.join("\n")}\n`;
}

const ids = (text: string) => parse(text).diagnostics.map((d) => d.id);

describe("the table of complete rules covers required.ts", () => {
  const listed = [
    ...Object.keys(requiredMatchOptions).map((name) => `match ${name}`),
    ...Object.keys(requiredTargetOptions).map((name) => `target ${name}`),
  ];
  it("has a rule, or a reason to leave it out, for every extension of required.ts", () => {
    const covered = new Set([...COMPLETE.map((c) => `${c.kind} ${c.name}`), ...Object.keys(LEFT_OUT)]);
    expect(listed.filter((x) => !covered.has(x))).toEqual([]);
    expect([...covered].filter((x) => !listed.includes(x))).toEqual([]);
  });
  it.each(COMPLETE.map((c) => [`${c.kind} ${c.name}`, c] as const))("%s: one option of each group", (_label, c) => {
    const groups = groupsOf(c)!;
    expect(c.options.length, "options, one per group").toBe(groups.length);
    expect(c.refused.length, "refusals, one per group").toBe(groups.length);
    groups.forEach((group, i) => {
      const option = c.options[i]!.split(" ")[0]!;
      if (group[0] !== "*") expect(group, `option ${i + 1}`).toContain(option);
    });
  });
});

describe.skipIf(unavailable !== null)("complete minimal rules: the tool takes them, and refuses each without one group (kipt: KIPT1026)", () => {
  it.for(COMPLETE.map((c) => [`${c.kind} ${c.name}`, c] as const))("%s", ([label, c], ctx) => {
    const complete = dumpOf(c, c.options);
    const restore = c.v6 ? "ip6tables-restore" : "iptables-restore";
    withNamespace((ns) => {
      // nfacct objects and ipsets the rule names (-m nfacct, -m set, -j SET).
      const problem = createKernelObjects(ns, complete, c.v6 ?? false);
      if (problem !== null) {
        const msg = `SKIPPED ${label}: the kernel objects it needs could not be created (${problem})`;
        console.warn(msg);
        ctx.skip(msg);
      }
      const loaded = inNamespace(ns, [restore], complete);
      expect(loaded.status, `${restore} refused the complete rule:\n${complete}${loaded.stderr}`).toBe(0);
      expect(ids(complete), "kipt on the complete rule").not.toContain("KIPT1026");
      c.options.forEach((option, i) => {
        const text = dumpOf(c, c.options.filter((_, j) => j !== i));
        const r = inNamespace(ns, [restore], text);
        expect(r.status, `without ${option}: ${restore} took it`).not.toBe(0);
        const says = c.refused[i]!;
        if (typeof says === "string") expect(r.stderr, `without ${option}`).toContain(says);
        else expect(r.stderr, `without ${option}`).toMatch(says);
        expect(ids(text), `kipt without ${option}`).toContain("KIPT1026");
      });
    }, "kipt-reqall");
  });
});
