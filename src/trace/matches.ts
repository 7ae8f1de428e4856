/**
 * Match evaluators: one small function per match extension, keyed by name.
 *
 * Each returns `true`/`false` when the dump decides it, a Fraction for a
 * match that holds with a known probability (statistic), `{ unknown }`
 * with the reason when the dump cannot tell (ipsets, rate limits, ...), or
 * an Assume when it turns on a fact of the packet the user left open and
 * the path has not assumed yet (an interface, the port of a bare-IP DEST:
 * src/trace/facts.ts), for the engine to follow both ways, each keeping
 * what it assumed.
 */
import ipaddr from "ipaddr.js";
import type { MatchNode, OptionNode, RuleNode, Value } from "../ast/types.js";
import { readIcmpType } from "../extensions/icmp.js";
import { kernelProbability } from "../extensions/statistic.js";
import { Fraction } from "../math/fraction.js";
import { parsedAddress } from "../net/parsed-address.js";
import {
  assumeIface,
  enumAssumption,
  ifaceAssumption,
  FACT_OPEN,
  ifaceMatches,
  portAssumption,
  portSet,
  portsMatch,
  type PortRanges,
} from "./facts.js";
import { ALL_PORTS, intersectPorts, singlePort, subtractPorts } from "../net/port-set.js";
import { inNetwork, inRange, isLoopback, PROTOCOL_NUMBERS, withFactNote, type PacketState } from "./packet.js";

export interface Unknown {
  readonly unknown: string;
}

/**
 * A match on a fact the packet leaves open and the path has not decided
 * (src/trace/facts.ts): the packet with the fact assumed such that the
 * match holds, and such that it fails (each with what was assumed in its
 * `uncertain` list). Evaluated again on either, the match is decided.
 */
export interface Assume {
  readonly hold: (p: PacketState) => PacketState;
  readonly fail: (p: PacketState) => PacketState;
}
export type MatchOutcome = boolean | Fraction | Unknown | Assume;

export interface MatchContext {
  readonly packet: PacketState;
  /** Addresses `addrtype LOCAL` holds for besides loopback. */
  readonly nodeIps: readonly string[];
  /** The built-in chain (hook) the packet is in: PREROUTING, INPUT, ... */
  readonly hook: string;
}

export type MatchEvaluator = (match: MatchNode, ctx: MatchContext) => MatchOutcome;

export const isUnknown = (o: MatchOutcome): o is Unknown => typeof o === "object" && "unknown" in o;
export const isAssume = (o: MatchOutcome): o is Assume => typeof o === "object" && "hold" in o;
const unknown = (reason: string): Unknown => ({ unknown: reason });

/** Combine a negatable option's raw result. */
function neg(o: OptionNode, result: boolean): boolean {
  return o.negated ? !result : result;
}

/** An assumption for `! option`: holding is the fact failing. */
function negAssume(negated: boolean, a: Assume): Assume {
  return negated ? { hold: a.fail, fail: a.hold } : a;
}

const hasPorts = (p: PacketState): boolean => p.proto === "tcp" || p.proto === "udp" || p.proto === "sctp";

const NO_PORT = FACT_OPEN.dport;

/** The packet with its original destination port assumed in `ports` (`holds`) or not. */
function assumePort(p: PacketState, ports: PortRanges, holds: boolean): PacketState {
  const known = p.facts.dport ?? ALL_PORTS;
  const left = holds ? intersectPorts(known, ports) : subtractPorts(known, ports);
  const one = singlePort(left);
  // Without a port-changing DNAT the packet's port is the original one (both unknown till now).
  const q: PacketState =
    one === null ? { ...p, facts: { ...p.facts, dport: left } } : { ...p, origDport: one, dport: p.dport ?? one, facts: { ...p.facts, dport: null } };
  return withFactNote(q, NO_PORT, portAssumption(left));
}

/** The ports a port value names, or null. */
function valuePorts(v: Value | undefined): PortRanges | null {
  if (!v) return null;
  if (v.type === "portRange") return portSet([v]);
  if (v.type === "portList") return portSet(v.ranges);
  if (v.type === "integer") return portSet([{ first: v.value, last: v.value }]);
  return null;
}

