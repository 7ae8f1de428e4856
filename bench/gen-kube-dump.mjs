#!/usr/bin/env node
// Deterministic generator of kube-proxy (iptables mode) shaped `iptables-save` dumps.
//
//   node bench/gen-kube-dump.mjs --services N [--seed S] [--out FILE]
//        [--form save|restore] [--large-cluster-mode] [--stats]
//
// Default output ("save" form) is byte-for-byte what `iptables-save` v1.8.9 (nf_tables)
// prints after the ruleset has been restored into an empty network namespace, except
// for the two timestamp comments per table, which carry a FIXED date so the output is
// reproducible. That was checked by restoring and re-saving (see bench/README.md).
//
// The "restore" form writes the same ruleset with the arguments in the order kube-proxy
// writes them (`-m comment` first, `-m tcp -p tcp -d 10.1.2.3 --dport 80`, bare
// single-word comments, `%0.10f` probabilities, `--or-mark 0x00004000`, no `/32`).
// Restoring it and running `iptables-save` gives exactly the "save" form. Unlike
// kube-proxy's real payload, it also contains the jumps from the built-in chains (which
// kube-proxy adds with `iptables -I`), the canary chains and the mangle table.
//
// Modelled kube-proxy: about v1.31 (KUBE-EXT/KUBE-SVL, filter-table KUBE-PROXY-FIREWALL,
// no KUBE-MARK-DROP). Settings: masquerade bit 14, cluster-CIDR local detector
// (pod CIDR 10.240.0.0/12), localhostNodePorts=true but no nfacct support (so there are no
// `-d 127.0.0.0/8 ... -m nfacct` NodePort rules), nf_conntrack_tcp_be_liberal unset
// (so the INVALID DROP rule is present), MASQUERADE --random-fully, nodePortAddresses unset.
// Large-cluster mode (comments dropped from the SVC/SVL/SEP rules) is OFF by default,
// although real kube-proxy would enable it above 1000 endpoints. Use --large-cluster-mode
// to get that shape.
//
// Plain JavaScript, no dependencies; no Math.random (own mulberry32 PRNG).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/** mulberry32: returns a function giving floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Turns a CLI seed (number or any string) into a uint32. */
export function seedToUint32(seed) {
  if (typeof seed === 'number' && Number.isInteger(seed)) return seed >>> 0;
  const s = String(seed);
  if (/^\d+$/.test(s)) return Number(BigInt(s) & 0xffffffffn);
  return createHash('sha256').update(s).digest().readUInt32BE(0);
}

// ---------------------------------------------------------------------------
// kube-proxy naming
// ---------------------------------------------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** First 16 characters of base32.StdEncoding(sha256(s)): exactly the first 10 bytes. */
export function hash16(s) {
  const h = createHash('sha256').update(s).digest();
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    acc = ((acc << 8) | h[i]) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Suffix shared by KUBE-SVC-/KUBE-SVL-/KUBE-EXT-/KUBE-FW- chains: sha256(portName + protocol). */
export const portProtoHash = (portName, protocol) => hash16(portName + protocol);
/** Suffix of KUBE-SEP- chains: sha256(portName + protocol + "ip:port"). */
export const endpointHash = (portName, protocol, endpoint) => hash16(portName + protocol + endpoint);

// ---------------------------------------------------------------------------
// Probabilities
// ---------------------------------------------------------------------------

/**
 * Exact decimal formatting of a finite non-negative double with `digits` decimals, rounding
 * the exact binary value half-to-even (Go's strconv 'f' and glibc printf both do this; JS
 * toFixed rounds ties up, which differs e.g. for 1/2048 at 10 decimals).
 */
export function formatFixedExact(x, digits) {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`bad value ${x}`);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  // x = mant * 2^exp; want round(x * 10^digits) half-even
  let num = mant * 10n ** BigInt(digits);
  let q;
  if (exp >= 0) q = num << BigInt(exp);
  else q = roundDivHalfEven(num, 1n << BigInt(-exp));
  return bigScaledToString(q, digits);
}

