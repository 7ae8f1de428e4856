/**
 * Rules iptables-save (nf_tables 1.8.9) prints in another form than they were
 * written, each with what it prints after iptables-restore loaded it:
 * several tcp or udp matches merged into one (the backend stores ports and
 * flags as its own expressions), `-i +` left out, option prefixes resolved
 * among the loaded extensions. test/format/save-forms.test.ts holds kipt's
 * printer to the tables; test/oracle/save-forms-oracle.test.ts checks them
 * with the tool.
 */
export const PORT_MERGE_CASES: readonly { readonly rule: string; readonly saved: string }[] = [
  { rule: "-A INPUT -p udp -m udp --dport 53 -m udp --sport 53 -j ACCEPT", saved: "-A INPUT -p udp -m udp --sport 53 --dport 53 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --sport 1 -m tcp --dport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --sport 1 --dport 2 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --dport 53 -m comment --comment x -m tcp --sport 53 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --sport 53 --dport 53 -m comment --comment x -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --dport 1 -m tcp --dport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --dport 2 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp ! --dport 1 -m tcp --sport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --sport 2 ! --dport 1 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --tcp-flags SYN SYN -m tcp --sport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --sport 2 --tcp-flags SYN SYN -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --syn -m tcp --dport 22 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT" },
  { rule: "-A INPUT -p tcp --dport 1 -m tcp --sport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --sport 2 --dport 1 -j ACCEPT" },
  { rule: "-A INPUT -p udp -m udp --sport 2 -m multiport --dports 1,2 -m udp --dport 9 -j ACCEPT", saved: "-A INPUT -p udp -m udp --sport 2 --dport 9 -m multiport --dports 1,2 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --tcp-option 2 -m tcp --sport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --tcp-option 2 -m tcp --sport 2 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --sport 2 -m tcp --tcp-option 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --sport 2 -m tcp --tcp-option 2 -j ACCEPT" },
  { rule: "-A INPUT -m comment --comment a -m comment --comment b -j ACCEPT", saved: "-A INPUT -m comment --comment a -m comment --comment b -j ACCEPT" },
  // A negation stays once given; the value is the last one.
  { rule: "-A INPUT -p tcp -m tcp ! --dport 1 -m tcp --dport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp ! --dport 2 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp ! --sport 1 --dport 2 -m tcp --sport 3 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp ! --sport 3 --dport 2 -j ACCEPT" },
  { rule: "-A INPUT -p tcp ! --dport 1 -m tcp --dport 2 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp ! --dport 2 -j ACCEPT" },
  // --syn is --tcp-flags.
  { rule: "-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -m tcp ! --syn -j ACCEPT", saved: "-A INPUT -p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --tcp-flags ALL NONE -m tcp --syn -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT" },
  // A match that tests nothing stays in place.
  { rule: "-A INPUT -p tcp -m tcp -m tcp --dport 1 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp -m tcp --dport 1 -j ACCEPT" },
  { rule: "-A INPUT -p udp -m udp -m udp --dport 1 -j ACCEPT", saved: "-A INPUT -p udp -m udp -m udp --dport 1 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --sport 0:65535 -m tcp --dport 1 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp -m tcp --dport 1 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp ! --dport 1 -m tcp --dport 0:65535 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp ! --dport 1 -m tcp -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m tcp --dport 1 -m tcp ! --dport 0:65535 -j ACCEPT", saved: "-A INPUT -p tcp -m tcp --dport 1 -j ACCEPT" },
];

export function saveFormDump(rule: string): string {
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`;
}

/** Interfaces iptables-save leaves out or keeps (checked with the tool like the cases above). */
export const ANY_INTERFACE_CASES: readonly { readonly rule: string; readonly saved: string }[] = [
  { rule: "-A INPUT -i + -j ACCEPT", saved: "-A INPUT -j ACCEPT" },
  { rule: "-A OUTPUT -o + -j ACCEPT", saved: "-A OUTPUT -j ACCEPT" },
  { rule: "-A INPUT ! -i + -j ACCEPT", saved: "-A INPUT ! -i + -j ACCEPT" },
  { rule: "-A INPUT -i eth+ -j ACCEPT", saved: "-A INPUT -i eth+ -j ACCEPT" },
];

/** Option prefixes getopt resolves among the loaded extensions before the protocol's match is loaded (checked with the tool). */
export const OPTION_PREFIX_CASES: readonly { readonly rule: string; readonly saved: string }[] = [
  { rule: "-A INPUT -p tcp -m multiport --dport 80,443 -j ACCEPT", saved: "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT" },
  { rule: "-A INPUT -p udp -m multiport --sport 53 -j ACCEPT", saved: "-A INPUT -p udp -m multiport --sports 53 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m comment --comment x --dport 22 -j ACCEPT", saved: "-A INPUT -p tcp -m comment --comment x -m tcp --dport 22 -j ACCEPT" },
  { rule: "-A INPUT -p tcp -m conntrack --ctstate NEW --dport 22 -j ACCEPT", saved: "-A INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 22 -j ACCEPT" },
];

/** Every table above, as the tests run them. */
export const SAVE_FORM_CASES = [...PORT_MERGE_CASES, ...ANY_INTERFACE_CASES, ...OPTION_PREFIX_CASES];
