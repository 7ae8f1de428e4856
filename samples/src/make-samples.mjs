#!/usr/bin/env node
// Generates the iptables-restore inputs for kipt's bundled sample dumps.
//
//   node samples/src/make-samples.mjs        -> writes samples/src/restore/*.rules
//                                               and samples/src/expected/*.json
//
// The restore inputs are then loaded into a scratch network namespace and
// dumped with iptables-save / ip6tables-save by samples/src/regen.sh, which
// produces the canonical samples/*.txt files.
//
// kube-proxy rules are written the way kube-proxy (pkg/proxy/iptables/proxier.go,
// v1.30/v1.31) writes its restore payload; kubelet's and flannel's rules the way
// pkg/kubelet/kubelet_network_linux.go and flannel's pkg/trafficmngr/iptables
// write them. The boot-time order of the components (kubelet, kube-proxy's
// EnsureRule(Prepend) jump rules, kube-proxy's --noflush restore, flannel's
// appends) is simulated on a small in-memory ruleset model so that the order of
// rules in the built-in chains comes out as on a real node.
//
// No dependencies beyond Node >= 20.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = dirname(fileURLToPath(import.meta.url));
const OUT = join(SRC, 'restore');
const EXPECTED = join(SRC, 'expected');

// ---------------------------------------------------------------------------
// Chain-name hashing (proxier.go portProtoHash / servicePortEndpointChainName)
// ---------------------------------------------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(buf) {
  let bits = 0, val = 0, out = '';
  for (const b of buf) {
    val = ((val << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) { out += B32[(val >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(val << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
const hash16 = (s) => base32(createHash('sha256').update(s).digest()).slice(0, 16);
export const portProtoHash = (name, proto) => hash16(name + proto);
export const sepChain = (name, proto, ep) => 'KUBE-SEP-' + hash16(name + proto + ep);

// Self-check against the examples in the brief / the layout notes.
{
  const checks = [
    ['KUBE-SVC-' + portProtoHash('default/nginx:web', 'tcp'), 'KUBE-SVC-YK2SNH4V42VSDWIJ'],
    [sepChain('default/nginx:web', 'tcp', '10.240.0.28:80'), 'KUBE-SEP-B4KBD76YHXMJL4VO'],
    [sepChain('default/nginx:web', 'tcp', '10.240.0.57:80'), 'KUBE-SEP-V73B5NNFXA6V3U7A'],
    [portProtoHash('ns1/svc1:p80', 'tcp'), 'XPGD46QRK7WJZT7O'],
    [sepChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
  ];
  for (const [got, want] of checks) {
    if (got !== want) throw new Error(`hash self-check failed: ${got} != ${want}`);
  }
}

// ---------------------------------------------------------------------------
// A tiny model of a ruleset (tables -> chains -> rule texts), enough to
// simulate EnsureChain / EnsureRule / iptables-restore --noflush.
// ---------------------------------------------------------------------------

const BUILTINS = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

class Ruleset {
  constructor() { this.tables = new Map(); }

  table(name) {
    let t = this.tables.get(name);
    if (!t) {
      t = new Map();
      for (const c of BUILTINS[name]) t.set(c, { policy: 'ACCEPT', counters: [0, 0], rules: [] });
      this.tables.set(name, t);
    }
    return t;
  }

  ensureChain(table, chain) {
    const t = this.table(table);
    if (!t.has(chain)) t.set(chain, { policy: '-', counters: [0, 0], rules: [] });
    return t.get(chain);
  }

  // utiliptables EnsureRule: no-op if an identical rule exists (iptables -C).
  ensureRule(position, table, chain, rule) {
    const c = this.ensureChain(table, chain);
    if (c.rules.includes(rule)) return;
    if (position === 'prepend') c.rules.unshift(rule); else c.rules.push(rule);
  }

  append(table, chain, rule) { this.ensureChain(table, chain).rules.push(rule); }
  insert(table, chain, rule) { this.ensureChain(table, chain).rules.unshift(rule); }

  policy(table, chain, policy, counters = [0, 0]) {
    const c = this.table(table).get(chain);
    c.policy = policy;
    c.counters = counters;
  }

  // iptables-restore [--noflush] of a restore text. With noflush, only the
  // chains declared with ":CHAIN" lines are flushed.
  restore(text, { noflush = true } = {}) {
    let t = null;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      if (line.startsWith('*')) {
        const name = line.slice(1);
        if (!noflush) this.tables.delete(name);
        this.table(name);
        t = name;
      } else if (line === 'COMMIT') {
        t = null;
      } else if (line.startsWith(':')) {
        const m = /^:(\S+) (\S+) \[(\d+):(\d+)\]$/.exec(line);
        if (!m) throw new Error(`bad chain line: ${line}`);
        const c = this.ensureChain(t, m[1]);
        c.rules = [];
        if (BUILTINS[t].includes(m[1])) { c.policy = m[2]; c.counters = [+m[3], +m[4]]; }
      } else if (line.startsWith('-A ')) {
        const sp = line.indexOf(' ', 3);
        this.append(t, line.slice(3, sp), line.slice(sp + 1));
      } else if (line.startsWith('-X ')) {
        this.table(t).delete(line.slice(3));
      } else {
        throw new Error(`unsupported restore line: ${line}`);
      }
    }
  }

  // Full restore input (with policy counters, to be loaded with -c).
  toRestore(header) {
    const out = [];
    if (header) out.push(...header.split('\n').map((l) => `# ${l}`.trimEnd()));
    for (const [tname, t] of this.tables) {
      out.push(`*${tname}`);
      for (const [cname, c] of t) out.push(`:${cname} ${c.policy} [${c.counters[0]}:${c.counters[1]}]`);
      for (const [cname, c] of t) for (const r of c.rules) out.push(`-A ${cname} ${r}`);
      out.push('COMMIT');
    }
    return out.join('\n') + '\n';
  }
}

// ---------------------------------------------------------------------------
// kubelet (v1.28+, IPTablesOwnershipCleanup GA): pkg/kubelet/kubelet_network_linux.go
// ---------------------------------------------------------------------------

function kubeletSync(rs, { ipv6 }) {
  rs.ensureChain('mangle', 'KUBE-IPTABLES-HINT');
  if (!ipv6) {
    rs.ensureChain('filter', 'KUBE-FIREWALL');
    rs.ensureRule('prepend', 'filter', 'OUTPUT', '-j KUBE-FIREWALL');
    rs.ensureRule('prepend', 'filter', 'INPUT', '-j KUBE-FIREWALL');
    rs.ensureRule('append', 'filter', 'KUBE-FIREWALL',
      '-m comment --comment "block incoming localnet connections" --dst 127.0.0.0/8 ! --src 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP');
  }
  // iptClient.Monitor(KUBE-KUBELET-CANARY, [mangle, nat, filter], ...)
  for (const t of ['mangle', 'nat', 'filter']) rs.ensureChain(t, 'KUBE-KUBELET-CANARY');
}

// ---------------------------------------------------------------------------
// kube-proxy, iptables mode (pkg/proxy/iptables/proxier.go)
// ---------------------------------------------------------------------------

const JUMP_CHAINS = [
  // table, dst, src, comment, extraArgs  (iptablesJumpChains + iptablesKubeletJumpChains)
  ['filter', 'KUBE-EXTERNAL-SERVICES', 'INPUT', 'kubernetes externally-visible service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-EXTERNAL-SERVICES', 'FORWARD', 'kubernetes externally-visible service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-NODEPORTS', 'INPUT', 'kubernetes health check service ports', ''],
  ['filter', 'KUBE-SERVICES', 'FORWARD', 'kubernetes service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-FORWARD', 'FORWARD', 'kubernetes forwarding rules', ''],
  ['filter', 'KUBE-PROXY-FIREWALL', 'INPUT', 'kubernetes load balancer firewall', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-PROXY-FIREWALL', 'OUTPUT', 'kubernetes load balancer firewall', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-PROXY-FIREWALL', 'FORWARD', 'kubernetes load balancer firewall', '-m conntrack --ctstate NEW'],
  ['nat', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', ''],
  ['nat', 'KUBE-SERVICES', 'PREROUTING', 'kubernetes service portals', ''],
  ['nat', 'KUBE-POSTROUTING', 'POSTROUTING', 'kubernetes postrouting rules', ''],
  ['filter', 'KUBE-FIREWALL', 'INPUT', '', ''],
  ['filter', 'KUBE-FIREWALL', 'OUTPUT', '', ''],
];

const q = (s) => `"${s}"`; // kube-proxy quotes comments containing spaces itself
const joinHostPort = (ip, port) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
const probability = (n) => (1 / n).toFixed(10); // fmt.Sprintf("%0.10f", 1.0/float64(n))

// Expand a service definition into kube-proxy service ports with endpoints.
function servicePorts(svc, cfg) {
  return svc.ports.map((p) => {
    const name = p.name ? `${svc.ns}/${svc.name}:${p.name}` : `${svc.ns}/${svc.name}`;
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const hash = portProtoHash(name, proto);
    const endpoints = (svc.endpoints ?? [])
      .map((e) => {
        const ep = joinHostPort(e.ip, p.targetPort ?? p.port);
        return { ip: e.ip, ep, node: e.node, local: e.node === cfg.nodeName, chain: sepChain(name, proto, ep) };
      })
      .sort((a, b) => (a.ep < b.ep ? -1 : a.ep > b.ep ? 1 : 0)); // sorted by "IP:port" string
    return {
      svc, name, proto, port: p.port, nodePort: p.nodePort ?? 0, targetPort: p.targetPort ?? p.port,
      clusterIP: svc.clusterIP,
      externalIPs: svc.externalIPs ?? [],
      lbIPs: svc.type === 'LoadBalancer' ? (svc.loadBalancerIPs ?? []) : [],
      sourceRanges: svc.loadBalancerSourceRanges ?? [],
      eTPLocal: (svc.externalTrafficPolicy === 'Local') &&
        (svc.type === 'LoadBalancer' || svc.type === 'NodePort' || (svc.externalIPs ?? []).length > 0),
      iTPLocal: svc.internalTrafficPolicy === 'Local',
      hcNodePort: svc.type === 'LoadBalancer' && svc.externalTrafficPolicy === 'Local' ? (svc.healthCheckNodePort ?? 0) : 0,
      affinityTimeout: svc.sessionAffinity === 'ClientIP' ? (svc.sessionAffinityTimeout ?? 10800) : 0,
      svcChain: 'KUBE-SVC-' + hash, svlChain: 'KUBE-SVL-' + hash, extChain: 'KUBE-EXT-' + hash, fwChain: 'KUBE-FW-' + hash,
      endpoints,
    };
  });
}

function categorize(sp) {
  const externallyAccessible = sp.nodePort !== 0 || sp.lbIPs.length > 0 || sp.externalIPs.length > 0;
  const usesCluster = !sp.iTPLocal || externallyAccessible;
  const usesLocal = sp.iTPLocal || (sp.eTPLocal && externallyAccessible);
  const clusterEndpoints = usesCluster ? sp.endpoints : [];
  const localEndpoints = usesLocal ? sp.endpoints.filter((e) => e.local) : [];
  const hasEndpoints = sp.endpoints.length > 0;
  let all;
  if (!usesLocal) all = clusterEndpoints;
  else if (!usesCluster) all = localEndpoints;
  else all = clusterEndpoints; // all endpoints Ready, no topology: cluster is a superset of local
  return { externallyAccessible, usesCluster, usesLocal, clusterEndpoints, localEndpoints, all, hasEndpoints };
}

// Returns the restore payload (filter + nat) that syncProxyRules would hand to
// iptables-restore --noflush --counters, plus a summary for the expectations file.
function kubeProxyPayload(cfg, services) {
  const ipv6 = cfg.family === 6;
  const mark = cfg.masqueradeMark;
  const filterChains = [], filterRules = [], natChains = [], natRules = [];
  const W = (buf, ...parts) => buf.push(parts.filter((x) => x !== '').join(' '));
  const ifNotLocal = `! -s ${cfg.clusterCIDR}`, ifLocal = `-s ${cfg.clusterCIDR}`;
  const summary = [];

  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) filterChains.push(`:${c} - [0:0]`);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) natChains.push(`:${c} - [0:0]`);

  W(natRules, '-A KUBE-POSTROUTING', `-m mark ! --mark ${mark}/${mark}`, '-j RETURN');
  W(natRules, '-A KUBE-POSTROUTING', `-j MARK --xor-mark ${mark}`);
  W(natRules, '-A KUBE-POSTROUTING', `-m comment --comment ${q('kubernetes service traffic requiring SNAT')}`, '-j MASQUERADE', cfg.randomFully ? '--random-fully' : '');
  W(natRules, '-A KUBE-MARK-MASQ', `-j MARK --or-mark ${mark}`);

  if (!ipv6 && cfg.localhostNodePorts) {
    filterChains.push(':KUBE-FIREWALL - [0:0]');
    W(filterRules, '-A KUBE-FIREWALL', `-m comment --comment ${q('block incoming localnet connections')}`,
      '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP');
  }

  for (const svc of services) {
    for (const sp of servicePorts(svc, cfg)) {
      const { name, proto } = sp;
      const P = `-m ${proto} -p ${proto}`;
      const cat = categorize(sp);
      const { hasEndpoints } = cat;
      const usesClusterPolicyChain = cat.clusterEndpoints.length > 0 && cat.usesCluster;
      const usesLocalPolicyChain = cat.localEndpoints.length > 0 && cat.usesLocal;
      let internalChain = sp.svcChain, hasInternal = hasEndpoints;
      if (sp.iTPLocal) { internalChain = sp.svlChain; if (cat.localEndpoints.length === 0) hasInternal = false; }
      let externalPolicyChain = sp.svcChain, hasExternal = hasEndpoints;
      if (sp.eTPLocal) { externalPolicyChain = sp.svlChain; if (cat.localEndpoints.length === 0) hasExternal = false; }
      const usesExt = hasEndpoints && cat.externallyAccessible;
      const usesFW = hasEndpoints && sp.lbIPs.length > 0 && sp.sourceRanges.length > 0;
      const lbChain = usesFW ? sp.fwChain : sp.extChain;
      let iT, iC, eT, eC;
      if (!hasEndpoints) { iT = eT = 'REJECT'; iC = eC = q(`${name} has no endpoints`); }
      else {
        if (!hasInternal) { iT = 'DROP'; iC = q(`${name} has no local endpoints`); }
        if (!hasExternal) { eT = 'DROP'; eC = q(`${name} has no local endpoints`); }
      }

      if (hasInternal) W(natRules, '-A KUBE-SERVICES', `-m comment --comment ${q(`${name} cluster IP`)}`, P, `-d ${sp.clusterIP}`, `--dport ${sp.port}`, `-j ${internalChain}`);
      else W(filterRules, '-A KUBE-SERVICES', `-m comment --comment ${iC}`, P, `-d ${sp.clusterIP}`, `--dport ${sp.port}`, `-j ${iT}`);

      for (const ip of sp.externalIPs) {
        if (hasEndpoints) W(natRules, '-A KUBE-SERVICES', `-m comment --comment ${q(`${name} external IP`)}`, P, `-d ${ip}`, `--dport ${sp.port}`, `-j ${sp.extChain}`);
        if (!hasExternal) W(filterRules, '-A KUBE-EXTERNAL-SERVICES', `-m comment --comment ${eC}`, P, `-d ${ip}`, `--dport ${sp.port}`, `-j ${eT}`);
      }
      for (const ip of sp.lbIPs) {
        if (hasEndpoints) W(natRules, '-A KUBE-SERVICES', `-m comment --comment ${q(`${name} loadbalancer IP`)}`, P, `-d ${ip}`, `--dport ${sp.port}`, `-j ${lbChain}`);
        if (usesFW) W(filterRules, '-A KUBE-PROXY-FIREWALL', `-m comment --comment ${q(`${name} traffic not accepted by ${sp.fwChain}`)}`, P, `-d ${ip}`, `--dport ${sp.port}`, '-j DROP');
      }
      if (!hasExternal) for (const ip of sp.lbIPs) W(filterRules, '-A KUBE-EXTERNAL-SERVICES', `-m comment --comment ${eC}`, P, `-d ${ip}`, `--dport ${sp.port}`, `-j ${eT}`);

      if (sp.nodePort) {
        if (hasEndpoints) {
          if (cfg.localhostNodePorts && !ipv6 && cfg.nfacct) {
            W(natRules, '-A KUBE-NODEPORTS', `-m comment --comment ${name}`, P, '-d 127.0.0.0/8', `--dport ${sp.nodePort}`, '-m nfacct --nfacct-name localhost_nps_accepted_pkts', `-j ${sp.extChain}`);
          }
          W(natRules, '-A KUBE-NODEPORTS', `-m comment --comment ${name}`, P, `--dport ${sp.nodePort}`, `-j ${sp.extChain}`);
        }
        if (!hasExternal) W(filterRules, '-A KUBE-EXTERNAL-SERVICES', `-m comment --comment ${eC}`, '-m addrtype --dst-type LOCAL', P, `--dport ${sp.nodePort}`, `-j ${eT}`);
      }
      if (sp.hcNodePort) W(filterRules, '-A KUBE-NODEPORTS', `-m comment --comment ${q(`${name} health check node port`)}`, '-m tcp -p tcp', `--dport ${sp.hcNodePort}`, '-j ACCEPT');

      // per-service chains
      if (hasInternal) {
        const args = [`-m comment --comment ${q(`${name} cluster IP`)}`, P, `-d ${sp.clusterIP}`, `--dport ${sp.port}`];
        if (cfg.masqueradeAll) W(natRules, `-A ${internalChain}`, ...args, '-j KUBE-MARK-MASQ');
        else if (cfg.clusterCIDR) W(natRules, `-A ${internalChain}`, ...args, ifNotLocal, '-j KUBE-MARK-MASQ');
      }
      if (usesExt) {
        natChains.push(`:${sp.extChain} - [0:0]`);
        if (!sp.eTPLocal) {
          W(natRules, `-A ${sp.extChain}`, `-m comment --comment ${q(`masquerade traffic for ${name} external destinations`)}`, '-j KUBE-MARK-MASQ');
        } else {
          if (cfg.clusterCIDR) W(natRules, `-A ${sp.extChain}`, `-m comment --comment ${q(`pod traffic for ${name} external destinations`)}`, ifLocal, `-j ${sp.svcChain}`);
          W(natRules, `-A ${sp.extChain}`, `-m comment --comment ${q(`masquerade LOCAL traffic for ${name} external destinations`)}`, '-m addrtype --src-type LOCAL', '-j KUBE-MARK-MASQ');
          W(natRules, `-A ${sp.extChain}`, `-m comment --comment ${q(`route LOCAL traffic for ${name} external destinations`)}`, '-m addrtype --src-type LOCAL', `-j ${sp.svcChain}`);
        }
        if (hasExternal) W(natRules, `-A ${sp.extChain}`, `-j ${externalPolicyChain}`);
      }
      if (usesFW) {
        natChains.push(`:${sp.fwChain} - [0:0]`);
        const args = [`-A ${sp.fwChain}`, `-m comment --comment ${q(`${name} loadbalancer IP`)}`];
        let allowFromNode = false;
        for (const cidr of sp.sourceRanges) {
          W(natRules, ...args, `-s ${cidr}`, `-j ${sp.extChain}`);
          if (cidrContains(cidr, cfg.nodeIP)) allowFromNode = true;
        }
        if (allowFromNode) for (const ip of sp.lbIPs) W(natRules, ...args, `-s ${ip}`, `-j ${sp.extChain}`);
        W(natRules, `-A ${sp.fwChain}`, `-m comment --comment ${q(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)}`);
      }
      const writeEndpointRules = (chain, eps) => {
        if (sp.affinityTimeout) {
          for (const e of eps) W(natRules, `-A ${chain}`, `-m comment --comment ${q(`${name} -> ${e.ep}`)}`, `-m recent --name ${e.chain} --rcheck --seconds ${sp.affinityTimeout} --reap`, `-j ${e.chain}`);
        }
        eps.forEach((e, i) => {
          const stat = i < eps.length - 1 ? `-m statistic --mode random --probability ${probability(eps.length - i)}` : '';
          W(natRules, `-A ${chain}`, `-m comment --comment ${q(`${name} -> ${e.ep}`)}`, stat, `-j ${e.chain}`);
        });
      };
      if (usesClusterPolicyChain) { natChains.push(`:${sp.svcChain} - [0:0]`); writeEndpointRules(sp.svcChain, cat.clusterEndpoints); }
      if (usesLocalPolicyChain) { natChains.push(`:${sp.svlChain} - [0:0]`); writeEndpointRules(sp.svlChain, cat.localEndpoints); }
      for (const e of cat.all) {
        natChains.push(`:${e.chain} - [0:0]`);
        W(natRules, `-A ${e.chain}`, `-m comment --comment ${name}`, `-s ${e.ip}`, '-j KUBE-MARK-MASQ');
        W(natRules, `-A ${e.chain}`, `-m comment --comment ${name}`, sp.affinityTimeout ? `-m recent --name ${e.chain} --set` : '', P, `-j DNAT --to-destination ${e.ep}`);
      }

      summary.push({
        servicePortName: name, protocol: proto, type: svc.type ?? 'ClusterIP',
        clusterIP: sp.clusterIP, port: sp.port,
        nodePort: sp.nodePort || undefined, externalIPs: sp.externalIPs.length ? sp.externalIPs : undefined,
        loadBalancerIPs: sp.lbIPs.length ? sp.lbIPs : undefined,
        loadBalancerSourceRanges: sp.sourceRanges.length ? sp.sourceRanges : undefined,
        externalTrafficPolicy: sp.eTPLocal ? 'Local' : (cat.externallyAccessible ? 'Cluster' : undefined),
        internalTrafficPolicy: sp.iTPLocal ? 'Local' : undefined,
        healthCheckNodePort: sp.hcNodePort || undefined,
        sessionAffinity: sp.affinityTimeout ? { type: 'ClientIP', timeoutSeconds: sp.affinityTimeout } : undefined,
        chains: {
          svc: usesClusterPolicyChain ? sp.svcChain : undefined,
          svl: usesLocalPolicyChain ? sp.svlChain : undefined,
          ext: usesExt ? sp.extChain : undefined,
          fw: usesFW ? sp.fwChain : undefined,
        },
        endpoints: sp.endpoints.map((e) => ({
          endpoint: e.ep, node: e.node, local: e.local,
          sepChain: cat.all.includes(e) ? e.chain : undefined,
          clusterShare: usesClusterPolicyChain && cat.clusterEndpoints.includes(e) ? `1/${cat.clusterEndpoints.length}` : undefined,
          localShare: usesLocalPolicyChain && cat.localEndpoints.includes(e) ? `1/${cat.localEndpoints.length}` : undefined,
        })),
        filter: !hasEndpoints ? 'REJECT (no endpoints)'
          : (!hasInternal || !hasExternal) ? `DROP (no local endpoints; ${!hasInternal ? 'internal' : 'external'})` : undefined,
      });
    }
  }

  // NodePort tail rule (nodePortAddresses unset => MatchAll).
  const dests = ['-m addrtype --dst-type LOCAL'];
  if (ipv6) dests.push('! -d ::1/128');
  else if (!cfg.localhostNodePorts) dests.push('! -d 127.0.0.0/8');
  W(natRules, '-A KUBE-SERVICES', `-m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')}`, ...dests, '-j KUBE-NODEPORTS');

  if (!cfg.conntrackTCPLiberal) {
    W(filterRules, '-A KUBE-FORWARD', '-m conntrack --ctstate INVALID', cfg.nfacct ? '-m nfacct --nfacct-name ct_state_invalid_dropped_pkts' : '', '-j DROP');
  }
  W(filterRules, '-A KUBE-FORWARD', `-m comment --comment ${q('kubernetes forwarding rules')}`, `-m mark --mark ${mark}/${mark}`, '-j ACCEPT');
  W(filterRules, '-A KUBE-FORWARD', `-m comment --comment ${q('kubernetes forwarding conntrack rule')}`, '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');

  const text = ['*filter', ...filterChains, ...filterRules, 'COMMIT', '*nat', ...natChains, ...natRules, 'COMMIT'].join('\n') + '\n';
  return { text, summary };
}

function kubeProxyStart(rs, cfg, services) {
  // ipt.Monitor(KUBE-PROXY-CANARY, [mangle, nat, filter], ...) creates the canary first.
  for (const t of ['mangle', 'nat', 'filter']) rs.ensureChain(t, 'KUBE-PROXY-CANARY');
  // Full sync: EnsureChain + EnsureRule(Prepend) for every jump.
  for (const [table, dst, src, comment, extra] of JUMP_CHAINS) {
    rs.ensureChain(table, dst);
    const args = [extra, comment ? `-m comment --comment ${q(comment)}` : '', `-j ${dst}`].filter(Boolean).join(' ');
    rs.ensureRule('prepend', table, src, args);
  }
  const payload = kubeProxyPayload(cfg, services);
  rs.restore(payload.text, { noflush: true });
  return payload;
}

// ---------------------------------------------------------------------------
// flannel (pkg/trafficmngr/iptables): masquerade + forward rules, appended.
// ---------------------------------------------------------------------------

function flannelStart(rs, { clusterCIDR, podCIDR }) {
  const c = '-m comment --comment "flanneld masq"';
  rs.ensureChain('nat', 'FLANNEL-POSTRTG');
  rs.ensureRule('append', 'nat', 'POSTROUTING', `${c} -j FLANNEL-POSTRTG`);
  rs.ensureRule('append', 'nat', 'FLANNEL-POSTRTG', `-m mark --mark 0x4000/0x4000 ${c} -j RETURN`);
  rs.ensureRule('append', 'nat', 'FLANNEL-POSTRTG', `-s ${podCIDR} -d ${clusterCIDR} ${c} -j RETURN`);
  rs.ensureRule('append', 'nat', 'FLANNEL-POSTRTG', `-s ${clusterCIDR} -d ${podCIDR} ${c} -j RETURN`);
  rs.ensureRule('append', 'nat', 'FLANNEL-POSTRTG', `! -s ${clusterCIDR} -d ${podCIDR} ${c} -j RETURN`);
  rs.ensureRule('append', 'nat', 'FLANNEL-POSTRTG', `-s ${clusterCIDR} ! -d 224.0.0.0/4 ${c} -j MASQUERADE --random-fully`);
  rs.ensureRule('append', 'nat', 'FLANNEL-POSTRTG', `! -s ${clusterCIDR} -d ${clusterCIDR} ${c} -j MASQUERADE --random-fully`);
  const f = '-m comment --comment "flanneld forward"';
  rs.ensureChain('filter', 'FLANNEL-FWD');
  rs.ensureRule('append', 'filter', 'FORWARD', `${f} -j FLANNEL-FWD`);
  rs.ensureRule('append', 'filter', 'FLANNEL-FWD', `-s ${clusterCIDR} ${f} -j ACCEPT`);
  rs.ensureRule('append', 'filter', 'FLANNEL-FWD', `-d ${clusterCIDR} ${f} -j ACCEPT`);
}

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

function cidrContains(cidr, ip) {
  const [net, lenS] = cidr.split('/');
  const len = Number(lenS);
  const toBig = (a) => {
    if (a.includes(':')) {
      const [h, t = ''] = a.split('::');
      const hp = h ? h.split(':') : [], tp = t ? t.split(':') : [];
      const parts = a.includes('::') ? [...hp, ...Array(8 - hp.length - tp.length).fill('0'), ...tp] : hp;
      return { bits: 128, v: parts.reduce((acc, p) => (acc << 16n) | BigInt(parseInt(p, 16)), 0n) };
    }
    return { bits: 32, v: a.split('.').reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  };
  const n = toBig(net), a = toBig(ip);
  if (n.bits !== a.bits) return false;
  const shift = BigInt(n.bits - len);
  return (n.v >> shift) === (a.v >> shift);
}

function setCounters(rs, counters) {
  for (const [table, chains] of Object.entries(counters)) {
    for (const [chain, [policy, p, b]] of Object.entries(chains)) rs.policy(table, chain, policy, [p, b]);
  }
}

function write(name, text) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), text);
  console.log(`wrote ${join('samples/src/restore', name)}`);
}

function writeExpected(name, obj) {
  mkdirSync(EXPECTED, { recursive: true });
  writeFileSync(join(EXPECTED, name), JSON.stringify(obj, null, 2) + '\n');
  console.log(`wrote ${join('samples/src/expected', name)}`);
}

// ===========================================================================
// Cluster used by the kube-proxy samples
// ===========================================================================

// Nodes: podCIDRs are /24s of the cluster CIDR 10.240.0.0/16.
const NODES = {
  'cp-1': { ip: '192.168.56.2', podCIDR: '10.240.0.0/24' },
  'node-1': { ip: '192.168.56.10', podCIDR: '10.240.1.0/24' }, // the node the dumps are taken on
  'node-2': { ip: '192.168.56.11', podCIDR: '10.240.2.0/24' },
  'node-3': { ip: '192.168.56.12', podCIDR: '10.240.3.0/24' },
};
function nodeOf(ip) {
  for (const [name, n] of Object.entries(NODES)) {
    if (n.ip === ip || cidrContains(n.podCIDR, ip)) return name;
  }
  throw new Error(`no node for ${ip}`);
}
const eps = (...ips) => ips.map((ip) => ({ ip, node: nodeOf(ip) }));

const NGINX = {
  ns: 'default', name: 'nginx', type: 'ClusterIP', clusterIP: '10.0.33.45',
  ports: [{ name: 'web', protocol: 'TCP', port: 80, targetPort: 80 }],
  endpoints: eps('10.240.0.28', '10.240.0.57'),
};

const NODE_SERVICES = [
  {
    ns: 'default', name: 'kubernetes', type: 'ClusterIP', clusterIP: '10.0.0.1',
    ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
    endpoints: eps('192.168.56.2'),
  },
  {
    ns: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIP: '10.0.0.10',
    ports: [
      { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
      { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
    ],
    endpoints: eps('10.240.0.5', '10.240.1.7'),
  },
  NGINX,
  {
    ns: 'shop', name: 'frontend', type: 'NodePort', clusterIP: '10.0.120.7',
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }],
    endpoints: eps('10.240.1.11', '10.240.2.14', '10.240.3.9'),
  },
  {
    ns: 'shop', name: 'api', type: 'LoadBalancer', clusterIP: '10.0.87.20',
    ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 31443 }],
    loadBalancerIPs: ['203.0.113.10'],
    loadBalancerSourceRanges: ['198.51.100.0/24', '192.168.56.0/24'],
    endpoints: eps('10.240.1.21', '10.240.1.22', '10.240.2.30', '10.240.3.41'),
  },
  {
    ns: 'monitoring', name: 'grafana', type: 'ClusterIP', clusterIP: '10.0.45.100',
    ports: [{ name: '', protocol: 'TCP', port: 3000, targetPort: 3000 }],
    externalIPs: ['192.168.56.200'],
    endpoints: eps('10.240.2.31'),
  },
  {
    ns: 'shop', name: 'cart', type: 'ClusterIP', clusterIP: '10.0.66.6',
    sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10800,
    ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080 }],
    endpoints: eps('10.240.1.33', '10.240.3.17'),
  },
  {
    ns: 'ingress-nginx', name: 'ingress-nginx-controller', type: 'LoadBalancer', clusterIP: '10.0.99.80',
    externalTrafficPolicy: 'Local', healthCheckNodePort: 32000,
    ports: [
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30480 },
      { name: 'https', protocol: 'TCP', port: 443, targetPort: 443, nodePort: 30443 },
    ],
    loadBalancerIPs: ['203.0.113.20'],
    endpoints: eps('10.240.1.50', '10.240.2.60'),
  },
  {
    ns: 'default', name: 'echo-local', type: 'NodePort', clusterIP: '10.0.150.9',
    externalTrafficPolicy: 'Local',
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 31080 }],
    endpoints: eps('10.240.3.40'),
  },
  {
    ns: 'staging', name: 'legacy-api', type: 'NodePort', clusterIP: '10.0.200.15',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8080, nodePort: 30999 }],
    endpoints: [],
  },
  {
    ns: 'monitoring', name: 'node-exporter', type: 'ClusterIP', clusterIP: '10.0.45.200',
    internalTrafficPolicy: 'Local',
    ports: [{ name: 'metrics', protocol: 'TCP', port: 9100, targetPort: 9100 }],
    endpoints: eps('192.168.56.2', '192.168.56.10', '192.168.56.11', '192.168.56.12'),
  },
];

