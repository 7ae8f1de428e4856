/**
 * Match extensions m-z of iptables-extensions(8) (iptables 1.8.9).
 * Option order is the order iptables-save prints; the oracle corpus
 * test/oracle/corpus/matches-m-z-*.rules checks it against the real
 * iptables in a network namespace. Options typed `verbatim` are brought
 * to iptables-save's text by src/format/rewrites/matches-m-z.ts (names to
 * numbers, hex widths, defaults the kernel fills in), where pure data
 * cannot say it.
 */
import type { ExtensionSpec } from "../schema.js";
import { REALM_NAMES } from "./iproute2-names.js";

/** libxt_state prints states in this order (the conntrack bit order). */
const STATES = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED"] as const;
const TCP_FLAGS = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ALL", "NONE"] as const;

export const matchesMtoZ: readonly ExtensionSpec[] = [
  {
    name: "mac",
    kind: "match",
    summary: "Source MAC address (PREROUTING, FORWARD, INPUT only).",
    // Printed in lower case: the rewrite folds it.
    options: [{ name: "--mac-source", args: 1, type: "mac", negatable: true }],
  },
  {
    name: "mark",
    kind: "match",
    summary: "The packet's netfilter mark, under an optional mask.",
    options: [{ name: "--mark", args: 1, type: "mark", negatable: true }],
  },
  {
    name: "mh",
    kind: "match",
    family: "ipv6",
    summary: "Mobility Header type or range of types (with -p ipv6-mh).",
    // Type names (binding-update, bu, ...) print as numbers; the rewrite maps them.
    options: [{ name: "--mh-type", args: 1, type: "verbatim", negatable: true }],
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
    name: "nfacct",
    kind: "match",
    summary: "Count the packet in a named extended-accounting object (nfacct); always matches.",
    // iptables-save 1.8.9 prints two spaces after --nfacct-name, then the name
    // bare or double-quoted with escapes, like a comment.
    options: [{ name: "--nfacct-name", args: 1, type: "quoted", separator: "  " }],
  },
  {
    name: "osf",
    kind: "match",
    summary: "Passive operating-system fingerprinting of TCP SYN packets.",
    options: [
      // Printed with plain %s, never quoted (`--genre Windows 2000` is two words in the dump).
      { name: "--genre", args: 1, type: "verbatim", negatable: true },
      { name: "--ttl", args: 1, type: "int", range: [0, 2] },
      { name: "--log", args: 1, type: "int", range: [0, 2] },
    ],
  },
  {
    name: "owner",
    kind: "match",
    summary: "Owner (user, group, socket) of locally generated packets.",
    options: [
      { name: "--socket-exists", args: 0, negatable: true },
      // `root` prints as 0 and `5-5` as 5: the rewrite normalizes.
      { name: "--uid-owner", args: 1, type: "verbatim", negatable: true },
      { name: "--gid-owner", args: 1, type: "verbatim", negatable: true },
      { name: "--suppl-groups", args: 0 },
    ],
  },
  {
    name: "physdev",
    kind: "match",
    summary: "Bridge ports a bridged packet came in on or goes out of.",
    options: [
      { name: "--physdev-is-in", args: 0, negatable: true },
      { name: "--physdev-in", args: 1, type: "interface", negatable: true },
      { name: "--physdev-is-out", args: 0, negatable: true },
      { name: "--physdev-out", args: 1, type: "interface", negatable: true },
      { name: "--physdev-is-bridged", args: 0, negatable: true },
    ],
  },
  {
    name: "pkttype",
    kind: "match",
    summary: "Link-layer packet type: unicast, broadcast, multicast.",
    // Case-insensitive on input, `host` is `unicast`: the rewrite normalizes.
    options: [{ name: "--pkt-type", args: 1, type: "enumNoCase", values: ["unicast", "broadcast", "multicast", "host", "otherhost"], negatable: true }],
  },
  {
    name: "policy",
    kind: "match",
    summary: "IPsec policy used to decapsulate (--dir in) or to encapsulate (--dir out) the packet.",
    // Elements separated by --next repeat the per-element options; the rewrite
    // prints each element's options in iptables-save's order.
    rewriteOrder: true,
    options: [
      { name: "--dir", args: 1, type: "enum", values: ["in", "out"] },
      { name: "--pol", args: 1, type: "enum", values: ["none", "ipsec"] },
      { name: "--strict", args: 0 },
      { name: "--reqid", args: 1, type: "int", negatable: true, repeatable: true },
      { name: "--spi", args: 1, type: "verbatim", negatable: true, repeatable: true },
      { name: "--proto", args: 1, type: "verbatim", negatable: true, repeatable: true },
      { name: "--mode", args: 1, type: "enum", values: ["transport", "tunnel"], negatable: true, repeatable: true },
      { name: "--tunnel-dst", args: 1, type: "hostMask", negatable: true, repeatable: true },
      { name: "--tunnel-src", args: 1, type: "hostMask", negatable: true, repeatable: true },
      { name: "--next", args: 0, repeatable: true },
    ],
  },
  {
    name: "quota",
    kind: "match",
    summary: "Byte quota: matches until the given number of bytes has passed.",
    options: [{ name: "--quota", args: 1, type: "u64", negatable: true }],
  },
  {
    name: "rateest",
    kind: "match",
    summary: "Compare rate estimators created by the RATEEST target.",
    // Print order depends on which options are present: the rewrite orders them.
    rewriteOrder: true,
    options: [
      { name: "--rateest-delta", args: 0 },
      { name: "--rateest", args: 1, type: "string" },
      { name: "--rateest1", args: 1, type: "string" },
      { name: "--rateest2", args: 1, type: "string" },
      // Rates are bits per second in tc's units (`1kbit`, `10kbps`, bare bits); printed `NNNbit`/`NKbit`/`NMbit`.
      { name: "--rateest-bps", args: 1, type: "bitRate", optionalArgs: true },
      { name: "--rateest-pps", args: 1, type: "packetRate", optionalArgs: true },
      { name: "--rateest-bps1", args: 1, type: "bitRate", optionalArgs: true },
      { name: "--rateest-pps1", args: 1, type: "packetRate", optionalArgs: true },
      { name: "--rateest-bps2", args: 1, type: "bitRate", optionalArgs: true },
      { name: "--rateest-pps2", args: 1, type: "packetRate", optionalArgs: true },
      { name: "--rateest-lt", args: 0, negatable: true },
      { name: "--rateest-gt", args: 0, negatable: true },
      { name: "--rateest-eq", args: 0, negatable: true },
    ],
  },
  {
    name: "realm",
    kind: "match",
    family: "ipv4",
    summary: "Routing realm of the packet's route (value[/mask] or a name from rt_realms).",
    // value[/mask] or a name from /etc/iproute2/rt_realms.
    options: [{ name: "--realm", args: 1, type: "namedMark", values: REALM_NAMES, negatable: true }],
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
      { name: "--seconds", args: 1, type: "int", range: [1, 4294967295] },
      { name: "--reap", args: 0 },
      { name: "--hitcount", args: 1, type: "int" },
      { name: "--rttl", args: 0 },
      // --name, --mask and the direction are always printed; the rewrite adds
      // their defaults (the mask's depends on the address family).
      { name: "--name", args: 1, type: "string", keepsBytes: 199 },
      { name: "--mask", args: 1, type: "ip" },
      { name: "--rsource", args: 0 },
      { name: "--rdest", args: 0 },
    ],
  },
  {
    name: "rpfilter",
    kind: "match",
    summary: "Reverse-path filter: a reply to the source would leave through the incoming interface.",
    options: [
      { name: "--loose", args: 0 },
      { name: "--validmark", args: 0 },
      { name: "--accept-local", args: 0 },
      { name: "--invert", args: 0 },
    ],
  },
  {
    name: "rt",
    kind: "match",
    family: "ipv6",
    summary: "IPv6 routing header: type, segments left, length, type-0 addresses.",
    options: [
      { name: "--rt-type", args: 1, type: "int", negatable: true },
      { name: "--rt-segsleft", args: 1, type: "uint32Range", negatable: true },
      { name: "--rt-len", args: 1, type: "int", negatable: true },
      { name: "--rt-0-res", args: 0 },
      // Comma list of IPv6 addresses, printed in canonical form by the rewrite.
      { name: "--rt-0-addrs", args: 1, type: "verbatim" },
      { name: "--rt-0-not-strict", args: 0 },
    ],
  },
  {
    name: "sctp",
    kind: "match",
    summary: "SCTP ports and chunk types (loaded implicitly by -p sctp).",
    options: [
      { name: "--sport", aliases: ["--source-port"], args: 1, type: "portRange", negatable: true },
      { name: "--dport", aliases: ["--destination-port"], args: 1, type: "portRange", negatable: true },
      // `any|all|only` and `CHUNK[:FLAGS],...`; the rewrite orders chunks by type number and merges flags.
      { name: "--chunk-types", args: 2, argTypes: ["enumNoCase", "verbatim"], values: ["all", "any", "only"], negatable: true },
    ],
  },
  {
    name: "set",
    kind: "match",
    summary: "Membership of an address/port in an ipset.",
    options: [
      { name: "--match-set", aliases: ["--set"], args: 2, argTypes: ["setName", "setFlags"], negatable: true },
      { name: "--return-nomatch", args: 0 },
      // Updating counters is the default: only the negated forms are printed.
      { name: "--update-counters", args: 0, negatable: true },
      { name: "--update-subcounters", args: 0, negatable: true },
      { name: "--packets-eq", args: 1, type: "u64", negatable: true },
      { name: "--packets-lt", args: 1, type: "u64" },
      { name: "--packets-gt", args: 1, type: "u64" },
      { name: "--bytes-eq", args: 1, type: "u64", negatable: true },
      { name: "--bytes-lt", args: 1, type: "u64" },
      { name: "--bytes-gt", args: 1, type: "u64" },
    ],
  },
  {
    name: "socket",
    kind: "match",
    summary: "An open socket (optionally a transparent one) matches the packet.",
    options: [
      { name: "--transparent", args: 0 },
      { name: "--nowildcard", args: 0 },
      { name: "--restore-skmark", args: 0 },
    ],
  },
  {
    name: "srh",
    kind: "match",
    family: "ipv6",
    summary: "IPv6 Segment Routing Header fields (libip6t_srh; not in the 1.8.9 man page).",
    options: [
      { name: "--srh-next-hdr", args: 1, type: "int", negatable: true },
      { name: "--srh-hdr-len-eq", args: 1, type: "int", negatable: true },
      { name: "--srh-hdr-len-gt", args: 1, type: "int", negatable: true },
      { name: "--srh-hdr-len-lt", args: 1, type: "int", negatable: true },
      { name: "--srh-segs-left-eq", args: 1, type: "int", negatable: true },
      { name: "--srh-segs-left-gt", args: 1, type: "int", negatable: true },
      { name: "--srh-segs-left-lt", args: 1, type: "int", negatable: true },
      { name: "--srh-last-entry-eq", args: 1, type: "int", negatable: true },
      { name: "--srh-last-entry-gt", args: 1, type: "int", negatable: true },
      { name: "--srh-last-entry-lt", args: 1, type: "int", negatable: true },
      { name: "--srh-tag", args: 1, type: "int", negatable: true },
      // SIDs print unmasked and always with /len: the rewrite does that.
      { name: "--srh-psid", args: 1, type: "verbatim", negatable: true },
      { name: "--srh-nsid", args: 1, type: "verbatim", negatable: true },
      { name: "--srh-lsid", args: 1, type: "verbatim", negatable: true },
    ],
  },
  {
    name: "state",
    kind: "match",
    summary: "Connection-tracking state (older spelling of conntrack --ctstate).",
    options: [{ name: "--state", args: 1, type: "flags", values: STATES, negatable: true }],
  },
  {
    name: "statistic",
    kind: "match",
    summary: "Random or every-nth packet selection (kube-proxy's load balancing).",
    options: [
      { name: "--mode", args: 1, type: "enum", values: ["random", "nth"] },
      { name: "--probability", args: 1, type: "probability", negatable: true },
      { name: "--every", args: 1, type: "int", negatable: true, range: [1, 4294967295] },
      { name: "--packet", args: 1, type: "int" },
    ],
  },
  {
    name: "string",
    kind: "match",
    summary: "A byte pattern in the packet (Boyer-Moore or Knuth-Pratt-Morris search).",
    options: [
      // Printable patterns print as --string, others as --hex-string: the rewrite decides.
      { name: "--string", args: 1, type: "dquoted", negatable: true, maxBytes: 128 },
      { name: "--hex-string", args: 1, type: "dquoted", negatable: true },
      { name: "--algo", args: 1, type: "enum", values: ["bm", "kmp"] },
      { name: "--from", args: 1, type: "int", range: [0, 65535] },
      { name: "--to", args: 1, type: "int", range: [0, 65535] },
      { name: "--icase", args: 0 },
    ],
  },
  {
    name: "tcp",
    kind: "match",
    summary: "TCP ports, flags and options (loaded implicitly by -p tcp).",
    options: [
      { name: "--sport", aliases: ["--source-port"], args: 1, type: "portRange", negatable: true },
      { name: "--dport", aliases: ["--destination-port"], args: 1, type: "portRange", negatable: true },
      { name: "--tcp-option", args: 1, type: "int", negatable: true, range: [1, 255] },
      { name: "--tcp-flags", args: 2, type: "flags", values: TCP_FLAGS, negatable: true },
      // Stored as --tcp-flags FIN,SYN,RST,ACK SYN (the rewrite says so).
      { name: "--syn", args: 0, negatable: true },
    ],
  },
  {
    name: "tcpmss",
    kind: "match",
    summary: "TCP MSS option value of SYN packets, or a range.",
    options: [{ name: "--mss", args: 1, type: "uint16Range", negatable: true }],
  },
  {
    name: "time",
    kind: "match",
    summary: "Arrival time or date within a range, weekdays, monthdays.",
    // Every value is rewritten to iptables-save's fixed formats (00:00:00, 2038-01-19T03:14:07).
    options: [
      { name: "--timestart", args: 1, type: "daytime" },
      { name: "--timestop", args: 1, type: "daytime" },
      { name: "--monthdays", args: 1, type: "monthdays", negatable: true },
      { name: "--weekdays", args: 1, type: "weekdays", negatable: true },
      { name: "--datestart", args: 1, type: "isoDate" },
      { name: "--datestop", args: 1, type: "isoDate" },
      { name: "--kerneltz", aliases: ["--localtz"], args: 0 },
      { name: "--utc", args: 0, neverPrinted: true },
      { name: "--contiguous", args: 0 },
    ],
  },
  {
    name: "tos",
    kind: "match",
    summary: "IPv4 TOS / IPv6 traffic-class field under a mask, or a TOS name.",
    options: [{ name: "--tos", args: 1, type: "tosMatch", negatable: true }],
  },
  {
    name: "ttl",
    kind: "match",
    family: "ipv4",
    summary: "IPv4 time-to-live equal to, less than or greater than a value.",
    options: [
      { name: "--ttl-eq", aliases: ["--ttl"], args: 1, type: "int", negatable: true, range: [0, 255] },
      { name: "--ttl-gt", args: 1, type: "int", range: [0, 255] },
      { name: "--ttl-lt", args: 1, type: "int", range: [0, 255] },
    ],
  },
  {
    name: "u32",
    kind: "match",
    summary: "Tests on 32-bit words read from the packet at computed offsets.",
    // Numbers print in hex and spaces vanish: the rewrite reprints the tests.
    options: [{ name: "--u32", args: 1, type: "u32", negatable: true }],
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
];
