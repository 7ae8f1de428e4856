/**
 * REJECT's reply types as iptables reads `--reject-with` (libipt_REJECT,
 * libip6t_REJECT): per family, the first entry whose name or alias the word
 * is a case-insensitive prefix of, so `t` is tcp-reset and `icmp-h` is
 * icmp-host-unreachable. The printer prints the full name; the parser's
 * checks use it to see what a rule really asks for.
 */
export const REJECT_TYPES: Record<"ipv4" | "ipv6", readonly (readonly [string, string])[]> = {
  ipv4: [
    ["icmp-net-unreachable", "net-unreach"],
    ["icmp-host-unreachable", "host-unreach"],
    ["icmp-proto-unreachable", "proto-unreach"],
    ["icmp-port-unreachable", "port-unreach"],
    ["icmp-net-prohibited", "net-prohib"],
    ["icmp-host-prohibited", "host-prohib"],
    ["tcp-reset", "tcp-rst"],
    ["icmp-admin-prohibited", "admin-prohib"],
  ],
  ipv6: [
    ["icmp6-no-route", "no-route"],
    ["icmp6-adm-prohibited", "adm-prohibited"],
    ["icmp6-addr-unreachable", "addr-unreach"],
    ["icmp6-port-unreachable", "port-unreach"],
    ["tcp-reset", "tcp-reset"],
    ["icmp6-policy-fail", "policy-fail"],
    ["icmp6-reject-route", "reject-route"],
  ],
};

/** What iptables-save prints when a rule gave no `--reject-with`. */
export const DEFAULT_REJECT_TYPE: Readonly<Record<"ipv4" | "ipv6", string>> = { ipv4: "icmp-port-unreachable", ipv6: "icmp6-port-unreachable" };

/** The reply type a `--reject-with` word stands for, or null when it names none. */
export function rejectType(word: string, family: "ipv4" | "ipv6"): string | null {
  const w = word.toLowerCase(); // "" is a prefix of every name: the first, as in iptables
  return REJECT_TYPES[family].find(([name, alias]) => name.startsWith(w) || alias.startsWith(w))?.[0] ?? null;
}
