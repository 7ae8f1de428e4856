/**
 * Match extensions m-z of iptables-extensions(8).
 * Option order is the order iptables-save prints; the oracle test
 * (test/oracle) checks it against the real iptables in a network namespace.
 */
import type { ExtensionSpec } from "../schema.js";

const CT_STATES = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"] as const;
const TCP_FLAGS = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ALL", "NONE"] as const;

export const matchesMtoZ: readonly ExtensionSpec[] = [
  {
    name: "tcp",
    kind: "match",
    summary: "TCP ports, flags and options (loaded implicitly by -p tcp).",
    options: [
      { name: "--sport", aliases: ["--source-port"], args: 1, type: "portRange", negatable: true },
      { name: "--dport", aliases: ["--destination-port"], args: 1, type: "portRange", negatable: true },
      { name: "--tcp-flags", args: 2, type: "flags", values: TCP_FLAGS, negatable: true },
      { name: "--syn", args: 0, negatable: true },
      { name: "--tcp-option", args: 1, type: "int", negatable: true },
    ],
  },
  {
    name: "udp",
    kind: "match",
    summary: "UDP ports (loaded implicitly by -p udp).",
    options: [
      { name: "--sport", aliases: ["--source-port"], args: 1, type: "portRange", negatable: true },
      { name: "--dport", aliases: ["--destination-port"], args: 1, type: "portRange", negatable: true },
    ],
  },
  {
    name: "state",
    kind: "match",
    summary: "Connection-tracking state (older spelling of conntrack --ctstate).",
    options: [{ name: "--state", args: 1, type: "flags", values: CT_STATES, negatable: true }],
  },
  {
    name: "mark",
    kind: "match",
    summary: "The packet's netfilter mark, under an optional mask.",
    options: [{ name: "--mark", args: 1, type: "mark", negatable: true }],
  },
  {
    name: "statistic",
    kind: "match",
    summary: "Random or every-nth packet selection (kube-proxy's load balancing).",
    options: [
      { name: "--mode", args: 1, type: "enum", values: ["random", "nth"] },
      { name: "--probability", args: 1, type: "probability", negatable: true },
      { name: "--every", args: 1, type: "int", negatable: true },
      { name: "--packet", args: 1, type: "int" },
    ],
  },
  {
    name: "multiport",
    kind: "match",
    summary: "Up to 15 source or destination ports or ranges.",
    options: [
      { name: "--sports", aliases: ["--source-ports"], args: 1, type: "portList", negatable: true },
      { name: "--dports", aliases: ["--destination-ports"], args: 1, type: "portList", negatable: true },
      { name: "--ports", args: 1, type: "portList", negatable: true },
    ],
  },
  {
    name: "recent",
    kind: "match",
    summary: "Dynamic lists of recently seen addresses (kube-proxy's session affinity).",
    options: [
      { name: "--set", args: 0, negatable: true },
      { name: "--rcheck", args: 0, negatable: true },
      { name: "--update", args: 0, negatable: true },
      { name: "--remove", args: 0, negatable: true },
      { name: "--seconds", args: 1, type: "int" },
      { name: "--reap", args: 0 },
      { name: "--hitcount", args: 1, type: "int" },
      { name: "--rttl", args: 0 },
      { name: "--name", args: 1, type: "string", defaultValue: "DEFAULT" },
      { name: "--mask", args: 1, type: "ip", defaultValue: "255.255.255.255" },
      { name: "--rsource", args: 0 },
      { name: "--rdest", args: 0 },
    ],
  },
  {
    name: "set",
    kind: "match",
    summary: "Membership of an address/port in an ipset.",
    options: [
      { name: "--match-set", aliases: ["--set"], args: 2, argTypes: ["setName", "setFlags"], negatable: true },
      { name: "--return-nomatch", args: 0 },
      { name: "--update-counters", args: 0, negatable: true },
      { name: "--update-subcounters", args: 0, negatable: true },
      { name: "--packets-eq", args: 1, type: "int", negatable: true },
      { name: "--packets-lt", args: 1, type: "int" },
      { name: "--packets-gt", args: 1, type: "int" },
      { name: "--bytes-eq", args: 1, type: "int", negatable: true },
      { name: "--bytes-lt", args: 1, type: "int" },
      { name: "--bytes-gt", args: 1, type: "int" },
    ],
  },
];
