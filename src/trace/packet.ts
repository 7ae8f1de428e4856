/**
 * The packet a trace follows: what the user described (DEST, --src, ...)
 * and the state netfilter keeps for it while it walks the tables (marks,
 * NAT, conntrack state, the uncertainty collected so far).
 *
 * Packet states are immutable; every change makes a new one. `packetKey`
 * is the identity used to merge equal states.
 */
import ipaddr from "ipaddr.js";
import type { AddressFamily, RuleNode } from "../ast/types.js";
import type { Ruleset } from "../model/load.js";
import { parsedAddress } from "../net/parsed-address.js";
import { parseIPv4 } from "../parser/values.js";
import { FACT_OPEN, factsKey, NO_FACTS, type Facts } from "./facts.js";

export type Protocol = "tcp" | "udp" | "sctp" | "icmp" | "icmpv6";
export const PROTOCOL_NUMBERS: Readonly<Record<Protocol, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };
export type Origin = "external" | "local";
export const CT_STATES = ["NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"] as const;
export type CtState = (typeof CT_STATES)[number];

/** What the user asked to trace. */
export interface PacketSpec {
  readonly dst: string;
  readonly dport: number | null;
  readonly proto: Protocol;
  /** Null: pick an address outside every source range the rules mention (a node address for a local packet). */
  readonly src: string | null;
  readonly sport: number | null;
  readonly from: Origin;
  readonly inIface: string | null;
  readonly outIface: string | null;
  readonly nodeIps: readonly string[];
  readonly mark: number;
  readonly ctstate: CtState;
}

/** The packet and its netfilter state at one point of the walk. */
export interface PacketState {
  readonly family: AddressFamily;
  readonly proto: Protocol;
  readonly src: string;
  readonly sport: number | null;
  readonly dst: string;
  readonly dport: number | null;
  /** Destination before any DNAT (conntrack's original tuple). */
  readonly origDst: string;
  readonly origDport: number | null;
  readonly inIface: string | null;
  readonly outIface: string | null;
  readonly mark: number;
  readonly ctmark: number;
  readonly ctstate: CtState;
  /** `--to-source` of the SNAT that applied, or null. */
  readonly snat: string | null;
  readonly masquerade: boolean;
  /** `recent` lists assumed to hold the packet's addresses (`--recent-hit`; `*` for all), sorted. */
  readonly recent: readonly string[];
  /** What this walk recorded in `recent` lists (`--set`, a matching `--update`), sorted by list and address. */
  readonly recentHits: readonly RecentHits[];
  /** Why the result on this path cannot be known for sure, sorted. */
  readonly uncertain: readonly string[];
  /** What this path assumed about facts the packet leaves open (src/trace/facts.ts): kept so it is assumed once. */
  readonly facts: Facts;
}

/** The hits one `recent` list holds for one (masked) address. */
export interface RecentHits {
  readonly list: string;
  readonly address: string;
  readonly hits: number;
}

const keys = new WeakMap<PacketState, string>();

/** Identity of a packet state: equal keys walk the rules identically. */
export function packetKey(p: PacketState): string {
  let k = keys.get(p);
  if (k === undefined) {
    k = [
      p.proto, p.src, p.sport, p.dst, p.dport, p.origDst, p.origDport, p.inIface, p.outIface, p.mark, p.ctmark,
      p.ctstate, p.snat, p.masquerade, p.recent.join(","), p.recentHits.map((h) => `${h.list}\u0000${h.address}\u0000${h.hits}`).join("\u0001"),
      p.uncertain.join("\u0001"), factsKey(p.facts),
    ].join("|");
    keys.set(p, k);
  }
  return k;
}

export function withChanges(p: PacketState, changes: Partial<PacketState>): PacketState {
  return { ...p, ...changes };
}

/**
 * The packet after a reroute (the OUTPUT path re-routes a packet whose
 * destination a nat OUTPUT DNAT or whose mark mangle OUTPUT changed): an
 * out-interface the walk assumed was the old route's. One the user gave
 * (--out-iface) is kept, as everywhere.
 */
export function forgetAssumedOutIface(p: PacketState): PacketState {
  const f = p.facts.outIface;
  if (f === null) return p;
  // The line that said what was assumed stays (the path did assume it), marked as the old route's.
  const line = `${FACT_OPEN.outIface}; assumed `;
  const uncertain = [...new Set(p.uncertain.map((u) => (u.startsWith(line) ? `${FACT_OPEN.outIface} (before the packet was routed again); ${u.slice(FACT_OPEN.outIface.length + 2)}` : u)))].sort();
  return { ...p, outIface: f.fixed ? null : p.outIface, facts: { ...p.facts, outIface: null }, uncertain };
}

