/**
 * Options an extension cannot do without: iptables refuses the rule when
 * none of a group's options is given ("comment: option "--comment" must be
 * specified", "recent: you must specify one of `--set', ..."). Each entry
 * is a list of groups; every group needs at least one of its options, and
 * `"*"` means any option at all. Found by loading each extension bare with
 * iptables-restore 1.8.9 (test/oracle/required-options-oracle.test.ts), then
 * a rule with one option of each listed group, until the tool took it
 * (test/oracle/required-options-complete-oracle.test.ts): the tool names only
 * the first option it misses, so an extension needing several has one group
 * per option. IPv6-only extensions were loaded with ip6tables-restore.
 */
type Groups = readonly (readonly string[])[];

export const requiredMatchOptions: Readonly<Record<string, Groups>> = {
  addrtype: [["--src-type", "--dst-type"]],
  bpf: [["--bytecode", "--object-pinned"]],
  // Refused by the kernel, not the tool: "RULE_APPEND failed (Invalid argument)", dmesg "xt_cgroup: no path or classid specified".
  cgroup: [["--path", "--cgroup"]],
  cluster: [["--cluster-local-node", "--cluster-local-nodemask"], ["--cluster-total-nodes"], ["--cluster-hash-seed"]],
  comment: [["--comment"]],
  connbytes: [["--connbytes"], ["--connbytes-dir"], ["--connbytes-mode"]],
  connlabel: [["--label"]],
  connlimit: [["--connlimit-above", "--connlimit-upto"]],
  connmark: [["--mark"]],
  conntrack: [["*"]],
  cpu: [["--cpu"]],
  devgroup: [["--src-group", "--dst-group"]],
  dscp: [["--dscp", "--dscp-class"]],
  ecn: [["*"]],
  hashlimit: [["--hashlimit-upto", "--hashlimit-above"], ["--hashlimit-name"]],
  helper: [["--helper"]],
  hl: [["--hl-eq", "--hl-lt", "--hl-gt", "--hl"]],
  icmp: [["--icmp-type"]],
  icmp6: [["--icmpv6-type"]],
  iprange: [["--src-range", "--dst-range"]],
  ipv6header: [["--header"]],
  length: [["--length"]],
  mac: [["--mac-source"]],
  mark: [["--mark"]],
  multiport: [["--sports", "--dports", "--ports"]],
  nfacct: [["--nfacct-name"]],
  osf: [["--genre"]],
  owner: [["--uid-owner", "--gid-owner", "--socket-exists"]],
  physdev: [["*"]],
  pkttype: [["--pkt-type"]],
  policy: [["--dir"]],
  quota: [["--quota"]],
  // Refused by the kernel (xt_rateest checkentry), with no message: a name
  // (else "No such file or directory"), a rate kind and a comparison (else
  // "Invalid argument"). The estimator must also exist (a RATEEST rule).
  rateest: [
    ["--rateest", "--rateest1"],
    ["--rateest-bps", "--rateest-pps", "--rateest-bps1", "--rateest-pps1", "--rateest-bps2", "--rateest-pps2"],
    ["--rateest-lt", "--rateest-gt", "--rateest-eq"],
  ],
  realm: [["--realm"]],
  recent: [["--set", "--rcheck", "--update", "--remove"]],
  set: [["--match-set"]],
  state: [["--state"]],
  // Random mode needs --probability, nth mode --every (and --packet, which --every needs in any mode).
  statistic: [["--mode"], ["--probability", "--every"]],
  string: [["--string", "--hex-string"], ["--algo"]],
  tcpmss: [["--mss"]],
  tos: [["--tos"]],
  ttl: [["--ttl-eq", "--ttl-lt", "--ttl-gt"]],
  u32: [["--u32"]],
};

export const requiredTargetOptions: Readonly<Record<string, Groups>> = {
  AUDIT: [["--type"]],
  CHECKSUM: [["--checksum-fill"]],
  CLASSIFY: [["--set-class"]],
  // An operation: `--mask` alone is "CONNMARK target: No operation specified".
  CONNMARK: [["--set-xmark", "--set-mark", "--save-mark", "--restore-mark", "--and-mark", "--or-mark", "--xor-mark"]],
  CONNSECMARK: [["*"]],
  DNAT: [["--to-destination"]],
  DNPT: [["--src-pfx"], ["--dst-pfx"]],
  DSCP: [["--set-dscp", "--set-dscp-class"]],
  ECN: [["*"]],
  HL: [["--hl-set", "--hl-dec", "--hl-inc"]],
  // "you have to specify --hmark-tuple at least": a tuple, or a prefix or mask that makes one.
  HMARK: [
    ["--hmark-mod"],
    ["--hmark-rnd"],
    [
      "--hmark-tuple",
      "--hmark-src-prefix",
      "--hmark-dst-prefix",
      "--hmark-sport-mask",
      "--hmark-dport-mask",
      "--hmark-spi-mask",
      "--hmark-proto-mask",
      "--hmark-sport",
      "--hmark-dport",
      "--hmark-spi",
    ],
  ],
  IDLETIMER: [["--timeout"], ["--label"]],
  MARK: [["--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"]],
  NETMAP: [["--to"]],
  // Without an interval or an averaging time the tool says "RATEEST: ewmalog value is out of range".
  RATEEST: [["--rateest-name"], ["--rateest-interval"], ["--rateest-ewmalog"]],
  SECMARK: [["--selctx"]],
  SET: [["--add-set", "--del-set", "--map-set"]],
  SNAT: [["--to-source"]],
  SNPT: [["--src-pfx"], ["--dst-pfx"]],
  TCPMSS: [["--set-mss", "--clamp-mss-to-pmtu"]],
  TEE: [["--gateway"]],
  TOS: [["*"]],
  TPROXY: [["--on-port"]],
  TTL: [["*"]],
};