const KP_BASE = {
  family: 4, nodeName: 'node-1', nodeIP: '192.168.56.10', clusterCIDR: '10.240.0.0/16',
  masqueradeMark: '0x00004000', // fmt.Sprintf("%#08x", 1<<14)
  masqueradeAll: false, localhostNodePorts: true, randomFully: true, conntrackTCPLiberal: false,
};

// ---------------------------------------------------------------------------
// 1. nginx.txt — one ClusterIP service, kube-proxy 1.30 without nfacct
// ---------------------------------------------------------------------------
{
  const rs = new Ruleset();
  kubeletSync(rs, { ipv6: false });
  const { summary } = kubeProxyStart(rs, { ...KP_BASE, nfacct: false }, [NGINX]);
  setCounters(rs, {
    mangle: { PREROUTING: ['ACCEPT', 184220, 196458127], INPUT: ['ACCEPT', 183906, 196430716], FORWARD: ['ACCEPT', 314, 27411], OUTPUT: ['ACCEPT', 160127, 23518803], POSTROUTING: ['ACCEPT', 160441, 23546214] },
    filter: { INPUT: ['ACCEPT', 183906, 196430716], FORWARD: ['ACCEPT', 314, 27411], OUTPUT: ['ACCEPT', 160127, 23518803] },
    nat: { PREROUTING: ['ACCEPT', 412, 26736], INPUT: ['ACCEPT', 88, 5280], OUTPUT: ['ACCEPT', 3571, 214260], POSTROUTING: ['ACCEPT', 3895, 235716] },
  });
  write('nginx.rules', rs.toRestore('nginx.txt: kubelet 1.30 + kube-proxy 1.30 (iptables mode, no nfacct), node-1 192.168.56.10\ngenerated by samples/src/make-samples.mjs; load with iptables-restore -c'));
  writeExpected('nginx.json', { node: { name: 'node-1', ip: '192.168.56.10' }, clusterCIDR: KP_BASE.clusterCIDR, masqueradeMark: '0x4000', servicePorts: summary });
}

