/**
 * The kube-proxy model: the Services an operator thinks in, rebuilt from
 * the chains kube-proxy (iptables mode) wrote. One pass over the fixed
 * chains finds every frontend; each frontend's endpoints come from a walk
 * of its service port's chains, per kind of traffic (from outside the
 * node, from a pod, from the node itself), with exact shares.
 *
 * Works for every kube-proxy era: masquerade in KUBE-SERVICES (< 1.21) or
 * in KUBE-SVC chains, KUBE-XLB chains (< 1.24) or KUBE-EXT and KUBE-SVL chains, KUBE-FW chains
 * ending in KUBE-MARK-DROP (< 1.25) or in a comment with the filter
 * KUBE-PROXY-FIREWALL, 5/10/11-decimal probabilities, large-cluster mode
 * (no comments on SVC jumps and SEP rules), partial restore payloads
 * (jumps to chains the dump does not hold) and IPv6.
 */
import ipaddr from "ipaddr.js";
import type { AddressMatch, RuleNode } from "../ast/types.js";
import type { LoadedChain, LoadedTable, Ruleset } from "../model/load.js";
import { kernelProbability } from "../extensions/statistic.js";
import { isEqualSplit, kubeProxyDecimals } from "./cascade.js";
import { Fraction } from "../math/fraction.js";
import { parsedAddress } from "../net/parsed-address.js";
import { endpointHash, portProtoHash } from "./hash.js";
import {
  affinityCheckOf,
  cidrText,
  commentOf,
  dnatOf,
  dportOf,
  dstTypeLocal,
  hostOf,
  KUBE_FIXED_CHAINS,
  parseComment,
  probabilityOf,
  protocolOf,
  sepDnat,
  serviceChain,
  srcTypeLocal,
  type ServiceChainKind,
} from "./recognize.js";

export type FrontendType = "ClusterIP" | "NodePort" | "ExternalIP" | "LoadBalancer" | "HealthCheckNodePort";

export interface KubeEndpointShare {
  /** `ip:port` or `[ipv6]:port`; null when the SEP chain is not in the dump and no comment names it. */
  readonly address: string | null;
  /** The KUBE-SEP chain (null for a DNAT written directly in a service chain). */
  readonly chain: string | null;
  /** The kernel's exact effective share (the product of the cascade as the kernel stores it). */
  readonly kernel: Fraction;
  /** kube-proxy's intended share (1/n) when the cascade is its equal split; else the kernel share. */
  readonly intended: Fraction;
}

export interface NoEndpointsPolicy {
  /** `REJECT` or `DROP`. */
  readonly action: string;
  /** `no endpoints` or `no local endpoints`. */
  readonly reason: string;
  /** Where: `filter KUBE-SERVICES`, `filter KUBE-EXTERNAL-SERVICES`, `nat KUBE-XLB-… (KUBE-MARK-DROP)`. */
  readonly where: string;
  readonly line: number;
}

export interface KubeFrontend {
  readonly type: FrontendType;
  /** null for NodePorts and health-check node ports (every local address). */
  readonly ip: string | null;
  readonly port: number;
  /** loadBalancerSourceRanges (KUBE-FW-* `-s` rules), in rule order. */
  readonly sourceRanges: string[];
  /** What happens to LB traffic from other sources (`DROP (filter KUBE-PROXY-FIREWALL)`), null without ranges. */
  otherSources: string | null;
  /** NodePort also answered on 127.0.0.0/8 (the localhost NodePort rule). */
  localhost: boolean;
  whenNoEndpoints: NoEndpointsPolicy | null;
  /** Endpoints traffic from outside the node reaches. */
  endpoints: KubeEndpointShare[];
  /** Endpoints traffic from pods and from the node itself reaches (differs from `endpoints` under eTP=Local). */
  endpointsFromNode: KubeEndpointShare[];
  /** Share of outside traffic that reaches no endpoint (falls through to `whenNoEndpoints` or on). */
  unmatched: Fraction;
  unmatchedFromNode: Fraction;
  /** Chains the walk needed that the dump does not hold (partial payloads): the endpoints are then unknown. */
  missingChains: string[];
  /** Who gets masqueraded, in words (`source not in 10.240.0.0/16`, `all traffic`, ...). */
  masquerade: string[];
  /** The capture rule's chain and line (nat KUBE-SERVICES / KUBE-NODEPORTS, filter for HC and no-endpoint rules). */
  readonly capturedBy: { readonly table: string; readonly chain: string; readonly line: number; readonly target: string };
}

export interface KubeServiceEndpoint {
  readonly address: string | null;
  readonly chain: string | null;
  /** On this node (reached through KUBE-SVL/KUBE-XLB); null when the dump cannot tell. */
  local: boolean | null;
  /** The SEP name recomputes from the service port, protocol and address. */
  hashVerified: boolean;
}

export interface KubeServiceChains {
  cluster: string | null;
  local: string | null;
  external: string | null;
  firewall: string | null;
  /** Pre-1.24 KUBE-XLB-* chain. */
  xlb: string | null;
}

export interface KubeServicePort {
  /** `namespace/name:port`, or `namespace/name` for an unnamed port; null when nothing names it. */
  name: string | null;
  protocol: string;
  /** The 16-character hash shared by the port's chains. */
  readonly hash: string;
  /** How the name was established: comments agreeing with the hash, the hash of a name seen elsewhere, or a comment alone. */
  identifiedBy: "comment+hash" | "hash" | "comment" | "none";
  readonly chains: KubeServiceChains;
  affinity: { readonly type: "ClientIP"; readonly timeoutSeconds: number | null } | null;
  externalTrafficPolicy: "Cluster" | "Local" | null;
  internalTrafficPolicy: "Cluster" | "Local" | null;
  readonly frontends: KubeFrontend[];
  readonly endpoints: KubeServiceEndpoint[];
}

export type FindingSeverity = "info" | "warning";

export interface KubeFinding {
  readonly severity: FindingSeverity;
  /** Stable short identifier, e.g. `hash-mismatch`. */
  readonly code: string;
  readonly message: string;
  readonly service: string | null;
  readonly chain: string | null;
  readonly line: number | null;
}