/**
 * A destination port option against the packet: `current` for the port
 * the packet has now (`--dport`, after any DNAT), else its original one
 * (`--ctorigdstport`). Unknown only for a bare-IP DEST: decided by what the
 * path assumed about it when that decides it, else an assumption.
 */
function dportTest(p: PacketState, current: boolean, v: Value | undefined, o: OptionNode): boolean | null | Unknown | Assume {
  const port = current ? p.dport : p.origDport;
  if (port !== null) return bool(portIn(port, v), o);
  // A packet without ports (icmp) has none to assume.
  if (!hasPorts(p)) return null;
  const ports = valuePorts(v);
  if (ports === null) return unknown(NO_PORT);
  const r = portsMatch(p.facts.dport, ports);
  if (r !== null) return neg(o, r);
  return negAssume(o.negated, { hold: (q) => assumePort(q, ports, true), fail: (q) => assumePort(q, ports, false) });
}

function portIn(port: number | null, v: Value | undefined): boolean | null {
  if (port === null || !v) return null;
  if (v.type === "portRange") return v.first <= port && port <= v.last;
  if (v.type === "portList") return v.ranges.some((r) => r.first <= port && port <= r.last);
  if (v.type === "integer") return v.value === port;
  return null;
}

function addressIn(ip: string, v: Value | undefined): boolean | null {
  if (!v) return null;
  if (v.type === "address") return inNetwork(ip, v.address, v.prefixLength);
  if (v.type === "ipRange") return inRange(ip, v.from, v.to);
  return null;
}

/**
 * AND of option tests; an option that cannot be decided makes the whole
 * match unknown (unless another is false). An option on an open fact comes
 * first: once it is assumed, the match is evaluated again.
 */
function all(match: MatchNode, test: (o: OptionNode) => boolean | null | Unknown | Assume): MatchOutcome {
  let why: string | null = null;
  let assume: Assume | null = null;
  for (const o of match.options) {
    const r = test(o);
    if (r === false) return false;
    if (r === null) why ??= `-m ${match.name} ${o.name} cannot be decided for this packet`;
    else if (typeof r === "object") {
      if ("hold" in r) assume ??= r;
      else why ??= r.unknown;
    }
  }
  return assume ?? (why === null ? true : unknown(why));
}

export function isLocalAddress(ip: string, nodeIps: readonly string[]): boolean {
  return isLoopback(ip) || nodeIps.includes(ip);
}

/** `addrtype` types of an address, as far as the dump and the node IPs tell. */
function addrTypeHolds(type: string, ip: string, nodeIps: readonly string[]): boolean | null {
  const local = isLocalAddress(ip, nodeIps);
  const multicast = ip.includes(":") ? inNetwork(ip, "ff00::", 8) : inNetwork(ip, "224.0.0.0", 4);
  const broadcast = ip === "255.255.255.255";
  switch (type) {
    case "LOCAL":
      return local;
    case "MULTICAST":
      return multicast;
    case "BROADCAST":
      return broadcast; // a subnet broadcast address would need the interfaces' prefixes
    case "UNICAST":
      return !multicast && !broadcast;
    case "UNSPEC":
      return ip === "0.0.0.0" || ip === "::";
    default:
      return null; // ANYCAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE: routing-table facts
  }
}

function ports(p: PacketState, proto: string) {
  return (o: OptionNode): boolean | null | Unknown | Assume => {
    switch (o.name) {
      case "--sport":
      case "--source-port": {
        const r = portIn(p.sport, o.values[0]);
        return r === null ? unknown(`no source port for ${proto}`) : neg(o, r);
      }
      case "--dport":
      case "--destination-port":
        return dportTest(p, true, o.values[0], o);
      default:
        return null;
    }
  };
}

