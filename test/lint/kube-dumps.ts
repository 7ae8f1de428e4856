/**
 * kube-proxy (iptables mode, 1.28-style) nat tables for the Kubernetes rule
 * tests, with chain names computed by kube-proxy's hashes, so a test changes
 * exactly one thing from what kube-proxy writes.
 */
import { endpointHash, portProtoHash } from "../../src/kube/hash.js";

export interface ServiceSpec {
  readonly name: string;
  readonly protocol?: string;
  readonly clusterIP: string;
  readonly port: number;
  /** `ip:port` or `[ip6]:port`. */
  readonly endpoints: readonly string[];
  /** Probabilities of the cascade's rules (null: unconditional); default kube-proxy's 1/(n-i), 10 decimals. */
  readonly probabilities?: readonly (number | null | string)[];
  /** Large-cluster mode: no comments on endpoint rules. */
  readonly large?: boolean;
}

export const svcChain = (name: string, protocol = "tcp") => `KUBE-SVC-${portProtoHash(name, protocol)}`;
export const sepChain = (name: string, endpoint: string, protocol = "tcp") => `KUBE-SEP-${endpointHash(name, protocol, endpoint)}`;

function hostOf(endpoint: string): string {
  return endpoint.startsWith("[") ? endpoint.slice(1, endpoint.indexOf("]")) : endpoint.slice(0, endpoint.lastIndexOf(":"));
}

/** The probability iptables-save prints for kube-proxy's 1/m: the kernel's fixed point k / 2^31, 11 decimals. */
export function savedProbability(m: number): string {
  return (Math.round(2 ** 31 / m) / 2 ** 31).toFixed(11);
}

/** Declarations and rules of one service port: [declarations, rules]. */
export function serviceLines(s: ServiceSpec): [string[], string[]] {
  const protocol = s.protocol ?? "tcp";
  const svc = svcChain(s.name, protocol);
  const v6 = s.clusterIP.includes(":");
  const full = v6 ? 128 : 32;
  const podCidr = v6 ? "fd00:10:244::/56" : "10.240.0.0/16";
  const comment = (text: string) => (s.large ? "" : `-m comment --comment "${text}" `);
  const decls = [`:${svc} - [0:0]`];
  const rules: string[] = [];
  const seps = s.endpoints.map((e) => sepChain(s.name, e, protocol));
  for (const [i, e] of s.endpoints.entries()) {
    const sep = seps[i]!;
    if (!decls.includes(`:${sep} - [0:0]`)) decls.push(`:${sep} - [0:0]`);
    rules.push(`-A ${sep} -s ${hostOf(e)}/${full} ${comment(s.name)}-j KUBE-MARK-MASQ`);
    rules.push(`-A ${sep} -p ${protocol} ${comment(s.name)}-m ${protocol} -j DNAT --to-destination ${e}`);
  }
  rules.push(`-A KUBE-SERVICES -d ${s.clusterIP}/${full} -p ${protocol} -m comment --comment "${s.name} cluster IP" -m ${protocol} --dport ${s.port} -j ${svc}`);
  rules.push(`-A ${svc} ! -s ${podCidr} -d ${s.clusterIP}/${full} -p ${protocol} -m comment --comment "${s.name} cluster IP" -m ${protocol} --dport ${s.port} -j KUBE-MARK-MASQ`);
  const n = s.endpoints.length;
  for (const [i, e] of s.endpoints.entries()) {
    const given = s.probabilities?.[i];
    const p = given === undefined ? (i === n - 1 ? null : savedProbability(n - i)) : given;
    rules.push(`-A ${svc} ${comment(`${s.name} -> ${e}`)}${p === null ? "" : `-m statistic --mode random --probability ${p} `}-j ${seps[i]}`);
  }
  return [decls, rules];
}

/** A nat table (and filter lines, when given) with kube-proxy's fixed chains and these services. */
export function kubeDump(services: readonly ServiceSpec[], extra: { decls?: string[]; rules?: string[]; filter?: string[] } = {}): string {
  const decls = [":KUBE-MARK-MASQ - [0:0]", ":KUBE-SERVICES - [0:0]", ...(extra.decls ?? [])];
  const rules = ['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000"];
  for (const s of services) {
    const [d, r] = serviceLines(s);
    decls.push(...d);
    rules.push(...r);
  }
  rules.push(...(extra.rules ?? []));
  const filter = extra.filter
    ? ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":KUBE-SERVICES - [0:0]", ":KUBE-EXTERNAL-SERVICES - [0:0]", '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES', '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', ...extra.filter, "COMMIT"]
    : [];
  return [...filter, "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ...decls, ...rules, "COMMIT", ""].join("\n");
}

/** 1-based line of the first line of `dump` containing `text` (the `occurrence`-th one). */
export function lineWith(dump: string, text: string, occurrence = 1): number {
  let seen = 0;
  const lines = dump.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(text) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`no line ${occurrence} with ${JSON.stringify(text)}`);
}

/** `dump` with the first line containing `find` replaced by `replace(line)`. */
export function editLine(dump: string, find: string, replace: (line: string) => string): string {
  const lines = dump.split("\n");
  const i = lines.findIndex((l) => l.includes(find));
  if (i < 0) throw new Error(`no line with ${JSON.stringify(find)}`);
  lines[i] = replace(lines[i]!);
  return lines.join("\n");
}
