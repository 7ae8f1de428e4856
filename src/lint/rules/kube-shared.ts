/**
 * What the Kubernetes rules (KIPT3xxx) share: the kube-proxy model of each
 * dump (src/kube, built once per run through `context.cache`) and a few
 * indexes over its nat table (who jumps where, what each KUBE-SEP chain
 * DNATs to, each dispatch chain's endpoint steps).
 */
import type { RuleNode } from "../../ast/types.js";
import { readClusterEndpoints, type ClusterEndpoints } from "../../kube/endpoints-file.js";
import { endpointHash, portProtoHash } from "../../kube/hash.js";
import { buildKubeModel, type KubeModel, type KubeServicePort } from "../../kube/model.js";
import { affinityCheckOf, commentOf, dnatOf, parseComment, probabilityOf, protocolOf, sepDnat, serviceChain } from "../../kube/recognize.js";
import type { LoadedChain, LoadedTable } from "../../model/load.js";
import type { LintContext, LintNode } from "../rule.js";

export interface KubeFacts {
  readonly node: LintNode;
  readonly model: KubeModel;
  readonly nat: LoadedTable | undefined;
  /** Rules of the nat table by the chain they jump or go to. */
  readonly jumpsTo: ReadonlyMap<string, readonly RuleNode[]>;
  /** The service port each KUBE-SEP chain belongs to, by the model (the service chains dispatching to it). */
  readonly sepOwner: ReadonlyMap<string, KubeServicePort>;
}

/** The Kubernetes facts of every node that kube-proxy wrote (others are left out), computed once per run. */
export function kubeFacts(context: LintContext): readonly KubeFacts[] {
  return context.cache("kube:facts", () => {
    const out: KubeFacts[] = [];
    for (const node of context.nodes) {
      const model = context.cache(`kube:${node.file}`, () => buildKubeModel(node.ruleset));
      if (!model.detected) continue;
      const nat = node.ruleset.tables.find((t) => t.name === "nat");
      const jumpsTo = new Map<string, RuleNode[]>();
      for (const c of nat?.chains ?? []) {
        for (const r of c.rules) {
          const t = r.target?.name;
          if (!t || !nat!.chainsByName.has(t)) continue;
          const list = jumpsTo.get(t);
          if (list) list.push(r);
          else jumpsTo.set(t, [r]);
        }
      }
      const sepOwner = new Map<string, KubeServicePort>();
      for (const s of model.services) for (const e of s.endpoints) if (e.chain && !sepOwner.has(e.chain)) sepOwner.set(e.chain, s);
      out.push({ node, model, nat, jumpsTo, sepOwner });
    }
    return out;
  });
}

/** The service port name and protocol a KUBE-SEP chain is for: the model's owner, else its own comments and `-p`. */
export function sepService(facts: KubeFacts, chain: LoadedChain): { name: string; protocol: string } | null {
  const owner = facts.sepOwner.get(chain.name);
  if (owner?.name) return { name: owner.name, protocol: owner.protocol };
  let name: string | null = null;
  let protocol: string | null = null;
  for (const r of chain.rules) {
    const c = commentOf(r);
    if (name === null && c !== null) name = parseComment(c).name;
    if (protocol === null && dnatOf(r)) protocol = protocolOf(r);
  }
  return name !== null && protocol !== null ? { name, protocol } : null;
}

/** One endpoint step of a dispatch chain's cascade (affinity checks left out). */
export interface CascadeRuleStep {
  readonly rule: RuleNode;
  /** The KUBE-SEP chain jumped to. */
  readonly sep: string;
  /** `ip:port` it DNATs to (else what the jump's comment names), or null. */
  readonly endpoint: string | null;
  /** `--probability` as read, or null for an unconditional rule. */
  readonly probability: number | null;
}

/** KUBE-SVC/SVL/XLB: the chains that dispatch to endpoints with a statistic cascade. */
export function isDispatchChain(name: string): boolean {
  const sc = serviceChain(name);
  return sc !== null && (sc.kind === "SVC" || sc.kind === "SVL" || sc.kind === "XLB");
}

/**
 * Per nat table and chain (a loaded table does not change): several rules
 * read each dispatch chain's steps.
 */
const stepsByTable = new WeakMap<LoadedTable, WeakMap<LoadedChain, readonly CascadeRuleStep[]>>();

/** The endpoint steps of a dispatch chain, in order. */
export function cascadeSteps(nat: LoadedTable | undefined, chain: LoadedChain): readonly CascadeRuleStep[] {
  let byChain = nat ? stepsByTable.get(nat) : undefined;
  const known = byChain?.get(chain);
  if (known) return known;
  const steps: CascadeRuleStep[] = [];
  for (const r of chain.rules) {
    const t = r.target?.name;
    if (!t || !t.startsWith("KUBE-SEP-") || affinityCheckOf(r)) continue;
    let endpoint = sepDnat(nat, t)?.endpoint ?? null;
    if (endpoint === null) {
      const c = commentOf(r);
      endpoint = c === null ? null : parseComment(c).endpoint;
    }
    steps.push({ rule: r, sep: t, endpoint, probability: probabilityOf(r)?.value ?? null });
  }
  if (nat) {
    if (!byChain) stepsByTable.set(nat, (byChain = new WeakMap()));
    byChain.set(chain, steps);
  }
  return steps;
}

/** `default/nginx:web (tcp)`. */
export function servicePortText(name: string, protocol: string): string {
  return `${name} (${protocol})`;
}