export interface KubeProxyInfo {
  /** Eras and modes recognised, e.g. `KUBE-XLB chains (kube-proxy before 1.24)`. */
  readonly eras: string[];
  readonly largeClusterMode: boolean;
  readonly masqueradeMark: string | null;
  /** Pod CIDRs seen in masquerade rules (`! -s CIDR`). */
  readonly clusterCIDRs: string[];
  readonly nodePortAddresses: string;
  readonly partial: boolean;
}

export interface KubeModel {
  readonly detected: boolean;
  readonly family: "ipv4" | "ipv6" | null;
  readonly proxy: KubeProxyInfo;
  readonly services: KubeServicePort[];
  readonly findings: KubeFinding[];
  /** Counts of kube-proxy's chains by kind. */
  readonly chainCounts: { readonly kind: string; readonly count: number }[];
}

// ---------------------------------------------------------------------------

type TrafficClass = "external" | "pod" | "node";

interface Outcome {
  readonly kind: "endpoint" | "drop";
  readonly chain: string | null;
  readonly address: string | null;
  readonly kernel: Fraction;
  readonly intended: Fraction;
  readonly via: string;
  readonly comment: string | null;
  readonly line: number;
}

interface WalkContext {
  readonly cls: TrafficClass;
  readonly frontend: KubeFrontend;
  readonly service: KubeServicePort;
  readonly masquerade: Set<string>;
  readonly rangeTaken: Set<string>;
  readonly visiting: Set<string>;
}

interface ChainResult {
  readonly outcomes: Outcome[];
  readonly returnedKernel: Fraction;
  readonly returnedIntended: Fraction;
}

/** Whether `ip` is in the match's network (negation aside); null when either is not an address. */
function contains(m: AddressMatch, ip: string | null): boolean | null {
  if (ip === null) return null;
  const v = m.value;
  // The usual case, a service's own `-d <cluster IP>/32`: equal text is the same address.
  if (v.address === ip && v.prefixLength === (v.family === "ipv6" ? 128 : 32)) return true;
  const net = parsedAddress(v.address);
  const addr = parsedAddress(ip);
  if (net === null || addr === null) return null;
  if (addr.kind() !== net.kind()) return false;
  return (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, v.prefixLength);
}

/**
 * A rule whose `condition` holds for every walk: it tests no address, port
 * or address type (an affinity check is handled before it is asked).
 */
function testsNothing(r: RuleNode): boolean {
  return r.source === null && r.destination === null && dportOf(r) === null && srcTypeLocal(r) === null && dstTypeLocal(r) === null;
}

function isLoopbackNet(m: AddressMatch | null): boolean {
  if (!m || m.negated) return false;
  return m.value.address.startsWith("127.") || m.value.address === "::1";
}

const ZERO_SHARE = Fraction.ZERO;
const NO_PLAN: ReadonlyMap<number, Fraction> = new Map();

/** The same endpoints with the same kernel shares, in the same order. */
function sameShares(a: readonly KubeEndpointShare[], b: readonly KubeEndpointShare[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.chain !== y.chain || x.address !== y.address || !x.kernel.equals(y.kernel)) return false;
  }
  return true;
}

/** Build the kube-proxy model of a loaded ruleset. */
export interface KubeModelOptions {
  /**
   * Share the walk of a chain whose walks all give the same result (see
   * Builder.pureWalks). On by default; the model is the same either way,
   * which the tests hold by building it both ways.
   */
  readonly shareWalks?: boolean;
}

export function buildKubeModel(ruleset: Ruleset, options: KubeModelOptions = {}): KubeModel {
  return new Builder(ruleset, options.shareWalks ?? true).build();
}

class Builder {
  private readonly nat: LoadedTable | undefined;
  private readonly filter: LoadedTable | undefined;
  private readonly byHash = new Map<string, KubeServicePort>();
  private readonly nameByHash = new Map<string, { name: string; protocol: string }>();
  private readonly findings: KubeFinding[] = [];
  private readonly eras = new Set<string>();
  private readonly missing = new Set<string>();
  private readonly clusterCIDRs = new Set<string>();
  private largeCluster = false;
  private readonly frontendKeys = new Map<string, KubeFrontend>();
  private readonly pendingMasq = new Map<string, string[]>();

  constructor(
    private readonly ruleset: Ruleset,
    private readonly shareWalks: boolean,
  ) {
    this.nat = ruleset.tables.find((t) => t.name === "nat");
    this.filter = ruleset.tables.find((t) => t.name === "filter");
  }

  build(): KubeModel {
    const detected = this.detect();
    if (detected) {
      this.readNatCaptures();
      this.readFilterRules();
      this.adoptUnreferencedChains();
      for (const service of this.byHash.values()) this.resolveService(service);
      this.checkEndpoints();
    }
    const services = [...this.byHash.values()].sort(compareServices);
    return {
      detected,
      family: this.ruleset.family,
      proxy: {
        eras: [...this.eras],
        largeClusterMode: this.largeCluster,
        masqueradeMark: this.masqueradeMark(),
        clusterCIDRs: [...this.clusterCIDRs].sort(),
        nodePortAddresses: this.nodePortAddresses(),
        partial: this.missing.size > 0,
      },
      services,
      findings: this.findings,
      chainCounts: this.chainCounts(),
    };
  }

  // -- detection and naming ------------------------------------------------

  private detect(): boolean {
    for (const t of [this.nat, this.filter]) {
      if (!t) continue;
      for (const c of t.chains) if (c.name.startsWith("KUBE-") && (KUBE_FIXED_CHAINS.has(c.name) || serviceChain(c.name))) {
        if (c.name !== "KUBE-FIREWALL" && c.name !== "KUBE-KUBELET-CANARY" && c.name !== "KUBE-MARK-DROP") return true;
      }
    }
    return false;
  }