const TCP_FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128, ALL: 255, NONE: 0 };
function tcpFlags(v: Value | undefined): number | null {
  if (!v || v.type !== "flags") return null;
  let bits = 0;
  for (const f of v.flags) {
    const name = f.toUpperCase();
    const b = Object.prototype.hasOwnProperty.call(TCP_FLAG_BITS, name) ? TCP_FLAG_BITS[name] : undefined;
    if (b === undefined) return null;
    bits |= b;
  }
  return bits;
}

function icmpType(o: OptionNode, v6: boolean): boolean | null | Unknown {
  const text = o.values[0]?.text;
  if (!text) return null;
  // Read as iptables reads it (names by unique prefix, numbers, type/code): extensions/icmp.ts.
  const read = readIcmpType(text, v6);
  if ("error" in read) return unknown(`unknown ICMP type '${text}'`);
  // The traced ICMP packet is an echo request, code 0. The kernel's IPv4 icmp match takes type 255 ('any') for every type.
  const ours = v6 ? 128 : 8;
  const r = (!v6 && read.type === 0xff) || (read.type === ours && read.codeMin <= 0 && read.codeMax >= 0);
  return neg(o, r);
}

function markMatch(mark: number, o: OptionNode): boolean | null {
  const v = o.values[0];
  if (!v || v.type !== "mark") return null;
  return neg(o, ((mark & v.mask) >>> 0) === (v.value >>> 0));
}


const CT_VIRTUAL = new Set(["SNAT", "DNAT"]);

function ctStateHolds(p: PacketState, flags: readonly string[]): boolean {
  const dnatted = p.dst !== p.origDst || p.dport !== p.origDport;
  for (const f of flags) {
    if (f === p.ctstate) return true;
    if (CT_VIRTUAL.has(f) && ((f === "DNAT" && dnatted) || (f === "SNAT" && (p.snat !== null || p.masquerade)))) return true;
  }
  return false;
}

const protoNumber = (p: PacketState) => PROTOCOL_NUMBERS[p.proto];

