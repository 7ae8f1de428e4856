/**
 * KIPT3011 (several dumps, one per node): the same service port sends
 * traffic to different cluster-wide endpoint sets on different nodes. Every
 * node's kube-proxy writes the same KUBE-SVC chain from the same
 * EndpointSlices, so a difference means some node's kube-proxy is behind.
 * Compared per address family; the endpoints most nodes have are taken as
 * the cluster's. Local chains (KUBE-SVL, KUBE-XLB), which differ by design,
 * are not compared.
 */
import { defineRule } from "../rule.js";
import { cascadeSteps, kubeExample, kubeFacts, nginxService, serviceLine, servicePortText, type KubeFacts } from "./kube-shared.js";
import type { KubeServicePort } from "../../kube/model.js";

interface Seen {
  readonly facts: KubeFacts;
  readonly service: KubeServicePort;
  readonly endpoints: ReadonlySet<string>;
}

function list(addresses: Iterable<string>): string {
  return [...addresses].join(", ");
}

export const nodeDrift = defineRule({
  meta: {
    id: "KIPT3011",
    name: "node-drift",
    severity: "warning",
    summary: "With several dumps: the same service port sends traffic to different cluster-wide endpoints on different nodes.",
    kubernetes: true,
    examples: {
      bad: kubeExample([nginxService(["10.240.0.28", "10.240.0.57"])]),
      good: kubeExample([nginxService(["10.240.0.28", "10.240.0.53"])]),
      otherNodes: [kubeExample([nginxService(["10.240.0.28", "10.240.0.53"])]), kubeExample([nginxService(["10.240.0.28", "10.240.0.53"])])],
    },
  },
  check(context) {
    const all = kubeFacts(context);
    if (all.length < 2) return;
    const byPort = new Map<string, Seen[]>();
    for (const facts of all) {
      for (const s of facts.model.services) {
        if (s.name === null) continue;
        let endpoints: Set<string>;
        const chain = s.chains.cluster ? facts.nat?.chainsByName.get(s.chains.cluster) : undefined;
        if (chain) {
          const steps = cascadeSteps(facts.nat, chain);
          if (steps.some((st) => st.endpoint === null)) continue;
          endpoints = new Set(steps.map((st) => st.endpoint!));
        } else if (s.chains.cluster === null && s.chains.local === null && s.chains.xlb === null && s.frontends.some((fe) => fe.whenNoEndpoints?.reason === "no endpoints")) {
          endpoints = new Set();
        } else continue;
        const key = `${facts.model.family}|${s.name}|${s.protocol}`;
        const seen = byPort.get(key);
        const entry = { facts, service: s, endpoints };
        if (seen) seen.push(entry);
        else byPort.set(key, [entry]);
      }
    }
    for (const seen of byPort.values()) {
      const n = seen.length;
      if (n < 2) continue;
      const counts = new Map<string, number>();
      for (const x of seen) for (const e of x.endpoints) counts.set(e, (counts.get(e) ?? 0) + 1);
      if ([...counts.values()].every((c) => c === n)) continue;
      const consensus = new Set([...counts].filter(([, c]) => c * 2 > n).map(([e]) => e));
      for (const x of seen) {
        const extra = [...x.endpoints].filter((e) => !consensus.has(e));
        const missing = [...consensus].filter((e) => !x.endpoints.has(e));
        if (extra.length === 0 && missing.length === 0) continue;
        const at = serviceLine(x.facts, x.service);
        if (!at) continue;
        const others = seen.filter((o) => o !== x).map((o) => o.facts.node.file);
        const parts: string[] = [];
        const share = (e: string) => `${e} (${counts.get(e) ?? 0} of ${n} nodes do)`;
        if (extra.length > 0) parts.push(`sends traffic to ${extra.map(share).join(", ")}`);
        if (missing.length > 0) parts.push(`${extra.length > 0 ? "but not" : "does not send traffic"} to ${missing.map(share).join(", ")}`);
        context.report({
          node: x.facts.node,
          ...at,
          fingerprint: `${x.service.name}|${x.service.protocol}|${list([...x.endpoints].sort())}`,
          message: `${servicePortText(x.service.name!, x.service.protocol)} differs between nodes: this node ${parts.join(" ")}, compared with ${others.join(", ")}; a kube-proxy has not synced`,
        });
      }
    }
  },
});