  /**
   * Every service port name any comment mentions, by the hash it would give
   * (tcp, udp, sctp). Built on first use: only a chain whose name no comment
   * confirms needs it.
   */
  private namesByHash(): Map<string, { name: string; protocol: string }> {
    if (this.nameByHashBuilt) return this.nameByHash;
    this.nameByHashBuilt = true;
    const seenText = new Set<string>();
    const seen = new Set<string>();
    for (const t of [this.nat, this.filter]) {
      if (!t) continue;
      for (const c of t.chains) {
        if (!c.name.startsWith("KUBE-")) continue;
        for (const r of c.rules) {
          const text = commentOf(r);
          if (text === null || seenText.has(text)) continue;
          seenText.add(text);
          const name = parseComment(text).name;
          if (name === null || seen.has(name)) continue;
          seen.add(name);
          for (const p of ["tcp", "udp", "sctp"]) this.nameByHash.set(portProtoHash(name, p), { name, protocol: p });
        }
      }
    }
    return this.nameByHash;
  }

  private nameByHashBuilt = false;

  /** The service port for a name/protocol and/or a chain hash. */
  private serviceFor(name: string | null, protocol: string | null, chainHash: string | null, at: { chain: string; line: number }): KubeServicePort {
    let hash = chainHash;
    let identifiedBy: KubeServicePort["identifiedBy"] = "none";
    if (name !== null && protocol !== null) {
      const computed = portProtoHash(name, protocol);
      if (hash === null) {
        hash = computed;
        identifiedBy = "comment";
      } else if (computed === hash) identifiedBy = "comment+hash";
      else {
        const known = this.namesByHash().get(hash);
        this.finding("warning", "hash-mismatch", `comment names ${name} (${protocol}), but ${at.chain.includes(hash) ? at.chain : `the chain's hash ${hash}`} is not sha256("${name}${protocol}")${known ? `; it is the hash of ${known.name} (${known.protocol})` : ""}`, name, at.chain, at.line);
        identifiedBy = "comment";
        if (known) {
          name = known.name;
          protocol = known.protocol;
          identifiedBy = "hash";
        }
      }
    } else if (hash !== null) {
      const known = this.namesByHash().get(hash);
      if (known) {
        name = known.name;
        protocol = known.protocol;
        identifiedBy = "hash";
      }
    }
    const key = hash ?? `${name}|${protocol}`;
    let s = this.byHash.get(key);
    if (!s) {
      s = {
        name,
        protocol: protocol ?? "tcp",
        hash: key,
        identifiedBy,
        chains: { cluster: null, local: null, external: null, firewall: null, xlb: null },
        affinity: null,
        externalTrafficPolicy: null,
        internalTrafficPolicy: null,
        frontends: [],
        endpoints: [],
      };
      if (protocol === null && name === null) s.protocol = "unknown";
      this.byHash.set(key, s);
    } else {
      if (s.name === null && name !== null) s.name = name;
      if (protocol !== null && s.protocol === "unknown") s.protocol = protocol;
      if (rank(identifiedBy) > rank(s.identifiedBy)) s.identifiedBy = identifiedBy;
    }
    return s;
  }

  private noteChain(service: KubeServicePort, name: string): void {
    const sc = serviceChain(name);
    if (!sc) return;
    const field = CHAIN_FIELD[sc.kind];
    if (field && service.chains[field] === null) service.chains[field] = name;
    if (sc.kind === "XLB") this.eras.add("KUBE-XLB chains (kube-proxy before 1.24)");
  }

  // -- nat captures ----------------------------------------------------------

  private readNatCaptures(): void {
    const nat = this.nat;
    if (!nat) return;
    const services = nat.chainsByName.get("KUBE-SERVICES");
    if (services) {
      const rules = services.rules;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        const target = r.target?.name ?? "";
        if (target === "KUBE-NODEPORTS") continue;
        this.capture(r, "KUBE-SERVICES", null);
      }
    }
    const nodePorts = nat.chainsByName.get("KUBE-NODEPORTS");
    if (nodePorts) for (const r of nodePorts.rules) this.capture(r, "KUBE-NODEPORTS", "NodePort");
  }

  private capture(r: RuleNode, chain: string, forced: FrontendType | null): void {
    const target = r.target?.name ?? "";
    const comment = commentOf(r);
    const parsed = comment === null ? null : parseComment(comment);
    const sc = serviceChain(target);
    const protocol = protocolOf(r);
    const port = dportOf(r);
    if (target === "KUBE-MARK-MASQ") {
      // Before 1.21 the masquerade rule sat in KUBE-SERVICES / KUBE-NODEPORTS, just before the capture.
      if (parsed?.name && port !== null) {
        const type = forced ?? typeFromComment(parsed.kind) ?? "ClusterIP";
        const ip = forced ? null : hostOf(r.destination);
        const key = frontendKey(parsed.name, protocol ?? "", type, ip, port);
        const list = this.pendingMasq.get(key) ?? [];
        list.push(masqueradeText(r));
        this.pendingMasq.set(key, list);
        if (chain === "KUBE-SERVICES") this.eras.add("masquerade rules in KUBE-SERVICES (kube-proxy before 1.21)");
        if (r.source?.negated) this.clusterCIDRs.add(cidrText(r.source));
      }
      return;
    }
    if (!sc || sc.kind === "SEP") {
      if (sc?.kind === "SEP" && parsed?.name) {
        this.finding("info", "direct-sep", `${chain} jumps straight to ${target}`, parsed.name, chain, r.line);
      }
      return;
    }
    if (port === null) return;
    let name = parsed?.name ?? null;
    const s = this.serviceFor(name, protocol, sc.hash, { chain: target, line: r.line });
    name = s.name;
    this.noteChain(s, target);
    let type: FrontendType;
    if (forced) type = forced;
    else if (parsed && typeFromComment(parsed.kind)) type = typeFromComment(parsed.kind)!;
    else type = sc.kind === "SVC" || sc.kind === "SVL" ? "ClusterIP" : sc.kind === "FW" ? "LoadBalancer" : "ExternalIP";
    const ip = type === "NodePort" ? null : hostOf(r.destination);
    if (type === "NodePort" && isLoopbackNet(r.destination)) {
      const key = frontendKey(name ?? s.hash, s.protocol, type, null, port);
      const existing = this.frontendKeys.get(key);
      if (existing) existing.localhost = true;
      else this.pendingLocalhost.add(key);
      return;
    }
    if (type !== "NodePort" && ip === null) return;
    const key = frontendKey(name ?? s.hash, s.protocol, type, ip, port);
    if (this.frontendKeys.has(key)) return; // old externalIP captures come in pairs
    const fe = this.newFrontend(type, ip, port, { table: "nat", chain, line: r.line, target });
    fe.localhost = this.pendingLocalhost.has(key);
    const masq = this.pendingMasq.get(frontendKey(name ?? "", protocol ?? "", type, ip, port));
    if (masq) fe.masquerade.push(...masq);
    this.frontendKeys.set(key, fe);
    s.frontends.push(fe);
  }

