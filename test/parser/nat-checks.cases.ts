/**
 * Rules of the nat table that iptables refuses for what the table or the
 * NAT target's port needs, with whether iptables 1.8.9 (nf_tables) refuses
 * them: the same table drives the unit test (test/parser/nat-checks.test.ts:
 * kipt reports `code` exactly for the refused ones) and the oracle test
 * (test/oracle/nat-checks-oracle.test.ts: the tools still agree).
 *
 * - KIPT1024: DNAT, SNAT, MASQUERADE or REDIRECT setting a port needs `-p`
 *   tcp, udp, sctp, dccp or icmp before the option ("Need TCP, UDP, SCTP or
 *   DCCP with port specification"); its `!` does not matter.
 * - KIPT1029: DROP in the nat table, as a target or a `-P` policy.
 */
export interface NatCheckCase {
  /** The line after the nat table's built-in chain declarations. */
  readonly line: string;
  readonly refused: boolean;
  /** The code kipt reports when refused. */
  readonly code?: "KIPT1004" | "KIPT1024" | "KIPT1029";
  /** Loaded with ip6tables-restore. */
  readonly v6?: boolean;
}

export const NAT_CHECK_CASES: readonly NatCheckCase[] = [
  { line: "-A PREROUTING -d 10.9.9.9/32 -j DNAT --to-destination 10.0.0.1:8080", refused: true, code: "KIPT1024" },
  { line: "-A PREROUTING -d 10.9.9.9/32 -j DNAT --to-destination 10.0.0.1", refused: false },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:8080", refused: false },
  { line: "-A PREROUTING -p 6 -j DNAT --to-destination 10.0.0.1:8080", refused: false },
  { line: "-A PREROUTING ! -p tcp -j DNAT --to-destination 10.0.0.1:8080", refused: false },
  { line: "-A PREROUTING -p udp -j DNAT --to-destination 10.0.0.1:53", refused: false },
  { line: "-A PREROUTING -p sctp -j DNAT --to-destination 10.0.0.1:80", refused: false },
  { line: "-A PREROUTING -p dccp -j DNAT --to-destination 10.0.0.1:80", refused: false },
  { line: "-A PREROUTING -p icmp -j DNAT --to-destination 10.0.0.1:8080", refused: false },
  { line: "-A PREROUTING -p udplite -j DNAT --to-destination 10.0.0.1:8080", refused: true, code: "KIPT1024" },
  { line: "-A PREROUTING -p all -j DNAT --to-destination 10.0.0.1:8080", refused: true, code: "KIPT1024" },
  { line: "-A PREROUTING -j DNAT --to-destination :8080", refused: true, code: "KIPT1024" },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination :8080", refused: false },
  { line: "-A PREROUTING -j DNAT --to-destination 10.0.0.1:8080 -p tcp", refused: true, code: "KIPT1024" },
  { line: "-A PREROUTING -j DNAT -p tcp --to-destination 10.0.0.1:8080", refused: false },
  { line: "-A PREROUTING -j DNAT --to-destination 10.0.0.1:8080 --random", refused: true, code: "KIPT1024" },
  { line: "-A POSTROUTING -j SNAT --to-source 1.2.3.4:1024", refused: true, code: "KIPT1024" },
  { line: "-A POSTROUTING -j SNAT --to-source 1.2.3.4:1024-2000", refused: true, code: "KIPT1024" },
  { line: "-A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4:1024-2000", refused: false },
  { line: "-A POSTROUTING -j SNAT --to-source 1.2.3.4", refused: false },
  { line: "-A POSTROUTING -j MASQUERADE --to-ports 1000-2000", refused: true, code: "KIPT1024" },
  { line: "-A POSTROUTING -p icmp -j MASQUERADE --to-ports 1000-2000", refused: false },
  { line: "-A POSTROUTING -j MASQUERADE", refused: false },
  { line: "-A PREROUTING -j REDIRECT --to-ports 3128", refused: true, code: "KIPT1024" },
  { line: "-A PREROUTING -p tcp -j REDIRECT --to-ports 3128", refused: false },
  { line: "-A PREROUTING -j REDIRECT", refused: false },
  { line: "-A PREROUTING -j DNAT --to-destination [fd00::1]:80", refused: true, code: "KIPT1024", v6: true },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination [fd00::1]:80", refused: false, v6: true },
  { line: "-A PREROUTING -p icmpv6 -j DNAT --to-destination [fd00::1]:80", refused: true, code: "KIPT1024", v6: true },
  { line: "-A PREROUTING -p icmp -j DNAT --to-destination [fd00::1]:80", refused: false, v6: true },
  { line: "-A POSTROUTING -p icmpv6 -j MASQUERADE --to-ports 100", refused: true, code: "KIPT1024", v6: true },
  { line: "-A PREROUTING -j DROP", refused: true, code: "KIPT1029" },
  { line: "-A PREROUTING -s 10.0.0.0/8 -g DROP", refused: true, code: "KIPT1029" },
  { line: "-A PREROUTING -j ACCEPT", refused: false },
  { line: "-P PREROUTING DROP", refused: true, code: "KIPT1029" },
  { line: "-P PREROUTING ACCEPT", refused: false },
  { line: "-A PREROUTING -j DROP", refused: true, code: "KIPT1029", v6: true },
  // How NAT targets read their ports and addresses (KIPT1004).
  { line: "-A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8090", refused: false },
  { line: "-A PREROUTING -p tcp -j REDIRECT --to-ports 8080-8080", refused: false },
  { line: "-A PREROUTING -p tcp -j REDIRECT --to-ports 8080:8090", refused: true, code: "KIPT1004" },
  { line: "-A PREROUTING -p tcp -j REDIRECT --to-ports 8080-", refused: true, code: "KIPT1004" },
  { line: "-A PREROUTING -p tcp -j REDIRECT --to-ports 8090-8080", refused: true, code: "KIPT1004" },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80/81", refused: true, code: "KIPT1004" },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-80/81", refused: false },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80-90/81", refused: false },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 010.0.0.1", refused: true, code: "KIPT1004" },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 10.1", refused: true, code: "KIPT1004" },
  { line: "-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.09", refused: true, code: "KIPT1004" },
];

/** The nat table around a case's line. */
export function natDump(c: NatCheckCase): string {
  return `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${c.line}\nCOMMIT\n`;
}
