/**
 * Rules whose match or target needs a protocol, and whether iptables 1.8.9
 * (nf_tables) refuses them when loading: the same table drives the unit test
 * (test/parser/needs-protocol.test.ts: kipt reports KIPT1024 exactly for the
 * refused ones) and the oracle test (test/oracle/needs-protocol-oracle.test.ts:
 * the kernel's tools still agree with the table).
 */
export const NEEDS_PROTOCOL_CASES: readonly { readonly spec: string; readonly refused: boolean }[] = [
  { spec: "-p tcp -m tcp --dport 1 -j DROP", refused: false },
  { spec: "-p tcp --dport 1 -j DROP", refused: false },
  { spec: "-p 6 -m tcp --dport 1 -j DROP", refused: false },
  { spec: "-p TCP -m tcp --dport 1 -j DROP", refused: false },
  { spec: "! -p tcp -m tcp --dport 1 -j DROP", refused: false },
  { spec: "-p udp -m tcp --dport 1 -j DROP", refused: true },
  { spec: "-m tcp --dport 1 -j DROP", refused: true },
  { spec: "-p all -m tcp --dport 1 -j DROP", refused: true },
  { spec: "-p tcp -m udp --dport 1 -j DROP", refused: true },
  { spec: "! -p udp -m udp --dport 1 -j DROP", refused: false },
  { spec: "-p icmp -m icmp --icmp-type 8 -j DROP", refused: false },
  { spec: "-p udp -m icmp --icmp-type 8 -j DROP", refused: true },
  { spec: "! -p icmp -m icmp --icmp-type 8 -j DROP", refused: true },
  { spec: "-m icmp --icmp-type 8 -j DROP", refused: true },
  { spec: "-p udplite -m multiport --dports 1,2 -j DROP", refused: false },
  { spec: "-m multiport --dports 1,2 -j DROP", refused: true },
  { spec: "! -p udp -m multiport --dports 1,2 -j DROP", refused: true },
  { spec: "-p icmp -m multiport --dports 1,2 -j DROP", refused: true },
  { spec: "-p tcp -m multiport --dports 1:2,3:4,5,6,7,8,9,10,11,12,13,14,15 -j DROP", refused: false },
  { spec: "-p tcp -m multiport --dports 1:2,3:4,5,6,7,8,9,10,11,12,13,14,15,16 -j DROP", refused: true },
  { spec: "-p sctp -m sctp --dport 1 -j DROP", refused: false },
  { spec: "-p udp -m sctp --dport 1 -j DROP", refused: true },
  { spec: "-p dccp -m dccp --dport 1 -j DROP", refused: false },
  { spec: "-m dccp --dport 1 -j DROP", refused: true },
  { spec: "-p tcp -m tcpmss --mss 1 -j DROP", refused: false },
  { spec: "-p udp -m tcpmss --mss 1 -j DROP", refused: true },
  { spec: "-p esp -m esp --espspi 1 -j DROP", refused: false },
  { spec: "-m esp --espspi 1 -j DROP", refused: true },
  { spec: "-p ah -m ah --ahspi 1 -j DROP", refused: false },
  { spec: "-m ah --ahspi 1 -j DROP", refused: true },
  { spec: "-p tcp -j REJECT --reject-with tcp-reset", refused: false },
  { spec: "! -p tcp -j REJECT --reject-with tcp-reset", refused: true },
  { spec: "-j REJECT --reject-with tcp-reset", refused: true },
  { spec: "-p tcp -j SYNPROXY", refused: false },
  { spec: "-p udp -j SYNPROXY", refused: true },
];