  private readonly pendingLocalhost = new Set<string>();

  // -- filter rules ------------------------------------------------------------

  private readFilterRules(): void {
    const filter = this.filter;
    if (!filter) return;
    for (const chainName of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"]) {
      const chain = filter.chainsByName.get(chainName);
      if (!chain) continue;
      for (const r of chain.rules) this.filterRule(r, chainName);
    }
  }

  private filterRule(r: RuleNode, chain: string): void {
    const comment = commentOf(r);
    if (comment === null) return;
    const parsed = parseComment(comment);
    if (!parsed.name) return;
    const protocol = protocolOf(r);
    const port = dportOf(r);
    if (port === null) return;
    const target = r.target?.name ?? "";
    if (parsed.kind === "healthCheck") {
      // The health-check node port is always tcp, whatever the service port's protocol: find the port by name.
      const s = this.serviceByName(parsed.name) ?? this.serviceFor(parsed.name, "tcp", null, { chain, line: r.line });
      const key = frontendKey(s.name ?? s.hash, s.protocol, "HealthCheckNodePort", null, port);
      if (this.frontendKeys.has(key)) return;
      const fe = this.newFrontend("HealthCheckNodePort", null, port, { table: "filter", chain, line: r.line, target });
      this.frontendKeys.set(key, fe);
      s.frontends.push(fe);
      return;
    }
    const s = this.serviceFor(parsed.name, protocol, null, { chain, line: r.line });
    if (parsed.kind === "notAccepted") {
      const ip = hostOf(r.destination);
      const fe = this.frontendKeys.get(frontendKey(s.name ?? s.hash, s.protocol, "LoadBalancer", ip, port));
      if (fe) fe.otherSources = `${target} (filter ${chain})`;
      return;
    }
    if (parsed.kind !== "noEndpoints" && parsed.kind !== "noLocalEndpoints") return;
    const policy: NoEndpointsPolicy = {
      action: target,
      reason: parsed.kind === "noEndpoints" ? "no endpoints" : "no local endpoints",
      where: `filter ${chain}`,
      line: r.line,
    };
    const ip = hostOf(r.destination);
    let candidates: FrontendType[];
    if (ip === null) {
      if (dstTypeLocal(r) !== true) return;
      candidates = ["NodePort"];
    } else if (chain === "KUBE-SERVICES") candidates = ["ClusterIP", "ExternalIP", "LoadBalancer"];
    else candidates = ["ExternalIP", "LoadBalancer", "ClusterIP"];
    if (chain === "KUBE-SERVICES" && parsed.kind === "noLocalEndpoints") s.internalTrafficPolicy ??= "Local";
    if (chain === "KUBE-EXTERNAL-SERVICES" && parsed.kind === "noLocalEndpoints") s.externalTrafficPolicy ??= "Local";
    for (const type of candidates) {
      const fe = this.frontendKeys.get(frontendKey(s.name ?? s.hash, s.protocol, type, ip, port));
      if (fe) {
        fe.whenNoEndpoints ??= policy;
        return;
      }
    }
    // No nat capture (a service with no endpoints has no nat rules): the frontend exists only here.
    // Before 1.20 external IPs were rejected in filter KUBE-SERVICES too: a second address is not the cluster IP.
    let type = candidates[0]!;
    if (type === "ClusterIP" && s.frontends.some((f) => f.type === "ClusterIP" && f.ip !== ip)) type = "ExternalIP";
    const fe = this.newFrontend(type, ip, port, { table: "filter", chain, line: r.line, target });
    fe.whenNoEndpoints = policy;
    this.frontendKeys.set(frontendKey(s.name ?? s.hash, s.protocol, type, ip, port), fe);
    s.frontends.push(fe);
  }

  private newFrontend(type: FrontendType, ip: string | null, port: number, capturedBy: KubeFrontend["capturedBy"]): KubeFrontend {
    return {
      type,
      ip,
      port,
      sourceRanges: [],
      otherSources: null,
      localhost: false,
      whenNoEndpoints: null,
      endpoints: [],
      endpointsFromNode: [],
      unmatched: ZERO_SHARE,
      unmatchedFromNode: ZERO_SHARE,
      masquerade: [],
      missingChains: [],
      capturedBy,
    };
  }

  private serviceByName(name: string): KubeServicePort | undefined {
    for (const p of ["tcp", "udp", "sctp"]) {
      const s = this.byHash.get(portProtoHash(name, p));
      if (s) return s;
    }
    return undefined;
  }

  /** SVC/SVL/EXT/FW/XLB chains no capture reaches: stale chains, or a partial dump. */
  private adoptUnreferencedChains(): void {
    const nat = this.nat;
    if (!nat) return;
    for (const c of nat.chains) {
      const sc = serviceChain(c.name);
      if (!sc || sc.kind === "SEP") continue;
      const s = this.byHash.get(sc.hash) ?? this.serviceFor(null, null, sc.hash, { chain: c.name, line: c.declaredAt });
      this.noteChain(s, c.name);
      if ((sc.kind === "FW" || sc.kind === "XLB") && c.rules.some((r) => r.target?.name === "KUBE-MARK-DROP")) {
        this.eras.add("KUBE-MARK-DROP in nat chains (kube-proxy before 1.25)");
      }
    }
  }

  // -- resolving frontends ---------------------------------------------------------

