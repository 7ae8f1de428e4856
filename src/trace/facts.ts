/**
 * Facts about the traced packet that the user left open (DEST without a
 * port, no --in-iface or --out-iface, ...) and that the walk has had to
 * assume something about.
 *
 * Each of these is one value per packet: a packet leaves by one interface
 * and goes to one port. When a match on such a fact cannot be decided, the
 * walk follows both ways, 1/2 each, and each way *keeps* what it assumed:
 * where `-o docker0` was taken to hold, the out-interface is docker0 from
 * then on (later `-o` matches are decided); where it was taken to fail, it
 * is "not docker0" (a later `-o docker0` is decided false, `-o eth0` is
 * still open). So a path never assumes contradictory facts, and a fact is
 * weighed (1/2) once, at the first match that needs it, not again at every
 * rule that asks.
 *
 * What is kept per fact:
 * - an interface (in, out): the name when one was assumed (it is then the
 *   packet's `inIface`/`outIface`); else the names it is not, the `+`
 *   prefixes it does not start with, and the longest `+` prefix it starts
 *   with. A later `-i`/`-o` match is decided when that knowledge decides it
 *   (a name it is not, a prefix it starts with, a name or prefix the known
 *   prefixes rule out), else it is open and branches again;
 * - the original destination port (DEST a bare IP): the set of ports it can
 *   still be, as ranges; a port match (`--dport`, multiport, conntrack's
 *   `--ctorigdstport`) is decided when the set lies inside or outside the
 *   match's ports; one port left is the port (then `dport` holds it);
 * - the link-layer packet type (`-m pkttype`): the type, or the types it is
 *   not.
 * Things that are not one fact repeated (statistic, rate limits, ipsets,
 * rpfilter, ...) are not kept: each such match is 1/2 on its own.
 */
import { ALL_PORTS, normalizePorts, portsOverlap, portsSubset, singlePort, type PortSet } from "../net/port-set.js";

/** What trace knows of a port: the set it can be in (src/net/port-set.ts). */
export type PortRanges = PortSet;

export interface IfaceFact {
  /** The name was assumed; it is then the packet's interface field (and the rest is empty). */
  readonly fixed: boolean;
  /** Names it is not, sorted. */
  readonly not: readonly string[];
  /** Prefixes (`eth+` without the `+`) it does not start with, sorted. */
  readonly notLike: readonly string[];
  /** The longest prefix it is assumed to start with, or null. */
  readonly like: string | null;
}

export interface EnumFact {
  /** The value assumed, or null. */
  readonly is: string | null;
  /** Values it is not, sorted. */
  readonly not: readonly string[];
}

export interface Facts {
  readonly inIface: IfaceFact | null;
  readonly outIface: IfaceFact | null;
  /** Ports the original destination port can still be (null: any, or it is known). */
  readonly dport: PortRanges | null;
  readonly pkttype: EnumFact | null;
}

export const NO_FACTS: Facts = { inIface: null, outIface: null, dport: null, pkttype: null };


const FIXED_IFACE: IfaceFact = { fixed: true, not: [], notLike: [], like: null };
const OPEN_IFACE: IfaceFact = { fixed: false, not: [], notLike: [], like: null };

const keys = new WeakMap<Facts, string>();

/** Identity of what is known ("" when nothing was assumed). */
export function factsKey(f: Facts): string {
  if (f === NO_FACTS) return "";
  let k = keys.get(f);
  if (k === undefined) {
    const iface = (x: IfaceFact | null) => (x === null ? "" : x.fixed ? "=" : `${x.not.join(",")}/${x.notLike.join(",")}/${x.like ?? ""}`);
    k = [iface(f.inIface), iface(f.outIface), f.dport === null ? "" : f.dport.map(([a, b]) => `${a}-${b}`).join(","), f.pkttype === null ? "" : `${f.pkttype.is ?? ""}/${f.pkttype.not.join(",")}`].join("\u0002");
    keys.set(f, k);
  }
  return k;
}

// ---------------------------------------------------------------------------
// Interfaces

/**
 * Whether an interface of which `fact` is known matches `-i/-o name` (a `+`
 * prefix when `wildcard`), unnegated: true or false when that knowledge
 * decides it, null when it does not. `notLo`: the interface is known not to
 * be loopback.
 */