export const MATCHES: Readonly<Record<string, MatchEvaluator>> = {
  comment: () => true,
  nfacct: () => true,
  tcp: (m, { packet: p }) => {
    if (p.proto !== "tcp") return false;
    const flagsOnWire = p.ctstate === "NEW" ? TCP_FLAG_BITS.SYN! : TCP_FLAG_BITS.ACK!;
    const portTest = ports(p, "tcp");
    return all(m, (o) => {
      if (o.name === "--tcp-flags") {
        const mask = tcpFlags(o.values[0]);
        const comp = tcpFlags(o.values[1]);
        if (mask === null || comp === null) return null;
        return neg(o, (flagsOnWire & mask) === comp);
      }
      if (o.name === "--syn") return neg(o, (flagsOnWire & 0x17) === 0x02);
      if (o.name === "--tcp-option") return unknown("TCP options are not part of the traced packet");
      return portTest(o);
    });
  },
  udp: (m, { packet: p }) => (p.proto !== "udp" ? false : all(m, ports(p, "udp"))),
  udplite: () => false,
  sctp: (m, { packet: p }) => {
    if (p.proto !== "sctp") return false;
    const portTest = ports(p, "sctp");
    return all(m, (o) => (o.name === "--chunk-types" ? unknown("SCTP chunk types are not part of the traced packet") : portTest(o)));
  },
  icmp: (m, { packet: p }) => (p.proto !== "icmp" ? false : all(m, (o) => (o.name === "--icmp-type" ? icmpType(o, false) : null))),
  icmp6: (m, { packet: p }) => (p.proto !== "icmpv6" ? false : all(m, (o) => (o.name === "--icmpv6-type" ? icmpType(o, true) : null))),
  multiport: (m, { packet: p }) => {
    if (p.proto !== "tcp" && p.proto !== "udp" && p.proto !== "sctp") return false;
    return all(m, (o) => {
      const v = o.values[0];
      if (o.name === "--dports" || o.name === "--destination-ports") return dportTest(p, true, v, o);
      if (o.name === "--sports" || o.name === "--source-ports") {
        const r = portIn(p.sport, v);
        return r === null ? null : neg(o, r);
      }
      if (o.name === "--ports") {
        const a = portIn(p.dport, v);
        const b = portIn(p.sport, v);
        if (a === true || b === true) return neg(o, true);
        // The source port is not in the list: it is up to the destination port.
        if (a === null && b === false) return dportTest(p, true, v, o);
        if (a === null || b === null) return unknown(NO_PORT);
        return neg(o, false);
      }
      return null;
    });
  },
  addrtype: (m, { packet: p, nodeIps, hook }) =>
    all(m, (o) => {
      if (o.name === "--limit-iface-in" || o.name === "--limit-iface-out") return unknown(`addrtype ${o.name} depends on the interfaces' addresses`);
      const ip = o.name === "--src-type" ? p.src : o.name === "--dst-type" ? p.dst : null;
      const v = o.values[0];
      if (ip === null || !v || v.type !== "flags") return null;
      let any = false;
      for (const f of v.flags) {
        const r = addrTypeHolds(f.toUpperCase(), ip, nodeIps);
        if (r === null) return unknown(`addrtype ${f} of ${ip} depends on the node's routing table`);
        any ||= r;
      }
      void hook;
      return neg(o, any);
    }),
  mark: (m, { packet: p }) => all(m, (o) => (o.name === "--mark" ? markMatch(p.mark, o) : null)),
  connmark: (m, { packet: p }) => all(m, (o) => (o.name === "--mark" ? markMatch(p.ctmark, o) : null)),
  conntrack: (m, { packet: p }) =>
    all(m, (o) => {
      const v = o.values[0];
      switch (o.name) {
        case "--ctstate":
          return v?.type === "flags" ? neg(o, ctStateHolds(p, v.flags)) : null;
        case "--ctproto": {
          const t = v?.text.toLowerCase();
          if (!t) return null;
          return neg(o, t === p.proto || t === "all" || t === "0" || Number(t) === protoNumber(p));
        }
        case "--ctorigsrc":
          return bool(addressIn(p.src, v), o);
        case "--ctorigdst":
          return bool(addressIn(p.origDst, v), o);
        case "--ctreplsrc":
          return bool(addressIn(p.dst, v), o);
        case "--ctrepldst":
          return p.snat !== null || p.masquerade ? unknown("the reply destination depends on the SNAT address") : bool(addressIn(p.src, v), o);
        case "--ctorigsrcport":
          return bool(portIn(p.sport, v), o);
        case "--ctorigdstport":
          return dportTest(p, false, v, o);
        case "--ctreplsrcport":
          // The reply comes from the port the packet is sent to now (after DNAT).
          return dportTest(p, true, v, o);
        case "--ctrepldstport":
          return p.snat !== null || p.masquerade ? unknown("the reply port depends on the SNAT") : bool(portIn(p.sport, v), o);
        case "--ctdir":
          return neg(o, (v?.text ?? "").toUpperCase() === "ORIGINAL" || p.ctstate === "UNTRACKED" ? true : false);
        case "--ctstatus":
          return p.ctstate === "NEW" ? neg(o, v?.type === "flags" && v.flags.includes("NONE")) : unknown("conntrack status bits of an existing connection are not in the dump");
        default:
          return unknown(`conntrack ${o.name} depends on the connection's history`);
      }
    }),
  state: (m, { packet: p }) => all(m, (o) => (o.name === "--state" && o.values[0]?.type === "flags" ? neg(o, ctStateHolds(p, o.values[0].flags)) : null)),
  iprange: (m, { packet: p }) =>
    all(m, (o) => (o.name === "--src-range" ? bool(addressIn(p.src, o.values[0]), o) : o.name === "--dst-range" ? bool(addressIn(p.dst, o.values[0]), o) : null)),
  statistic: (m) => {
    const mode = m.options.find((o) => o.name === "--mode")?.values[0]?.text;
    if (mode === "random") {
      const o = m.options.find((x) => x.name === "--probability");
      const v = o?.values[0];
      if (!o || !v || v.type !== "probability") return unknown("statistic without --probability");
      const p = kernelProbability(v.value);
      return o.negated ? p.complement() : p;
    }
    if (mode === "nth") {
      const o = m.options.find((x) => x.name === "--every");
      const v = o?.values[0];
      const n = v?.type === "integer" ? v.value : Number(v?.text);
      if (!o || !Number.isInteger(n) || n < 1) return unknown("statistic nth without a valid --every");
      const p = Fraction.of(1, n);
      return o.negated ? p.complement() : p;
    }
    return unknown(`statistic --mode ${mode ?? "(none)"} is not understood`);
  },
  recent: (m, { packet: p }) => recentMatch(m, p).result,
  set: () => unknown("ipset contents are not in the dump"),
  limit: () => unknown("rate limit: depends on the packet rate"),
  hashlimit: () => unknown("hashlimit: depends on the packet rate"),
  connlimit: () => unknown("connlimit: depends on the number of open connections"),
  owner: (_m, { hook }) => (hook === "OUTPUT" || hook === "POSTROUTING" ? unknown("owner: the sending process is not part of the packet") : false),
  physdev: () => unknown("physdev: bridge ports are not part of the packet"),
  pkttype: (m, { packet: p }) => all(m, (o) => (o.name === "--pkt-type" ? pktType(p, o) : null)),
  rpfilter: () => unknown("rpfilter: depends on the node's routing table"),
  socket: () => unknown("socket: depends on the node's open sockets"),
  // IPv6 extension headers: the traced packet carries none.
  rt: () => false,
  frag: () => false,
  hbh: () => false,
  dst: () => false,
  mh: () => false,
  ah: () => false,
  esp: () => false,
  helper: (_m, { packet: p }) => (p.ctstate === "NEW" ? false : unknown("helper: depends on the connection")),
};

