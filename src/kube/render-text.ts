/**
 * `kipt explain` text: one block per service port (frontends, then the
 * endpoints with their shares, policies, masquerading), in the spirit of
 * `cilium-dbg service list`; then what else is on the node (tables,
 * owners, NAT, port-forwards) and anything odd found on the way. Sorted
 * and aligned; every string from the dump is neutralized.
 */
import { Chalk, type ChalkInstance } from "chalk";
import { neutralize } from "../text/sanitize.js";
import type { Explanation, NatRuleSummary } from "./explain.js";
import type { KubeEndpointShare, KubeFrontend, KubeServicePort } from "./model.js";

const plain = new Chalk({ level: 0 });

export interface TextOptions {
  readonly colour?: ChalkInstance;
}

function hostPort(ip: string | null, port: number): string {
  if (ip === null) return `*:${port}`;
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function padStart(text: string, width: number): string {
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

const listKeys = new WeakMap<readonly KubeEndpointShare[], string>();

/** Identity of an endpoint list; the model shares one array between identical lists, so this is mostly a cache hit. */
function listKey(list: readonly KubeEndpointShare[]): string {
  let key = listKeys.get(list);
  if (key === undefined) {
    key = list.map((e) => `${e.chain}|${e.address}|${e.kernel.num}/${e.kernel.den}`).join(",");
    listKeys.set(list, key);
  }
  return key;
}

const AUDIENCE = { outside: "from outside the node", node: "from pods and the node" } as const;

function frontendNotes(f: KubeFrontend): string[] {
  const notes: string[] = [];
  if (f.localhost) notes.push("also on 127.0.0.0/8");
  if (f.sourceRanges.length > 0) notes.push(`source ranges ${f.sourceRanges.join(", ")}${f.otherSources ? `; others ${f.otherSources}` : ""}`);
  if (f.type === "HealthCheckNodePort") notes.push("answered by kube-proxy (tcp)");
  return notes;
}

interface Widths {
  /** Frontend address column. */
  readonly frontend: number;
  /** Endpoint address column. */
  readonly endpoint: number;
}

function serviceBlock(s: KubeServicePort, c: ChalkInstance, widths: Widths): string {
  const out: string[] = [];
  const title = s.name ?? `(unnamed: chains …-${s.hash})`;
  const tags: string[] = [s.protocol];
  if (s.externalTrafficPolicy === "Local") tags.push("externalTrafficPolicy=Local");
  if (s.internalTrafficPolicy === "Local") tags.push("internalTrafficPolicy=Local");
  if (s.affinity) tags.push(`affinity ClientIP${s.affinity.timeoutSeconds !== null ? ` ${s.affinity.timeoutSeconds}s` : ""}`);
  if (s.identifiedBy === "hash") tags.push("named by hash");
  out.push(`${c.bold(neutralize(title))}  ${neutralize(tags.join("  "))}`);

  const typeWidth = 20;
  const addrWidth = widths.frontend;
  for (const f of s.frontends) {
    const notes = frontendNotes(f);
    const line = `  ${c.cyan(pad(f.type, typeWidth))}${pad(neutralize(hostPort(f.ip, f.port)), addrWidth)}${neutralize(notes.join("; "))}`;
    out.push(line.trimEnd());
  }

  // Endpoint lists, grouped: frontends and audiences that reach the same endpoints share one list.
  interface Group {
    list: readonly KubeEndpointShare[];
    both: string[];
    outside: string[];
    node: string[];
    empty: KubeFrontend[];
  }
  const groups = new Map<string, Group>();
  const add = (key: string, list: readonly KubeEndpointShare[], f: KubeFrontend, audience: "both" | "outside" | "node") => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { list, both: [], outside: [], node: [], empty: [] }));
    if (!g[audience].includes(f.type)) g[audience].push(f.type);
    if (list.length === 0) g.empty.push(f);
  };
  const resolvable = s.frontends.filter((f) => f.type !== "HealthCheckNodePort");
  for (const f of resolvable) {
    const outsideKey = f.missingChains.length ? `missing:${f.missingChains.join(",")}` : listKey(f.endpoints) || `none:${f.whenNoEndpoints?.where ?? ""}`;
    const nodeKey = f.missingChains.length ? outsideKey : listKey(f.endpointsFromNode) || `none:${f.whenNoEndpoints?.where ?? ""}`;
    if (outsideKey === nodeKey) add(outsideKey, f.endpoints, f, "both");
    else {
      add(outsideKey, f.endpoints, f, "outside");
      add(nodeKey, f.endpointsFromNode, f, "node");
    }
  }
  const local = new Map(s.endpoints.map((e) => [e.chain ?? e.address ?? "", e.local]));
  const single = groups.size === 1;
  for (const [key, g] of groups) {
    const parts: string[] = [];
    if (g.both.length) parts.push(g.both.join(", "));
    if (g.outside.length) parts.push(`${AUDIENCE.outside}: ${g.outside.join(", ")}`);
    if (g.node.length) parts.push(`${AUDIENCE.node}: ${g.node.join(", ")}`);
    const header = single && g.both.length ? "  endpoints" : `  endpoints (${parts.join("; ")})`;
    if (key.startsWith("missing:")) {
      out.push(`${header}: ${c.yellow(`unknown: ${neutralize(key.slice(8))} not in this dump`)}`);
      continue;
    }
    if (g.list.length === 0) {
      const f = g.empty[0];
      const policy = f?.whenNoEndpoints;
      const what = policy ? `${policy.action} (${policy.reason}; ${policy.where})` : "traffic is not translated";
      out.push(`${header}: ${c.yellow(`none, ${neutralize(what)}`)}`);
      continue;
    }
    out.push(header);
    const width = widths.endpoint;
    for (const e of g.list) {
      const pct = padStart(e.intended.toPercentFixed(), 6);
      const isLocal = local.get(e.chain ?? e.address ?? "");
      const tags = [e.chain ?? "DNAT", isLocal === true ? "local" : ""].filter(Boolean).join("  ");
      out.push(`    ${pad(neutralize(e.address ?? "?"), width)}${c.green(pct)}  ${c.dim(neutralize(tags))}`.trimEnd());
    }
  }
  // When outside traffic finds no local endpoint it falls through to the no-endpoints rule.
  for (const f of resolvable) {
    if (f.endpoints.length > 0 && !f.unmatched.isZero()) {
      // Without a no-endpoints rule the traffic goes on past the service's chains untranslated (a leaky cascade).
      const what = f.whenNoEndpoints ? `${f.whenNoEndpoints.action} (${f.whenNoEndpoints.reason})` : "reach no endpoint (fall through the end of the service's chains)";
      out.push(`  ${f.type} ${neutralize(hostPort(f.ip, f.port))}: ${f.unmatched.toPercentFixed()} ${neutralize(what)}`);
    }
  }

  const masq = new Map<string, string[]>();
  for (const f of resolvable) for (const m of f.masquerade) {
    const types = masq.get(m) ?? [];
    if (!types.includes(f.type)) types.push(f.type);
    masq.set(m, types);
  }
  if (masq.size > 0) {
    const allTypes = new Set(resolvable.map((f) => f.type)).size;
    const text = [...masq].map(([m, types]) => (types.length === allTypes && masq.size === 1 ? m : `${m} (${types.join(", ")})`)).join("; ");
    out.push(`  masquerade  ${neutralize(text)}`);
  }
  return out.join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function natLine(n: NatRuleSummary): string {
  const proto = n.protocol ? `${n.protocol} ` : "";
  return `${n.action} ${proto}${n.match}${n.to ? ` -> ${n.to}` : ""}  (${n.table} ${n.chain}, line ${n.line}; ${n.owner})`;
}

