/**
 * Options an extension cannot do without: iptables refuses the rule when
 * none of a group's options is given ("comment: option "--comment" must be
 * specified", "recent: you must specify one of `--set', ..."). Each entry
 * is a list of groups; every group needs at least one of its options, and
 * `"*"` means any option at all. Found by loading each extension bare with
 * iptables-restore 1.8.9 (test/oracle/required-options-oracle.test.ts).
 */
type Groups = readonly (readonly string[])[];

export const requiredMatchOptions: Readonly<Record<string, Groups>> = {
  addrtype: [["--src-type", "--dst-type"]],
  cluster: [["--cluster-local-node", "--cluster-local-nodemask"], ["--cluster-total-nodes"], ["--cluster-hash-seed"]],
  comment: [["--comment"]],
  connbytes: [["--connbytes"]],
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
  icmp: [["--icmp-type"]],
  iprange: [["--src-range", "--dst-range"]],
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
  realm: [["--realm"]],
  recent: [["--set", "--rcheck", "--update", "--remove"]],
  set: [["--match-set"]],
  state: [["--state"]],
  statistic: [["--probability", "--every"]],
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
  CONNMARK: [["*"]],
  CONNSECMARK: [["*"]],
  DNAT: [["--to-destination"]],
  DSCP: [["--set-dscp", "--set-dscp-class"]],
  ECN: [["*"]],
  HMARK: [["--hmark-mod"]],
  IDLETIMER: [["--timeout"]],
  MARK: [["--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"]],
  NETMAP: [["--to"]],
  SECMARK: [["--selctx"]],
  SET: [["--add-set", "--del-set", "--map-set"]],
  SNAT: [["--to-source"]],
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
};

/** The same for targets (one MARK or CONNMARK action; CONNSECMARK saves or restores; NFQUEUE takes one queue or a balance range). */
export const exclusiveTargetOptions: Readonly<Record<string, Groups>> = {
  // One action each: "MARK: option "--set-xmark" cannot be used together with "--set-mark"".
  MARK: [["--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"]],
  CONNMARK: [["--set-xmark", "--set-mark", "--save-mark", "--restore-mark", "--and-mark", "--or-mark", "--xor-mark"]],
  CONNSECMARK: [["--save", "--restore"]],
  NFQUEUE: [["--queue-num", "--queue-balance"]],
};

/** Options that need another of the same target: [option, what it needs] ("--queue-cpu-fanout also requires --queue-balance"). */
export const dependentTargetOptions: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  NFQUEUE: [["--queue-cpu-fanout", "--queue-balance"]],
};
