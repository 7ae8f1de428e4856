/**
 * `-s`/`-d` comma lists, which iptables turns into one rule per address (per
 * pair with both): each case's rules, and what iptables-save prints after
 * iptables-restore loaded them, or null when the tool refuses the input.
 * test/parser/address-lists.test.ts holds kipt to the table (its fmt prints
 * exactly these rules); test/oracle/address-lists-oracle.test.ts checks the
 * table with the real tool.
 */
export interface AddressListCase {
  readonly name: string;
  readonly rules: readonly string[];
  /** The filter table's rules as iptables-save prints them, or null: refused. */
  readonly saved: readonly string[] | null;
}

export const ADDRESS_LIST_CASES: readonly AddressListCase[] = [
  {
    name: "a source list and a destination list: one rule per pair, sources outer",
    rules: ["-A INPUT -s 10.0.0.0/8,192.168.0.0/16 -d 1.1.1.1,2.2.2.2 -p tcp --dport 22 -j ACCEPT"],
    saved: [
      "-A INPUT -s 10.0.0.0/8 -d 1.1.1.1/32 -p tcp -m tcp --dport 22 -j ACCEPT",
      "-A INPUT -s 10.0.0.0/8 -d 2.2.2.2/32 -p tcp -m tcp --dport 22 -j ACCEPT",
      "-A INPUT -s 192.168.0.0/16 -d 1.1.1.1/32 -p tcp -m tcp --dport 22 -j ACCEPT",
      "-A INPUT -s 192.168.0.0/16 -d 2.2.2.2/32 -p tcp -m tcp --dport 22 -j ACCEPT",
    ],
  },
  { name: "duplicates are kept", rules: ["-A INPUT -s 10.0.0.1,10.0.0.1 -j ACCEPT"], saved: ["-A INPUT -s 10.0.0.1/32 -j ACCEPT", "-A INPUT -s 10.0.0.1/32 -j ACCEPT"] },
  { name: "masks and prefixes", rules: ["-A INPUT -d 10.1.0.0/16,10.2.0.0/255.255.0.0 -j ACCEPT"], saved: ["-A INPUT -d 10.1.0.0/16 -j ACCEPT", "-A INPUT -d 10.2.0.0/16 -j ACCEPT"] },
  {
    name: "-I puts each address at the same number: they end up reversed",
    rules: ["-A INPUT -s 10.0.0.1 -j ACCEPT", "-A INPUT -s 10.0.0.2 -j ACCEPT", "-I INPUT 2 -s 10.0.0.8,10.0.0.9 -j DROP"],
    saved: ["-A INPUT -s 10.0.0.1/32 -j ACCEPT", "-A INPUT -s 10.0.0.9/32 -j DROP", "-A INPUT -s 10.0.0.8/32 -j DROP", "-A INPUT -s 10.0.0.2/32 -j ACCEPT"],
  },
  { name: "-D deletes the rule of each address", rules: ["-A INPUT -s 10.0.0.1 -j ACCEPT", "-A INPUT -s 10.0.0.2 -j ACCEPT", "-A INPUT -s 10.0.0.3 -j ACCEPT", "-D INPUT -s 10.0.0.1,10.0.0.2 -j ACCEPT"], saved: ["-A INPUT -s 10.0.0.3/32 -j ACCEPT"] },
  { name: "! with a list", rules: ["-A INPUT ! -s 10.0.0.0/8,192.168.0.0/16 -j ACCEPT"], saved: null },
  { name: "-R with a list", rules: ["-A INPUT -s 10.0.0.1 -j ACCEPT", "-R INPUT 1 -s 10.0.0.8,10.0.0.9 -j DROP"], saved: null },
  { name: "an empty address at the end", rules: ["-A INPUT -s 10.0.0.1, -j ACCEPT"], saved: null },
  { name: "an empty address at the start", rules: ["-A INPUT -s ,10.0.0.1 -j ACCEPT"], saved: null },
  { name: "an address of the other family", rules: ["-A INPUT -s 10.0.0.1/32,::1 -j ACCEPT"], saved: null },
];

export function listDump(c: AddressListCase): string {
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${c.rules.map((r) => `${r}\n`).join("")}COMMIT\n`;
}