/** The packet with the line that says what is assumed of a fact (`open`: why it is open) set to `note`. */
export function withFactNote(p: PacketState, open: string, note: string): PacketState {
  const line = `${open}; `;
  return { ...p, uncertain: [...p.uncertain.filter((u) => !u.startsWith(line + "assumed ")), line + note].sort() };
}

/** Add uncertainty reasons (kept sorted and unique so equal states merge). */
export function withUncertain(p: PacketState, reasons: readonly string[]): PacketState {
  if (reasons.length === 0) return p;
  const all = [...new Set([...p.uncertain, ...reasons])].sort();
  if (all.length === p.uncertain.length) return p;
  return { ...p, uncertain: all };
}

/** Canonical text of an address, or null when it is not one. */
export function canonicalIp(text: string): string | null {
  if (!ipaddr.isValid(text)) return null;
  // ipaddr accepts "1" or "010.1" in its lenient IPv4 forms; require dotted quads.
  if (text.includes(".") && !text.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  if (!text.includes(".") && !text.includes(":")) return null;
  return ipaddr.parse(text).toString();
}

export function familyOf(ip: string): AddressFamily {
  return ip.includes(":") ? "ipv6" : "ipv4";
}

export class DestError extends Error {}

/** Parse `IP:port`, `[IPv6]:port` or a bare IP. Throws DestError with a one-line message. */
export function parseDest(text: string): { ip: string; port: number | null } {
  let host = text;
  let portText: string | null = null;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2] ?? null;
    if (!host.includes(":")) throw new DestError(`'${text}': brackets are for IPv6 addresses`);
  } else if ((text.match(/:/g) ?? []).length === 1) {
    [host, portText] = text.split(":") as [string, string];
  }
  const ip = canonicalIp(host);
  if (!ip) throw new DestError(`'${text}' is not IP:port, [IPv6]:port or an IP address`);
  const port = portText === null ? null : parsePort(portText, `port in '${text}'`);
  return { ip, port };
}

/**
 * `fd00::1:80` is an IPv6 address whose last group is 80, which may be meant
 * as `[fd00::1]:80`: the hint to print when the text before the last colon
 * is an address too, or null. (`::1` and `fe80::1` are not: `:` and `fe80:`
 * are no addresses.)
 */
export function unbracketedPortHint(text: string): string | null {
  const m = /^(.+):(\d{1,5})$/.exec(text);
  if (!m || text.startsWith("[") || (text.match(/:/g) ?? []).length < 2) return null;
  const host = canonicalIp(m[1]!);
  if (host === null || familyOf(host) !== "ipv6") return null;
  return `'${text}' is read as the IPv6 address ${canonicalIp(text)}, with no port; for port ${m[2]} of ${host} write '[${host}]:${m[2]}'`;
}

const FAMILY_TEXT: Readonly<Record<AddressFamily, string>> = { ipv4: "IPv4", ipv6: "IPv6" };

/** Why the packet cannot be one of the dump's: DEST or a --node-ip of the other family (null when the dump's family is not known). */
export function familyMismatch(spec: PacketSpec, family: AddressFamily | null): string | null {
  if (family === null) return null;
  const dump = family === "ipv4" ? "IPv4 (iptables-save)" : "IPv6 (ip6tables-save)";
  if (familyOf(spec.dst) !== family) return `DEST ${spec.dst} is ${FAMILY_TEXT[familyOf(spec.dst)]} but the dump is ${dump}`;
  const node = spec.nodeIps.find((ip) => familyOf(ip) !== family);
  if (node !== undefined) return `--node-ip ${node} is ${FAMILY_TEXT[familyOf(node)]} but the dump is ${dump}`;
  return null;
}

export function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new DestError(`${what}: '${text}' is not a port (0-65535)`);
  return Number(text);
}

export function isLoopback(ip: string): boolean {
  const a = ipaddr.parse(ip);
  return a.range() === "loopback";
}

/** Whether `ip` lies in `network/prefix` (false across families). */
export function inNetwork(ip: string, network: string, prefix: number): boolean {
  if (prefix === 0) return familyOf(ip) === familyOf(network);
  const a = parsedAddress(ip);
  const n = parsedAddress(network);
  if (a === null || n === null || a.kind() !== n.kind()) return false;
  return (a as ipaddr.IPv4).match(n as ipaddr.IPv4, prefix);
}