export function ifaceMatches(fact: IfaceFact | null, name: string, wildcard: boolean, notLo: boolean): boolean | null {
  const f = fact ?? OPEN_IFACE;
  if (wildcard) {
    if (name === "") return true;
    if (f.like !== null && f.like.startsWith(name)) return true;
    if (f.notLike.some((n) => name.startsWith(n))) return false;
    // It starts with `like`: it can start with `name` only when `name` extends `like`.
    if (f.like !== null && !name.startsWith(f.like)) return false;
    return null;
  }
  if (notLo && name === "lo") return false;
  if (f.not.includes(name) || f.notLike.some((n) => name.startsWith(n))) return false;
  if (f.like !== null && !name.startsWith(f.like)) return false;
  return null;
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** The fact once the interface is assumed to match (`holds`) or not to match `name` (a prefix when `wildcard`). */
export function assumeIface(fact: IfaceFact | null, name: string, wildcard: boolean, holds: boolean): IfaceFact {
  const f = fact ?? OPEN_IFACE;
  if (!wildcard) return holds ? FIXED_IFACE : { ...f, not: sorted([...f.not, name]) };
  if (holds) {
    const like = f.like !== null && f.like.length >= name.length ? f.like : name;
    // Only names and prefixes that extend `like` still say something.
    return { fixed: false, like, not: f.not.filter((n) => n.startsWith(like)), notLike: f.notLike.filter((n) => n.startsWith(like)) };
  }
  const notLike = sorted([...f.notLike, name]).filter((n, _, all) => !all.some((m) => m !== n && n.startsWith(m)));
  return { fixed: false, like: f.like, notLike, not: f.not.filter((n) => !notLike.some((m) => n.startsWith(m))) };
}

/**
 * What the path assumes about a fact, one line per fact in the outcome's
 * `uncertain` list (`<why it is open>; assumed ...`), rewritten as more is
 * assumed.
 */
export const FACT_OPEN = {
  inIface: "the incoming interface is not known (give --in-iface)",
  outIface: "the outgoing interface is not known (give --out-iface)",
  dport: "no destination port given (DEST is a bare IP)",
  pkttype: "pkttype: the link-layer type is not part of the packet",
} as const;

/** What is assumed of an interface (`name`: the one assumed when the fact is fixed). */
export function ifaceAssumption(f: IfaceFact, name: string | null): string {
  if (f.fixed) return `assumed it is ${name}`;
  const parts: string[] = [];
  if (f.like !== null) parts.push(`it matches ${f.like}+`);
  if (f.notLike.length) parts.push(`it does not match ${f.notLike.map((n) => `${n}+`).join(" or ")}`);
  if (f.not.length) parts.push(`it is not ${f.not.join(" or ")}`);
  return `assumed ${parts.join(" and ")}`;
}

// ---------------------------------------------------------------------------
// Ports

/** The ports of a `--dport` value, a `multiport` list's ranges. */
export function portSet(ranges: readonly { readonly first: number; readonly last: number }[]): PortRanges {
  return normalizePorts(ranges.map((r) => [r.first, r.last] as const));
}

/**
 * Whether a port that can be any of `known` lies in `ports`: decided, or
 * null. Binary searches: `known` may hold thousands of ranges (a bare-IP
 * DEST walked past every NodePort rule), `ports` is a rule's few.
 */
export function portsMatch(known: PortRanges | null, ports: PortRanges): boolean | null {
  const k = known ?? ALL_PORTS;
  if (!portsOverlap(k, ports)) return false;
  if (portsSubset(k, ports)) return true;
  return null;
}

/** Ranges named in a note before the rest is counted. */
const LISTED_RANGES = 8;

function rangesText(ranges: Iterable<readonly [number, number]>, count: number): string {
  const shown: string[] = [];
  for (const [a, b] of ranges) {
    if (shown.length === LISTED_RANGES) break;
    shown.push(a === b ? `${a}` : `${a}:${b}`);
  }
  return shown.join(",") + (count > shown.length ? ` and ${count - shown.length} more` : "");
}

/** The ranges not in `ports` (0-65535), lazily. */
function* gaps(ports: PortRanges): Generator<readonly [number, number]> {
  let next = 0;
  for (const [a, b] of ports) {
    if (a > next) yield [next, a - 1];
    next = b + 1;
  }
  if (next <= 65535) yield [next, 65535];
}

/**
 * What is assumed of the destination port: the ports it can be, or those
 * it cannot, whichever takes fewer ranges; past a few ranges the rest are
 * counted (the set itself is in the packet's facts).
 */
export function portAssumption(ports: PortRanges): string {
  const one = singlePort(ports);
  if (one !== null) return `assumed ${one}`;
  const first = ports[0];
  const last = ports[ports.length - 1];
  if (!first || !last) return "assumed no port";
  const notCount = ports.length - 1 + (first[0] > 0 ? 1 : 0) + (last[1] < 65535 ? 1 : 0);
  if (notCount === 0) return "assumed any port";
  if (notCount > ports.length) return `assumed in ${rangesText(ports, ports.length)}`;
  const [g0, g1] = gaps(ports).next().value!;
  return `assumed not ${notCount === 1 && g0 === g1 ? "" : "in "}${rangesText(gaps(ports), notCount)}`;
}

/** What is assumed of an enumerated fact. */
export function enumAssumption(f: EnumFact): string {
  return f.is !== null ? `assumed ${f.is}` : `assumed not ${f.not.join(" or ")}`;
}
