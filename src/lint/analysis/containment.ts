/**
 * Rule containment: does every packet rule B matches also match rule A?
 * Used by `shadowed-rule`. The answer is `true` only when it is certain;
 * whenever a rule uses a match or an option this module does not model,
 * `conditionsOf` returns null and callers stay silent.
 *
 * Modelled: source and destination addresses (CIDR containment, negation),
 * protocol, input and output interfaces (with `+` wildcards), `-f`, tcp/udp
 * `--sport`/`--dport`, multiport `--sports`/`--dports`/`--ports`, conntrack
 * `--ctstate` and state `--state` over the base states, and comments (which
 * match everything).
 */
import ipaddr from "ipaddr.js";
import { parseIPv4 } from "../../parser/values.js";
import type { AddressMatch, InterfaceMatch, MatchNode, RuleNode, Value } from "../../ast/types.js";
import { ALL_PORTS, complementPorts, intersectPorts, normalizePorts, portsSubset, type PortSet } from "../../net/port-set.js";

// ---------------------------------------------------------------------------
// Addresses.

interface Network {
  readonly bits: number; // 32 or 128
  readonly base: bigint; // masked
  readonly prefix: number;
}

interface AddressCondition {
  readonly negated: boolean;
  readonly net: Network;
}

export function toNetwork(address: string, prefix: number): Network | null {
  // Most addresses in a dump are dotted quads (the parser writes iptables'
  // short and octal forms out as such): read those without ipaddr.js's
  // general parser, which was a tenth of linting 100,000 `-s` rules.
  const v4 = parseIPv4(address);
  if (v4 !== null) {
    if (prefix < 0 || prefix > 32) return null;
    // A shift by 32 is a no-op in JS, hence the /0 case; >>> 0 keeps the result unsigned.
    const base = prefix === 0 ? 0 : ((v4 >>> (32 - prefix)) << (32 - prefix)) >>> 0;
    return { bits: 32, base: BigInt(base), prefix };
  }
  try {
    const parsed = ipaddr.parse(address);
    const bytes = parsed.toByteArray();
    const bits = bytes.length * 8;
    if (prefix < 0 || prefix > bits) return null;
    let value = 0n;
    for (const b of bytes) value = (value << 8n) | BigInt(b);
    const hostBits = BigInt(bits - prefix);
    const base = (value >> hostBits) << hostBits;
    return { bits, base, prefix };
  } catch {
    return null;
  }
}

/** a ⊆ b */
function netWithin(a: Network, b: Network): boolean {
  if (a.bits !== b.bits || a.prefix < b.prefix) return false;
  const hostBits = BigInt(a.bits - b.prefix);
  return (a.base >> hostBits) << hostBits === b.base;
}

function netsDisjoint(a: Network, b: Network): boolean {
  return a.bits === b.bits && !netWithin(a, b) && !netWithin(b, a);
}

/** Packets meeting `a` (null: any) all meet `b` (null: any). */
function addressImplies(a: AddressCondition | null, b: AddressCondition | null): boolean {
  if (!b) return true;
  if (!a) return false;
  if (!b.negated) return !a.negated && netWithin(a.net, b.net);
  if (!a.negated) return netsDisjoint(a.net, b.net);
  return netWithin(b.net, a.net);
}

// ---------------------------------------------------------------------------
// Interfaces: a name, or a prefix when written with `+`.

interface InterfaceCondition {
  readonly negated: boolean;
  readonly name: string;
  readonly wildcard: boolean;
}

/** Every name `a` matches is matched by `b` (both positive). */
function ifaceWithin(a: InterfaceCondition, b: InterfaceCondition): boolean {
  if (b.wildcard) return a.name.startsWith(b.name);
  return !a.wildcard && a.name === b.name;
}

function ifacesDisjoint(a: InterfaceCondition, b: InterfaceCondition): boolean {
  if (!a.wildcard && !b.wildcard) return a.name !== b.name;
  if (a.wildcard && b.wildcard) return !a.name.startsWith(b.name) && !b.name.startsWith(a.name);
  const [prefix, name] = a.wildcard ? [a.name, b.name] : [b.name, a.name];
  return !name.startsWith(prefix);
}

