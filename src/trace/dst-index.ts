/**
 * Skipping rules a packet's destination rules out. A kube-proxy
 * KUBE-SERVICES chain holds one `-d <cluster IP>/32` rule per service port
 * (12,000 at 10,000 services) and KUBE-NODEPORTS one `--dport <node port>`
 * rule per node port. The kernel tries them one by one, and so did the
 * trace, at a few microseconds each; a query must answer in milliseconds.
 * Per long chain, this index files each rule under its destination: a
 * single host (`-d H/32`, `-d H/128`), else a single port of a tcp, udp or
 * sctp match (`-m tcp --dport P`); rules with neither are open. For a
 * packet to host D and port P, the only rules that can match are the open
 * ones and those filed under D or under (protocol, P). Every other rule is
 * a certain miss, which the walk records nowhere (no path step, no
 * branch), so skipping it changes no answer; a rule whose `recent` match
 * comes before its port match is open, since that match records the
 * packet even when the port then misses. A packet without a port (a bare
 * IP) leaves a port rule undecided rather than missed, so then every port
 * rule is tried. Every state moves this way (Engine.push), so equal
 * states still meet at the same rule in the same order and a merged
 * outcome keeps the same path. One difference is left: when a target that
 * does not end the walk (DNPT) gives states of one chain different
 * destinations, their outcomes may be listed in another order; each
 * outcome is the same.
 */
import { parsedAddress } from "../net/parsed-address.js";
import type { RuleNode } from "../ast/types.js";
import type { LoadedChain } from "../model/load.js";
import { writesRecentList } from "./matches.js";
import type { PacketState } from "./packet.js";

/** Below this many rules a chain is walked rule by rule: the index would not pay. */
const MIN_RULES = 64;

interface DstIndex {
  /** Rules with no single-host `-d` or single destination port, in order. */
  readonly open: Int32Array;
  /** Rules by `h<host>` (normalized) or `<protocol>:<port>`, each list in order. */
  readonly byKey: Map<string, number[]>;
  /** Every rule filed under a port, in order: what a packet without a port must try. */
  readonly portRules: Int32Array;
  /** For a destination: the rules it can match, in order (cached; few destinations per trace). */
  readonly forPacket: Map<string, Int32Array>;
}

const indexes = new WeakMap<LoadedChain, DstIndex | null>();

/** Off only in tests, which hold the trace to the same answers with and without the index. */
export const dstIndexSettings = { enabled: true };

/**
 * The address without its notation: the normalized text, without an IPv6
 * zone (`fe80::1%eth0`), which address matching ignores too.
 */
function hostKey(address: string): string | null {
  const a = parsedAddress(address);
  if (a === null) return null;
  const text = a.toNormalizedString();
  const zone = text.indexOf("%");
  return zone < 0 ? text : text.slice(0, zone);
}

const PORT_MATCHES: ReadonlySet<string> = new Set(["tcp", "udp", "sctp"]);

/** The key a rule is filed under, or null for an open rule. */
function keyOf(rule: RuleNode): string | null {
  const d = rule.destination;
  if (d && !d.negated && d.value.prefixLength === (d.value.family === "ipv6" ? 128 : 32)) {
    const host = hostKey(d.value.address);
    if (host !== null) return `h${host}`;
  }
  // A tcp/udp/sctp match with one destination port: it misses every packet of another protocol or port.
  for (const m of rule.matches) {
    // A recent match before it records even when the port then misses: the rule is not a silent miss.
    if (writesRecentList(m)) return null;
    if (!PORT_MATCHES.has(m.name)) continue;
    for (const o of m.options) {
      if ((o.name !== "--dport" && o.name !== "--destination-port") || o.negated) continue;
      const v = o.values[0];
      if (v?.type === "portRange" && v.first === v.last) return `${m.name}:${v.first}`;
    }
  }
  return null;
}

function indexOf(chain: LoadedChain): DstIndex | null {
  let index = indexes.get(chain);
  if (index !== undefined) return index;
  index = null;
  if (chain.rules.length >= MIN_RULES) {
    const open: number[] = [];
    const portRules: number[] = [];
    const byKey = new Map<string, number[]>();
    chain.rules.forEach((rule, i) => {
      const key = keyOf(rule);
      if (key === null) {
        open.push(i);
        return;
      }
      if (key.charCodeAt(0) !== 104 /* h */) portRules.push(i);
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    });
    // Worth it only when most rules are filed.
    if (open.length * 2 < chain.rules.length) index = { open: Int32Array.from(open), byKey, portRules: Int32Array.from(portRules), forPacket: new Map() };
  }
  indexes.set(chain, index);
  return index;
}

const MAX_CACHED_PACKETS = 256;

/** Merge ascending lists of rule indexes into one. */
function merge(lists: readonly ArrayLike<number>[]): Int32Array {
  let total = 0;
  for (const l of lists) total += l.length;
  const out = new Int32Array(total);
  const at = lists.map(() => 0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    for (let j = 0; j < lists.length; j++) if (at[j]! < lists[j]!.length && (best < 0 || lists[j]![at[j]!]! < lists[best]![at[best]!]!)) best = j;
    out[k] = lists[best]![at[best]!++]!;
  }
  return out;
}

function candidates(index: DstIndex, packet: PacketState): Int32Array {
  const cacheKey = `${packet.dst}|${packet.proto}|${packet.dport ?? ""}`;
  let list = index.forPacket.get(cacheKey);
  if (list) return list;
  const lists: ArrayLike<number>[] = [index.open];
  const host = hostKey(packet.dst);
  const own = host === null ? undefined : index.byKey.get(`h${host}`);
  if (own) lists.push(own);
  if (packet.dport === null) lists.push(index.portRules);
  else {
    const port = index.byKey.get(`${packet.proto}:${packet.dport}`);
    if (port) lists.push(port);
  }
  list = lists.length === 1 ? index.open : merge(lists);
  if (index.forPacket.size >= MAX_CACHED_PACKETS) index.forPacket.clear();
  index.forPacket.set(cacheKey, list);
  return list;
}

/**
 * The first rule at or after `from` that `packet` can match: every rule
 * between is a certain miss. `rules.length` when there is none.
 */
export function nextCandidate(chain: LoadedChain, from: number, packet: PacketState): number {
  if (!dstIndexSettings.enabled) return from;
  const index = indexOf(chain);
  if (index === null) return from;
  const list = candidates(index, packet);
  // First entry >= from.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length ? list[lo]! : chain.rules.length;
}
