/**
 * Target extensions of iptables-extensions(8), and the standard verdicts.
 * Option order is the order iptables-save prints; the oracle test
 * (test/oracle) checks it against the real iptables in a network namespace.
 */
import type { ExtensionSpec } from "../schema.js";

export const targets: readonly ExtensionSpec[] = [
  { name: "ACCEPT", kind: "target", terminating: true, summary: "Let the packet through.", options: [] },
  { name: "DROP", kind: "target", terminating: true, summary: "Discard the packet silently.", options: [] },
  { name: "RETURN", kind: "target", terminating: true, summary: "Return to the calling chain.", options: [] },
  { name: "QUEUE", kind: "target", terminating: true, summary: "Pass the packet to userspace (queue 0).", options: [] },
  {
    name: "REJECT",
    kind: "target",
    terminating: true,
    tables: ["filter"],
    summary: "Discard the packet and answer with an error.",
    options: [
      {
        name: "--reject-with",
        args: 1,
        type: "enum",
        defaultValue: "icmp-port-unreachable",
        values: [
          "icmp-net-unreachable",
          "icmp-host-unreachable",
          "icmp-port-unreachable",
          "icmp-proto-unreachable",
          "icmp-net-prohibited",
          "icmp-host-prohibited",
          "icmp-admin-prohibited",
          "tcp-reset",
          "icmp6-no-route",
          "icmp6-adm-prohibited",
          "icmp6-addr-unreachable",
          "icmp6-port-unreachable",
          "icmp6-policy-fail",
          "icmp6-reject-route",
        ],
      },
    ],
  },
  {
    name: "DNAT",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Rewrite the destination address (and port).",
    options: [
      { name: "--to-destination", aliases: ["--to"], args: 1, type: "natRange" },
      { name: "--random", args: 0 },
      { name: "--persistent", args: 0 },
    ],
  },
  {
    name: "SNAT",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Rewrite the source address (and port).",
    options: [
      { name: "--to-source", aliases: ["--to"], args: 1, type: "natRange" },
      { name: "--random", args: 0 },
      { name: "--random-fully", args: 0 },
      { name: "--persistent", args: 0 },
    ],
  },
  {
    name: "MASQUERADE",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Source NAT to the outgoing interface's address.",
    options: [
      { name: "--to-ports", args: 1, type: "natPorts" },
      { name: "--random", args: 0 },
      { name: "--random-fully", args: 0 },
    ],
  },
  {
    name: "REDIRECT",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Send the packet to the machine itself, optionally to another port.",
    options: [
      { name: "--to-ports", args: 1, type: "natPorts" },
      { name: "--random", args: 0 },
    ],
  },
  {
    name: "MARK",
    kind: "target",
    summary: "Set, or change bits of, the packet's mark.",
    options: [
      { name: "--set-xmark", args: 1, type: "xmark" },
      { name: "--set-mark", args: 1, type: "mark" },
      { name: "--and-mark", args: 1, type: "hex" },
      { name: "--or-mark", args: 1, type: "hex" },
      { name: "--xor-mark", args: 1, type: "hex" },
    ],
  },
  {
    name: "CONNMARK",
    kind: "target",
    summary: "Set the connection's mark, or copy between packet and connection marks.",
    options: [
      { name: "--set-xmark", args: 1, type: "xmark" },
      { name: "--set-mark", args: 1, type: "mark" },
      { name: "--and-mark", args: 1, type: "hex" },
      { name: "--or-mark", args: 1, type: "hex" },
      { name: "--xor-mark", args: 1, type: "hex" },
      { name: "--save-mark", args: 0 },
      { name: "--restore-mark", args: 0 },
      { name: "--nfmask", args: 1, type: "hex" },
      { name: "--ctmask", args: 1, type: "hex" },
      { name: "--mask", args: 1, type: "hex" },
    ],
  },
  {
    name: "LOG",
    kind: "target",
    summary: "Log the packet to the kernel log (non-terminating).",
    options: [
      { name: "--log-prefix", args: 1, type: "quoted" },
      { name: "--log-level", args: 1, type: "raw" },
      { name: "--log-tcp-sequence", args: 0 },
      { name: "--log-tcp-options", args: 0 },
      { name: "--log-ip-options", args: 0 },
      { name: "--log-uid", args: 0 },
      { name: "--log-macdecode", args: 0 },
    ],
  },
];
