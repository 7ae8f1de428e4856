/**
 * The cluster's view of endpoints, for `kipt lint --endpoints FILE`: the
 * JSON of `kubectl get endpointslices -A -o json` (discovery.k8s.io/v1
 * EndpointSlices) or of `kubectl get endpoints -A -o json` (v1 Endpoints),
 * as a list, a single object, or an array of either. Read leniently: what
 * does not have the expected shape is skipped, never thrown on.
 *
 * Endpoints are keyed as kube-proxy names them: service port
 * `namespace/name:port` (`namespace/name` for an unnamed port), protocol
 * lower-case, endpoint `ip:port` / `[ip6]:port` with the target port.
 */

export interface ClusterEndpoint {
  /** `ip:port` or `[ipv6]:port`. */
  readonly address: string;
  readonly ip: string;
  /** Ready (or, with EndpointSlices, serving while terminating): kube-proxy may use it. */
  readonly usable: boolean;
  /** Ready: kube-proxy must use it (when it has the service port at all). */
  readonly ready: boolean;
}

export interface ClusterServicePort {
  /** `namespace/name:port` or `namespace/name`. */
  readonly name: string;
  readonly protocol: string;
  readonly endpoints: ClusterEndpoint[];
}

export interface ClusterEndpoints {
  /** By `name|protocol`. */
  readonly ports: ReadonlyMap<string, ClusterServicePort>;
  /** Every `namespace/name` the file has an object for (with or without ports). */
  readonly services: ReadonlySet<string>;
  /** Namespaces the file has an object in. */
  readonly namespaces: ReadonlySet<string>;
  /** How many EndpointSlice / Endpoints objects were read. */
  readonly objects: number;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function joinHostPort(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function portKey(name: string, protocol: string): string {
  return `${name}|${protocol.toLowerCase()}`;
}

class Collector {
  readonly ports = new Map<string, ClusterServicePort>();
  readonly services = new Set<string>();
  readonly namespaces = new Set<string>();
  objects = 0;

  port(name: string, protocol: string): ClusterServicePort {
    const key = portKey(name, protocol);
    let p = this.ports.get(key);
    if (!p) {
      p = { name, protocol: protocol.toLowerCase(), endpoints: [] };
      this.ports.set(key, p);
    }
    return p;
  }

  add(p: ClusterServicePort, e: ClusterEndpoint): void {
    const there = p.endpoints.findIndex((x) => x.address === e.address);
    if (there < 0) p.endpoints.push(e);
    else {
      const old = p.endpoints[there]!;
      p.endpoints[there] = { ...old, usable: old.usable || e.usable, ready: old.ready || e.ready };
    }
  }

  object(o: Json): void {
    const kind = str(o.kind);
    const meta = isObject(o.metadata) ? o.metadata : {};
    const namespace = str(meta.namespace) ?? "default";
    if (kind === "EndpointSlice" || (kind === null && Array.isArray(o.endpoints) && "addressType" in o)) this.slice(o, meta, namespace);
    else if (kind === "Endpoints" || (kind === null && Array.isArray(o.subsets))) this.endpoints(o, meta, namespace);
  }

  private slice(o: Json, meta: Json, namespace: string): void {
    const labels = isObject(meta.labels) ? meta.labels : {};
    const service = str(labels["kubernetes.io/service-name"]);
    if (service === null) return;
    this.objects++;
    const svc = `${namespace}/${service}`;
    this.services.add(svc);
    this.namespaces.add(namespace);
    const ports = Array.isArray(o.ports) ? o.ports.filter(isObject) : [];
    const endpoints = Array.isArray(o.endpoints) ? o.endpoints.filter(isObject) : [];
    for (const port of ports) {
      const number = typeof port.port === "number" ? port.port : null;
      const portName = str(port.name) ?? "";
      const p = this.port(portName === "" ? svc : `${svc}:${portName}`, str(port.protocol) ?? "TCP");
      if (number === null) continue;
      for (const e of endpoints) {
        const c = isObject(e.conditions) ? e.conditions : {};
        // nil conditions mean ready (and serving); serving defaults to ready.
        const ready = c.ready !== false;
        const serving = typeof c.serving === "boolean" ? c.serving : ready;
        for (const ip of Array.isArray(e.addresses) ? e.addresses : []) {
          if (typeof ip !== "string") continue;
          this.add(p, { address: joinHostPort(ip, number), ip, ready, usable: ready || serving });
        }
      }
    }
  }

  private endpoints(o: Json, meta: Json, namespace: string): void {
    const service = str(meta.name);
    if (service === null) return;
    this.objects++;
    const svc = `${namespace}/${service}`;
    this.services.add(svc);
    this.namespaces.add(namespace);
    for (const subset of Array.isArray(o.subsets) ? o.subsets.filter(isObject) : []) {
      const ports = Array.isArray(subset.ports) ? subset.ports.filter(isObject) : [];
      for (const port of ports) {
        const number = typeof port.port === "number" ? port.port : null;
        const portName = str(port.name) ?? "";
        const p = this.port(portName === "" ? svc : `${svc}:${portName}`, str(port.protocol) ?? "TCP");
        if (number === null) continue;
        for (const [list, ready] of [[subset.addresses, true], [subset.notReadyAddresses, false]] as const) {
          for (const a of Array.isArray(list) ? list.filter(isObject) : []) {
            const ip = str(a.ip);
            if (ip !== null) this.add(p, { address: joinHostPort(ip, number), ip, ready, usable: ready });
          }
        }
      }
    }
  }
}

/** The cluster's endpoints from parsed `--endpoints` JSON; null when it holds no EndpointSlice or Endpoints object. */
export function readClusterEndpoints(json: unknown): ClusterEndpoints | null {
  const c = new Collector();
  const visit = (v: unknown, depth: number) => {
    if (depth > 2) return;
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObject(v)) {
      if (Array.isArray(v.items)) visit(v.items, depth + 1);
      else c.object(v);
    }
  };
  visit(json, 0);
  if (c.objects === 0) return null;
  return { ports: c.ports, services: c.services, namespaces: c.namespaces, objects: c.objects };
}
