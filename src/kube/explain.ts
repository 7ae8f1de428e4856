/**
 * `explain(ruleset | dump text)`: what a node's rules are, for people.
 * The kube-proxy model (services, frontends, endpoints, shares) when
 * kube-proxy wrote rules, and for every dump a summary: tables, chains,
 * rule counts, policies, which software owns which chains, NAT rules and
 * port-forwards.
 */
import type { DumpNode, RuleNode } from "../ast/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { kernelRefusals } from "../graph/chain-graph.js";
import { load, type Ruleset } from "../model/load.js";
import { parse } from "../parser/parse.js";
import { buildKubeModel, type KubeModel } from "./model.js";
import { dnatOf, dportOf, protocolOf, serviceChain } from "./recognize.js";

export interface TableSummary {
  readonly name: string;
  readonly chains: number;
  readonly userChains: number;
  readonly rules: number;
  /** Built-in chains with their policy and rule count. */
  readonly builtins: { readonly chain: string; readonly policy: string | null; readonly rules: number }[];
}

export interface OwnerSummary {
  /** `kube-proxy`, `kubelet`, `Docker`, `Calico`, ... or `other`. */
  readonly owner: string;
  readonly chains: number;
  readonly rules: number;
  /** Up to 8 chain names, `table/CHAIN`, sorted. */
  readonly examples: string[];
}

export interface NatRuleSummary {
  readonly table: string;
  readonly chain: string;
  readonly line: number;
  /** DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP. */
  readonly action: string;
  readonly protocol: string | null;
  /** Matched destination (`ip[/len]`, `*`) and port. */
  readonly match: string;
  /** Translation target (`10.20.0.50:443`), or null for MASQUERADE. */
  readonly to: string | null;
  readonly owner: string;
}

export interface Explanation {
  readonly family: "ipv4" | "ipv6" | null;
  readonly tables: TableSummary[];
  readonly owners: OwnerSummary[];
  /** NAT rules other than kube-proxy's per-endpoint DNATs. */
  readonly nat: NatRuleSummary[];
  /** DNAT rules other software wrote: port-forwards. */
  readonly portForwards: NatRuleSummary[];
  readonly kube: KubeModel;
  /** Parse diagnostics when `explain` was given text, and what the kernel would refuse (the chain graph's errors). */
  readonly diagnostics: Diagnostic[];
}

/** Chain-name prefixes of the software that writes iptables rules, most specific first. */
const OWNERS: readonly (readonly [prefix: string, owner: string])[] = [
  ["KUBE-FIREWALL", "kubelet"],
  ["KUBE-KUBELET-CANARY", "kubelet"],
  ["KUBE-MARK-DROP", "kubelet"],
  ["KUBE-IPTABLES-HINT", "kubelet"],
  ["KUBE-ROUTER", "kube-router"],
  ["KUBE-POD-FW-", "kube-router"],
  ["KUBE-NWPLCY-", "kube-router"],
  ["KUBE-SRC-", "kube-router"],
  ["KUBE-DST-", "kube-router"],
  ["KUBE-", "kube-proxy"],
  ["DOCKER", "Docker"],
  ["cali-", "Calico"],
  ["CILIUM_", "Cilium"],
  ["CILIUM-", "Cilium"],
  ["OLM-", "Cilium"],
  ["FLANNEL", "flannel"],
  ["WEAVE", "Weave Net"],
  ["CNI-", "CNI plugins"],
  ["KIND-", "kind"],
  ["ufw-", "ufw"],
  ["ufw6-", "ufw"],
  ["f2b-", "fail2ban"],
  ["fail2ban-", "fail2ban"],
  ["sshguard", "sshguard"],
  ["LIBVIRT_", "libvirt"],
  ["FORWARD_", "firewalld"],
  ["INPUT_", "firewalld"],
  ["OUTPUT_", "firewalld"],
  ["PREROUTING_", "firewalld"],
  ["POSTROUTING_", "firewalld"],
  ["IN_", "firewalld"],
  ["FWD_", "firewalld"],
  ["PRE_", "firewalld"],
  ["POST_", "firewalld"],
  ["OUTPUT_direct", "firewalld"],
  ["ts-", "Tailscale"],
  ["ISTIO_", "Istio"],
  ["LINKERD-", "Linkerd"],
  ["ANTREA-", "Antrea"],
  ["OVN-", "OVN-Kubernetes"],
  ["KUBE-PROXY-", "kube-proxy"],
];