  private resolveService(s: KubeServicePort): void {
    const nat = this.nat;
    // Chains reached from the service's own chains (EXT -> SVL etc.) are noted during the walks.
    for (const fe of s.frontends) {
      if (fe.type === "HealthCheckNodePort") continue;
      if (fe.capturedBy.table !== "nat") continue;
      const results = new Map<TrafficClass, { outcomes: Outcome[]; unmatched: Fraction; masq: Set<string> }>();
      // A capture straight into KUBE-SVC/KUBE-SVL treats every source alike (the masquerade rule aside,
      // whose descriptions are collected either way): one walk serves all three kinds of traffic.
      const direct = fe.capturedBy.target.startsWith("KUBE-SVC-") || fe.capturedBy.target.startsWith("KUBE-SVL-");
      for (const cls of direct ? (["external"] as const) : (["external", "pod", "node"] as const)) {
        const ctx: WalkContext = { cls, frontend: fe, service: s, masquerade: new Set(fe.masquerade), rangeTaken: new Set(), visiting: new Set() };
        const r = this.walk(fe.capturedBy.target, ctx);
        results.set(cls, { outcomes: r.outcomes, unmatched: r.returnedKernel, masq: ctx.masquerade });
      }
      const ext = results.get("external")!;
      const pod = results.get("pod") ?? ext;
      const node = results.get("node") ?? ext;
      fe.endpoints = shares(ext.outcomes);
      fe.unmatched = ext.unmatched;
      const fromNode = node === ext ? fe.endpoints : shares(node.outcomes);
      const fromPod = pod === ext ? fe.endpoints : shares(pod.outcomes);
      fe.endpointsFromNode = fromNode;
      fe.unmatchedFromNode = node.unmatched;
      if (fromNode !== fromPod && !sameShares(fromNode, fromPod)) {
        this.finding("info", "pod-node-differ", `${fe.type} ${where(fe)}: pods reach ${fromPod.length} endpoint(s), the node itself ${fromNode.length}; endpointsFromNode lists the node's`, s.name, fe.capturedBy.target, fe.capturedBy.line);
      }
      const masq = new Set<string>([...ext.masq, ...pod.masq, ...node.masq]);
      fe.masquerade.splice(0, fe.masquerade.length, ...masq);
      if (fe.type === "LoadBalancer" && fe.capturedBy.target.startsWith("KUBE-FW-")) {
        const fw = nat?.chainsByName.get(fe.capturedBy.target);
        for (const r of fw?.rules ?? []) {
          if (!r.source || r.source.negated || (fe.ip !== null && hostOf(r.source) === fe.ip)) continue;
          const text = cidrText(r.source);
          if (!fe.sourceRanges.includes(text)) fe.sourceRanges.push(text);
        }
      }
      for (const o of [...ext.outcomes, ...node.outcomes]) {
        if (o.kind === "drop" && fe.whenNoEndpoints === null && o.via !== "source-range") {
          const reason = o.comment?.endsWith("has no local endpoints") ? "no local endpoints" : o.comment?.endsWith("has no endpoints") ? "no endpoints" : "dropped";
          fe.whenNoEndpoints = { action: "DROP", reason, where: `nat ${o.via} (KUBE-MARK-DROP)`, line: o.line };
        }
      }
      if (fe.sourceRanges.length > 0 && fe.otherSources === null && s.chains.firewall) {
        const fw = nat?.chainsByName.get(s.chains.firewall);
        const last = fw?.rules[fw.rules.length - 1];
        if (last?.target?.name === "KUBE-MARK-DROP") fe.otherSources = "DROP (KUBE-MARK-DROP, kube-proxy before 1.25)";
        else if (last && !last.target) fe.otherSources = "DROP (filter KUBE-PROXY-FIREWALL)";
      }
    }
    this.inferPolicies(s);
  }

  /** Walk one chain for one class of traffic; shares relative to entering the chain. */
  private walk(chainName: string, ctx: WalkContext): ChainResult {
    const nat = this.nat!;
    const chain = nat.chainsByName.get(chainName);
    if (!chain) {
      if (!this.missing.has(chainName)) {
        this.missing.add(chainName);
        this.finding("warning", "missing-chain", `${chainName} is jumped to but not in the dump (a partial restore payload, or a chain deleted under a rule)`, ctx.service.name, chainName, null);
      }
      if (!ctx.frontend.missingChains.includes(chainName)) ctx.frontend.missingChains.push(chainName);
      return { outcomes: [], returnedKernel: Fraction.ONE, returnedIntended: Fraction.ONE };
    }
    if (ctx.visiting.has(chainName)) return { outcomes: [], returnedKernel: Fraction.ONE, returnedIntended: Fraction.ONE };
    const sc = serviceChain(chainName);
    if (sc) this.noteChain(ctx.service, chainName);
    const rules = chain.rules;
    const known = this.pureWalks.get(chain);
    if (known) {
      // Only the masquerade rules depend on the walk: run them for this one.
      for (const i of known.masqueradeRules) this.masqueradeRule(rules[i]!, chainName, sc?.kind ?? null, ctx);
      return known.result;
    }
    ctx.visiting.add(chainName);
    const plan = this.cascadePlan(chain, ctx);
    const outcomes: Outcome[] = [];
    const masqueradeRules: number[] = [];
    let remK = Fraction.ONE;
    let remI = Fraction.ONE;
    for (let i = 0; i < rules.length && !remK.isZero(); i++) {
      const r = rules[i]!;
      if (r.target?.name === "KUBE-MARK-MASQ") {
        masqueradeRules.push(i);
        this.masqueradeRule(r, chainName, sc?.kind ?? null, ctx);
        continue;
      }
      const cond = this.condition(r, chainName, sc?.kind ?? null, ctx);
      if (cond === false) continue;
      const target = r.target?.name ?? null;
      if (target === null) continue;
      const prob = probabilityOf(r);
      const pK = prob ? kernelProbability(prob.value) : Fraction.ONE;
      const pI = prob ? (plan.get(i) ?? pK) : Fraction.ONE;
      const hitK = remK.mul(pK);
      const hitI = remI.mul(pI);
      // What a terminating rule leaves for the rules after it.
      const consume = (): void => {
        if (prob === null) {
          remK = Fraction.ZERO;
          remI = Fraction.ZERO;
        } else {
          remK = remK.mul(pK.complement());
          remI = remI.mul(pI.complement());
        }
      };
      if (target === "KUBE-MARK-DROP") {
        this.eras.add("KUBE-MARK-DROP in nat chains (kube-proxy before 1.25)");
        outcomes.push({ kind: "drop", chain: null, address: null, kernel: hitK, intended: hitI, via: chainName, comment: commentOf(r), line: r.line });
        consume();
        continue;
      }
      const tsc = serviceChain(target);
      if (tsc?.kind === "SEP") {
        outcomes.push({ kind: "endpoint", chain: target, address: this.sepAddress(target, r), kernel: hitK, intended: hitI, via: chainName, comment: null, line: r.line });
        consume();
        continue;
      }
      if (tsc) {
        const sub = this.walk(target, ctx);
        for (const o of sub.outcomes) outcomes.push({ ...o, kernel: o.kernel.mul(hitK), intended: o.intended.mul(hitI) });
        remK = remK.mul(pK.complement()).add(hitK.mul(sub.returnedKernel));
        remI = remI.mul(pI.complement()).add(hitI.mul(sub.returnedIntended));
        continue;
      }
      if (target === "RETURN") {
        ctx.visiting.delete(chainName);
        return { outcomes, returnedKernel: remK, returnedIntended: remI };
      }
      if (target === "DNAT") {
        const d = dnatOf(r);
        outcomes.push({ kind: "endpoint", chain: null, address: d?.endpoint ?? null, kernel: hitK, intended: hitI, via: chainName, comment: null, line: r.line });
        consume();
        continue;
      }
      if (target === "DROP" || target === "REJECT") {
        outcomes.push({ kind: "drop", chain: null, address: null, kernel: hitK, intended: hitI, via: chainName, comment: commentOf(r), line: r.line });
        consume();
        continue;
      }
      if (target === "ACCEPT") {
        consume();
        continue;
      }
      // MARK, LOG, ... : not terminating.
    }
    ctx.visiting.delete(chainName);
    const result = { outcomes, returnedKernel: remK, returnedIntended: remI };
    if (known === undefined && this.shareWalks) this.pureWalks.set(chain, this.walksAlike(chain, sc?.kind ?? null) ? { result, masqueradeRules } : null);
    return result;
  }

