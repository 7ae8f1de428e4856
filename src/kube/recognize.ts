/**
 * Recognising what kube-proxy (iptables mode) wrote: chain kinds by name,
 * service port names in comments, and the few facts of a rule the model
 * needs (comment, ports, addresses, statistic, recent, DNAT). Prefix
 * checks and direct field reads only: this runs over every rule of a
 * 10,000-service dump.
 */
import type { AddressMatch, MatchNode, NatRangeValue, RuleNode } from "../ast/types.js";
import type { LoadedTable } from "../model/load.js";

/** Per-service-port chains (hash suffix) and per-endpoint chains. */
export type ServiceChainKind = "SVC" | "SVL" | "EXT" | "FW" | "XLB" | "SEP";

const SERVICE_PREFIXES: readonly (readonly [string, ServiceChainKind])[] = [
  ["KUBE-SVC-", "SVC"],
  ["KUBE-SVL-", "SVL"],
  ["KUBE-EXT-", "EXT"],
  ["KUBE-FW-", "FW"],
  ["KUBE-XLB-", "XLB"],
  ["KUBE-SEP-", "SEP"],
];

/** kube-proxy's fixed chains (and kubelet's, which kube-proxy's rules use). */
export const KUBE_FIXED_CHAINS: ReadonlySet<string> = new Set([
  "KUBE-SERVICES",
  "KUBE-NODEPORTS",
  "KUBE-POSTROUTING",
  "KUBE-MARK-MASQ",
  "KUBE-MARK-DROP",
  "KUBE-EXTERNAL-SERVICES",
  "KUBE-FORWARD",
  "KUBE-PROXY-FIREWALL",
  "KUBE-FIREWALL",
  "KUBE-PROXY-CANARY",
  "KUBE-KUBELET-CANARY",
  "KUBE-IPTABLES-HINT",
  "KUBE-LOAD-BALANCER",
]);

export interface ServiceChainName {
  readonly kind: ServiceChainKind;
  /** The 16-character hash suffix. */
  readonly hash: string;
}

