/**
 * Match extensions a-l of iptables-extensions(8) (iptables 1.8.9).
 *
 * Option order is the order iptables-save prints (the extension's `save`
 * function in libxt_NAME.c); the oracle (scripts/oracle.mjs with
 * test/oracle/corpus/matches-a-l-*.rules) checks it against the real
 * iptables in a network namespace. What data cannot say (values iptables
 * stores in another form, defaults it adds, options that turn into others)
 * is in src/format/rewrites/matches-a-l.ts.
 *
 * Where iptables and ip6tables have different option sets under one name
 * (`ah`), the entry is the union: the registry keeps one spec per name.
 */
import type { ExtensionSpec } from "../schema.js";
import { DEVICE_GROUP_NAMES } from "./iproute2-names.js";

/** conntrack --ctstate words, in the order iptables-save prints them. */
const CT_STATES = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"] as const;

/** conntrack --ctstatus words in print order; NONE is printed only alone (see the rewrite). */
const CT_STATUSES = ["NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"] as const;

/** Route types of addrtype, in kernel enumeration order (the print order). */
const ADDRESS_TYPES = [
  "UNSPEC",
  "UNICAST",
  "LOCAL",
  "BROADCAST",
  "ANYCAST",
  "MULTICAST",
  "BLACKHOLE",
  "UNREACHABLE",
  "PROHIBIT",
  "THROW",
  "NAT",
  "XRESOLVE",
] as const;

/** DCCP packet types, in bit order (the print order). */
const DCCP_TYPES = ["REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE", "RESET", "SYNC", "SYNCACK", "INVALID"] as const;