function bool(r: boolean | null, o: OptionNode): boolean | null {
  return r === null ? null : neg(o, r);
}

/** Link-layer packet types `-m pkttype` names (`host` is `unicast`, PACKET_HOST). */
const PKT_TYPES = ["broadcast", "loopback", "multicast", "otherhost", "outgoing", "unicast"];
const PKT_TYPE = FACT_OPEN.pkttype;

function assumePktType(p: PacketState, type: string, holds: boolean): PacketState {
  const f = p.facts.pkttype;
  const not = holds ? [] : [...new Set([...(f?.not ?? []), type])].sort();
  // Every other type ruled out: it is the one left.
  const is = holds ? type : not.length === PKT_TYPES.length - 1 ? PKT_TYPES.find((t) => !not.includes(t))! : null;
  const fact = is === null ? { is, not } : { is, not: [] };
  return withFactNote({ ...p, facts: { ...p.facts, pkttype: fact } }, PKT_TYPE, enumAssumption(fact));
}

/** `--pkt-type`: one type per packet, assumed at the first match that asks and kept. */
function pktType(p: PacketState, o: OptionNode): boolean | Unknown | Assume {
  const text = o.values[0]?.text.toLowerCase() ?? "";
  const type = text === "host" ? "unicast" : text;
  if (!PKT_TYPES.includes(type)) return unknown(PKT_TYPE);
  const f = p.facts.pkttype;
  if (f?.is) return neg(o, f.is === type);
  if (f?.not.includes(type)) return neg(o, false);
  return negAssume(o.negated, { hold: (q) => assumePktType(q, type, true), fail: (q) => assumePktType(q, type, false) });
}

/** The packet with its interface (`dir`) assumed to match `-i/-o name` (`holds`) or not. */
function assumeIfaceOf(p: PacketState, dir: "in" | "out", name: string, wildcard: boolean, holds: boolean): PacketState {
  const fact = assumeIface(dir === "in" ? p.facts.inIface : p.facts.outIface, name, wildcard, holds);
  const q: PacketState =
    dir === "in"
      ? { ...p, inIface: fact.fixed ? name : p.inIface, facts: { ...p.facts, inIface: fact } }
      : { ...p, outIface: fact.fixed ? name : p.outIface, facts: { ...p.facts, outIface: fact } };
  return withFactNote(q, dir === "in" ? FACT_OPEN.inIface : FACT_OPEN.outIface, ifaceAssumption(fact, name));
}