function roundDivHalfEven(num, den) {
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

function bigScaledToString(q, digits) {
  const s = q.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

const probCache = new Map();

/** kube-proxy's computeProbability(n): fmt.Sprintf("%0.10f", 1.0/float64(n)). */
export function kubeProxyProbability(n) {
  return formatFixedExact(1 / n, 10);
}

/**
 * What iptables-save prints for a `--probability` argument string.
 * libxt_statistic stores k = lround(strtod(arg) * 2^31) (a uint32 in the kernel) and
 * prints k / 2^31 with "%.11f" (glibc: exact value, ties to even).
 */
export function savedProbability(arg) {
  const k = Math.round(Number(arg) * 2147483648); // lround; *2^31 is exact
  return roundDivHalfEven(BigInt(k) * 10n ** 11n, 2147483648n).toString().padStart(12, '0').replace(/(\d{11})$/, '.$1');
}

function probabilityFor(n, form) {
  const key = `${form}:${n}`;
  let v = probCache.get(key);
  if (v === undefined) {
    v = kubeProxyProbability(n);
    if (form === 'save') v = savedProbability(v);
    probCache.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------------------
// IP helpers
// ---------------------------------------------------------------------------

const ipToStr = (n) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const ipToInt = (s) => s.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0) >>> 0;
const cidrContains = (cidr, ip) => {
  const [base, len] = cidr.split('/');
  const l = Number(len);
  const mask = l === 0 ? 0 : (~0 << (32 - l)) >>> 0;
  return ((ipToInt(base) & mask) >>> 0) === ((ipToInt(ip) & mask) >>> 0);
};

// ---------------------------------------------------------------------------
// Cluster model
// ---------------------------------------------------------------------------

const SERVICE_CIDR_BASE = ipToInt('10.96.0.0'); // 10.96.0.0/12
const SERVICE_CIDR_SIZE = 1 << 20;
const POD_CIDR = '10.240.0.0/12'; // node k gets 10.240.0.0/24 + k*256; this node is node 0
const POD_CIDR_BASE = ipToInt('10.240.0.0');
const LB_BASE = ipToInt('198.18.0.0'); // 198.18.0.0/15
const LB_SIZE = 1 << 17;
const EXTIP_BASE = ipToInt('172.20.0.0'); // 172.20.0.0/14
const EXTIP_SIZE = 1 << 18;
export const NODE_IP = '192.168.1.10';
const MARK = '0x00004000'; // fmt.Sprintf("%#08x", 1<<14)
const MARK_SAVED = '0x4000';

const NS_WORDS = ['payments', 'checkout', 'search', 'identity', 'billing', 'catalog', 'orders', 'ledger', 'media', 'ingest', 'analytics', 'notify', 'platform', 'obs', 'storage', 'gateway', 'inventory', 'shipping', 'pricing', 'fraud', 'recs', 'auth', 'chat', 'reports'];
const ENV_WORDS = ['prod', 'stg', 'dev', 'qa', 'canary', 'perf'];
const SVC_WORDS1 = ['api', 'web', 'worker', 'frontend', 'backend', 'cache', 'redis', 'postgres', 'kafka', 'grpc', 'auth', 'session', 'events', 'indexer', 'scheduler', 'proxy', 'router', 'exporter', 'collector', 'broker', 'store', 'queue', 'renderer', 'resizer', 'mailer', 'ledger'];
const SVC_WORDS2 = ['server', 'service', 'gateway', 'primary', 'replica', 'headless', 'internal', 'public', 'v1', 'v2', 'edge', 'sync', 'reader', 'writer', 'admin', 'metrics'];

const TCP_PORTS = [
  { name: 'http', port: 80, target: 8080 },
  { name: 'https', port: 443, target: 8443 },
  { name: 'grpc', port: 9090, target: 9090 },
  { name: 'metrics', port: 9100, target: 9100 },
  { name: 'web', port: 8080, target: 8080 },
  { name: 'http-api', port: 8000, target: 8000 },
  { name: 'postgres', port: 5432, target: 5432 },
  { name: 'redis', port: 6379, target: 6379 },
  { name: 'kafka', port: 9092, target: 9092 },
  { name: 'admin', port: 8081, target: 8081 },
  { name: 'tcp-3000', port: 3000, target: 3000 },
];
const UDP_PORTS = [
  { name: 'dns', port: 53, target: 5353 },
  { name: 'syslog', port: 514, target: 5514 },
  { name: 'statsd', port: 8125, target: 8125 },
  { name: 'quic', port: 443, target: 8443 },
];
const SOURCE_RANGES = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/25', '10.0.0.0/8', '100.64.0.0/10', '192.168.0.0/16'];

/** Weighted pick: weights is an array of [value, weight]. */
function pickWeighted(rng, weights) {
  let total = 0;
  for (const [, w] of weights) total += w;
  let r = rng() * total;
  for (const [v, w] of weights) {
    r -= w;
    if (r < 0) return v;
  }
  return weights[weights.length - 1][0];
}

// endpoints per service: skewed to small replica counts, 1..10
const ENDPOINT_WEIGHTS = [[1, 22], [2, 19], [3, 18], [4, 8], [5, 7], [6, 5], [7, 4], [8, 4], [9, 4], [10, 9]];

function buildCluster(rng, nServices) {
  const int = (n) => Math.floor(rng() * n);
  const pick = (arr) => arr[int(arr.length)];

  const usedClusterIPs = new Set([0, 1, 10]);
  const allocClusterIP = () => {
    for (let i = 0; i < 1000; i++) {
      const off = 2 + int(SERVICE_CIDR_SIZE - 3);
      if (!usedClusterIPs.has(off)) {
        usedClusterIPs.add(off);
        return ipToStr(SERVICE_CIDR_BASE + off);
      }
    }
    throw new Error('service CIDR exhausted');
  };
  const mkUnique = (base, size) => {
    const used = new Set();
    return () => {
      for (let i = 0; i < 1000; i++) {
        const off = 1 + int(size - 2);
        if (!used.has(off)) {
          used.add(off);
          return ipToStr(base + off);
        }
      }
      throw new Error('address range exhausted');
    };
  };
  const allocLB = mkUnique(LB_BASE, LB_SIZE);
  const allocExtIP = mkUnique(EXTIP_BASE, EXTIP_SIZE);

  // Node ports: the default range 30000-32767 first; if a big cluster exhausts it, continue
  // below 30000 (as with --service-node-port-range=10000-32767).
  const usedNodePorts = new Set();
  const nodePortRanges = [[30000, 32767], [20000, 29999], [10000, 19999]].map(([lo, hi]) => ({ lo, size: hi - lo + 1, used: 0 }));
  const allocNodePort = () => {
    for (const r of nodePortRanges) {
      if (r.used * 2 >= r.size && r !== nodePortRanges[nodePortRanges.length - 1]) continue; // keep ranges sparse
      for (let i = 0; i < 10000; i++) {
        const p = r.lo + int(r.size);
        if (!usedNodePorts.has(p)) {
          usedNodePorts.add(p);
          r.used++;
          return p;
        }
      }
    }
    throw new Error('node ports exhausted');
  };

  const nNodes = Math.min(4000, Math.max(20, Math.ceil(nServices / 8)));
  const usedPodIPs = new Set();
  const allocRemotePodIP = () => {
    for (let i = 0; i < 1000; i++) {
      const node = 1 + int(nNodes - 1);
      const host = 2 + int(253);
      const n = POD_CIDR_BASE + node * 256 + host;
      if (!usedPodIPs.has(n)) {
        usedPodIPs.add(n);
        return ipToStr(n);
      }
    }
    throw new Error('pod CIDR exhausted');
  };
  // pods on this node (node 0): a node holds ~110 pods, so local pods back several services
  const localPods = Array.from({ length: 110 }, (_, i) => ipToStr(POD_CIDR_BASE + 2 + i));

  const nsCount = Math.max(3, Math.ceil(nServices / 25));
  const namespaces = [];
  const nsSeen = new Set();
  for (let i = 0; namespaces.length < nsCount && i < nsCount * 50; i++) {
    const name = `${pick(NS_WORDS)}-${pick(ENV_WORDS)}${i >= NS_WORDS.length * ENV_WORDS.length ? `-${i}` : ''}`;
    if (!nsSeen.has(name)) {
      nsSeen.add(name);
      namespaces.push(name);
    }
  }
  const svcNamesSeen = new Set();

  const services = [];
  // well-known services first
  services.push({
    ns: 'default', name: 'kubernetes', type: 'ClusterIP', clusterIP: '10.96.0.1',
    ports: [{ name: 'https', proto: 'tcp', port: 443, target: 6443 }],
    etpLocal: false, hcNodePort: 0, lbIPs: [], sourceRanges: [], externalIPs: [], affinity: 0,
    podIPs: ['192.168.1.2', '192.168.1.3', '192.168.1.4'], localSet: new Set(),
  });
  if (nServices > 1) {
    services.push({
      ns: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', proto: 'udp', port: 53, target: 53 },
        { name: 'dns-tcp', proto: 'tcp', port: 53, target: 53 },
        { name: 'metrics', proto: 'tcp', port: 9153, target: 9153 },
      ],
      etpLocal: false, hcNodePort: 0, lbIPs: [], sourceRanges: [], externalIPs: [], affinity: 0,
      podIPs: [localPods[0], allocRemotePodIP()], localSet: new Set([localPods[0]]),
    });
  }

  while (services.length < nServices) {
    const ns = pick(namespaces);
    let name;
    for (let i = 0; i < 100; i++) {
      name = rng() < 0.6 ? `${pick(SVC_WORDS1)}-${pick(SVC_WORDS2)}` : `${pick(SVC_WORDS1)}`;
      if (rng() < 0.35 || i > 3) name += `-${int(i > 10 ? 100000 : 100)}`;
      if (!svcNamesSeen.has(`${ns}/${name}`)) break;
    }
    if (svcNamesSeen.has(`${ns}/${name}`)) continue;
    svcNamesSeen.add(`${ns}/${name}`);

    const type = pickWeighted(rng, [['ClusterIP', 74], ['NodePort', 13], ['LoadBalancer', 13]]);
    const udp = rng() < 0.07;
    const nPorts = pickWeighted(rng, [[1, 84], [2, 13], [3, 3]]);
    const pool = udp ? UDP_PORTS : TCP_PORTS;
    const ports = [];
    const usedPortKeys = new Set();
    for (let i = 0; ports.length < nPorts && i < 50; i++) {
      const p = pick(pool);
      const proto = udp && ports.length > 0 && rng() < 0.5 ? 'tcp' : udp ? 'udp' : 'tcp';
      const key = `${p.name}`;
      if (usedPortKeys.has(key) || usedPortKeys.has(`${p.port}/${proto}`)) continue;
      usedPortKeys.add(key);
      usedPortKeys.add(`${p.port}/${proto}`);
      ports.push({ name: p.name, proto, port: p.port, target: p.target });
    }
    // single-port services often leave the port unnamed -> "ns/svc" without ":port"
    if (ports.length === 1 && rng() < 0.3) ports[0].name = '';

    const svc = {
      ns, name, type, clusterIP: allocClusterIP(), ports,
      etpLocal: false, hcNodePort: 0, lbIPs: [], sourceRanges: [], externalIPs: [], affinity: 0,
      podIPs: [], localSet: new Set(),
    };
    if (type !== 'ClusterIP') {
      for (const p of ports) p.nodePort = allocNodePort();
      svc.etpLocal = rng() < 0.35;
    } else if (rng() < 0.02) {
      svc.externalIPs.push(allocExtIP());
      svc.etpLocal = rng() < 0.3;
    }
    if (type === 'LoadBalancer') {
      svc.lbIPs.push(allocLB());
      if (rng() < 0.05) svc.lbIPs.push(allocLB());
      if (rng() < 0.3) {
        const nr = 1 + int(3);
        const rs = new Set();
        for (let i = 0; i < nr; i++) rs.add(pick(SOURCE_RANGES));
        svc.sourceRanges = [...rs];
      }
      if (svc.etpLocal) svc.hcNodePort = allocNodePort();
    }
    if (rng() < 0.05) svc.affinity = rng() < 0.8 ? 10800 : 3600;

    // endpoints
    const noEndpoints = rng() < 0.04;
    if (!noEndpoints) {
      const n = pickWeighted(rng, ENDPOINT_WEIGHTS);
      const wantLocal = svc.etpLocal ? rng() < 0.5 : rng() < 0.03;
      const ips = new Set();
      if (wantLocal) {
        const l = pick(localPods);
        ips.add(l);
        svc.localSet.add(l);
      }
      while (ips.size < n) ips.add(allocRemotePodIP());
      svc.podIPs = [...ips];
    }
    services.push(svc);
  }
  return services;
}

// ---------------------------------------------------------------------------
// Rule emission
// ---------------------------------------------------------------------------

const BUILTIN = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};
// iptables-nft 1.8.9 prints tables in this fixed order (its builtin table array:
// mangle, security, raw, filter, nat), whatever order they were created in.
const TABLE_ORDER = ['mangle', 'filter', 'nat'];

export const DEFAULT_DATE = 'Mon Jan  5 12:00:00 2026';

class Ruleset {
  constructor(form) {
    this.form = form;
    this.tables = {};
    for (const t of TABLE_ORDER) {
      this.tables[t] = { chains: new Map(), order: [], declOrder: [] };
      for (const c of BUILTIN[t]) this.tables[t].chains.set(c, []);
    }
  }
  chain(table, name) {
    const t = this.tables[table];
    if (!t.chains.has(name)) {
      t.chains.set(name, []);
      t.declOrder.push(name);
    }
  }
  /** kp: arguments in kube-proxy's order; save: as iptables-save prints them. */
  rule(table, chain, kp, save) {
    const t = this.tables[table];
    const line = `-A ${chain} ${this.form === 'save' ? save : kp}`;
    t.chains.get(chain).push(line);
    if (this.form !== 'save') t.order.push(line);
  }
  render(date) {
    const out = [];
    for (const tname of TABLE_ORDER) {
      const t = this.tables[tname];
      if (this.form === 'save') {
        out.push(`# Generated by iptables-save v1.8.9 (nf_tables) on ${date}`);
        out.push(`*${tname}`);
        for (const c of BUILTIN[tname]) out.push(`:${c} ACCEPT [0:0]`);
        const user = [...t.chains.keys()].filter((c) => !BUILTIN[tname].includes(c));
        user.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // strcmp order
        for (const c of user) out.push(`:${c} - [0:0]`);
        for (const c of BUILTIN[tname]) for (const l of t.chains.get(c)) out.push(l);
        for (const c of user) for (const l of t.chains.get(c)) out.push(l);
        out.push('COMMIT');
        out.push(`# Completed on ${date}`);
      } else {
        out.push(`*${tname}`);
        for (const c of t.declOrder) out.push(`:${c} - [0:0]`);
        for (const l of t.order) out.push(l);
        out.push('COMMIT');
      }
    }
    return out.join('\n') + '\n';
  }
}

const q = (s) => `"${s}"`;
/** kube-proxy quotes comments containing spaces itself and writes single words bare. */
const kq = (s) => (s.includes(' ') ? `"${s}"` : s);
const host = (ip) => `${ip}/32`;

function emitTopLevel(R) {
  // mangle: canaries only (kubelet adds KUBE-IPTABLES-HINT and KUBE-KUBELET-CANARY)
  R.chain('mangle', 'KUBE-IPTABLES-HINT');
  R.chain('mangle', 'KUBE-KUBELET-CANARY');
  R.chain('mangle', 'KUBE-PROXY-CANARY');

  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL', 'KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']) R.chain('filter', c);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']) R.chain('nat', c);

  // Jumps from built-in chains. kube-proxy prepends them (EnsureRule(Prepend)) in list
  // order, so they end up reversed; the KUBE-FIREWALL jumps were already there (kubelet).
  const ctNew = '-m conntrack --ctstate NEW';
  const j = (table, from, extra, comment, to) => {
    const s = `${extra ? `${extra} ` : ''}${comment ? `-m comment --comment ${q(comment)} ` : ''}-j ${to}`;
    R.rule(table, from, s, s);
  };
  j('filter', 'INPUT', ctNew, 'kubernetes load balancer firewall', 'KUBE-PROXY-FIREWALL');
  j('filter', 'INPUT', '', 'kubernetes health check service ports', 'KUBE-NODEPORTS');
  j('filter', 'INPUT', ctNew, 'kubernetes externally-visible service portals', 'KUBE-EXTERNAL-SERVICES');
  j('filter', 'INPUT', '', '', 'KUBE-FIREWALL');
  j('filter', 'FORWARD', ctNew, 'kubernetes load balancer firewall', 'KUBE-PROXY-FIREWALL');
  j('filter', 'FORWARD', '', 'kubernetes forwarding rules', 'KUBE-FORWARD');
  j('filter', 'FORWARD', ctNew, 'kubernetes service portals', 'KUBE-SERVICES');
  j('filter', 'FORWARD', ctNew, 'kubernetes externally-visible service portals', 'KUBE-EXTERNAL-SERVICES');
  j('filter', 'OUTPUT', ctNew, 'kubernetes load balancer firewall', 'KUBE-PROXY-FIREWALL');
  j('filter', 'OUTPUT', ctNew, 'kubernetes service portals', 'KUBE-SERVICES');
  j('filter', 'OUTPUT', '', '', 'KUBE-FIREWALL');
  j('nat', 'PREROUTING', '', 'kubernetes service portals', 'KUBE-SERVICES');
  j('nat', 'OUTPUT', '', 'kubernetes service portals', 'KUBE-SERVICES');
  j('nat', 'POSTROUTING', '', 'kubernetes postrouting rules', 'KUBE-POSTROUTING');

  R.rule('nat', 'KUBE-POSTROUTING', `-m mark ! --mark ${MARK}/${MARK} -j RETURN`, `-m mark ! --mark ${MARK_SAVED}/${MARK_SAVED} -j RETURN`);
  R.rule('nat', 'KUBE-POSTROUTING', `-j MARK --xor-mark ${MARK}`, `-j MARK --set-xmark ${MARK_SAVED}/0x0`);
  const masq = `-m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`;
  R.rule('nat', 'KUBE-POSTROUTING', masq, masq);
  R.rule('nat', 'KUBE-MARK-MASQ', `-j MARK --or-mark ${MARK}`, `-j MARK --set-xmark ${MARK_SAVED}/${MARK_SAVED}`);
}