function interfaceImplies(a: InterfaceCondition | null, b: InterfaceCondition | null): boolean {
  if (!b) return true;
  if (!a) return false;
  if (!b.negated) return !a.negated && ifaceWithin(a, b);
  if (!a.negated) return ifacesDisjoint(a, b);
  return ifaceWithin(b, a);
}

// ---------------------------------------------------------------------------
// Connection-tracking states: every packet has exactly one base state.

const BASE_STATES = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED"] as const;
/** SNAT and DNAT are extra bits on top of a base state; sets naming them are not modelled. */
const ALL_STATE_WORDS = [...BASE_STATES, "SNAT", "DNAT"];

function stateSet(flags: readonly string[]): Set<string> | null {
  const out = new Set<string>();
  for (const flag of flags) {
    const word = flag.toUpperCase();
    const candidates = ALL_STATE_WORDS.filter((s) => s === word || (word.length > 0 && s.startsWith(word)));
    const exact = candidates.find((s) => s === word);
    const state = exact ?? (candidates.length === 1 ? candidates[0]! : null);
    if (state === null || !(BASE_STATES as readonly string[]).includes(state)) return null;
    out.add(state);
  }
  return out;
}

// ---------------------------------------------------------------------------
// A rule's conditions.

export interface Conditions {
  readonly source: AddressCondition | null;
  readonly destination: AddressCondition | null;
  /** Protocol number (0 = all) and negation; null = any. */
  readonly protocol: { readonly negated: boolean; readonly number: number } | null;
  readonly inInterface: InterfaceCondition | null;
  readonly outInterface: InterfaceCondition | null;
  /** true: `-f` (non-first fragments only); false: `! -f`; null: any. */
  readonly fragment: boolean | null;
  /** A tcp/udp/multiport match: such matches never match non-first fragments. */
  readonly transport: boolean;
  /** Allowed ports (null = any). */
  readonly sport: PortSet | null;
  readonly dport: PortSet | null;
  /** multiport `--ports` conditions: source or destination port in the set (negated: neither). */
  readonly eitherPort: readonly { readonly negated: boolean; readonly set: PortSet }[];
  /** Allowed base conntrack states (null = any). */
  readonly ctstate: ReadonlySet<string> | null;
}

function address(match: AddressMatch | null): AddressCondition | null | undefined {
  if (!match) return null;
  const v = match.value;
  if (v.prefixLength === 0) return match.negated ? undefined : null; // `! -s 0/0` matches nothing: not modelled
  const net = toNetwork(v.address, v.prefixLength);
  return net ? { negated: match.negated, net } : undefined;
}

function iface(match: InterfaceMatch | null): InterfaceCondition | null {
  if (!match) return null;
  return { negated: match.negated, name: match.value.name, wildcard: match.value.wildcard };
}

function portsOf(v: Value | undefined): PortSet | null {
  if (!v) return null;
  if (v.type === "portRange") return normalizePorts([[v.first, v.last]]);
  if (v.type === "portList") return normalizePorts(v.ranges.map((r) => [r.first, r.last] as const));
  if (v.type === "integer") return normalizePorts([[v.value, v.value]]);
  return null;
}

/**
 * The rule's conditions, or null when it uses anything not modelled (an
 * unknown match or option, a `! -p all`, an address kipt cannot read).
 */
