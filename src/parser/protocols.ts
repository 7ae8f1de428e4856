/**
 * Protocol names and numbers for `-p`. iptables-save prints the names of
 * the protocols it knows built in (tcp, udp, icmp, ...) and looks others up
 * in /etc/protocols; kipt uses IANA's names for the common ones.
 */
const BY_NAME: Record<string, number> = {
  all: 0, icmp: 1, igmp: 2, ipencap: 4, tcp: 6, egp: 8, igp: 9, udp: 17, dccp: 33, ipv6: 41, "ipv6-route": 43,
  "ipv6-frag": 44, rsvp: 46, gre: 47, esp: 50, ah: 51, "ipv6-icmp": 58, icmpv6: 58, "ipv6-nonxt": 59,
  "ipv6-opts": 60, ospf: 89, ipip: 94, etherip: 97, encap: 98, pim: 103, ipcomp: 108, vrrp: 112, l2tp: 115,
  sctp: 132, "mobility-header": 135, mh: 135, "ipv6-mh": 135, udplite: 136, mpls: 137,
};

const BY_NUMBER = new Map<number, string>();
for (const [name, number] of Object.entries(BY_NAME)) if (!BY_NUMBER.has(number)) BY_NUMBER.set(number, name);
BY_NUMBER.set(58, "ipv6-icmp");
// iptables-save names protocols by /etc/protocols: `-p mh` prints as `-p mobility-header` (checked on 1.8.9).
BY_NUMBER.set(135, "mobility-header");

/** Number of a protocol given by name or number, or null when unknown. */
export function protocolNumber(text: string): number | null {
  const lower = text.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(BY_NAME, lower)) return BY_NAME[lower]!;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return Number(text);
  return null;
}

/** Name iptables-save prints for a protocol number (falls back to the number). */
export function protocolName(number: number): string {
  return BY_NUMBER.get(number) ?? String(number);
}
