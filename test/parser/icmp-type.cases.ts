/**
 * `--icmp-type` / `--icmpv6-type` arguments: whether iptables 1.8.9 refuses
 * them and, when not, what iptables-save prints. test/parser/icmp-type.test.ts
 * holds kipt's parser (KIPT1004) and printer to the table;
 * test/oracle/icmp-type-oracle.test.ts checks the table with the real tools.
 */
export interface IcmpTypeCase {
  readonly arg: string;
  readonly v6: boolean;
  /** What iptables-save prints after the option name, or null when the tool refuses the argument. */
  readonly printed: string | null;
}

export const ICMP_TYPE_CASES: readonly IcmpTypeCase[] = [
  { arg: "8", v6: false, printed: "8" },
  { arg: "echo-request", v6: false, printed: "8" },
  { arg: "ECHO-REQUEST", v6: false, printed: "8" },
  { arg: "pi", v6: false, printed: "8" },
  { arg: "echo", v6: false, printed: null },
  { arg: "p", v6: false, printed: null },
  { arg: "foo", v6: false, printed: null },
  { arg: "0x10", v6: false, printed: "16" },
  { arg: "010", v6: false, printed: "8" },
  { arg: "255", v6: false, printed: "any" },
  { arg: "255/255", v6: false, printed: "any" },
  { arg: "any", v6: false, printed: "any" },
  { arg: "256", v6: false, printed: null },
  { arg: "300", v6: false, printed: null },
  { arg: "-1", v6: false, printed: null },
  { arg: "3/4", v6: false, printed: "3/4" },
  { arg: "3/0x4", v6: false, printed: "3/4" },
  { arg: "3/256", v6: false, printed: null },
  { arg: "8/", v6: false, printed: null },
  { arg: "/3", v6: false, printed: null },
  { arg: "3/4/5", v6: false, printed: null },
  { arg: "8:8", v6: false, printed: "8" },
  { arg: "8:9", v6: false, printed: null },
  { arg: "3/1:2", v6: false, printed: "3/1" },
  { arg: "fragmentation-needed", v6: false, printed: "3/4" },
  { arg: "echo-request/3", v6: false, printed: null },
  { arg: "+8", v6: false, printed: "8" },
  { arg: "+0x8", v6: false, printed: "8" },
  { arg: "8/+1", v6: false, printed: "8/1" },
  { arg: "8:+8", v6: false, printed: "8" },
  { arg: "-0", v6: false, printed: null },
  { arg: "8/-0", v6: false, printed: null },
  { arg: "128", v6: true, printed: "128" },
  { arg: "echo-request", v6: true, printed: "128" },
  { arg: "255", v6: true, printed: "255" },
  { arg: "256", v6: true, printed: null },
  { arg: "1/256", v6: true, printed: null },
  { arg: "1/4", v6: true, printed: "1/4" },
  { arg: "neighbour-solicitation", v6: true, printed: "135" },
  { arg: "mld-listener-query", v6: true, printed: null },
];

/** A filter table with one rule of the case. */
export function icmpDump(c: IcmpTypeCase): string {
  const rule = c.v6 ? `-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ${c.arg} -j ACCEPT` : `-A INPUT -p icmp -m icmp --icmp-type ${c.arg} -j ACCEPT`;
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`;
}

/** The rule iptables-save prints for an accepted case. */
export function icmpPrinted(c: IcmpTypeCase): string {
  return c.v6 ? `-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ${c.printed} -j ACCEPT` : `-A INPUT -p icmp -m icmp --icmp-type ${c.printed} -j ACCEPT`;
}