// ---------------------------------------------------------------------------
// 2. kube-proxy-node.txt — many services, kube-proxy 1.31 with nfacct, flannel
// ---------------------------------------------------------------------------
{
  const rs = new Ruleset();
  kubeletSync(rs, { ipv6: false });
  const { summary } = kubeProxyStart(rs, { ...KP_BASE, nfacct: true }, NODE_SERVICES);
  flannelStart(rs, { clusterCIDR: '10.240.0.0/16', podCIDR: NODES['node-1'].podCIDR });
  setCounters(rs, {
    mangle: { PREROUTING: ['ACCEPT', 9124711, 7265093114], INPUT: ['ACCEPT', 7012893, 5897204416], FORWARD: ['ACCEPT', 2111818, 1367888698], OUTPUT: ['ACCEPT', 6843377, 1731502944], POSTROUTING: ['ACCEPT', 8955195, 3099391642] },
    filter: { INPUT: ['ACCEPT', 7012893, 5897204416], FORWARD: ['ACCEPT', 2111818, 1367888698], OUTPUT: ['ACCEPT', 6843377, 1731502944] },
    nat: { PREROUTING: ['ACCEPT', 48213, 3127760], INPUT: ['ACCEPT', 20417, 1225020], OUTPUT: ['ACCEPT', 301553, 18873414], POSTROUTING: ['ACCEPT', 329349, 20650234] },
  });
  write('kube-proxy-node.rules', rs.toRestore('kube-proxy-node.txt: kubelet 1.31 + kube-proxy 1.31 (iptables mode, nfacct counters present) + flannel, node-1 192.168.56.10\ngenerated by samples/src/make-samples.mjs; needs nfacct objects ct_state_invalid_dropped_pkts and localhost_nps_accepted_pkts; load with iptables-restore -c'));
  writeExpected('kube-proxy-node.json', {
    node: { name: 'node-1', ip: '192.168.56.10', podCIDR: NODES['node-1'].podCIDR },
    nodes: NODES, clusterCIDR: KP_BASE.clusterCIDR, serviceCIDR: '10.0.0.0/16', masqueradeMark: '0x4000',
    servicePorts: summary,
  });
}

