/**
 * Target extensions of iptables-extensions(8), and the standard verdicts.
 *
 * Option order is the order iptables-save prints (the extensions' `save`
 * functions in iptables 1.8.9); the oracle test (test/oracle) checks it
 * against the real iptables in a network namespace. Where iptables stores
 * something other than what was written (MARK's `--or-mark`, DSCP classes,
 * TOS names, CT zones, HMARK tuples, ...), `src/format/rewrites/targets.ts`
 * turns the options into what iptables-save prints; options that only
 * exist as input spellings come last here, since a rewrite removes them.
 *
 * `terminating`: the target ends the packet's traversal of the table (a
 * verdict: accept, drop, queue, NAT, return). Targets that change the packet
 * or log it and let it go on to the next rule are not terminating.
 */
import type { ExtensionSpec } from "../schema.js";

/** Event names of `CT --ctevents`, in the order iptables-save prints them. */
const CT_EVENTS = ["new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo", "secmark"];

/**
 * `REJECT --reject-with` words of both families: each canonical name then its
 * alias, in iptables' table order (it takes the first entry the word is a
 * case-insensitive prefix of, per family; see the REJECT rewrite).
 */
const REJECT_WITH = [
  "icmp-net-unreachable",
  "net-unreach",
  "icmp-host-unreachable",
  "host-unreach",
  "icmp-proto-unreachable",
  "proto-unreach",
  "icmp-port-unreachable",
  "port-unreach",
  "icmp-net-prohibited",
  "net-prohib",
  "icmp-host-prohibited",
  "host-prohib",
  "tcp-reset",
  "tcp-rst",
  "icmp-admin-prohibited",
  "admin-prohib",
  "icmp6-no-route",
  "no-route",
  "icmp6-adm-prohibited",
  "adm-prohibited",
  "icmp6-addr-unreachable",
  "addr-unreach",
  "icmp6-port-unreachable",
  "icmp6-policy-fail",
  "policy-fail",
  "icmp6-reject-route",
  "reject-route",
];