export function conditionsOf(rule: RuleNode): Conditions | null {
  const source = address(rule.source);
  const destination = address(rule.destination);
  if (source === undefined || destination === undefined) return null;
  let protocol: Conditions["protocol"] = null;
  if (rule.protocol) {
    if (rule.protocol.number === 0) {
      if (rule.protocol.negated) return null; // `! -p all` matches nothing
    } else protocol = { negated: rule.protocol.negated, number: rule.protocol.number };
  }
  let transport = false;
  let sport: PortSet | null = null;
  let dport: PortSet | null = null;
  const eitherPort: { negated: boolean; set: PortSet }[] = [];
  let ctstate = null as Set<string> | null;
  const narrow = (current: PortSet | null, set: PortSet, negated: boolean): PortSet => {
    const allowed = negated ? complementPorts(set) : set;
    return current ? intersectPorts(current, allowed) : allowed;
  };
  for (const match of rule.matches) {
    if (!matchUnderstood(match)) return null;
    switch (match.name) {
      case "comment":
        break;
      case "tcp":
      case "udp":
      case "multiport": {
        transport = true;
        for (const o of match.options) {
          const set = portsOf(o.values[0]);
          if (!set) return null;
          if (o.name === "--sport" || o.name === "--sports") sport = narrow(sport, set, o.negated);
          else if (o.name === "--dport" || o.name === "--dports") dport = narrow(dport, set, o.negated);
          else if (o.name === "--ports") eitherPort.push({ negated: o.negated, set });
          else return null;
        }
        break;
      }
      case "conntrack":
      case "state": {
        for (const o of match.options) {
          const v = o.values[0];
          if (!v || v.type !== "flags") return null;
          const states = stateSet(v.flags);
          if (!states) return null;
          const allowed = new Set(o.negated ? BASE_STATES.filter((s) => !states.has(s)) : states);
          const previous: Set<string> | null = ctstate;
          ctstate = previous ? new Set([...previous].filter((s: string) => allowed.has(s))) : allowed;
        }
        break;
      }
      default:
        return null;
    }
  }
  return {
    source,
    destination,
    protocol,
    inInterface: iface(rule.inInterface),
    outInterface: iface(rule.outInterface),
    fragment: rule.fragment ? !rule.fragment.negated : null,
    transport,
    sport,
    dport,
    eitherPort,
    ctstate,
  };
}

const UNDERSTOOD_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  comment: ["--comment"],
  tcp: ["--sport", "--dport"],
  udp: ["--sport", "--dport"],
  multiport: ["--sports", "--dports", "--ports"],
  conntrack: ["--ctstate"],
  state: ["--state"],
};

/** Whether the match and all its options are modelled here. */
export function matchUnderstood(match: MatchNode): boolean {
  const options = UNDERSTOOD_OPTIONS[match.name];
  return options !== undefined && match.known && match.options.every((o) => options.includes(o.name));
}

function protocolImplies(a: Conditions["protocol"], b: Conditions["protocol"]): boolean {
  if (!b) return true;
  if (!a) return false;
  if (!b.negated) return !a.negated && a.number === b.number;
  if (!a.negated) return a.number !== b.number;
  return a.number === b.number;
}

function portImplies(a: PortSet | null, b: PortSet | null): boolean {
  if (!b) return true;
  return portsSubset(a ?? ALL_PORTS, b);
}

function eitherPortImplied(a: Conditions, cond: { negated: boolean; set: PortSet }): boolean {
  if (!cond.negated) {
    // sport ∈ S or dport ∈ S
    if (a.dport && portsSubset(a.dport, cond.set)) return true;
    if (a.sport && portsSubset(a.sport, cond.set)) return true;
    return a.eitherPort.some((c) => !c.negated && portsSubset(c.set, cond.set));
  }
  // sport ∉ S and dport ∉ S
  const outside = complementPorts(cond.set);
  if (a.dport && a.sport && portsSubset(a.dport, outside) && portsSubset(a.sport, outside)) return true;
  return a.eitherPort.some((c) => c.negated && portsSubset(cond.set, c.set));
}

/**
 * Whether every packet matching `b` certainly matches `a`: each of `a`'s
 * conditions follows from `b`'s.
 */
export function implies(b: Conditions, a: Conditions): boolean {
  if (!addressImplies(b.source, a.source)) return false;
  if (!addressImplies(b.destination, a.destination)) return false;
  if (!protocolImplies(b.protocol, a.protocol)) return false;
  if (!interfaceImplies(b.inInterface, a.inInterface)) return false;
  if (!interfaceImplies(b.outInterface, a.outInterface)) return false;
  if (a.fragment !== null && b.fragment !== a.fragment) return false;
  // tcp/udp/multiport never match a non-first fragment; b must exclude those too.
  if (a.transport && !b.transport && b.fragment !== false) return false;
  if (!portImplies(b.sport, a.sport) || !portImplies(b.dport, a.dport)) return false;
  if (!a.eitherPort.every((c) => eitherPortImplied(b, c))) return false;
  if (a.ctstate) {
    const states = b.ctstate ?? new Set<string>(BASE_STATES);
    for (const s of states) if (!a.ctstate.has(s)) return false;
  }
  return true;
}
