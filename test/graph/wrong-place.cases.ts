/**
 * Targets and matches in tables and hooks, with whether iptables 1.8.9
 * (nf_tables) refuses the dump when loading it. Drives the KIPT2010 unit test
 * (test/graph/wrong-place.test.ts) and the oracle test that checks the
 * verdicts against the real tool (test/oracle/wrong-place-oracle.test.ts).
 */
export interface PlaceCase {
  readonly table: string;
  readonly rules: readonly string[];
  readonly chains?: readonly string[];
  readonly refused: boolean;
  /** An ip6tables dump (loaded with ip6tables-restore). */
  readonly v6?: true;
}

export const WRONG_PLACE_CASES: readonly PlaceCase[] = [
  // Found by a differential fuzz (session 7).
  { table: "mangle", rules: ["-A POSTROUTING -p udp -j CHECKSUM --checksum-fill"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -p udp -j CHECKSUM --checksum-fill"], refused: true },
  { table: "nat", rules: ["-A POSTROUTING -p udp -j CHECKSUM --checksum-fill"], refused: true },
  { table: "mangle", rules: ["-A PREROUTING -j CONNSECMARK --save"], refused: false },
  { table: "security", rules: ["-A INPUT -j CONNSECMARK --save"], refused: false },
  { table: "filter", rules: ["-A INPUT -j CONNSECMARK --save"], refused: true },
  { table: "raw", rules: ["-A PREROUTING -m rpfilter -j ACCEPT"], refused: false },
  { table: "nat", rules: ["-A PREROUTING -m rpfilter -j ACCEPT"], refused: true },
  { table: "mangle", rules: ["-A POSTROUTING -s fd00::/64 -j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8::/64"], refused: false, v6: true },
  { table: "mangle", rules: ["-A PREROUTING -s fd00::/64 -j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8::/64"], refused: true, v6: true },
  { table: "filter", rules: ["-A INPUT -s fd00::/64 -j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8::/64"], refused: true, v6: true },
  { table: "mangle", rules: ["-A OUTPUT -d 2001:db8::/64 -j DNPT --src-pfx 2001:db8::/64 --dst-pfx fd00::/64"], refused: false, v6: true },
  { table: "mangle", rules: ["-A INPUT -d 2001:db8::/64 -j DNPT --src-pfx 2001:db8::/64 --dst-pfx fd00::/64"], refused: true, v6: true },
  { table: "filter", rules: ["-A FORWARD -m eui64 -j ACCEPT"], refused: false, v6: true },
  { table: "filter", rules: ["-A OUTPUT -m eui64 -j ACCEPT"], refused: true, v6: true },
  { table: "mangle", rules: ["-A POSTROUTING -m eui64 -j ACCEPT"], refused: true, v6: true },
  { table: "nat", rules: ["-A POSTROUTING -j MASQUERADE"], refused: false },
  { table: "nat", rules: ["-A INPUT -j MASQUERADE"], refused: true },
  { table: "nat", rules: ["-A PREROUTING -j MASQUERADE"], refused: true },
  { table: "nat", rules: ["-A INPUT -j SNAT --to-source 1.2.3.4"], refused: false },
  { table: "nat", rules: ["-A OUTPUT -j SNAT --to-source 1.2.3.4"], refused: true },
  { table: "nat", rules: ["-A OUTPUT -j DNAT --to-destination 1.2.3.4"], refused: false },
  { table: "nat", rules: ["-A POSTROUTING -j DNAT --to-destination 1.2.3.4"], refused: true },
  { table: "nat", rules: ["-A INPUT -p tcp -j REDIRECT --to-ports 1"], refused: true },
  { table: "nat", rules: ["-A INPUT -j NETMAP --to 1.2.3.0/24"], refused: false },
  { table: "nat", chains: ["X"], rules: ["-A X -j MASQUERADE"], refused: false },
  { table: "nat", chains: ["X"], rules: ["-A POSTROUTING -j X", "-A X -j MASQUERADE"], refused: false },
  { table: "nat", chains: ["X"], rules: ["-A INPUT -j X", "-A X -j MASQUERADE"], refused: true },
  { table: "nat", chains: ["X", "Y"], rules: ["-A POSTROUTING -j X", "-A INPUT -j Y", "-A Y -j X", "-A X -j MASQUERADE"], refused: true },
  { table: "filter", rules: ["-A INPUT -j MASQUERADE"], refused: true },
  { table: "filter", rules: ["-A INPUT -j REJECT"], refused: false },
  { table: "mangle", rules: ["-A INPUT -j REJECT"], refused: true },
  { table: "raw", rules: ["-A PREROUTING -j REJECT"], refused: true },
  { table: "raw", rules: ["-A PREROUTING -j CT --notrack"], refused: false },
  { table: "mangle", rules: ["-A PREROUTING -j CT --notrack"], refused: true },
  { table: "filter", rules: ["-A INPUT -j NOTRACK"], refused: true },
  { table: "mangle", rules: ["-A PREROUTING -p tcp -j TPROXY --on-port 1 --on-ip 1.2.3.4"], refused: false },
  { table: "mangle", rules: ["-A OUTPUT -p tcp -j TPROXY --on-port 1 --on-ip 1.2.3.4"], refused: true },
  { table: "mangle", rules: ["-A INPUT -j TTL --ttl-set 5"], refused: false },
  { table: "filter", rules: ["-A INPUT -j TTL --ttl-set 5"], refused: true },
  { table: "filter", rules: ["-A INPUT -j TOS --set-tos 0x10"], refused: true },
  { table: "filter", rules: ["-A INPUT -j DSCP --set-dscp 1"], refused: true },
  { table: "filter", rules: ["-A OUTPUT -j CLASSIFY --set-class 1:1"], refused: false },
  { table: "mangle", rules: ["-A INPUT -j CLASSIFY --set-class 1:1"], refused: true },
  // Matches the kernel allows in some hooks only (found by loading catalogue-generated rules with the tool).
  { table: "raw", rules: ["-A PREROUTING -m rpfilter"], refused: false },
  { table: "mangle", rules: ["-A INPUT -m rpfilter"], refused: true },
  { table: "raw", rules: ["-A OUTPUT -m rpfilter"], refused: true },
  { table: "mangle", rules: ["-A INPUT -p tcp -m socket"], refused: false },
  { table: "mangle", rules: ["-A OUTPUT -p tcp -m socket"], refused: true },
  { table: "mangle", rules: ["-A FORWARD -p tcp -m socket"], refused: true },
  { table: "filter", rules: ["-A FORWARD -m mac --mac-source 00:11:22:33:44:55"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -m mac --mac-source 00:11:22:33:44:55"], refused: true },
  { table: "mangle", rules: ["-A OUTPUT -m cgroup --cgroup 4"], refused: false },
  { table: "mangle", rules: ["-A FORWARD -m cgroup --cgroup 4"], refused: true },
  { table: "mangle", rules: ["-A PREROUTING -m cgroup --cgroup 4"], refused: true },
  { table: "filter", rules: ["-A INPUT -p tcp -m osf --genre Linux"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -p tcp -m osf --genre Linux"], refused: true },
  { table: "mangle", rules: ["-A POSTROUTING -m realm --realm 1"], refused: false },
  { table: "mangle", rules: ["-A PREROUTING -m realm --realm 1"], refused: true },
  { table: "filter", chains: ["X"], rules: ["-A OUTPUT -j X", "-A X -m mac --mac-source 00:11:22:33:44:55"], refused: true },
  // Options the kernel allows in some hooks only.
  { table: "mangle", rules: ["-A PREROUTING -m policy --dir in --pol none"], refused: false },
  { table: "mangle", rules: ["-A POSTROUTING -m policy --dir in --pol none"], refused: true },
  { table: "mangle", rules: ["-A POSTROUTING -m policy --dir out --pol none"], refused: false },
  { table: "mangle", rules: ["-A PREROUTING -m policy --dir out --pol none"], refused: true },
  { table: "mangle", rules: ["-A INPUT -m devgroup --src-group 0x3"], refused: false },
  { table: "mangle", rules: ["-A OUTPUT -m devgroup --src-group 0x3"], refused: true },
  { table: "mangle", rules: ["-A OUTPUT -m devgroup --dst-group 0x3"], refused: false },
  { table: "mangle", rules: ["-A PREROUTING -m devgroup --dst-group 0x3"], refused: true },
  { table: "filter", rules: ["-A INPUT -m addrtype --src-type LOCAL --limit-iface-in"], refused: false },
  { table: "filter", rules: ["-A INPUT -m addrtype --src-type LOCAL --limit-iface-out"], refused: true },
  { table: "filter", rules: ["-A OUTPUT -m addrtype --src-type LOCAL --limit-iface-in"], refused: true },
  { table: "mangle", rules: ["-A FORWARD -p tcp -j TCPMSS --clamp-mss-to-pmtu"], refused: false },
  { table: "mangle", rules: ["-A INPUT -p tcp -j TCPMSS --clamp-mss-to-pmtu"], refused: true },
  { table: "mangle", rules: ["-A INPUT -p tcp -j TCPMSS --set-mss 1400"], refused: false },
  // physdev's output port in OUTPUT only with bridged traffic.
  { table: "filter", rules: ["-A OUTPUT -m physdev --physdev-out eth0"], refused: true },
  { table: "filter", rules: ["-A OUTPUT -m physdev --physdev-is-out"], refused: true },
  { table: "filter", rules: ["-A OUTPUT -m physdev --physdev-is-bridged --physdev-out eth0"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -m physdev ! --physdev-is-bridged --physdev-out eth0"], refused: true },
  { table: "filter", rules: ["-A FORWARD -m physdev --physdev-out eth0"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -m physdev --physdev-in eth0"], refused: false },
  // SET's map flags (the set, kipt, is created first).
  { table: "mangle", rules: ["-A PREROUTING -j SET --map-set kipt dst --map-mark"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -j SET --map-set kipt dst --map-mark"], refused: true },
  { table: "mangle", rules: ["-A FORWARD -j SET --map-set kipt dst --map-prio"], refused: false },
  { table: "mangle", rules: ["-A PREROUTING -j SET --map-set kipt dst --map-prio"], refused: true },
  { table: "mangle", rules: ["-A INPUT -j SET --map-set kipt dst --map-queue"], refused: true },
  // SYNPROXY: INPUT and FORWARD, in any table that has them.
  { table: "filter", rules: ["-A INPUT -p tcp -j SYNPROXY --mss 1460"], refused: false },
  { table: "filter", rules: ["-A FORWARD -p tcp -j SYNPROXY --mss 1460"], refused: false },
  { table: "mangle", rules: ["-A INPUT -p tcp -j SYNPROXY --mss 1460"], refused: false },
  { table: "filter", rules: ["-A OUTPUT -p tcp -j SYNPROXY --mss 1460"], refused: true },
  { table: "mangle", rules: ["-A PREROUTING -p tcp -j SYNPROXY --mss 1460"], refused: true },
  { table: "raw", rules: ["-A PREROUTING -p tcp -j SYNPROXY --mss 1460"], refused: true },
  { table: "filter", chains: ["X"], rules: ["-A OUTPUT -j X", "-A X -p tcp -j SYNPROXY"], refused: true },
  { table: "filter", rules: ["-A OUTPUT -m owner --uid-owner 0"], refused: false },
  { table: "filter", rules: ["-A INPUT -m owner --uid-owner 0"], refused: true },
  { table: "nat", rules: ["-A POSTROUTING -m owner --uid-owner 0 -j ACCEPT"], refused: false },
  { table: "nat", rules: ["-A INPUT -m owner --uid-owner 0 -j ACCEPT"], refused: true },
  { table: "filter", rules: ["-A INPUT -j CONNMARK --set-mark 1"], refused: false },
  { table: "raw", rules: ["-A PREROUTING -j MARK --set-mark 1"], refused: false },
];

/** The dump of a case: its table with every built-in chain, its user chains and rules. */
export function placeDump(c: PlaceCase): string {
  const builtins: Record<string, string[]> = {
    filter: ["INPUT", "FORWARD", "OUTPUT"],
    nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
    mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
    raw: ["PREROUTING", "OUTPUT"],
    security: ["INPUT", "FORWARD", "OUTPUT"],
  };
  return [...(c.v6 ? ["# Generated by ip6tables-save v1.8.9 (nf_tables)"] : []), `*${c.table}`, ...builtins[c.table]!.map((b) => `:${b} ACCEPT [0:0]`), ...(c.chains ?? []).map((x) => `:${x} - [0:0]`), ...c.rules, "COMMIT", ""].join("\n");
}