export const matchesAtoL: readonly ExtensionSpec[] = [
  {
    name: "addrtype",
    kind: "match",
    summary: "Address type of source or destination (LOCAL, UNICAST, ...).",
    options: [
      // Each type may be abbreviated (`loc`, `U` is UNSPEC: the first fit in this order).
      { name: "--src-type", args: 1, type: "flagPrefixes", negatable: true, values: ADDRESS_TYPES },
      { name: "--dst-type", args: 1, type: "flagPrefixes", negatable: true, values: ADDRESS_TYPES },
      { name: "--limit-iface-in", args: 0 },
      { name: "--limit-iface-out", args: 0 },
    ],
  },
  {
    // iptables has only --ahspi; ip6tables adds --ahlen and --ahres.
    name: "ah",
    kind: "match",
    summary: "SPI (and, for IPv6, length and reserved field) of the IPsec Authentication Header.",
    options: [
      { name: "--ahspi", args: 1, type: "uint32Range", negatable: true },
      { name: "--ahlen", args: 1, type: "int", negatable: true },
      { name: "--ahres", args: 0 },
    ],
  },
  {
    name: "bpf",
    kind: "match",
    summary: "A classic BPF program (--bytecode) or a pinned eBPF object (--object-pinned).",
    options: [
      { name: "--bytecode", args: 1, type: "dquoted" },
      { name: "--object-pinned", args: 1, type: "string" },
    ],
  },
  {
    name: "cgroup",
    kind: "match",
    summary: "The socket's cgroup v2 path or net_cls class id.",
    options: [
      { name: "--path", args: 1, type: "quoted", negatable: true },
      { name: "--cgroup", args: 1, type: "int", negatable: true },
    ],
  },
  {
    name: "cluster",
    kind: "match",
    summary: "Hash-based load sharing between the nodes of a gateway cluster.",
    options: [
      // --cluster-local-node N is stored as the mask 1 << (N-1) and printed as --cluster-local-nodemask.
      { name: "--cluster-local-nodemask", args: 1, type: "int", negatable: true },
      { name: "--cluster-local-node", args: 1, type: "int", negatable: true, range: [1, 32] },
      { name: "--cluster-total-nodes", args: 1, type: "int", range: [1, 32] },
      { name: "--cluster-hash-seed", args: 1, type: "int" },
    ],
  },
  {
    name: "comment",
    kind: "match",
    summary: "A free-text comment; always matches.",
    options: [{ name: "--comment", args: 1, type: "quoted", keepsBytes: 255 }],
  },
  {
    name: "connbytes",
    kind: "match",
    summary: "Bytes, packets or average packet size a connection has transferred so far.",
    options: [
      // from[:to], 64-bit counters.
      { name: "--connbytes", args: 1, type: "countRange", negatable: true },
      { name: "--connbytes-mode", args: 1, type: "enum", values: ["packets", "bytes", "avgpkt"] },
      { name: "--connbytes-dir", args: 1, type: "enum", values: ["original", "reply", "both"] },
    ],
  },
  {
    name: "connlabel",
    kind: "match",
    summary: "A conntrack label bit (by number or connlabel.conf name); --set sets it.",
    options: [
      { name: "--label", args: 1, type: "dquoted", negatable: true },
      { name: "--set", args: 0 },
    ],
  },
  {
    name: "connlimit",
    kind: "match",
    summary: "Number of parallel connections per client address or address block.",
    options: [
      { name: "--connlimit-upto", args: 1, type: "int", negatable: true },
      { name: "--connlimit-above", args: 1, type: "int", negatable: true },
      { name: "--connlimit-mask", args: 1, type: "prefixLength" },
      { name: "--connlimit-saddr", args: 0 },
      { name: "--connlimit-daddr", args: 0 },
    ],
  },
  {
    name: "connmark",
    kind: "match",
    summary: "The connection's mark, under an optional mask.",
    options: [{ name: "--mark", args: 1, type: "mark", negatable: true }],
  },
  {
    name: "conntrack",
    kind: "match",
    summary: "Connection-tracking state, status, tuple and direction of the packet's connection.",
    options: [
      // States and statuses may be abbreviated (`est,REL`).
      { name: "--ctstate", args: 1, type: "flagPrefixes", values: CT_STATES, negatable: true },
      // A protocol name or number; printed as the number.
      { name: "--ctproto", args: 1, type: "protocol", negatable: true },
      { name: "--ctorigsrc", args: 1, type: "hostMask", negatable: true },
      { name: "--ctorigdst", args: 1, type: "hostMask", negatable: true },
      { name: "--ctreplsrc", args: 1, type: "hostMask", negatable: true },
      { name: "--ctrepldst", args: 1, type: "hostMask", negatable: true },
      { name: "--ctorigsrcport", args: 1, type: "portRange", negatable: true },
      { name: "--ctorigdstport", args: 1, type: "portRange", negatable: true },
      { name: "--ctreplsrcport", args: 1, type: "portRange", negatable: true },
      { name: "--ctrepldstport", args: 1, type: "portRange", negatable: true },
      { name: "--ctstatus", args: 1, type: "flagPrefixes", values: CT_STATUSES, negatable: true },
      { name: "--ctexpire", args: 1, type: "uint32Range", negatable: true },
      { name: "--ctdir", args: 1, type: "enumNoCase", values: ["ORIGINAL", "REPLY"] },
    ],
  },
  {
    name: "cpu",
    kind: "match",
    summary: "The CPU handling the packet.",
    options: [{ name: "--cpu", args: 1, type: "int", negatable: true }],
  },
  {
    name: "dccp",
    kind: "match",
    summary: "DCCP ports, packet types and options (loaded implicitly by -p dccp).",
    options: [
      { name: "--sport", aliases: ["--source-port"], args: 1, type: "portRange", negatable: true },
      { name: "--dport", aliases: ["--destination-port"], args: 1, type: "portRange", negatable: true },
      { name: "--dccp-types", args: 1, type: "flags", values: DCCP_TYPES, negatable: true },
      { name: "--dccp-option", args: 1, type: "int", negatable: true },
    ],
  },
  {
    name: "devgroup",
    kind: "match",
    summary: "Device group of the incoming or outgoing interface.",
    options: [
      // value[/mask] or a name from /etc/iproute2/group.
      { name: "--src-group", args: 1, type: "namedMark", values: DEVICE_GROUP_NAMES, negatable: true },
      { name: "--dst-group", args: 1, type: "namedMark", values: DEVICE_GROUP_NAMES, negatable: true },
    ],
  },
  {
    name: "dscp",
    kind: "match",
    summary: "The 6-bit DSCP field; a class name is stored as its number.",
    options: [
      { name: "--dscp", args: 1, type: "int", negatable: true, range: [0, 63] },
      { name: "--dscp-class", args: 1, type: "dscpClass", negatable: true },
    ],
  },
  {
    name: "dst",
    kind: "match",
    family: "ipv6",
    summary: "IPv6 Destination Options header: length and options.",
    options: [
      { name: "--dst-len", args: 1, type: "int", negatable: true },
      { name: "--dst-opts", args: 1, type: "string" },
    ],
  },
  {
    name: "ecn",
    kind: "match",
    summary: "ECN bits of the IP and TCP headers.",
    options: [
      { name: "--ecn-tcp-ece", args: 0, negatable: true },
      { name: "--ecn-tcp-cwr", args: 0, negatable: true },
      { name: "--ecn-ip-ect", args: 1, type: "int", negatable: true, range: [0, 3] },
    ],
  },
  {
    name: "esp",
    kind: "match",
    summary: "SPI of the IPsec ESP header (loaded implicitly by -p esp).",
    options: [{ name: "--espspi", args: 1, type: "uint32Range", negatable: true }],
  },
  {
    name: "eui64",
    kind: "match",
    family: "ipv6",
    summary: "The source address's EUI-64 interface id matches the source MAC.",
    options: [],
  },
  {
    name: "frag",
    kind: "match",
    family: "ipv6",
    summary: "IPv6 Fragment header: id, length, reserved field, first/more/last.",
    options: [
      { name: "--fragid", args: 1, type: "uint32Range", negatable: true },
      { name: "--fraglen", args: 1, type: "int", negatable: true },
      { name: "--fragres", args: 0 },
      { name: "--fragfirst", args: 0 },
      { name: "--fragmore", args: 0 },
      { name: "--fraglast", args: 0 },
    ],
  },
  {
    name: "hashlimit",
    kind: "match",
    summary: "Token-bucket rate limit per source/destination address or port group.",
    options: [
      // --hashlimit is the old name of --hashlimit-upto.
      { name: "--hashlimit-upto", aliases: ["--hashlimit"], args: 1, type: "string", negatable: true },
      { name: "--hashlimit-above", args: 1, type: "string", negatable: true },
      // A count of packets, or of bytes (`200k`, `1mb`) with a byte rate: kept as text, printed by the rewrite.
      { name: "--hashlimit-burst", args: 1, type: "string" },
      { name: "--hashlimit-mode", args: 1, type: "flags", values: ["srcip", "srcport", "dstip", "dstport"] },
      { name: "--hashlimit-name", args: 1, type: "string", keepsBytes: 254 },
      { name: "--hashlimit-htable-size", args: 1, type: "int" },
      { name: "--hashlimit-htable-max", args: 1, type: "int" },
      { name: "--hashlimit-htable-gcinterval", args: 1, type: "int" },
      { name: "--hashlimit-htable-expire", args: 1, type: "int" },
      { name: "--hashlimit-srcmask", args: 1, type: "prefixLength" },
      { name: "--hashlimit-dstmask", args: 1, type: "prefixLength" },
      { name: "--hashlimit-rate-match", args: 0 },
      { name: "--hashlimit-rate-interval", args: 1, type: "int" },
    ],
  },
  {
    name: "hbh",
    kind: "match",
    family: "ipv6",
    summary: "IPv6 Hop-by-Hop Options header: length and options.",
    options: [
      { name: "--hbh-len", args: 1, type: "int", negatable: true },
      { name: "--hbh-opts", args: 1, type: "string" },
    ],
  },
  {
    name: "helper",
    kind: "match",
    summary: "Packets related to a connection of the given conntrack helper.",
    options: [{ name: "--helper", args: 1, type: "quoted", negatable: true, keepsBytes: 29 }],
  },
  {
    name: "hl",
    kind: "match",
    family: "ipv6",
    summary: "The IPv6 Hop Limit: equal, not equal, less or greater than a value.",
    options: [
      { name: "--hl-eq", args: 1, type: "int", negatable: true, range: [0, 255] },
      { name: "--hl-lt", args: 1, type: "int", range: [0, 255] },
      { name: "--hl-gt", args: 1, type: "int", range: [0, 255] },
      // Old spelling of --hl-eq, without negation; stored and printed as --hl-eq.
      { name: "--hl", args: 1, type: "int", range: [0, 255] },
    ],
  },
  {
    name: "icmp",
    kind: "match",
    family: "ipv4",
    summary: "ICMP type and code (loaded implicitly by -p icmp).",
    options: [{ name: "--icmp-type", args: 1, type: "icmpType", negatable: true }],
  },
  {
    name: "icmp6",
    kind: "match",
    family: "ipv6",
    summary: "ICMPv6 type and code (loaded implicitly by -p ipv6-icmp).",
    options: [{ name: "--icmpv6-type", args: 1, type: "icmpType", negatable: true }],
  },
  {
    name: "ipcomp",
    kind: "match",
    summary: "SPI and reserved field of the IPComp header.",
    options: [
      { name: "--ipcompspi", args: 1, type: "uint32Range", negatable: true },
      { name: "--compres", args: 0 },
    ],
  },
  {
    name: "iprange",
    kind: "match",
    summary: "Source or destination address within an inclusive range.",
    options: [
      { name: "--src-range", args: 1, type: "ipRange", negatable: true },
      { name: "--dst-range", args: 1, type: "ipRange", negatable: true },
    ],
  },
  {
    name: "ipv6header",
    kind: "match",
    family: "ipv6",
    summary: "Which IPv6 extension headers (and upper-layer header) the packet has.",
    options: [
      { name: "--header", args: 1, type: "string", negatable: true },
      { name: "--soft", args: 0 },
    ],
  },
  {
    name: "ipvs",
    kind: "match",
    summary: "IPVS connection properties: virtual address, port, protocol, direction, method.",
    options: [
      { name: "--ipvs", args: 0, negatable: true },
      { name: "--vproto", args: 1, type: "string", negatable: true },
      { name: "--vaddr", args: 1, type: "hostMask", negatable: true },
      { name: "--vport", args: 1, type: "port", negatable: true },
      { name: "--vdir", args: 1, type: "enumNoCase", values: ["ORIGINAL", "REPLY"] },
      { name: "--vmethod", args: 1, type: "enumNoCase", values: ["GATE", "IPIP", "MASQ"], negatable: true },
      { name: "--vportctl", args: 1, type: "port", negatable: true },
    ],
  },
  {
    name: "length",
    kind: "match",
    summary: "Layer-3 payload length, a value or range.",
    options: [{ name: "--length", args: 1, type: "uint16Range", negatable: true }],
  },
  {
    name: "limit",
    kind: "match",
    summary: "Token-bucket rate limit.",
    options: [
      // iptables stores the rate as a period and prints it back in the largest exact unit.
      { name: "--limit", args: 1, type: "rate", defaultValue: "3/hour" },
      { name: "--limit-burst", args: 1, type: "int", range: [0, 10000] },
    ],
  },
];