export const targets: readonly ExtensionSpec[] = [
  // --- Standard verdicts --------------------------------------------------
  { name: "ACCEPT", kind: "target", terminating: true, summary: "Let the packet through.", options: [] },
  { name: "DROP", kind: "target", terminating: true, summary: "Discard the packet silently.", options: [] },
  { name: "RETURN", kind: "target", terminating: true, summary: "Return to the calling chain.", options: [] },
  { name: "QUEUE", kind: "target", terminating: true, summary: "Pass the packet to userspace (queue 0).", options: [] },

  // --- Target extensions, alphabetical ------------------------------------
  {
    name: "AUDIT",
    kind: "target",
    summary: "Create an audit record for the packet.",
    // Any case (strcasecmp); printed in lower case by the rewrite.
    options: [{ name: "--type", args: 1, type: "enumNoCase", values: ["accept", "drop", "reject"] }],
  },
  {
    name: "CHECKSUM",
    kind: "target",
    tables: ["mangle"],
    summary: "Fill in the checksum of a packet that lacks one.",
    options: [{ name: "--checksum-fill", args: 0 }],
  },
  {
    name: "CLASSIFY",
    kind: "target",
    summary: "Set the packet's traffic-control class (major:minor, hex).",
    // Printed `%.4x:%.4x` by the rewrite.
    options: [{ name: "--set-class", args: 1, type: "classId" }],
  },
  {
    name: "CLUSTERIP",
    kind: "target",
    family: "ipv4",
    summary: "Share an address across a cluster of nodes (removed from Linux 6.3).",
    // Printed only with --new, then all five values (hash-init defaults to 0).
    options: [
      { name: "--new", args: 0 },
      { name: "--hashmode", args: 1, type: "enum", values: ["sourceip", "sourceip-sourceport", "sourceip-sourceport-destport"] },
      { name: "--clustermac", args: 1, type: "string" },
      { name: "--total-nodes", args: 1, type: "int" },
      { name: "--local-node", args: 1, type: "int" },
      { name: "--hash-init", args: 1, type: "int" },
    ],
  },
  {
    name: "CONNMARK",
    kind: "target",
    summary: "Set the connection's mark, or copy between packet and connection marks.",
    options: [
      { name: "--set-xmark", args: 1, type: "xmark" },
      { name: "--save-mark", args: 0 },
      { name: "--restore-mark", args: 0 },
      { name: "--nfmask", args: 1, type: "hex" },
      { name: "--ctmask", args: 1, type: "hex" },
      // The kernel takes a shift of 0 to 31.
      { name: "--left-shift-mark", args: 1, type: "int", range: [0, 31] },
      { name: "--right-shift-mark", args: 1, type: "int", range: [0, 31] },
      // Input spellings, stored as the options above.
      { name: "--set-mark", args: 1, type: "mark" },
      { name: "--and-mark", args: 1, type: "hex" },
      { name: "--or-mark", args: 1, type: "hex" },
      { name: "--xor-mark", args: 1, type: "hex" },
      { name: "--mask", args: 1, type: "hex" },
    ],
  },
  {
    name: "CONNSECMARK",
    kind: "target",
    tables: ["mangle", "security"],
    summary: "Copy the security mark between packet and connection.",
    options: [
      { name: "--save", args: 0 },
      { name: "--restore", args: 0 },
    ],
  },
  {
    name: "CT",
    kind: "target",
    tables: ["raw"],
    summary: "Set conntrack parameters (helper, zone, events, timeout) or skip tracking.",
    options: [
      { name: "--notrack", args: 0 },
      { name: "--helper", args: 1, type: "string" },
      { name: "--timeout", args: 1, type: "string" },
      { name: "--ctevents", args: 1, type: "flags", values: CT_EVENTS },
      { name: "--expevents", args: 1, type: "flags", values: ["new"] },
      // A zone ID (0-65535) or `mark`; the rewrite folds the three into the one iptables-save prints.
      { name: "--zone", args: 1, type: "string" },
      { name: "--zone-orig", args: 1, type: "string" },
      { name: "--zone-reply", args: 1, type: "string" },
    ],
  },
  {
    name: "DNAT",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Rewrite the destination address (and port).",
    options: [
      { name: "--to-destination", args: 1, type: "natRange" },
      { name: "--random", args: 0 },
      { name: "--persistent", args: 0 },
    ],
  },
  {
    name: "DNPT",
    kind: "target",
    family: "ipv6",
    tables: ["mangle"],
    summary: "Stateless IPv6 destination prefix translation (RFC 6296).",
    options: [
      { name: "--src-pfx", args: 1, type: "address" },
      { name: "--dst-pfx", args: 1, type: "address" },
    ],
  },
  {
    name: "DSCP",
    kind: "target",
    tables: ["mangle"],
    summary: "Set the DSCP field of the IP header.",
    options: [
      // Printed `0x%02x`; a class name is stored as its value.
      { name: "--set-dscp", args: 1, type: "int", range: [0, 63] },
      { name: "--set-dscp-class", args: 1, type: "dscpClass" },
    ],
  },
  {
    name: "ECN",
    kind: "target",
    family: "ipv4",
    tables: ["mangle"],
    summary: "Clear or set ECN bits of TCP and IP headers.",
    options: [
      { name: "--ecn-tcp-remove", args: 0 },
      { name: "--ecn-tcp-ece", args: 1, type: "int", range: [0, 1] },
      { name: "--ecn-tcp-cwr", args: 1, type: "int", range: [0, 1] },
      { name: "--ecn-ip-ect", args: 1, type: "int", range: [0, 3] },
    ],
  },
  {
    name: "HL",
    kind: "target",
    family: "ipv6",
    tables: ["mangle"],
    summary: "Set, increment or decrement the IPv6 hop limit.",
    options: [
      { name: "--hl-set", args: 1, type: "int", range: [0, 255] },
      { name: "--hl-dec", args: 1, type: "int", range: [1, 255] },
      { name: "--hl-inc", args: 1, type: "int", range: [1, 255] },
    ],
  },
  {
    name: "HMARK",
    kind: "target",
    summary: "Set the packet mark from a hash of its addresses, ports and protocol.",
    // Masks and seeds are printed in fixed-width hex by the rewrite.
    options: [
      { name: "--hmark-src-prefix", args: 1, type: "int" },
      { name: "--hmark-dst-prefix", args: 1, type: "int" },
      { name: "--hmark-sport-mask", args: 1, type: "int" },
      { name: "--hmark-dport-mask", args: 1, type: "int" },
      { name: "--hmark-spi-mask", args: 1, type: "int" },
      { name: "--hmark-sport", args: 1, type: "int" },
      { name: "--hmark-dport", args: 1, type: "int" },
      { name: "--hmark-spi", args: 1, type: "int" },
      { name: "--hmark-proto-mask", args: 1, type: "int" },
      { name: "--hmark-rnd", args: 1, type: "int" },
      { name: "--hmark-mod", args: 1, type: "int" },
      { name: "--hmark-offset", args: 1, type: "int" },
      // `ct` is printed as is; src, dst, sport, dport, proto, spi become full masks above.
      { name: "--hmark-tuple", args: 1, type: "string" },
    ],
  },
  {
    name: "IDLETIMER",
    kind: "target",
    summary: "Start a timer that fires (sysfs / netlink) when the rule is idle.",
    options: [
      { name: "--timeout", args: 1, type: "int" },
      { name: "--label", args: 1, type: "string", keepsBytes: 27 },
      { name: "--alarm", args: 0 },
      { name: "--send_nl_msg", args: 0 },
    ],
  },
  {
    name: "LED",
    kind: "target",
    summary: "Blink an LED trigger when packets match.",
    options: [
      { name: "--led-trigger-id", args: 1, type: "dquoted" },
      // Milliseconds, or `inf`; 0 (the default) is not printed.
      { name: "--led-delay", args: 1, type: "string" },
      { name: "--led-always-blink", args: 0 },
    ],
  },
  {
    name: "LOG",
    kind: "target",
    summary: "Log the packet to the kernel log (non-terminating).",
    options: [
      { name: "--log-prefix", args: 1, type: "quoted", keepsBytes: 29, minBytes: 1 },
      // 0-7 or a syslog level name; printed as the number, not at all for 4 (warning, the default).
      { name: "--log-level", args: 1, type: "logLevel" },
      { name: "--log-tcp-sequence", args: 0 },
      { name: "--log-tcp-options", args: 0 },
      { name: "--log-ip-options", args: 0 },
      { name: "--log-uid", args: 0 },
      { name: "--log-macdecode", args: 0 },
    ],
  },
  {
    name: "MARK",
    kind: "target",
    summary: "Set, or change bits of, the packet's mark.",
    options: [
      { name: "--set-xmark", args: 1, type: "xmark" },
      // Input spellings, stored as --set-xmark value/mask.
      { name: "--set-mark", args: 1, type: "mark" },
      { name: "--and-mark", args: 1, type: "hex" },
      { name: "--or-mark", args: 1, type: "hex" },
      { name: "--xor-mark", args: 1, type: "hex" },
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
    name: "NETMAP",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Map a whole network onto another, keeping host bits.",
    options: [{ name: "--to", args: 1, type: "address" }],
  },
  {
    name: "NFLOG",
    kind: "target",
    summary: "Log the packet through nfnetlink_log (non-terminating).",
    options: [
      { name: "--nflog-prefix", args: 1, type: "quoted", keepsBytes: 127 },
      { name: "--nflog-group", args: 1, type: "int" },
      { name: "--nflog-size", args: 1, type: "int" },
      // Never worked; iptables-nft drops it.
      { name: "--nflog-range", args: 1, type: "int" },
      { name: "--nflog-threshold", args: 1, type: "int" },
    ],
  },
  {
    name: "NFQUEUE",
    kind: "target",
    terminating: true,
    summary: "Pass the packet to a userspace queue.",
    options: [
      { name: "--queue-num", args: 1, type: "int", range: [0, 65535] },
      { name: "--queue-balance", args: 1, type: "uint16Range" },
      { name: "--queue-bypass", args: 0 },
      { name: "--queue-cpu-fanout", args: 0 },
    ],
  },
  {
    name: "NOTRACK",
    kind: "target",
    tables: ["raw"],
    summary: "Do not track the packet (the same as CT --notrack; iptables-save keeps the name).",
    options: [],
  },
  {
    name: "RATEEST",
    kind: "target",
    summary: "Feed a named rate estimator (for -m rateest).",
    options: [
      { name: "--rateest-name", args: 1, type: "string", keepsBytes: 15 },
      // Times like 250ms, 1s, 500us; stored as a power of two, printed back by the rewrite.
      { name: "--rateest-interval", args: 1, type: "string" },
      { name: "--rateest-ewmalog", args: 1, type: "string" },
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
    name: "REJECT",
    kind: "target",
    terminating: true,
    tables: ["filter"],
    summary: "Discard the packet and answer with an error.",
    options: [
      {
        name: "--reject-with",
        args: 1,
        // Validated and resolved per family by the rewrite (prefixes, any case, aliases).
        type: "string",
        // ip6tables prints icmp6-port-unreachable.
        defaultValue: "icmp-port-unreachable",
        values: REJECT_WITH,
      },
    ],
  },
  {
    name: "SECMARK",
    kind: "target",
    tables: ["mangle", "security"],
    summary: "Set the packet's security mark from an SELinux context.",
    options: [{ name: "--selctx", args: 1, type: "string" }],
  },
  {
    name: "SET",
    kind: "target",
    summary: "Add the packet's addresses/ports to, or delete them from, an ipset.",
    options: [
      { name: "--add-set", args: 2, argTypes: ["setName", "setFlags"] },
      { name: "--exist", args: 0 },
      { name: "--timeout", args: 1, type: "int" },
      { name: "--del-set", args: 2, argTypes: ["setName", "setFlags"] },
      { name: "--map-set", args: 2, argTypes: ["setName", "setFlags"] },
      { name: "--map-mark", args: 0 },
      { name: "--map-prio", args: 0 },
      { name: "--map-queue", args: 0 },
    ],
  },
  {
    name: "SNAT",
    kind: "target",
    terminating: true,
    tables: ["nat"],
    summary: "Rewrite the source address (and port).",
    options: [
      { name: "--to-source", args: 1, type: "natRange" },
      { name: "--random", args: 0 },
      { name: "--random-fully", args: 0 },
      { name: "--persistent", args: 0 },
    ],
  },
  {
    name: "SNPT",
    kind: "target",
    family: "ipv6",
    tables: ["mangle"],
    summary: "Stateless IPv6 source prefix translation (RFC 6296).",
    options: [
      { name: "--src-pfx", args: 1, type: "address" },
      { name: "--dst-pfx", args: 1, type: "address" },
    ],
  },
  {
    name: "SYNPROXY",
    kind: "target",
    // Answers SYNs itself and drops them, but lets other packets continue.
    summary: "Proxy TCP handshakes so only completed connections reach the server.",
    options: [
      { name: "--sack-perm", args: 0 },
      { name: "--timestamp", args: 0 },
      { name: "--wscale", args: 1, type: "int" },
      { name: "--mss", args: 1, type: "int" },
      { name: "--ecn", args: 0 },
    ],
  },
  {
    name: "TCPMSS",
    kind: "target",
    summary: "Set or clamp the MSS option of TCP SYN packets.",
    options: [
      { name: "--set-mss", args: 1, type: "int", range: [0, 65515] },
      { name: "--clamp-mss-to-pmtu", args: 0 },
    ],
  },
  {
    name: "TCPOPTSTRIP",
    kind: "target",
    tables: ["mangle"],
    summary: "Remove TCP options from the packet.",
    // Option names or numbers; printed as sorted numbers by the rewrite.
    options: [{ name: "--strip-options", args: 1, type: "tcpOptions" }],
  },
  {
    name: "TEE",
    kind: "target",
    summary: "Send a copy of the packet to a gateway.",
    options: [
      { name: "--gateway", args: 1, type: "ip" },
      { name: "--oif", args: 1, type: "string", keepsBytes: 15 },
    ],
  },
  {
    name: "TOS",
    kind: "target",
    tables: ["mangle"],
    summary: "Set, or change bits of, the IPv4 TOS / IPv6 traffic class field.",
    options: [
      // value[/mask] or a symbolic name; printed `0x%02x/0x%02x` by the rewrite.
      { name: "--set-tos", args: 1, type: "tosValue" },
      { name: "--and-tos", args: 1, type: "int", range: [0, 255] },
      { name: "--or-tos", args: 1, type: "int", range: [0, 255] },
      { name: "--xor-tos", args: 1, type: "int", range: [0, 255] },
    ],
  },
  {
    name: "TPROXY",
    kind: "target",
    terminating: true,
    tables: ["mangle"],
    summary: "Redirect the packet to a local socket without changing it (transparent proxy).",
    options: [
      { name: "--on-port", args: 1, type: "port" },
      // Printed always: 0.0.0.0 / :: and 0x0/0x0 when not given (the rewrite adds them).
      { name: "--on-ip", args: 1, type: "ip" },
      { name: "--tproxy-mark", args: 1, type: "xmark" },
    ],
  },
  { name: "TRACE", kind: "target", summary: "Trace the packet through the rule set (nftrace / kernel log).", options: [] },
  {
    name: "TTL",
    kind: "target",
    family: "ipv4",
    tables: ["mangle"],
    summary: "Set, increment or decrement the IPv4 TTL.",
    options: [
      { name: "--ttl-set", args: 1, type: "int", range: [0, 255] },
      { name: "--ttl-dec", args: 1, type: "int", range: [1, 255] },
      { name: "--ttl-inc", args: 1, type: "int", range: [1, 255] },
    ],
  },
  {
    name: "ULOG",
    kind: "target",
    family: "ipv4",
    summary: "Log the packet through the old ULOG netlink interface (removed from Linux 3.17).",
    options: [
      { name: "--ulog-prefix", args: 1, type: "quoted" },
      { name: "--ulog-nlgroup", args: 1, type: "int" },
      { name: "--ulog-cprange", args: 1, type: "int" },
      { name: "--ulog-qthreshold", args: 1, type: "int" },
    ],
  },
];
