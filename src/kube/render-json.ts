/**
 * `kipt explain -o json`: schemaVersion 1. Shares are given three ways:
 * `probability` (a number, the kernel's effective share), `probabilityExact`
 * (kube-proxy's intended share as a fraction `n/d` when the cascade is its
 * equal split to within the printing precision, else the kernel's exact
 * share) and `probabilityKernel` (always the kernel's exact share, e.g.
 * `715827883/2147483648` for the first of three endpoints). A share whose
 * exact fraction is over MAX_BITS bits (deep in a cascade of hundreds of
 * endpoints) is null in the two exact fields; `probability` still holds it.
 */
import type { Explanation } from "./explain.js";
import type { KubeEndpointShare, KubeFrontend, KubeServicePort } from "./model.js";
import { jsonText } from "../text/sanitize.js";

function share(e: KubeEndpointShare) {
  return {
    address: e.address,
    probability: e.kernel.toNumber(),
    probabilityExact: e.intended.toExactString(),
    probabilityKernel: e.kernel.toExactString(),
    chain: e.chain,
  };
}

function frontend(f: KubeFrontend) {
  return {
    type: f.type,
    ip: f.ip,
    port: f.port,
    sourceRanges: f.sourceRanges,
    otherSources: f.otherSources,
    localhost: f.localhost,
    whenNoEndpoints: f.whenNoEndpoints,
    masquerade: f.masquerade,
    endpoints: f.endpoints.map(share),
    endpointsFromNode: f.endpointsFromNode.map(share),
    unmatched: f.unmatched.toExactString(),
    unmatchedFromNode: f.unmatchedFromNode.toExactString(),
    missingChains: f.missingChains,
    capturedBy: f.capturedBy,
  };
}

function service(s: KubeServicePort) {
  return {
    name: s.name,
    protocol: s.protocol,
    hash: s.hash,
    identifiedBy: s.identifiedBy,
    chains: s.chains,
    affinity: s.affinity,
    externalTrafficPolicy: s.externalTrafficPolicy,
    internalTrafficPolicy: s.internalTrafficPolicy,
    frontends: s.frontends.map(frontend),
    endpoints: s.endpoints,
  };
}

/** The JSON document (a plain object, ready for JSON.stringify). */
export function explanationToJson(x: Explanation): Record<string, unknown> {
  const k = x.kube;
  return {
    schemaVersion: 1,
    family: x.family,
    kubeProxy: k.detected ? k.proxy : null,
    services: k.services.map(service),
    chains: {
      kubeProxy: k.chainCounts,
      byOwner: x.owners,
    },
    tables: x.tables,
    nat: x.nat,
    portForwards: x.portForwards,
    findings: k.findings,
  };
}

export function renderJson(x: Explanation): string {
  return jsonText(explanationToJson(x)) + "\n";
}