/** The built-in matches of a rule (`-s`, `-d`, `-i`, `-o`, `-p`, `-f`). */
export function builtinMatch(rule: RuleNode, ctx: MatchContext): MatchOutcome {
  const p = ctx.packet;
  if (rule.source && rule.source.value.prefixLength > 0 && inNetwork(p.src, rule.source.value.address, rule.source.value.prefixLength) === rule.source.negated) return false;
  if (rule.source && rule.source.value.prefixLength === 0 && rule.source.negated) return false;
  if (rule.destination && rule.destination.value.prefixLength > 0 && inNetwork(p.dst, rule.destination.value.address, rule.destination.value.prefixLength) === rule.destination.negated) return false;
  if (rule.destination && rule.destination.value.prefixLength === 0 && rule.destination.negated) return false;
  if (rule.protocol && rule.protocol.number !== 0) {
    const hit = rule.protocol.number === protoNumber(p) || rule.protocol.name === p.proto;
    if (hit === rule.protocol.negated) return false;
  } else if (rule.protocol?.negated) return false;
  if (rule.fragment) {
    // The traced packet is a first (or only) fragment.
    if (!rule.fragment.negated) return false;
  }
  let assume: Assume | null = null;
  for (const [m, given, dir] of [
    [rule.inInterface, ctx.hook === "OUTPUT" || ctx.hook === "POSTROUTING" ? "" : p.inIface, "in"],
    [rule.outInterface, ctx.hook === "PREROUTING" || ctx.hook === "INPUT" ? "" : p.outIface, "out"],
  ] as const) {
    if (!m) continue;
    let iface: string | null = given;
    // Loopback is known without being told: an arriving packet does not come in on it unless it is from a
    // loopback address; a packet goes out on it exactly when it is sent to a local address.
    if (iface === null && (dir === "out" ? ctx.hook !== "FORWARD" && isLocalAddress(p.dst, ctx.nodeIps) : isLoopback(p.src))) iface = "lo";
    if (iface === null) {
      // Not known and not loopback: what this path assumed about it decides, or the match is assumed both ways.
      const { name, wildcard } = m.value;
      const r = ifaceMatches(dir === "in" ? p.facts.inIface : p.facts.outIface, name, wildcard, true);
      if (r === null) assume ??= negAssume(m.negated, { hold: (q) => assumeIfaceOf(q, dir, name, wildcard, true), fail: (q) => assumeIfaceOf(q, dir, name, wildcard, false) });
      else if (r === m.negated) return false;
      continue;
    }
    const hit = m.value.wildcard ? iface.startsWith(m.value.name) : iface === m.value.name;
    if (hit === m.negated) return false;
  }
  return assume ?? true;
}

/** Evaluate one extension match; extensions the table does not know are unknown. */
export function evaluateMatch(match: MatchNode, ctx: MatchContext): MatchOutcome {
  // Own properties only: a hostile dump may name a match "constructor" or "__proto__".
  const f = Object.prototype.hasOwnProperty.call(MATCHES, match.name) ? MATCHES[match.name] : undefined;
  return f ? f(match, ctx) : unknown(`-m ${match.name} cannot be evaluated from the dump`);
}

/** The `recent` commands that record (`--set`, `--update`) or forget (`--remove`) an address. */
const RECENT_WRITES = new Set(["--set", "--update", "--remove"]);

/** Whether a match changes a `recent` list when it is evaluated: `--set`, `--update`, `--remove`. */
export function writesRecentList(match: MatchNode): boolean {
  return match.name === "recent" && match.options.some((o) => RECENT_WRITES.has(o.name));
}

/** Whether a rule's matches change state as they are evaluated (see writesRecentList). */
export function hasMatchEffects(rule: RuleNode): boolean {
  return rule.matches.some(writesRecentList);
}