/** `--endpoints`, read once per run; null without the option or when the file holds no endpoints. */
export function clusterEndpoints(context: LintContext): ClusterEndpoints | null {
  if (context.options.endpoints === undefined) return null;
  return context.cache("kube:endpoints", () => readClusterEndpoints(context.options.endpoints));
}

/** The line a service port's findings point at: its first capture rule, else its first chain's declaration. */
export function serviceLine(facts: KubeFacts, s: KubeServicePort): { line: number; table: string; chain: string } | null {
  const captures = s.frontends.map((fe) => fe.capturedBy).sort((a, b) => a.line - b.line);
  if (captures[0]) return { line: captures[0].line, table: captures[0].table, chain: captures[0].chain };
  for (const name of Object.values(s.chains)) {
    const c = name ? facts.nat?.chainsByName.get(name) : undefined;
    if (c) return { line: c.declaredAt, table: "nat", chain: c.name };
  }
  return null;
}

/** The DNAT rule of an endpoint of a service port (its SEP chain's), for findings about it. */
export function endpointRule(facts: KubeFacts, chain: string | null): RuleNode | null {
  return chain ? (sepDnat(facts.nat, chain)?.rule ?? null) : null;
}

/** `ns/name` of a service port name `ns/name:port`. */
export function serviceOf(portName: string): string {
  const colon = portName.indexOf(":");
  return colon < 0 ? portName : portName.slice(0, colon);
}

// ---------------------------------------------------------------------------
// Examples shared by the `--endpoints` rules: samples/nginx.txt's nat table
// with the given endpoints of default/nginx:web, and an EndpointSlice list.

export interface ExampleService {
  /** Service port name: `default/nginx:web`. */
  readonly name: string;
  readonly clusterIP: string;
  readonly port: number;
  /** `ip:port` endpoints, in cascade order (a repeated one is jumped to again). */
  readonly endpoints: readonly string[];
  /** `ip:port` endpoints whose KUBE-SEP chains exist but nothing jumps to (left over). */
  readonly staleEndpoints?: readonly string[];
}

/** A kube-proxy nat table (as iptables-save prints it) for these tcp service ports. */
export function kubeExample(services: readonly ExampleService[]): string {
  const decls: string[] = [];
  const sepRules: [string, string][] = [];
  const services_: string[] = [];
  const svcRules: [string, string][] = [];
  for (const s of services) {
    const svc = `KUBE-SVC-${portProtoHash(s.name, "tcp")}`;
    decls.push(svc);
    services_.push(`-A KUBE-SERVICES -d ${s.clusterIP}/32 -p tcp -m comment --comment "${s.name} cluster IP" -m tcp --dport ${s.port} -j ${svc}`);
    const lines = [`-A ${svc} ! -s 10.240.0.0/16 -d ${s.clusterIP}/32 -p tcp -m comment --comment "${s.name} cluster IP" -m tcp --dport ${s.port} -j KUBE-MARK-MASQ`];
    const n = s.endpoints.length;
    const declare = (ep: string): string => {
      const sep = `KUBE-SEP-${endpointHash(s.name, "tcp", ep)}`;
      if (decls.includes(sep)) return sep;
      const ip = ep.slice(0, ep.lastIndexOf(":"));
      decls.push(sep);
      sepRules.push([sep, `-A ${sep} -s ${ip}/32 -m comment --comment "${s.name}" -j KUBE-MARK-MASQ\n-A ${sep} -p tcp -m comment --comment "${s.name}" -m tcp -j DNAT --to-destination ${ep}`]);
      return sep;
    };
    s.endpoints.forEach((ep, i) => {
      const sep = declare(ep);
      lines.push(`-A ${svc} -m comment --comment "${s.name} -> ${ep}" ${i < n - 1 ? `-m statistic --mode random --probability ${(Math.round(2 ** 31 / (n - i)) / 2 ** 31).toFixed(11)} ` : ""}-j ${sep}`);
    });
    for (const ep of s.staleEndpoints ?? []) declare(ep);
    svcRules.push([svc, lines.join("\n")]);
  }
  const byName = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const chains = [...decls, "KUBE-MARK-MASQ", "KUBE-SERVICES"].sort();
  return `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
${chains.map((c) => `:${c} - [0:0]\n`).join("")}-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
${sepRules.sort(byName).map((r) => `${r[1]}\n`).join("")}${services_.map((r) => `${r}\n`).join("")}${svcRules.sort(byName).map((r) => `${r[1]}\n`).join("")}COMMIT
`;
}

/** samples/nginx.txt's nat table with these pod IPs as endpoints of default/nginx:web. */
export function nginxExample(ips: readonly string[]): string {
  return kubeExample([nginxService(ips)]);
}

export function nginxService(ips: readonly string[]): ExampleService {
  return { name: "default/nginx:web", clusterIP: "10.0.33.45", port: 80, endpoints: ips.map((ip) => `${ip}:80`) };
}

/** `kubectl get endpointslices -A -o json` for services `{ namespace, name, port: [name, number], ips }`. */
export function endpointSliceList(services: readonly { namespace: string; name: string; port: readonly [string, number]; ips: readonly string[] }[]): unknown {
  return {
    apiVersion: "v1",
    kind: "List",
    items: services.map((s) => ({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      addressType: "IPv4",
      metadata: { name: `${s.name}-8vq2d`, namespace: s.namespace, labels: { "kubernetes.io/service-name": s.name } },
      endpoints: s.ips.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })),
      ports: [{ name: s.port[0], port: s.port[1], protocol: "TCP" }],
    })),
  };
}