  /** A KUBE-MARK-MASQ rule met in a walk: who it masquerades, when it applies to this walk's traffic. */
  private masqueradeRule(r: RuleNode, chainName: string, kind: ServiceChainKind | null, ctx: WalkContext): void {
    if (this.condition(r, chainName, kind, ctx) === false) return;
    ctx.masquerade.add(masqueradeText(r));
    if (r.source?.negated) this.clusterCIDRs.add(cidrText(r.source));
  }

  /**
   * Walks of chains whose walk gives the same result for every frontend and
   * kind of traffic (walksAlike), with the masquerade rules it met. A
   * KUBE-SVC chain is walked once per frontend and kind of traffic (a
   * NodePort's and a LoadBalancer's three each): the results are shared
   * (never changed once made) and only the masquerade rules run again.
   * null for a chain whose walks may differ.
   */
  private readonly pureWalks = new Map<LoadedChain, { result: ChainResult; masqueradeRules: readonly number[] } | null>();

  /**
   * Whether every walk of the chain gives the same outcomes: its rules,
   * masquerade rules aside, test nothing of the packet (no address, port,
   * address type or affinity) and walk no further chain, so every walk ends
   * at the same rule. (A walk ended by RETURN is never recorded; a KUBE-FW
   * chain takes a source range once per walk: never.)
   */
  private walksAlike(chain: LoadedChain, kind: ServiceChainKind | null): boolean {
    if (kind === "FW") return false;
    for (const r of chain.rules) {
      const target = r.target?.name;
      if (target === "KUBE-MARK-MASQ") continue;
      if (affinityCheckOf(r) || !testsNothing(r)) return false;
      const tsc = target === undefined ? null : serviceChain(target);
      if (tsc && tsc.kind !== "SEP") return false;
    }
    return true;
  }