/** The address a `recent` list is keyed by: `ip` with `--mask` applied (a mask of the other family is not applied). */
function recentAddress(ip: string, mask: Value | undefined): string {
  const a = parsedAddress(ip);
  const m = mask?.type === "address" ? parsedAddress(mask.address) : null;
  if (a === null || m === null || a.kind() !== m.kind()) return ip;
  const bytes = a.toByteArray();
  const maskBytes = m.toByteArray();
  return ipaddr.fromByteArray(bytes.map((b, i) => b & maskBytes[i]!)).toString();
}

function withHit(p: PacketState, list: string, address: string): PacketState {
  const at = p.recentHits.findIndex((h) => h.list === list && h.address === address);
  const hits = at < 0 ? 1 : p.recentHits[at]!.hits + 1;
  const others = p.recentHits.filter((_, i) => i !== at);
  const recentHits = [...others, { list, address, hits }].sort((a, b) => (a.list < b.list ? -1 : a.list > b.list ? 1 : a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { ...p, recentHits };
}

/**
 * `-m recent` for the traced packet, as the kernel's recent_mt decides it:
 * the answer, and the packet with what the match recorded. The match
 * records as it is evaluated, whether or not the rest of the rule matches
 * (the engine keeps that for both ways out of the rule).
 *
 * Assumed: the traced packet is the first of its flow and of its source,
 * so no list holds any address before the walk. The lists `--recent-hit`
 * names are the exception: they are assumed to hold the packet's addresses
 * with every --hitcount and --seconds met (a client with affinity). A hit
 * is recorded by `--set` (which creates the entry) and by `--update` when
 * it matches, and all of them are now, within any --seconds; so a list's
 * hits for an address are the hits recorded earlier on this packet's path,
 * and `--hitcount N` holds once there are N. Entries are per list name and
 * address: the packet's source (`--rsource`, the default) or destination
 * (`--rdest`), with `--mask` applied.
 */
export function recentMatch(m: MatchNode, p: PacketState): { result: boolean | Unknown; packet: PacketState } {
  let list = "DEFAULT";
  let command: OptionNode | null = null;
  let rdest = false;
  let hitcount = 0;
  let rttl = false;
  let mask: Value | undefined;
  for (const o of m.options) {
    if (o.name === "--name") list = o.values[0]?.text ?? list;
    else if (o.name === "--set" || o.name === "--rcheck" || o.name === "--update" || o.name === "--remove") command = o;
    else if (o.name === "--rsource" || o.name === "--rdest") rdest = o.name === "--rdest";
    else if (o.name === "--hitcount") hitcount = o.values[0]?.type === "integer" ? o.values[0].value : Number(o.values[0]?.text ?? 0) || 0;
    else if (o.name === "--rttl") rttl = true;
    else if (o.name === "--mask") mask = o.values[0];
  }
  if (command === null) return { result: unknown("recent without a command"), packet: p };
  const address = recentAddress(rdest ? p.dst : p.src, mask);
  const assumed = p.recent.includes(list) || p.recent.includes("*");
  const hits = p.recentHits.find((h) => h.list === list && h.address === address)?.hits ?? 0;
  // The kernel starts from the negation and flips it when the command holds.
  const negated = command.negated;
  if (!assumed && hits === 0) {
    // No entry: only --set holds (it creates one); the others, --rttl included, do not find one.
    return command.name === "--set" ? { result: !negated, packet: withHit(p, list, address) } : { result: negated, packet: p };
  }
  switch (command.name) {
    case "--set":
      return { result: !negated, packet: withHit(p, list, address) };
    case "--remove":
      return { result: !negated, packet: { ...p, recent: p.recent.filter((n) => n !== list), recentHits: p.recentHits.filter((h) => h.list !== list || h.address !== address) } };
    default: {
      if (rttl) return { result: unknown("recent --rttl depends on earlier packets' TTL"), packet: p };
      const result = assumed || hits >= Math.max(hitcount, 1) ? !negated : negated;
      return { result, packet: command.name === "--update" && result ? withHit(p, list, address) : p };
    }
  }
}
