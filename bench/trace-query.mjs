#!/usr/bin/env node
// Times trace queries against a model that is already loaded (issue #6: "a loaded model
// answers a trace query in under 5 ms (library API, measured)").
//
//   node bench/trace-query.mjs FILE [--queries N] [--node-ip IP]
//
// `kipt trace FILE DEST` spends almost all of its time reading, parsing and loading the
// dump; a program that keeps the model (an editor, a service) pays that once and then asks
// many questions. So this loads FILE once (untimed for the target, but reported as
// loadMs = parse + load) and then times only `trace(ruleset, spec)` per query, the same
// call src/trace/cli.ts's runTrace makes for `kipt trace FILE IP:PORT` with the default
// flags. Rendering the answer (traceToText/traceToJson) is not part of the query.
//
// The destinations come from the dump itself, so any kube-proxy dump works and the set is
// deterministic (same file, same queries):
//   * ClusterIP:port pairs of the nat KUBE-SERVICES `-d X/32 -p P ... --dport N` rules, taken
//     evenly spaced through the chain (a query's cost may depend on where its rule sits),
//   * NodePorts of the nat KUBE-NODEPORTS rules, sent to --node-ip (default: the generator's
//     node address) with that address passed as a node IP, as `kipt trace --node-ip` would,
//   * a few destinations that match no service rule (they walk every rule of the chain, the
//     slow case for a linear scan).
// A few queries are run first to warm up the JIT; then each query is timed once with
// performance.now(). Prints one JSON line on stdout:
//   {"queries", "medianMs", "p95Ms", "maxMs", "loadMs", ...}
// bench/run.mjs runs this once per dump size and judges medianMs < 5 at 10k services and up.

import fs from 'node:fs';
import { NODE_IP } from './gen-kube-dump.mjs';

const LIB = new URL('../dist/src/index.js', import.meta.url);
const DEFAULT_QUERIES = 200;
// Of the queries: this many NodePorts and this many misses; the rest are ClusterIPs.
const NODE_PORT_SHARE = 0.1;
const MISSES = 6;
const WARMUP = 10;

function usage(code) {
  (code ? process.stderr : process.stdout).write('usage: node bench/trace-query.mjs FILE [--queries N] [--node-ip IP]\n');
  process.exit(code);
}

function parseArgs(argv) {
  const o = { file: null, queries: DEFAULT_QUERIES, nodeIp: NODE_IP };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(2);
      return argv[++i];
    };
    if (a === '--queries') o.queries = Number(val());
    else if (a === '--node-ip') o.nodeIp = val();
    else if (a === '--help' || a === '-h') usage(0);
    else if (a.startsWith('-')) usage(2);
    else if (o.file === null) o.file = a;
    else usage(2);
  }
  if (o.file === null) usage(2);
  if (!Number.isInteger(o.queries) || o.queries < MISSES + 2) {
    process.stderr.write(`trace-query: --queries must be an integer >= ${MISSES + 2}\n`);
    process.exit(2);
  }
  return o;
}

/** `n` items of `xs`, evenly spaced from the first (all of them if there are fewer). */
function spread(xs, n) {
  if (xs.length <= n) return [...xs];
  const out = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor((i * xs.length) / n)]);
  return out;
}

/**
 * ClusterIP and NodePort destinations of the nat table, in dump order. A plain line scan,
 * not the parser: the queries should not depend on the code under test.
 */
function scrape(text) {
  const clusterIPs = [];
  const nodePorts = [];
  const seen = new Set();
  const portsByIp = new Map();
  let table = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    if (table !== 'nat' || !line.startsWith('-A KUBE-')) continue;
    // Only ClusterIPs (-j KUBE-SVC-): an ExternalIP or LoadBalancer IP jumps to KUBE-EXT/FW,
    // whose answer depends on the client's address.
    let m = /^-A KUBE-SERVICES -d (\d+\.\d+\.\d+\.\d+)\/32 -p (tcp|udp|sctp) .*--dport (\d+) .*-j KUBE-SVC-/.exec(line);
    if (m) {
      const [, ip, proto, port] = m;
      const key = `${ip}:${port}/${proto}`;
      if (!seen.has(key)) clusterIPs.push({ ip, port: Number(port), proto, kind: 'clusterIP' });
      seen.add(key);
      if (!portsByIp.has(ip)) portsByIp.set(ip, new Set());
      portsByIp.get(ip).add(Number(port));
      continue;
    }
    m = /^-A KUBE-NODEPORTS -p (tcp|udp|sctp) .*--dport (\d+) .*-j KUBE-(EXT|SVC)-/.exec(line);
    if (m) {
      const key = `node:${m[2]}/${m[1]}`;
      if (!seen.has(key)) nodePorts.push({ port: Number(m[2]), proto: m[1], kind: 'nodePort' });
      seen.add(key);
    }
  }
  return { clusterIPs, nodePorts, portsByIp };
}

