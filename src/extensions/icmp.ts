/**
 * ICMP and ICMPv6 types as iptables 1.8.9 reads `--icmp-type` and
 * `--icmpv6-type` (libxt_icmp, libip6t_icmp6): a case-insensitive prefix of
 * exactly one name of its table (`ech` is ambiguous: echo-reply or
 * echo-request), else `type[:type][/code[:code]]` with numbers 0-255 in C's
 * base 0 (a type range must be one type). The parser refuses what the tool
 * refuses (rule-checks.ts) and the printer prints what the tool prints
 * (format/rewrites); test/parser/icmp-type.cases.ts holds cases checked with
 * the tool.
 */
import { strtoulBase0 } from "../parser/values.js";

/** A number as C's strtoul reads it here: leading blanks and a `+` allowed (checked with the tool: `+8`, `8/ 1`). */
function number(text: string): number | null {
  return strtoulBase0(text.replace(/^\s*\+?/, ""));
}

export interface IcmpType {
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
}

interface IcmpName extends IcmpType {
  readonly name: string;
}

function icmpNames(rows: readonly (readonly [string, number, number?])[]): IcmpName[] {
  return rows.map(([name, type, code]) => ({ name, type, codeMin: code ?? 0, codeMax: code ?? 0xff }));
}

/**
 * iptables 1.8.9's ICMP and ICMPv6 type names, in their order (matched by
 * case-insensitive prefix; several matches is an error). 1.8.9 has no
 * `mld-listener-*` names yet (1.8.10 added them) and rejects them.
 */
const ICMP_NAMES = icmpNames([
  ["any", 0xff], ["echo-reply", 0], ["pong", 0], ["destination-unreachable", 3], ["network-unreachable", 3, 0],
  ["host-unreachable", 3, 1], ["protocol-unreachable", 3, 2], ["port-unreachable", 3, 3], ["fragmentation-needed", 3, 4],
  ["source-route-failed", 3, 5], ["network-unknown", 3, 6], ["host-unknown", 3, 7], ["network-prohibited", 3, 9],
  ["host-prohibited", 3, 10], ["TOS-network-unreachable", 3, 11], ["TOS-host-unreachable", 3, 12],
  ["communication-prohibited", 3, 13], ["host-precedence-violation", 3, 14], ["precedence-cutoff", 3, 15],
  ["source-quench", 4], ["redirect", 5], ["network-redirect", 5, 0], ["host-redirect", 5, 1],
  ["TOS-network-redirect", 5, 2], ["TOS-host-redirect", 5, 3], ["echo-request", 8], ["ping", 8],
  ["router-advertisement", 9], ["router-solicitation", 10], ["time-exceeded", 11], ["ttl-exceeded", 11],
  ["ttl-zero-during-transit", 11, 0], ["ttl-zero-during-reassembly", 11, 1], ["parameter-problem", 12],
  ["ip-header-bad", 12, 0], ["required-option-missing", 12, 1], ["timestamp-request", 13], ["timestamp-reply", 14],
  ["address-mask-request", 17], ["address-mask-reply", 18],
]);

const ICMPV6_NAMES = icmpNames([
  ["destination-unreachable", 1], ["no-route", 1, 0], ["communication-prohibited", 1, 1], ["beyond-scope", 1, 2],
  ["address-unreachable", 1, 3], ["port-unreachable", 1, 4], ["failed-policy", 1, 5], ["reject-route", 1, 6],
  ["packet-too-big", 2], ["time-exceeded", 3], ["ttl-exceeded", 3], ["ttl-zero-during-transit", 3, 0],
  ["ttl-zero-during-reassembly", 3, 1], ["parameter-problem", 4], ["bad-header", 4, 0], ["unknown-header-type", 4, 1],
  ["unknown-option", 4, 2], ["echo-request", 128], ["ping", 128], ["echo-reply", 129], ["pong", 129],
  ["router-solicitation", 133], ["router-advertisement", 134], ["neighbour-solicitation", 135],
  ["neighbor-solicitation", 135], ["neighbour-advertisement", 136], ["neighbor-advertisement", 136], ["redirect", 137],
]);

/**
 * What iptables makes of a `--icmp-type` (`v6` false) or `--icmpv6-type`
 * argument, or why it refuses it, in the tool's words.
 */
export function readIcmpType(text: string, v6: boolean): IcmpType | { readonly error: string } {
  const what = v6 ? "ICMPv6" : "ICMP";
  const lower = text.toLowerCase();
  const byName = (v6 ? ICMPV6_NAMES : ICMP_NAMES).filter((n) => n.name.toLowerCase().startsWith(lower));
  if (byName.length > 1) return { error: `Ambiguous ${what} type \`${text}': \`${byName[0]!.name}' or \`${byName[1]!.name}'?` };
  if (byName.length === 1) return byName[0]!;
  const m = /^\s*([^/:]+)(?::([^/]+))?(?:\/([^:]+)(?::(.+))?)?$/.exec(text);
  const type = m ? number(m[1]!) : null;
  if (!m || type === null || type > 255) return { error: `Unknown ${what} type \`${text}'` };
  if (m[2] !== undefined && number(m[2]) !== type) return { error: `${what} type range not supported` };
  if (m[3] === undefined) return { type, codeMin: 0, codeMax: 0xff };
  const codeMin = number(m[3]);
  const codeMax = m[4] === undefined ? codeMin : number(m[4]);
  if (codeMin === null || codeMax === null || codeMin > 255 || codeMax > 255) return { error: `Unknown ${what} code \`${text}'` };
  return { type, codeMin, codeMax };
}
