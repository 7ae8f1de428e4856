/**
 * Skipping rules a packet's destination rules out. A kube-proxy
 * KUBE-SERVICES chain holds one `-d <cluster IP>/32` rule per service port:
 * 12,000 at 10,000 services. The kernel tries them one by one, and so did
 * the trace, at a few microseconds each; a query must answer in
 * milliseconds. Per long chain, this index lists the rules whose `-d` is a
 * single host address, by that address; for a packet to D, the only rules
 * that can match are those for D and those without such a `-d`. Every
 * other rule is a certain miss, which the walk records nowhere (no path
 * step, no branch), so skipping it changes no answer. Every state moves
 * this way (Engine.push), so equal states still meet at the same rule in
 * the same order and a merged outcome keeps the same path. One difference
 * is left: when a target that does not end the walk (DNPT) gives states of
 * one chain different destinations, their outcomes may be listed in
 * another order; each outcome is the same.
 */
import { parsedAddress } from "../net/parsed-address.js";
import type { RuleNode } from "../ast/types.js";
import type { LoadedChain } from "../model/load.js";

/** Below this many rules a chain is walked rule by rule: the index would not pay. */
const MIN_RULES = 64;

interface DstIndex {
  /** Rules with no single-host `-d` (or a negated one), in order. */
  readonly open: Int32Array;
  /** Rules with `-d host`, by the host's normalized text. */
  readonly byHost: Map<string, number[]>;
  /** For a destination: the rules it can match, in order (cached; few destinations per trace). */
  readonly forHost: Map<string, Int32Array>;
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

function singleHost(rule: RuleNode): string | null {
  const d = rule.destination;
  if (!d || d.negated) return null;
  const full = d.value.family === "ipv6" ? 128 : 32;
  return d.value.prefixLength === full ? hostKey(d.value.address) : null;
}

function indexOf(chain: LoadedChain): DstIndex | null {
  let index = indexes.get(chain);
  if (index !== undefined) return index;
  index = null;
  if (chain.rules.length >= MIN_RULES) {
    const open: number[] = [];
    const byHost = new Map<string, number[]>();
    chain.rules.forEach((rule, i) => {
      const host = singleHost(rule);
      if (host === null) open.push(i);
      else {
        const list = byHost.get(host);
        if (list) list.push(i);
        else byHost.set(host, [i]);
      }
    });
    // Worth it only when most rules name a host.
    if (open.length * 2 < chain.rules.length) index = { open: Int32Array.from(open), byHost, forHost: new Map() };
  }
  indexes.set(chain, index);
  return index;
}

const MAX_CACHED_HOSTS = 256;

function candidates(index: DstIndex, dst: string): Int32Array {
  let list = index.forHost.get(dst);
  if (list) return list;
  const key = hostKey(dst);
  const own = key === null ? undefined : index.byHost.get(key);
  if (!own) list = index.open;
  else {
    // Merge two ascending lists.
    list = new Int32Array(index.open.length + own.length);
    let a = 0;
    let b = 0;
    for (let k = 0; k < list.length; k++) list[k] = b >= own.length || (a < index.open.length && index.open[a]! < own[b]!) ? index.open[a++]! : own[b++]!;
  }
  if (index.forHost.size >= MAX_CACHED_HOSTS) index.forHost.clear();
  index.forHost.set(dst, list);
  return list;
}

/**
 * The first rule at or after `from` that a packet to `dst` can match: every
 * rule between is a certain miss. `rules.length` when there is none.
 */
export function nextCandidate(chain: LoadedChain, from: number, dst: string): number {
  if (!dstIndexSettings.enabled) return from;
  const index = indexOf(chain);
  if (index === null) return from;
  const list = candidates(index, dst);
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