  /**
   * kube-proxy's intended probability for each statistic rule of an endpoint
   * dispatch, when the dispatch is its equal split: rules to KUBE-SEP-*
   * (affinity checks left out), the i-th of n carrying 1/(n−i).
   */
  private cascadePlan(chain: LoadedChain, ctx: WalkContext): ReadonlyMap<number, Fraction> {
    const cached = this.plans.get(chain);
    if (cached !== undefined) return cached;
    const steps: number[] = [];
    const rules = chain.rules;
    // The plan depends on the walk only through rules that test the packet
    // (source, destination, port, address type). kube-proxy's endpoint jumps
    // test none, so the plan of such a chain is made once, not once per
    // frontend and kind of traffic.
    let sameForEveryWalk = true;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const t = r.target?.name;
      if (!t || !t.startsWith("KUBE-SEP-")) continue;
      if (affinityCheckOf(r)) continue;
      if (!testsNothing(r)) {
        sameForEveryWalk = false;
        if (this.condition(r, chain.name, "SVC", ctx) === false) continue;
      }
      steps.push(i);
      if (!probabilityOf(r)) break;
    }
    const plan = this.planFor(chain, rules, steps, ctx);
    if (sameForEveryWalk) this.plans.set(chain, plan);
    return plan;
  }

  /** Cascade plans of chains whose plan is the same for every walk (see cascadePlan). */
  private readonly plans = new Map<LoadedChain, ReadonlyMap<number, Fraction>>();

  private planFor(chain: LoadedChain, rules: readonly RuleNode[], steps: readonly number[], ctx: WalkContext): ReadonlyMap<number, Fraction> {
    if (steps.length < 2) return NO_PLAN;
    const plan = new Map<number, Fraction>();
    const probabilities = steps.map((i) => ({ probability: probabilityOf(rules[i]!)?.value ?? null }));
    if (isEqualSplit(probabilities)) {
      const n = steps.length;
      steps.forEach((ruleIndex, k) => plan.set(ruleIndex, Fraction.of(1, n - k)));
      if (!this.fiveDecimals) {
        probabilities.forEach((p, k) => {
          if (p.probability !== null && kubeProxyDecimals(p.probability, n - k) === 5) {
            this.fiveDecimals = true;
            this.eras.add("5-decimal probabilities (kube-proxy before 1.17)");
          }
        });
      }
    } else {
      const key = `${chain.name}`;
      if (!this.reportedCascades.has(key)) {
        this.reportedCascades.add(key);
        const last = rules[steps[steps.length - 1]!]!;
        const why = probabilityOf(last) ? `the last rule (line ${last.line}) has a statistic match, so some traffic falls through` : "the probabilities are not kube-proxy's 1/(n-i)";
        this.finding("warning", "uneven-split", `${chain.name} does not split traffic equally over its ${steps.length} endpoints: ${why}`, ctx.service.name, chain.name, rules[steps[0]!]!.line);
      }
    }
    return plan;
  }

  private readonly reportedCascades = new Set<string>();
  private fiveDecimals = false;

  /** Does rule `r` match traffic of this class to this frontend? false, true (statistic left to the caller). */
  private condition(r: RuleNode, chainName: string, kind: ServiceChainKind | null, ctx: WalkContext): boolean {
    const a = affinityCheckOf(r);
    if (a) {
      if (!ctx.service.affinity) ctx.service.affinity = { type: "ClientIP", timeoutSeconds: a.seconds };
      return false; // no affinity recorded for a new client
    }
    const src = r.source;
    if (src) {
      if (src.negated) {
        if (ctx.cls === "pod") return false;
      } else if (kind === "FW") {
        // Traffic from an allowed range: the first range rule takes it (the others are for other sources;
        // `-s <LB IP>` is for the node's own hairpin traffic).
        const own = ctx.frontend.ip !== null && hostOf(src) === ctx.frontend.ip;
        if (own || ctx.rangeTaken.has(chainName)) return false;
        ctx.rangeTaken.add(chainName);
      } else if (ctx.cls !== "pod") return false;
    }
    const dst = r.destination;
    if (dst) {
      // A NodePort's destination is a node address, never a cluster IP.
      const inside = ctx.frontend.ip === null ? false : contains(dst, ctx.frontend.ip);
      const holds = inside === null ? true : dst.negated ? !inside : inside;
      if (!holds) return false;
    }
    const port = dportOf(r);
    if (port !== null && port !== ctx.frontend.port) return false;
    const srcLocal = srcTypeLocal(r);
    if (srcLocal !== null && srcLocal !== (ctx.cls === "node")) return false;
    const dstLocal = dstTypeLocal(r);
    if (dstLocal !== null && dstLocal !== (ctx.frontend.type === "NodePort")) return false;
    return true;
  }

  /** Endpoints of SEP chains without a DNAT, from the first jump comment that named one. */
  private readonly sepFromComment = new Map<string, string | null>();

  /** The endpoint a KUBE-SEP chain DNATs to, else the one its jump comment names. */
  private sepAddress(sep: string, jump: RuleNode): string | null {
    if (!this.largeCluster && commentOf(jump) === null) this.largeCluster = true;
    // sepDnat answers from an index of every SEP chain (recognize.ts): no copy of it here.
    const dnat = sepDnat(this.nat, sep);
    if (dnat !== null) return dnat.endpoint;
    let address = this.sepFromComment.get(sep);
    if (address === undefined) {
      const c = commentOf(jump);
      // An empty endpoint (`NAME -> `) names none.
      address = (c === null ? null : parseComment(c).endpoint) || null;
      this.sepFromComment.set(sep, address);
    }
    return address;
  }

  private inferPolicies(s: KubeServicePort): void {
    const nat = this.nat;
    if (s.chains.xlb) s.externalTrafficPolicy = "Local";
    const ext = s.chains.external ? nat?.chainsByName.get(s.chains.external) : undefined;
    if (ext) {
      let local = false;
      for (const r of ext.rules) {
        const t = r.target?.name ?? "";
        if (t.startsWith("KUBE-SVL-") || t.startsWith("KUBE-XLB-") || srcTypeLocal(r) === true || (r.source && !r.source.negated)) local = true;
      }
      s.externalTrafficPolicy = local ? "Local" : "Cluster";
    } else if (!s.externalTrafficPolicy && (s.chains.cluster || s.chains.xlb) && s.frontends.some((f) => f.type !== "ClusterIP" && f.type !== "HealthCheckNodePort")) {
      s.externalTrafficPolicy = s.chains.xlb ? "Local" : "Cluster";
    }
    const clusterIP = s.frontends.find((f) => f.type === "ClusterIP");
    if (clusterIP) {
      if (clusterIP.capturedBy.target.startsWith("KUBE-SVL-")) s.internalTrafficPolicy = "Local";
      else if (clusterIP.capturedBy.target.startsWith("KUBE-SVC-")) s.internalTrafficPolicy = "Cluster";
    }
    if (s.frontends.some((f) => f.type === "HealthCheckNodePort")) s.externalTrafficPolicy = "Local";
  }

  // -- endpoints -------------------------------------------------------------------

  private checkEndpoints(): void {
    const nat = this.nat;
    const owned = new Set<string>();
    for (const s of this.byHash.values()) {
      const local = new Set<string>();
      const all = new Map<string, KubeServiceEndpoint>();
      const add = (e: KubeEndpointShare, isLocal: boolean | null) => {
        const key = e.chain ?? e.address ?? "";
        let ep = all.get(key);
        if (!ep) {
          ep = { address: e.address, chain: e.chain, local: isLocal, hashVerified: false };
          if (e.chain && e.address && s.name) ep.hashVerified = e.chain === `KUBE-SEP-${endpointHash(s.name, s.protocol, e.address)}`;
          all.set(key, ep);
        }
      };
      // Local endpoints are those the local-policy chain dispatches to.
      for (const chainName of [s.chains.local, s.chains.xlb]) {
        const c = chainName ? nat?.chainsByName.get(chainName) : undefined;
        if (c) for (const r of c.rules) if (r.target?.name.startsWith("KUBE-SEP-")) local.add(r.target.name);
      }
      const knowsLocality = s.chains.local !== null || s.chains.xlb !== null;
      for (const fe of s.frontends) for (const list of [fe.endpointsFromNode, fe.endpoints]) for (const e of list) add(e, knowsLocality && e.chain ? local.has(e.chain) : null);
      // Endpoints whose SEP chain exists but no frontend reached (e.g. an SVC chain no capture uses).
      for (const chainName of [s.chains.cluster, s.chains.local, s.chains.xlb]) {
        const c = chainName ? nat?.chainsByName.get(chainName) : undefined;
        if (!c) continue;
        // Large-cluster mode: kube-proxy leaves the comments off the endpoint jumps of its KUBE-SVC chains.
        const cluster = chainName === s.chains.cluster && !this.largeCluster;
        for (const r of c.rules) {
          const t = r.target?.name;
          if (!t?.startsWith("KUBE-SEP-")) continue;
          if (!all.has(t)) add({ address: this.sepAddress(t, r), chain: t, kernel: Fraction.ZERO, intended: Fraction.ZERO }, knowsLocality ? local.has(t) : null);
          if (cluster && commentOf(r) === null) this.largeCluster = true;
        }
      }
      const list = [...all.values()];
      for (const ep of list) {
        if (ep.chain) owned.add(ep.chain);
        if (ep.chain && ep.address && s.name && !ep.hashVerified) {
          this.finding("warning", "sep-hash-mismatch", `${ep.chain} DNATs to ${ep.address}, but its name is not the hash of ${s.name}${s.protocol}${ep.address}`, s.name, ep.chain, null);
        }
      }
      s.endpoints.push(...list);
      if (s.frontends.length === 0) {
        this.finding("warning", "unreferenced-service-chain", `${Object.values(s.chains).filter(Boolean).join(", ")}: no rule in KUBE-SERVICES or KUBE-NODEPORTS sends traffic here (stale chains, or captures missing from a partial dump)`, s.name, Object.values(s.chains).find(Boolean) ?? null, null);
      }
    }
    if (nat) for (const c of nat.chains) {
      if (c.name.startsWith("KUBE-SEP-") && !owned.has(c.name)) {
        this.finding("info", "orphan-sep", `${c.name} is not used by any service chain (stale, or left by a partial sync)`, null, c.name, c.declaredAt);
      }
    }
    if (this.largeCluster) this.eras.add("large-cluster mode (no comments on endpoint rules: more than 1,000 endpoints)");
    if (this.missing.size > 0) this.eras.add("partial restore payload (jumps to chains the dump does not declare)");
  }

  // -- summary -------------------------------------------------------------------

  private masqueradeMark(): string | null {
    const c = this.nat?.chainsByName.get("KUBE-MARK-MASQ");
    const r = c?.rules[0];
    const o = r?.target?.options.find((x) => x.name === "--set-xmark" || x.name === "--or-mark" || x.name === "--set-mark");
    if (!o) return null;
    const text = o.values[0]?.text ?? "";
    return text.split("/")[0] ?? text;
  }

  private nodePortAddresses(): string {
    const c = this.nat?.chainsByName.get("KUBE-SERVICES");
    const tails = c?.rules.filter((r) => r.target?.name === "KUBE-NODEPORTS") ?? [];
    if (tails.length === 0) return "none";
    const specific = tails.filter((r) => r.destination && !r.destination.negated).map((r) => r.destination!.value.address);
    if (specific.length > 0) return specific.join(", ");
    return tails.some((r) => r.destination?.negated) ? "all local addresses except loopback" : "all local addresses";
  }

  private chainCounts(): { kind: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const t of [this.nat, this.filter]) {
      if (!t) continue;
      for (const c of t.chains) {
        const sc = serviceChain(c.name);
        if (sc) counts.set(`KUBE-${sc.kind}-*`, (counts.get(`KUBE-${sc.kind}-*`) ?? 0) + 1);
      }
    }
    return [...counts].map(([kind, count]) => ({ kind, count })).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  private finding(severity: FindingSeverity, code: string, message: string, service: string | null, chain: string | null, line: number | null): void {
    this.findings.push({ severity, code, message, service, chain, line });
  }
}