function toBigInt(ip: string): bigint {
  const bytes = ipaddr.parse(ip).toByteArray();
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Whether `ip` lies in the inclusive range `from`-`to` (false across families). */
export function inRange(ip: string, from: string, to: string): boolean {
  if (familyOf(ip) !== familyOf(from)) return false;
  try {
    const v = toBigInt(ip);
    return toBigInt(from) <= v && v <= toBigInt(to);
  } catch {
    return false;
  }
}

/**
 * Per loaded ruleset and family: a loaded model answers many queries
 * (`kipt trace` with several destinations, the library API), and collecting
 * the ranges scans every rule, which cost more than the trace itself.
 */
const rangesByRuleset = new WeakMap<Ruleset, Map<AddressFamily, [bigint, bigint][]>>();

function sourceRanges(ruleset: Ruleset, family: AddressFamily): [bigint, bigint][] {
  let byFamily = rangesByRuleset.get(ruleset);
  if (!byFamily) rangesByRuleset.set(ruleset, (byFamily = new Map()));
  let ranges = byFamily.get(family);
  if (!ranges) byFamily.set(family, (ranges = collectSourceRanges(ruleset, family)));
  return ranges;
}

/** Where source candidates come from: documentation and shared ranges, which no real rule is likely to name. */
const V4_CANDIDATE_BASES = ["203.0.113.", "198.51.100.", "192.0.2.", "100.64.0.", "172.31.255."];

/**
 * The /24 blocks (IPv4) the source candidates come from, as numbers: a rule's
 * source range matters to the choice of a source only where it meets one.
 */
const CANDIDATE_BLOCKS_V4: readonly (readonly [number, number])[] = V4_CANDIDATE_BASES.map((b) => {
  const lo = parseIPv4(`${b}0`)!;
  return [lo, lo + 255] as const;
});

/**
 * Source ranges the rules mention (`-s`, `--src-range`, `--ctorigsrc`), as
 * inclusive [low, high] numbers of one family: only the IPv4 ranges that meet
 * a candidate block (sourceCandidates), since only those can rule a candidate
 * out. Checking that with 32-bit numbers first kept a 10,000-service dump's
 * 60,000 sources (pod CIDRs, endpoints) from costing a BigInt and a string
 * each, which was a tenth of `kipt trace`.
 */
function collectSourceRanges(ruleset: Ruleset, family: AddressFamily): [bigint, bigint][] {
  const seen = new Set<string>();
  const ranges: [bigint, bigint][] = [];
  const bits = family === "ipv4" ? 32n : 128n;
  const addNet = (address: string, prefix: number) => {
    if (family === "ipv4") {
      const v = parseIPv4(address);
      if (v === null) return;
      const size = 2 ** (32 - prefix);
      const lo = v - (v % size);
      const hi = lo + size - 1;
      if (!CANDIDATE_BLOCKS_V4.some(([blo, bhi]) => lo <= bhi && hi >= blo)) return;
    }
    const key = `${address}/${prefix}`;
    if (seen.has(key) || familyOf(address) !== family) return;
    seen.add(key);
    try {
      const host = (1n << (bits - BigInt(prefix))) - 1n;
      const lo = toBigInt(address) & ~host;
      ranges.push([lo, lo | host]);
    } catch {
      /* not an address */
    }
  };
  for (const t of ruleset.tables)
    for (const c of t.chains)
      for (const r of c.rules) {
        const src = r.source?.value;
        if (src && src.prefixLength > 0) addNet(src.address, src.prefixLength);
        for (const m of r.matches)
          for (const o of m.options) {
            const v = o.values[0];
            if (!v) continue;
            if (o.name === "--src-range" && v.type === "ipRange" && v.family === family) {
              try {
                ranges.push([toBigInt(v.from), toBigInt(v.to)]);
              } catch {
                /* not an address */
              }
            }
            if ((o.name === "--ctorigsrc" || o.name === "--ctreplsrc") && v.type === "address") addNet(v.address, v.prefixLength);
          }
      }
  return ranges;
}

/** An address of `family` that no source range in the rules contains (documentation ranges first). */
export function pickSource(ruleset: Ruleset, family: AddressFamily, avoid: readonly string[] = []): string {
  const free = freeSources(ruleset, family);
  for (const ip of free) if (!avoid.includes(ip)) return ip;
  // The kept ones are all to be avoided (a long --node-ip list): look further.
  const ranges = sourceRanges(ruleset, family);
  const candidates = sourceCandidates(family);
  for (const ip of candidates) {
    if (avoid.includes(ip)) continue;
    const v = toBigInt(ip);
    if (!ranges.some(([lo, hi]) => lo <= v && v <= hi)) return ip;
  }
  return candidates[0]!;
}

const candidateLists = new Map<AddressFamily, string[]>();

/** Documentation and shared ranges first: addresses no real rule is likely to name. */
function sourceCandidates(family: AddressFamily): string[] {
  let list = candidateLists.get(family);
  if (list) return list;
  list = [];
  if (family === "ipv4") {
    for (const base of V4_CANDIDATE_BASES)
      for (let i = 1; i < 255; i += 1) list.push(base + i);
  } else {
    for (const base of ["2001:db8:ffff::", "2001:db8::", "3fff::", "2001:db8:1234::"]) for (let i = 1; i < 255; i++) list.push(base + i.toString(16));
  }
  candidateLists.set(family, list);
  return list;
}

/** How many unnamed candidates to keep: more than any `avoid` list (the destination and the node's IPs). */
const FREE_KEPT = 64;
const freeByRuleset = new WeakMap<Ruleset, Map<AddressFamily, string[]>>();

/** The first candidates no rule's source names, per ruleset (see sourceRanges). */
function freeSources(ruleset: Ruleset, family: AddressFamily): string[] {
  let byFamily = freeByRuleset.get(ruleset);
  if (!byFamily) freeByRuleset.set(ruleset, (byFamily = new Map()));
  let free = byFamily.get(family);
  if (free) return free;
  const ranges = sourceRanges(ruleset, family);
  free = [];
  for (const ip of sourceCandidates(family)) {
    const v = toBigInt(ip);
    if (!ranges.some(([lo, hi]) => lo <= v && v <= hi)) free.push(ip);
    if (free.length >= FREE_KEPT) break;
  }
  byFamily.set(family, free);
  return free;
}

/**
 * Where a locally generated packet comes from when --src is not given: the
 * source the kernel's route lookup picks. Loopback for a loopback
 * destination (the local route to 127.0.0.0/8 has source 127.0.0.1; ::1
 * talks to itself); else the node's address towards the destination, which
 * trace knows only as the first --node-ip of the family. Without one, an
 * address no rule names stands for it, and nodeAddresses counts it as the
 * node's own.
 */
function localSource(spec: PacketSpec, ruleset: Ruleset, family: AddressFamily): string {
  if (isLoopback(spec.dst)) return family === "ipv6" ? "::1" : "127.0.0.1";
  return spec.nodeIps.find((ip) => familyOf(ip) === family) ?? pickSource(ruleset, family, [spec.dst, ...spec.nodeIps]);
}

/**
 * The addresses the trace counts as the node's (addrtype LOCAL, the routing
 * decision, `-o lo`), loopback aside: --node-ip, and the source picked for a
 * locally generated packet when none of them could be its source.
 */
export function nodeAddresses(spec: PacketSpec, start: PacketState): readonly string[] {
  if (spec.from !== "local" || spec.src !== null || isLoopback(start.src) || spec.nodeIps.includes(start.src)) return spec.nodeIps;
  return [...spec.nodeIps, start.src];
}

/** The first packet state from what the user asked. */
export function initialState(spec: PacketSpec, ruleset: Ruleset, assumeRecent: readonly string[] = []): PacketState {
  const family = familyOf(spec.dst);
  const src = spec.src ?? (spec.from === "local" ? localSource(spec, ruleset, family) : pickSource(ruleset, family, [spec.dst, ...spec.nodeIps]));
  const ported = spec.proto === "tcp" || spec.proto === "udp" || spec.proto === "sctp";
  const proto: Protocol = spec.proto === "icmp" && family === "ipv6" ? "icmpv6" : spec.proto;
  return {
    family,
    proto,
    src,
    sport: ported ? (spec.sport ?? 43210) : null,
    dst: spec.dst,
    dport: ported ? spec.dport : null,
    origDst: spec.dst,
    origDport: ported ? spec.dport : null,
    inIface: spec.from === "local" ? null : spec.inIface,
    outIface: spec.outIface,
    mark: spec.mark >>> 0,
    ctmark: 0,
    ctstate: spec.ctstate,
    snat: null,
    masquerade: false,
    recent: [...new Set(assumeRecent)].sort(),
    recentHits: [],
    uncertain: [],
    facts: NO_FACTS,
  };
}

/** `ip:port`, `[v6]:port`, or the bare IP. */
export function endpoint(ip: string, port: number | null): string {
  if (port === null) return ip;
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}