/**
 * Options that exclude each other within one extension: iptables refuses a
 * rule that gives two of a group (cluster: "--cluster-local-node" and
 * "--cluster-local-nodemask" set the same mask).
 */
export const exclusiveMatchOptions: Readonly<Record<string, Groups>> = {
  cluster: [["--cluster-local-node", "--cluster-local-nodemask"]],
  tcp: [["--tcp-flags", "--syn"]],
  string: [["--string", "--hex-string"]],
  // "statistic: option "--probability" cannot be used together with "--every"" (and "--packet").
  statistic: [["--probability", "--every"], ["--probability", "--packet"]],
  multiport: [["--sports", "--dports", "--ports"]],
  ttl: [["--ttl-eq", "--ttl-gt", "--ttl-lt"]],
  connlimit: [["--connlimit-upto", "--connlimit-above"], ["--connlimit-saddr", "--connlimit-daddr"]],
  // One action; and a new entry (--set) or a removal (--remove) takes no age, count or TTL condition.
  recent: [["--set", "--rcheck", "--update", "--remove"], ["--set", "--seconds"], ["--set", "--hitcount"], ["--set", "--rttl"], ["--remove", "--seconds"], ["--remove", "--hitcount"], ["--remove", "--rttl"]],
  addrtype: [["--limit-iface-in", "--limit-iface-out"]],
  // The kernel refuses a path and a class id together ("Invalid argument").
  cgroup: [["--path", "--cgroup"]],
};

/** The same for targets (one MARK or CONNMARK action; CONNSECMARK saves or restores; NFQUEUE takes one queue or a balance range). */
export const exclusiveTargetOptions: Readonly<Record<string, Groups>> = {
  // One action each: "MARK: option "--set-xmark" cannot be used together with "--set-mark"".
  MARK: [["--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"]],
  CONNMARK: [["--set-xmark", "--set-mark", "--save-mark", "--restore-mark", "--and-mark", "--or-mark", "--xor-mark"], ["--mask", "--ctmask"], ["--mask", "--nfmask"]],
  CONNSECMARK: [["--save", "--restore"]],
  NFQUEUE: [["--queue-num", "--queue-balance"]],
  // "you cannot use --hmark-spi-mask and --hmark-?port-mask, at the same time".
  HMARK: [["--hmark-spi-mask", "--hmark-sport-mask"], ["--hmark-spi-mask", "--hmark-dport-mask"]],
  TTL: [["--ttl-set", "--ttl-dec", "--ttl-inc"]],
  TOS: [["--set-tos", "--and-tos", "--or-tos", "--xor-tos"]],
  ECN: [["--ecn-tcp-remove", "--ecn-tcp-ece"], ["--ecn-tcp-remove", "--ecn-tcp-cwr"]],
  NFLOG: [["--nflog-range", "--nflog-size"]],
  DSCP: [["--set-dscp", "--set-dscp-class"]],
};

/** An option and what it needs: another option, or one of several. */
type Dependencies = readonly (readonly [option: string, needs: string | readonly string[]])[];

/** Options that need another of the same match ("statistic: option "--every" also requires "--packet""). */
export const dependentMatchOptions: Readonly<Record<string, Dependencies>> = {
  statistic: [["--every", "--packet"], ["--packet", "--every"]],
  // "--strict is in effect, but at least one of reqid, spi, tunnel-src, tunnel-dst, proto or mode is required".
  // And "option "--next" also requires "--strict"" (several elements are a strict policy).
  policy: [["--strict", ["--reqid", "--spi", "--tunnel-src", "--tunnel-dst", "--proto", "--mode"]], ["--next", "--strict"]],
  // "--reap requires --seconds".
  recent: [["--reap", "--seconds"]],
};

/** Options that need another of the same target ("--queue-cpu-fanout also requires --queue-balance"). */
export const dependentTargetOptions: Readonly<Record<string, Dependencies>> = {
  NFQUEUE: [["--queue-cpu-fanout", "--queue-balance"]],
  // "You must specify flags `--map-mark' or '--map-prio` or `--map-queue'".
  SET: [
    ["--map-set", ["--map-mark", "--map-prio", "--map-queue"]],
    ["--exist", "--add-set"],
    ["--timeout", "--add-set"],
    ["--map-mark", "--map-set"],
    ["--map-prio", "--map-set"],
    ["--map-queue", "--map-set"],
  ],
};