// ---------------------------------------------------------------------------
// 5. ip6-host.txt — hand-written IPv6 host firewall + IPv6 kube-proxy service
// ---------------------------------------------------------------------------
{
  const rs = new Ruleset();
  // Boot: the admin's firewall is restored first (netfilter-persistent).
  rs.restore(readFileSync(join(SRC, 'hand', 'ip6-host-base.rules'), 'utf8'), { noflush: false });
  kubeletSync(rs, { ipv6: true });
  const cfg6 = {
    family: 6, nodeName: 'node-6', nodeIP: '2001:db8:56::10', clusterCIDR: 'fd00:10:244::/56',
    masqueradeMark: '0x00004000', masqueradeAll: false, localhostNodePorts: false, randomFully: true,
    conntrackTCPLiberal: false, nfacct: false,
  };
  const nodes6 = { 'node-6': 'fd00:10:244:1::/64', 'node-7': 'fd00:10:244::/64' };
  const ep6 = (ip) => ({ ip, node: Object.entries(nodes6).find(([, c]) => cidrContains(c, ip))[0] });
  const echo6 = {
    ns: 'default', name: 'echo6', type: 'NodePort', clusterIP: 'fd00:10:96::5f3a',
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30808 }],
    endpoints: [ep6('fd00:10:244::5'), ep6('fd00:10:244:1::7')],
  };
  const { summary } = kubeProxyStart(rs, cfg6, [echo6]);
  setCounters(rs, {
    raw: { PREROUTING: ['ACCEPT', 1048213, 913874402], OUTPUT: ['ACCEPT', 702118, 98340117] },
    mangle: { PREROUTING: ['ACCEPT', 1047790, 913846011], INPUT: ['ACCEPT', 1012456, 905532190], FORWARD: ['ACCEPT', 35211, 8311052], OUTPUT: ['ACCEPT', 702118, 98340117], POSTROUTING: ['ACCEPT', 737329, 106651169] },
    filter: { INPUT: ['DROP', 4121, 391044], FORWARD: ['DROP', 17, 1360], OUTPUT: ['ACCEPT', 702118, 98340117] },
    nat: { PREROUTING: ['ACCEPT', 5212, 417011], INPUT: ['ACCEPT', 1203, 96240], OUTPUT: ['ACCEPT', 22871, 1829680], POSTROUTING: ['ACCEPT', 24015, 1921200] },
  });
  write('ip6-host.rules', rs.toRestore('ip6-host.txt: hand-written IPv6 host firewall (samples/src/hand/ip6-host-base.rules) + kubelet 1.31 + kube-proxy 1.31 IPv6 (no nfacct)\ngenerated by samples/src/make-samples.mjs; load with ip6tables-restore -c'));
  writeExpected('ip6-host.json', {
    node: { name: 'node-6', ip: cfg6.nodeIP, podCIDR: nodes6['node-6'] }, clusterCIDR: cfg6.clusterCIDR,
    serviceCIDR: 'fd00:10:96::/112', masqueradeMark: '0x4000', servicePorts: summary,
  });
}

// ---------------------------------------------------------------------------
// 3./4. docker-host.txt and host-firewall.txt are written by hand in their
// final order; they are copied through unchanged.
// ---------------------------------------------------------------------------
for (const name of ['docker-host', 'host-firewall']) {
  write(`${name}.rules`, readFileSync(join(SRC, 'hand', `${name}.rules`), 'utf8'));
}