/** Which software wrote a chain, by its name; `null` for built-in chains and names no one claims. */
export function ownerOf(chain: string): string | null {
  for (const [prefix, owner] of OWNERS) if (chain.startsWith(prefix)) return owner;
  return null;
}

const NAT_ACTIONS = new Set(["DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP"]);

export interface ExplainOptions {
  /** File name for diagnostics; default `<input>`. */
  readonly file?: string;
}

/** Explain a dump (text, parsed AST, or loaded ruleset). Never throws on bad input. */
export function explain(input: Ruleset | DumpNode | string, options: ExplainOptions = {}): Explanation {
  let ruleset: Ruleset;
  let diagnostics: Diagnostic[] = [];
  const file = options.file ?? "<input>";
  if (typeof input === "string") {
    const parsed = parse(input, { file });
    diagnostics = parsed.diagnostics;
    ruleset = load(parsed.dump);
  } else if ("kind" in input && input.kind === "dump") ruleset = load(input);
  else ruleset = input as Ruleset;
  diagnostics = [...diagnostics, ...kernelRefusals(ruleset, file)];

  const tables: TableSummary[] = [];
  const owners = new Map<string, { chains: number; rules: number; examples: string[] }>();
  const nat: NatRuleSummary[] = [];
  for (const t of ruleset.tables) {
    let rules = 0;
    let userChains = 0;
    const builtins: TableSummary["builtins"][number][] = [];
    for (const c of t.chains) {
      rules += c.rules.length;
      if (c.builtin) builtins.push({ chain: c.name, policy: c.policy, rules: c.rules.length });
      else {
        userChains++;
        const owner = ownerOf(c.name) ?? "other";
        let o = owners.get(owner);
        if (!o) owners.set(owner, (o = { chains: 0, rules: 0, examples: [] }));
        o.chains++;
        o.rules += c.rules.length;
        if (o.examples.length < 8) o.examples.push(`${t.name}/${c.name}`);
      }
      // Per-endpoint KUBE-SEP DNATs are the kube model's, not NAT for this list.
      if (c.name.startsWith("KUBE-SEP-")) continue;
      for (const r of c.rules) {
        const action = r.target?.name;
        if (!action || !NAT_ACTIONS.has(action)) continue;
        nat.push(natSummary(t.name, c.name, r, action));
      }
    }
    tables.push({ name: t.name, chains: t.chains.length, userChains, rules, builtins });
  }
  const ownerList = [...owners].map(([owner, o]) => ({ owner, chains: o.chains, rules: o.rules, examples: o.examples.sort() }));
  ownerList.sort((a, b) => (a.owner === "other" ? 1 : b.owner === "other" ? -1 : b.rules - a.rules || (a.owner < b.owner ? -1 : 1)));
  const portForwards = nat.filter((n) => n.action === "DNAT" && n.owner !== "kube-proxy");
  return { family: ruleset.family, tables, owners: ownerList, nat, portForwards, kube: buildKubeModel(ruleset), diagnostics };
}

function natSummary(table: string, chain: string, r: RuleNode, action: string): NatRuleSummary {
  const d = r.destination;
  const port = dportOf(r) ?? multiports(r);
  let match = d ? `${d.negated ? "!" : ""}${d.value.address}${d.value.prefixLength === (d.value.family === "ipv6" ? 128 : 32) ? "" : `/${d.value.prefixLength}`}` : "*";
  if (port !== null) match += `:${port}`;
  if (r.inInterface) match += ` in ${r.inInterface.negated ? "!" : ""}${r.inInterface.value.text}`;
  if (r.outInterface) match += ` out ${r.outInterface.negated ? "!" : ""}${r.outInterface.value.text}`;
  if (r.source) match = `from ${r.source.negated ? "!" : ""}${r.source.value.address}/${r.source.value.prefixLength} to ${match}`;
  let to: string | null = null;
  if (action === "DNAT") to = dnatOf(r)?.endpoint ?? null;
  else {
    const o = r.target!.options.find((x) => x.name === "--to-source" || x.name === "--to-ports" || x.name === "--to");
    to = o ? (o.values[0]?.text ?? null) : null;
  }
  const owner = ownerOf(chain) ?? (serviceChain(chain) ? "kube-proxy" : "other");
  return { table, chain, line: r.line, action, protocol: protocolOf(r), match, to, owner };
}

function multiports(r: RuleNode): string | null {
  for (const m of r.matches) {
    if (m.name !== "multiport") continue;
    for (const o of m.options) if (o.name === "--dports" || o.name === "--destination-ports" || o.name === "--ports") return o.values[0]?.text ?? null;
  }
  return null;
}