function emitTail(R) {
  const tail = `-m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`;
  R.rule('nat', 'KUBE-SERVICES', tail, tail);
  R.rule('filter', 'KUBE-FORWARD', '-m conntrack --ctstate INVALID -j DROP', '-m conntrack --ctstate INVALID -j DROP');
  R.rule('filter', 'KUBE-FORWARD',
    `-m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${MARK}/${MARK} -j ACCEPT`,
    `-m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${MARK_SAVED}/${MARK_SAVED} -j ACCEPT`);
  const ct = `-m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;
  R.rule('filter', 'KUBE-FORWARD', ct, ct);
  R.rule('filter', 'KUBE-FIREWALL',
    `-m comment --comment ${q('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    `! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment ${q('block incoming localnet connections')} -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`);
}

function emitServicePort(R, svc, port, opts) {
  const P = port.proto;
  const NAME = `${svc.ns}/${svc.name}${port.name ? `:${port.name}` : ''}`;
  const H = portProtoHash(NAME, P);
  const SVC = `KUBE-SVC-${H}`;
  const SVL = `KUBE-SVL-${H}`;
  const EXT = `KUBE-EXT-${H}`;
  const FW = `KUBE-FW-${H}`;
  const NP = port.nodePort ?? 0;
  const eps = svc.podIPs.map((ip) => ({ ip, ep: `${ip}:${port.target}`, local: svc.localSet.has(ip) }));
  eps.sort((a, b) => (a.ep < b.ep ? -1 : a.ep > b.ep ? 1 : 0)); // Go string order
  for (const e of eps) e.chain = `KUBE-SEP-${endpointHash(NAME, P, e.ep)}`;
  const localEps = eps.filter((e) => e.local);

  const hasEndpoints = eps.length > 0;
  const externallyAccessible = NP !== 0 || svc.lbIPs.length > 0 || svc.externalIPs.length > 0;
  const etpLocal = svc.etpLocal && externallyAccessible;
  const hasExternal = hasEndpoints && (!etpLocal || localEps.length > 0);
  const usesFW = hasEndpoints && svc.lbIPs.length > 0 && svc.sourceRanges.length > 0;
  const large = opts.largeClusterMode;

  // capture/match fragments
  const kpMatch = (comment, dst, dport) => `-m comment --comment ${kq(comment)} -m ${P} -p ${P}${dst ? ` -d ${dst}` : ''} --dport ${dport}`;
  const svMatch = (comment, dst, dport) => `${dst ? `-d ${host(dst)} ` : ''}-p ${P} -m comment --comment ${q(comment)} -m ${P} --dport ${dport}`;

  if (hasEndpoints) {
    R.chain('nat', SVC);
    // kube-proxy writes KUBE-SVL only when the service has local endpoints
    // (proxier.go: usesLocalPolicyChain := len(localEndpoints) > 0 && ...).
    if (etpLocal && localEps.length) R.chain('nat', SVL);
    if (externallyAccessible) R.chain('nat', EXT);
    if (usesFW) R.chain('nat', FW);
    for (const e of eps) R.chain('nat', e.chain);

    // KUBE-SERVICES captures
    const c = `${NAME} cluster IP`;
    R.rule('nat', 'KUBE-SERVICES', `${kpMatch(c, svc.clusterIP, port.port)} -j ${SVC}`, `${svMatch(c, svc.clusterIP, port.port)} -j ${SVC}`);
    for (const ip of svc.externalIPs) {
      const ce = `${NAME} external IP`;
      R.rule('nat', 'KUBE-SERVICES', `${kpMatch(ce, ip, port.port)} -j ${EXT}`, `${svMatch(ce, ip, port.port)} -j ${EXT}`);
    }
    for (const ip of svc.lbIPs) {
      const cl = `${NAME} loadbalancer IP`;
      const to = usesFW ? FW : EXT;
      R.rule('nat', 'KUBE-SERVICES', `${kpMatch(cl, ip, port.port)} -j ${to}`, `${svMatch(cl, ip, port.port)} -j ${to}`);
      if (usesFW) {
        const cd = `${NAME} traffic not accepted by ${FW}`;
        R.rule('filter', 'KUBE-PROXY-FIREWALL', `${kpMatch(cd, ip, port.port)} -j DROP`, `${svMatch(cd, ip, port.port)} -j DROP`);
      }
    }
    if (NP) {
      R.rule('nat', 'KUBE-NODEPORTS', `${kpMatch(NAME, '', NP)} -j ${EXT}`, `${svMatch(NAME, '', NP)} -j ${EXT}`);
    }

    // internal masquerade rule, then the endpoint dispatch
    R.rule('nat', SVC,
      `${kpMatch(c, svc.clusterIP, port.port)} ! -s ${POD_CIDR} -j KUBE-MARK-MASQ`,
      `! -s ${POD_CIDR} ${svMatch(c, svc.clusterIP, port.port)} -j KUBE-MARK-MASQ`);
    writeServiceToEndpointRules(R, NAME, svc, SVC, eps, large);
    if (etpLocal && localEps.length) writeServiceToEndpointRules(R, NAME, svc, SVL, localEps, large);

    if (externallyAccessible) {
      if (!etpLocal) {
        const m = `-m comment --comment ${q(`masquerade traffic for ${NAME} external destinations`)} -j KUBE-MARK-MASQ`;
        R.rule('nat', EXT, m, m);
        R.rule('nat', EXT, `-j ${SVC}`, `-j ${SVC}`);
      } else {
        const pc = q(`pod traffic for ${NAME} external destinations`);
        R.rule('nat', EXT, `-m comment --comment ${pc} -s ${POD_CIDR} -j ${SVC}`, `-s ${POD_CIDR} -m comment --comment ${pc} -j ${SVC}`);
        const m = `-m comment --comment ${q(`masquerade LOCAL traffic for ${NAME} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`;
        R.rule('nat', EXT, m, m);
        const r = `-m comment --comment ${q(`route LOCAL traffic for ${NAME} external destinations`)} -m addrtype --src-type LOCAL -j ${SVC}`;
        R.rule('nat', EXT, r, r);
        if (hasExternal) R.rule('nat', EXT, `-j ${SVL}`, `-j ${SVL}`);
      }
    }

    if (usesFW) {
      const cl = `${NAME} loadbalancer IP`;
      let containsNode = false;
      for (const range of svc.sourceRanges) {
        R.rule('nat', FW, `-m comment --comment ${q(cl)} -s ${range} -j ${EXT}`, `-s ${range} -m comment --comment ${q(cl)} -j ${EXT}`);
        if (cidrContains(range, NODE_IP)) containsNode = true;
      }
      if (containsNode) {
        for (const ip of svc.lbIPs) {
          R.rule('nat', FW, `-m comment --comment ${q(cl)} -s ${ip} -j ${EXT}`, `-s ${host(ip)} -m comment --comment ${q(cl)} -j ${EXT}`);
        }
      }
      const o = `-m comment --comment ${q(`other traffic to ${NAME} will be dropped by KUBE-PROXY-FIREWALL`)}`;
      R.rule('nat', FW, o, o);
    }

    // KUBE-SEP chains
    for (const e of eps) {
      const kc = large ? '' : `-m comment --comment ${kq(NAME)} `;
      const sc = large ? '' : `-m comment --comment ${q(NAME)} `;
      R.rule('nat', e.chain, `${kc}-s ${e.ip} -j KUBE-MARK-MASQ`, `-s ${host(e.ip)} ${sc}-j KUBE-MARK-MASQ`);
      const kRecent = svc.affinity ? `-m recent --name ${e.chain} --set ` : '';
      const sRecent = svc.affinity ? `-m recent --set --name ${e.chain} --mask 255.255.255.255 --rsource ` : '';
      R.rule('nat', e.chain,
        `${kc}${kRecent}-m ${P} -p ${P} -j DNAT --to-destination ${e.ep}`,
        `-p ${P} ${sc}${sRecent}-m ${P} -j DNAT --to-destination ${e.ep}`);
    }
  }

  // filter rules for missing (local) endpoints
  if (!hasEndpoints || !hasExternal) {
    const C = !hasEndpoints ? `${NAME} has no endpoints` : `${NAME} has no local endpoints`;
    const T = !hasEndpoints ? 'REJECT' : 'DROP';
    const ST = !hasEndpoints ? 'REJECT --reject-with icmp-port-unreachable' : 'DROP';
    if (!hasEndpoints) {
      R.rule('filter', 'KUBE-SERVICES', `${kpMatch(C, svc.clusterIP, port.port)} -j ${T}`, `${svMatch(C, svc.clusterIP, port.port)} -j ${ST}`);
    }
    for (const ip of [...svc.externalIPs, ...svc.lbIPs]) {
      R.rule('filter', 'KUBE-EXTERNAL-SERVICES', `${kpMatch(C, ip, port.port)} -j ${T}`, `${svMatch(C, ip, port.port)} -j ${ST}`);
    }
    if (NP) {
      R.rule('filter', 'KUBE-EXTERNAL-SERVICES',
        `-m comment --comment ${q(C)} -m addrtype --dst-type LOCAL -m ${P} -p ${P} --dport ${NP} -j ${T}`,
        `-p ${P} -m comment --comment ${q(C)} -m addrtype --dst-type LOCAL -m ${P} --dport ${NP} -j ${ST}`);
    }
  }
  if (svc.hcNodePort) {
    const hc = `${NAME} health check node port`;
    R.rule('filter', 'KUBE-NODEPORTS',
      `-m comment --comment ${q(hc)} -m tcp -p tcp --dport ${svc.hcNodePort} -j ACCEPT`,
      `-p tcp -m comment --comment ${q(hc)} -m tcp --dport ${svc.hcNodePort} -j ACCEPT`);
  }
  return { name: NAME, proto: P, clusterIP: svc.clusterIP, port: port.port, nodePort: NP, endpoints: eps.length };
}

function writeServiceToEndpointRules(R, NAME, svc, chain, eps, large) {
  const form = R.form;
  if (svc.affinity) {
    for (const e of eps) {
      const c = large ? '' : `-m comment --comment ${q(`${NAME} -> ${e.ep}`)} `;
      R.rule('nat', chain,
        `${c}-m recent --name ${e.chain} --rcheck --seconds ${svc.affinity} --reap -j ${e.chain}`,
        `${c}-m recent --rcheck --seconds ${svc.affinity} --reap --name ${e.chain} --mask 255.255.255.255 --rsource -j ${e.chain}`);
    }
  }
  const n = eps.length;
  for (let i = 0; i < n; i++) {
    const e = eps[i];
    const c = large ? '' : `-m comment --comment ${q(`${NAME} -> ${e.ep}`)} `;
    if (i < n - 1) {
      const s = `${c}-m statistic --mode random --probability ${probabilityFor(n - i, form)} -j ${e.chain}`;
      R.rule('nat', chain, s, s);
    } else {
      R.rule('nat', chain, `${c}-j ${e.chain}`, `${c}-j ${e.chain}`);
    }
  }
}

/**
 * Generates the dump and some metadata.
 * @param {{services: number, seed?: number|string, form?: 'save'|'restore', largeClusterMode?: boolean, date?: string}} opts
 * @returns {{text: string, meta: {services: number, servicePorts: number, endpoints: number, lines: number, bytes: number, samples: Array<{name: string, proto: string, clusterIP: string, port: number, nodePort: number, endpoints: number}>}}}
 */
export function generateKubeDumpWithMeta(opts) {
  const nServices = Number(opts?.services);
  if (!Number.isInteger(nServices) || nServices < 1) throw new RangeError('services must be a positive integer');
  const form = opts.form ?? 'save';
  if (form !== 'save' && form !== 'restore') throw new RangeError(`unknown form ${form}`);
  const rng = mulberry32(seedToUint32(opts.seed ?? 1));
  const services = buildCluster(rng, nServices);
  const R = new Ruleset(form);
  emitTopLevel(R);
  const samples = [];
  let servicePorts = 0;
  let endpoints = 0;
  for (const svc of services) {
    for (const port of svc.ports) {
      const info = emitServicePort(R, svc, port, { largeClusterMode: !!opts.largeClusterMode });
      servicePorts++;
      endpoints += info.endpoints;
      if (info.endpoints > 0 && samples.length < 16 && (samples.length < 4 || servicePorts % 97 === 0)) samples.push(info);
    }
  }
  emitTail(R);
  const text = R.render(opts.date ?? DEFAULT_DATE);
  return {
    text,
    meta: { services: services.length, servicePorts, endpoints, lines: countLines(text), bytes: Buffer.byteLength(text), samples },
  };
}

function countLines(text) {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Returns the dump text (see the header comment). */
export function generateKubeDump(opts) {
  return generateKubeDumpWithMeta(opts).text;
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE = `usage: node bench/gen-kube-dump.mjs --services N [--seed S] [--out FILE]
       [--form save|restore] [--large-cluster-mode] [--stats]

  --services N          number of Service objects (each has 1-3 ports)
  --seed S              PRNG seed (integer or string; default 1)
  --out FILE            write to FILE instead of stdout
  --form save           canonical iptables-save v1.8.9 (nf_tables) output (default)
  --form restore        same ruleset, arguments in kube-proxy's order (iptables-restore input)
  --large-cluster-mode  drop comments from SVC/SVL/SEP rules like kube-proxy does above
                        1000 endpoints (off by default)
  --stats               print counts to stderr`;

function parseArgs(argv) {
  const o = { services: undefined, seed: 1, out: undefined, form: 'save', largeClusterMode: false, stats: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--services' || a === '-n') o.services = Number(val());
    else if (a === '--seed') o.seed = val();
    else if (a === '--out' || a === '-o') o.out = val();
    else if (a === '--form') o.form = val();
    else if (a === '--large-cluster-mode') o.largeClusterMode = true;
    else if (a === '--stats') o.stats = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(o.services) || o.services < 1) throw new Error('--services N (a positive integer) is required');
  return o;
}

function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gen-kube-dump: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const t0 = process.hrtime.bigint();
  const { text, meta } = generateKubeDumpWithMeta(o);
  if (o.out) fs.writeFileSync(o.out, text);
  else process.stdout.write(text);
  if (o.stats) {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stderr.write(`services=${meta.services} servicePorts=${meta.servicePorts} endpoints=${meta.endpoints} lines=${meta.lines} bytes=${meta.bytes} (${(meta.bytes / 1e6).toFixed(1)} MB) time=${ms.toFixed(0)}ms\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