/** The whole text report. */
export function renderText(x: Explanation, options: TextOptions = {}): string {
  const c = options.colour ?? plain;
  const out: string[] = [];
  const k = x.kube;
  const family = x.family === "ipv6" ? "IPv6" : x.family === "ipv4" ? "IPv4" : "unknown family";
  if (k.detected) {
    const endpoints = new Set<string>();
    for (const s of k.services) for (const e of s.endpoints) endpoints.add(`${s.hash}|${e.chain ?? e.address}`);
    out.push(c.bold(`kube-proxy (iptables mode), ${family}: ${k.services.length} service port${k.services.length === 1 ? "" : "s"}, ${endpoints.size} endpoint${endpoints.size === 1 ? "" : "s"}`));
    const facts: string[] = [];
    if (k.proxy.masqueradeMark) facts.push(`masquerade mark ${k.proxy.masqueradeMark}`);
    if (k.proxy.clusterCIDRs.length) facts.push(`cluster CIDR ${k.proxy.clusterCIDRs.join(", ")}`);
    facts.push(`NodePorts on ${k.proxy.nodePortAddresses}`);
    out.push(`  ${neutralize(facts.join(", "))}`);
    for (const era of k.proxy.eras) out.push(`  ${neutralize(era)}`);
    out.push("");
    // One set of columns for the whole report, so blocks line up when scrolling through thousands.
    let frontend = 0;
    let endpoint = 0;
    for (const s of k.services) {
      for (const f of s.frontends) frontend = Math.max(frontend, hostPort(f.ip, f.port).length);
      for (const e of s.endpoints) endpoint = Math.max(endpoint, (e.address ?? "?").length);
    }
    const widths: Widths = { frontend: Math.min(frontend, 47) + 2, endpoint: Math.min(endpoint, 47) + 2 };
    for (const s of k.services) {
      out.push(serviceBlock(s, c, widths));
      out.push("");
    }
  } else {
    out.push(c.bold(`No kube-proxy rules (${family}).`));
    out.push("");
  }

  out.push(c.bold("Tables"));
  const tw = Math.max(0, ...x.tables.map((t) => t.name.length)) + 2;
  for (const t of x.tables) {
    const pol = t.builtins.map((b) => `${b.chain} ${b.policy ?? "-"} (${b.rules})`).join(", ");
    out.push(`  ${pad(neutralize(t.name), tw)}${plural(t.chains, "chain")} (${t.userChains} user), ${plural(t.rules, "rule")}; ${neutralize(pol)}`);
  }
  if (x.owners.length > 0) {
    out.push("");
    out.push(c.bold("Chains by owner"));
    const ow = Math.max(...x.owners.map((o) => o.owner.length)) + 2;
    for (const o of x.owners) {
      const more = o.chains > o.examples.length ? ", …" : "";
      out.push(`  ${pad(o.owner, ow)}${plural(o.chains, "chain")}, ${plural(o.rules, "rule")}  ${c.dim(neutralize(o.examples.join(", ") + more))}`);
    }
  }
  if (x.portForwards.length > 0) {
    out.push("");
    out.push(c.bold("Port-forwards (DNAT)"));
    for (const n of x.portForwards) out.push(`  ${neutralize(natLine(n))}`);
  }
  const otherNat = x.nat.filter((n) => n.action !== "DNAT" || n.owner === "kube-proxy");
  if (otherNat.length > 0) {
    out.push("");
    out.push(c.bold("Other NAT"));
    for (const n of otherNat) out.push(`  ${neutralize(natLine(n))}`);
  }
  if (k.findings.length > 0) {
    out.push("");
    out.push(c.bold("Findings"));
    const sorted = [...k.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "warning" ? -1 : 1));
    for (const f of sorted) {
      const sev = f.severity === "warning" ? c.yellow("warning") : c.cyan("info");
      out.push(`  ${sev}: ${neutralize(f.message)}${f.line ? ` (line ${f.line})` : ""} [${f.code}]`);
    }
  }
  return out.join("\n").replace(/\n+$/, "") + "\n";
}