/** A port that `ip` does not serve (so the query matches no service rule). */
function unusedPort(portsByIp, ip, from) {
  const used = portsByIp.get(ip) ?? new Set();
  let p = from;
  while (used.has(p)) p++;
  return p;
}

function buildQueries(text, o) {
  const { clusterIPs, nodePorts, portsByIp } = scrape(text);
  const nNode = Math.min(nodePorts.length, Math.round(o.queries * NODE_PORT_SHARE));
  const nCluster = o.queries - nNode - MISSES;
  const out = [];
  for (const d of spread(clusterIPs, nCluster)) out.push({ ...d, dest: `${d.ip}:${d.port}`, nodeIps: [] });
  for (const d of spread(nodePorts, nNode)) out.push({ ...d, dest: `${o.nodeIp}:${d.port}`, nodeIps: [o.nodeIp] });
  // Misses: a service IP on a port it does not serve (first and last in the chain),
  // addresses no rule names, and a node port nothing listens on.
  const first = clusterIPs[0]?.ip ?? '10.96.0.1';
  const last = clusterIPs.at(-1)?.ip ?? '10.96.0.2';
  const misses = [
    { dest: `${first}:${unusedPort(portsByIp, first, 1)}`, nodeIps: [] },
    { dest: `${last}:${unusedPort(portsByIp, last, 2)}`, nodeIps: [] },
    { dest: '10.255.255.254:443', nodeIps: [] },
    { dest: '192.0.2.200:80', nodeIps: [] },
    { dest: '198.51.100.7:53', nodeIps: [], proto: 'udp' },
    { dest: `${o.nodeIp}:1`, nodeIps: [o.nodeIp] },
  ];
  for (const d of misses.slice(0, MISSES)) out.push({ proto: 'tcp', ...d, kind: 'miss' });
  return out;
}

const median = (s) => (s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
/** Nearest-rank percentile of sorted `s`. */
const percentile = (s, p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
const round3 = (x) => Math.round(x * 1000) / 1000;

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const { parse, load, trace, parseDest } = await import(LIB.href);
  const text = fs.readFileSync(o.file, 'utf8');

  // Load once: what `kipt trace` does before its query (src/trace/cli.ts runTrace).
  const t0 = performance.now();
  const parsed = parse(text, { file: o.file });
  const t1 = performance.now();
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    process.stderr.write(`trace-query: ${o.file} has ${errors.length} parse error(s); the first: ${errors[0].message}\n`);
    process.exit(1);
  }
  const ruleset = load(parsed.dump);
  const t2 = performance.now();

  // The PacketSpec specFromCli builds for `kipt trace FILE IP:PORT [--proto P] [--node-ip IP]`.
  const queries = buildQueries(text, o).map((q) => {
    const d = parseDest(q.dest);
    return {
      ...q,
      spec: { dst: d.ip, dport: d.port, proto: q.proto, src: null, sport: null, from: 'external', inIface: null, outIface: null, nodeIps: q.nodeIps, mark: 0, ctstate: 'NEW' },
    };
  });
  const options = { assumeRecent: [] };

  for (const q of spread(queries, WARMUP)) trace(ruleset, q.spec, options);

  const ms = [];
  let dnat = 0;
  let sink = 0;
  for (const q of queries) {
    const a = performance.now();
    const r = trace(ruleset, q.spec, options);
    const b = performance.now();
    ms.push(b - a);
    // Look at the answer (outside the timed part) so the work cannot be optimised away,
    // and count the queries that reached a service as a sanity check of the destinations.
    sink += r.outcomes.length;
    if (r.outcomes.some((x) => x.dnat !== null)) dnat++;
    else if (q.kind === 'clusterIP') process.stderr.write(`trace-query: note: ${q.kind} ${q.dest}/${q.proto} reached no DNAT\n`);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const count = (k) => queries.filter((q) => q.kind === k).length;
  const out = {
    queries: ms.length,
    medianMs: round3(median(sorted)),
    p95Ms: round3(percentile(sorted, 95)),
    maxMs: round3(sorted.at(-1)),
    loadMs: round3(t2 - t0),
    parseMs: round3(t1 - t0),
    clusterIP: count('clusterIP'),
    nodePort: count('nodePort'),
    miss: count('miss'),
    dnat,
    outcomes: sink,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`trace-query: ${e?.stack ?? e}\n`);
  process.exit(1);
});