/** `KUBE-SVC-XXXX` -> {SVC, XXXX}; null for anything else. */
export function serviceChain(name: string): ServiceChainName | null {
  if (name.length < 9 || name.charCodeAt(0) !== 75 /* K */ || !name.startsWith("KUBE-")) return null;
  for (const [prefix, kind] of SERVICE_PREFIXES) {
    if (name.startsWith(prefix)) {
      const hash = name.slice(prefix.length);
      return hash.length > 0 ? { kind, hash } : null;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Rule facts

export function matchOf(rule: RuleNode, name: string): MatchNode | undefined {
  const ms = rule.matches;
  for (let i = 0; i < ms.length; i++) if (ms[i]!.name === name) return ms[i];
  return undefined;
}

export function optionText(m: MatchNode | undefined, option: string): string | null {
  if (!m) return null;
  for (const o of m.options) if (o.name === option) return o.values[0]?.text ?? "";
  return null;
}

/** The rule's first `--comment`, or null. */
export function commentOf(rule: RuleNode): string | null {
  return optionText(matchOf(rule, "comment"), "--comment");
}

/** `--dport` of the tcp/udp/sctp match (single port), or null. */
export function dportOf(rule: RuleNode): number | null {
  for (const m of rule.matches) {
    if (m.name !== "tcp" && m.name !== "udp" && m.name !== "sctp") continue;
    for (const o of m.options) {
      if (o.name !== "--dport" || o.negated) continue;
      const v = o.values[0];
      if (v?.type === "portRange" && v.first === v.last) return v.first;
      if (v?.type === "integer") return v.value;
      const n = Number(v?.text);
      if (Number.isInteger(n)) return n;
    }
  }
  return null;
}

/** Lower-case protocol of `-p`, or null. */
export function protocolOf(rule: RuleNode): string | null {
  return rule.protocol && !rule.protocol.negated ? rule.protocol.name : null;
}

/** `addr/len` of an address match (`/32`, `/128` kept), for display. */
export function cidrText(m: AddressMatch): string {
  const v = m.value;
  return `${v.address}/${v.prefixLength}`;
}

/** Host address of a non-negated full-length `-d`/`-s`, or null. */
export function hostOf(m: AddressMatch | null): string | null {
  if (!m || m.negated) return null;
  const v = m.value;
  const full = v.family === "ipv6" ? 128 : 32;
  return v.prefixLength === full ? v.address : null;
}

/** `--probability` of a random statistic match, or null when there is none. */
export function probabilityOf(rule: RuleNode): { value: number; text: string } | null {
  const m = matchOf(rule, "statistic");
  if (!m) return null;
  for (const o of m.options) {
    if (o.name !== "--probability") continue;
    const v = o.values[0];
    if (v?.type === "probability") return { value: o.negated ? 1 - v.value : v.value, text: v.text };
    const n = Number(v?.text);
    if (Number.isFinite(n)) return { value: o.negated ? 1 - n : n, text: v?.text ?? "" };
  }
  return null;
}

/** `-m recent --rcheck --seconds N`: kube-proxy's session-affinity check. */
export function affinityCheckOf(rule: RuleNode): { seconds: number | null; name: string | null } | null {
  const m = matchOf(rule, "recent");
  if (!m) return null;
  let check = false;
  let seconds: number | null = null;
  let name: string | null = null;
  for (const o of m.options) {
    if (o.name === "--rcheck" || o.name === "--update") check = !o.negated;
    else if (o.name === "--seconds") {
      const v = o.values[0];
      seconds = v?.type === "integer" ? v.value : Number(v?.text);
      if (!Number.isFinite(seconds)) seconds = null;
    } else if (o.name === "--name") name = o.values[0]?.text ?? null;
  }
  return check ? { seconds, name } : null;
}

/** `addrtype --src-type LOCAL` (true), `! --src-type LOCAL` (false), else null. */
export function srcTypeLocal(rule: RuleNode): boolean | null {
  const m = matchOf(rule, "addrtype");
  if (!m) return null;
  for (const o of m.options) {
    if (o.name === "--src-type" && o.values[0]?.text.toUpperCase() === "LOCAL") return !o.negated;
  }
  return null;
}

export function dstTypeLocal(rule: RuleNode): boolean | null {
  const m = matchOf(rule, "addrtype");
  if (!m) return null;
  for (const o of m.options) {
    if (o.name === "--dst-type" && o.values[0]?.text.toUpperCase() === "LOCAL") return !o.negated;
  }
  return null;
}

/** `--to-destination` of a DNAT target as kube-proxy's `ip:port` / `[ip]:port`, or null. */
export function dnatOf(rule: RuleNode): { endpoint: string; ip: string | null; port: number | null } | null {
  const t = rule.target;
  if (!t || t.name !== "DNAT") return null;
  for (const o of t.options) {
    if (o.name !== "--to-destination") continue;
    const v = o.values[0];
    if (!v) return null;
    if (v.type === "natRange") return natEndpoint(v);
    return { endpoint: v.text, ip: null, port: null };
  }
  return null;
}

export interface SepDnat {
  readonly rule: RuleNode;
  /** `ip:port` (`[ip]:port` for IPv6), as kube-proxy writes it. */
  readonly endpoint: string;
  readonly ip: string | null;
  readonly port: number | null;
}

/**
 * Per nat table: each KUBE-SEP chain's first DNAT. The model and several
 * lint rules ask this of every endpoint, in service order, which jumps
 * around a heap of a few hundred MB; reading every SEP chain once, in the
 * table's order (the order the rules were parsed and allocated in), and
 * answering from a small index was several times faster at 45,000
 * endpoints. A loaded table does not change.
 */
const sepDnats = new WeakMap<LoadedTable, Map<string, SepDnat | null>>();

function sepIndex(nat: LoadedTable): Map<string, SepDnat | null> {
  let index = sepDnats.get(nat);
  if (index) return index;
  index = new Map();
  for (const chain of nat.chains) {
    const name = chain.name;
    if (name.length < 10 || name.charCodeAt(5) !== 83 /* S */ || !name.startsWith("KUBE-SEP-")) continue;
    let found: SepDnat | null = null;
    for (const r of chain.rules) {
      const d = dnatOf(r);
      if (d) {
        found = { rule: r, endpoint: d.endpoint, ip: d.ip, port: d.port };
        break;
      }
    }
    index.set(name, found);
  }
  sepDnats.set(nat, index);
  return index;
}

/** The first DNAT of a KUBE-SEP chain: its rule and endpoint; null when the chain is missing or has none. */
export function sepDnat(nat: LoadedTable | undefined, sep: string): SepDnat | null {
  if (!nat) return null;
  const found = sepIndex(nat).get(sep);
  if (found !== undefined) return found;
  // Not a KUBE-SEP-* name (a caller asking of another chain): read it now.
  const chain = nat.chainsByName.get(sep);
  if (chain) for (const r of chain.rules) {
    const d = dnatOf(r);
    if (d) return { rule: r, endpoint: d.endpoint, ip: d.ip, port: d.port };
  }
  return null;
}

export function natEndpoint(v: NatRangeValue): { endpoint: string; ip: string | null; port: number | null } {
  const ip = v.fromAddress;
  const port = v.fromPort;
  if (ip === null) return { endpoint: v.text, ip, port };
  const host = ip.includes(":") ? `[${ip}]` : ip;
  if (v.toAddress !== null && v.toAddress !== ip) return { endpoint: v.text, ip, port };
  if (port !== null && (v.toPort === null || v.toPort === port)) return { endpoint: `${host}:${port}`, ip, port };
  return { endpoint: port === null ? ip : v.text, ip, port };
}

// ---------------------------------------------------------------------------
// Comments

/** True for a Kubernetes `namespace/name[:port]` (lower-case DNS labels; port names too). */
export function isServicePortName(word: string): boolean {
  const slash = word.indexOf("/");
  if (slash <= 0 || slash === word.length - 1) return false;
  let colon = -1;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (i === slash) continue;
    if (c === 58 /* : */) {
      if (colon >= 0 || i < slash) return false;
      colon = i;
      continue;
    }
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || (c >= 65 && c <= 90) || c === 95;
    if (!ok || c === 47) return false;
  }
  return colon < 0 || colon > slash + 1;
}

export type CommentKind =
  | "clusterIP"
  | "externalIP"
  | "loadBalancerIP"
  | "noEndpoints"
  | "noLocalEndpoints"
  | "healthCheck"
  | "notAccepted"
  | "endpoint"
  | "masqueradeExternal"
  | "podExternal"
  | "masqueradeLocal"
  | "routeLocal"
  | "otherTraffic"
  | "name"
  | "other";

export interface ParsedComment {
  readonly kind: CommentKind;
  /** The service port name, or null when the comment names none. */
  readonly name: string | null;
  /** For `NAME -> EP`: the endpoint. */
  readonly endpoint: string | null;
}

const SUFFIXES: readonly (readonly [string, CommentKind])[] = [
  [" cluster IP", "clusterIP"],
  [" external IP", "externalIP"],
  [" loadbalancer IP", "loadBalancerIP"],
  [" has no endpoints", "noEndpoints"],
  [" has no local endpoints", "noLocalEndpoints"],
  [" health check node port", "healthCheck"],
];

const PREFIXES: readonly (readonly [string, string, CommentKind])[] = [
  ["masquerade traffic for ", " external destinations", "masqueradeExternal"],
  ["pod traffic for ", " external destinations", "podExternal"],
  ["masquerade LOCAL traffic for ", " external destinations", "masqueradeLocal"],
  ["route LOCAL traffic for ", " external destinations", "routeLocal"],
  ["masquerade LOCAL traffic for ", " LB IP", "masqueradeLocal"],
  ["route LOCAL traffic for ", " LB IP", "routeLocal"],
  ["route LOCAL traffic for ", " LB IP to service chain", "routeLocal"],
  ["other traffic to ", " will be dropped by KUBE-PROXY-FIREWALL", "otherTraffic"],
];

/**
 * Comments read so far: the model and several lint rules read the same rule's
 * comment, and a rule's comment is one string, whose hash the Map keeps.
 * Bounded for hostile input.
 */
const parsedComments = new Map<string, ParsedComment>();
const MAX_PARSED_COMMENTS = 200_000;

/** What a kube-proxy comment says; `other` with a null name for anything else. */
export function parseComment(text: string): ParsedComment {
  let parsed = parsedComments.get(text);
  if (parsed === undefined) {
    parsed = readComment(text);
    if (parsedComments.size >= MAX_PARSED_COMMENTS) parsedComments.clear();
    parsedComments.set(text, parsed);
  }
  return parsed;
}

function readComment(text: string): ParsedComment {
  if (isServicePortName(text)) return { kind: "name", name: text, endpoint: null };
  for (const [suffix, kind] of SUFFIXES) {
    if (text.endsWith(suffix)) {
      const name = text.slice(0, -suffix.length);
      if (isServicePortName(name)) return { kind, name, endpoint: null };
    }
  }
  const arrow = text.indexOf(" -> ");
  if (arrow > 0) {
    const name = text.slice(0, arrow);
    if (isServicePortName(name)) return { kind: "endpoint", name, endpoint: text.slice(arrow + 4) };
  }
  const na = text.indexOf(" traffic not accepted by KUBE-FW-");
  if (na > 0 && isServicePortName(text.slice(0, na))) return { kind: "notAccepted", name: text.slice(0, na), endpoint: null };
  for (const [prefix, suffix, kind] of PREFIXES) {
    if (text.startsWith(prefix) && text.endsWith(suffix)) {
      const name = text.slice(prefix.length, text.length - suffix.length);
      if (isServicePortName(name)) return { kind, name, endpoint: null };
    }
  }
  // Old releases: "Balancing rule 0 for NAME", "NAME" plus words; take a word that is a name.
  const bal = text.lastIndexOf(" for ");
  if (bal > 0 && isServicePortName(text.slice(bal + 5))) return { kind: "other", name: text.slice(bal + 5), endpoint: null };
  return { kind: "other", name: null, endpoint: null };
}