const CHAIN_FIELD: Readonly<Record<ServiceChainKind, keyof KubeServiceChains | null>> = {
  SVC: "cluster",
  SVL: "local",
  EXT: "external",
  FW: "firewall",
  XLB: "xlb",
  SEP: null,
};

function rank(by: KubeServicePort["identifiedBy"]): number {
  return by === "comment+hash" ? 3 : by === "hash" ? 2 : by === "comment" ? 1 : 0;
}

function typeFromComment(kind: string): FrontendType | null {
  return kind === "clusterIP" ? "ClusterIP" : kind === "externalIP" ? "ExternalIP" : kind === "loadBalancerIP" ? "LoadBalancer" : null;
}

function frontendKey(name: string, protocol: string, type: FrontendType, ip: string | null, port: number): string {
  return `${name}|${protocol}|${type}|${ip ?? "*"}|${port}`;
}

function where(fe: KubeFrontend): string {
  return fe.ip === null ? `*:${fe.port}` : `${fe.ip.includes(":") ? `[${fe.ip}]` : fe.ip}:${fe.port}`;
}

/** Who a KUBE-MARK-MASQ rule masquerades, in words. */
function masqueradeText(r: RuleNode): string {
  const parts: string[] = [];
  if (r.source) parts.push(`${r.source.negated ? "source not in" : "source in"} ${cidrText(r.source)}`);
  const local = srcTypeLocal(r);
  if (local !== null) parts.push(local ? "source is a node address" : "source is not a node address");
  // The bridge and interface-prefix local detectors write `! -i <bridge>` / `! -i <prefix>+`.
  if (r.inInterface) parts.push(`${r.inInterface.negated ? "not arriving on" : "arriving on"} ${r.inInterface.value.text}`);
  if (parts.length === 0) return "all traffic";
  return parts.join(" and ");
}

/** Merge outcomes into per-endpoint shares, in first-reached order. */
function shares(outcomes: readonly Outcome[]): KubeEndpointShare[] {
  const byKey = new Map<string, { address: string | null; chain: string | null; kernel: Fraction; intended: Fraction }>();
  for (const o of outcomes) {
    if (o.kind !== "endpoint" || o.kernel.isZero()) continue;
    const key = o.chain ?? o.address ?? "";
    const there = byKey.get(key);
    if (there) {
      there.kernel = there.kernel.add(o.kernel);
      there.intended = there.intended.add(o.intended);
    } else byKey.set(key, { address: o.address, chain: o.chain, kernel: o.kernel, intended: o.intended });
  }
  return [...byKey.values()];
}

function compareServices(a: KubeServicePort, b: KubeServicePort): number {
  const an = a.name ?? "\uffff" + a.hash;
  const bn = b.name ?? "\uffff" + b.hash;
  if (an !== bn) return an < bn ? -1 : 1;
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
}
