/**
 * Match extensions a-l of iptables-extensions(8).
 * Option order is the order iptables-save prints; the oracle test
 * (test/oracle) checks it against the real iptables in a network namespace.
 */
import type { ExtensionSpec } from "../schema.js";

const CT_STATES = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"] as const;

export const matchesAtoL: readonly ExtensionSpec[] = [
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
    name: "comment",
    kind: "match",
    summary: "A free-text comment; always matches.",
    options: [{ name: "--comment", args: 1, type: "quoted" }],
  },
  {
    name: "conntrack",
    kind: "match",
    summary: "Connection-tracking state of the packet's connection.",
    options: [
      { name: "--ctstate", args: 1, type: "flags", values: CT_STATES, negatable: true },
      { name: "--ctproto", args: 1, type: "string", negatable: true },
      { name: "--ctorigsrc", args: 1, type: "address", negatable: true },
      { name: "--ctorigdst", args: 1, type: "address", negatable: true },
      { name: "--ctreplsrc", args: 1, type: "address", negatable: true },
      { name: "--ctrepldst", args: 1, type: "address", negatable: true },
      { name: "--ctorigsrcport", args: 1, type: "portRange", negatable: true },
      { name: "--ctorigdstport", args: 1, type: "portRange", negatable: true },
      { name: "--ctreplsrcport", args: 1, type: "portRange", negatable: true },
      { name: "--ctrepldstport", args: 1, type: "portRange", negatable: true },
      {
        name: "--ctstatus",
        args: 1,
        type: "flags",
        values: ["NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"],
        negatable: true,
      },
      { name: "--ctexpire", args: 1, type: "raw", negatable: true },
      { name: "--ctdir", args: 1, type: "enum", values: ["ORIGINAL", "REPLY"] },
    ],
  },
  {
    name: "connmark",
    kind: "match",
    summary: "The connection's mark, under an optional mask.",
    options: [{ name: "--mark", args: 1, type: "mark", negatable: true }],
  },
  {
    name: "addrtype",
    kind: "match",
    summary: "Address type of source or destination (LOCAL, UNICAST, ...).",
    options: [
      {
        name: "--src-type",
        args: 1,
        type: "flags",
        negatable: true,
        values: ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"],
      },
      {
        name: "--dst-type",
        args: 1,
        type: "flags",
        negatable: true,
        values: ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"],
      },
      { name: "--limit-iface-in", args: 0 },
      { name: "--limit-iface-out", args: 0 },
    ],
  },
  {
    name: "limit",
    kind: "match",
    summary: "Token-bucket rate limit.",
    options: [
      { name: "--limit", args: 1, type: "rate", negatable: true },
      { name: "--limit-burst", args: 1, type: "int" },
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
];
