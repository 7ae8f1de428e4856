#!/usr/bin/env node
// kipt benchmark harness (`npm run bench` = `npm run build && node bench/run.mjs`).
//
//   node bench/run.mjs [--rounds N] [--full] [--write] [--check] [--keep] [--seed S] [--sizes 10000,30000]
//
// Generates kube-proxy-shaped iptables-save dumps (bench/gen-kube-dump.mjs) into a temp dir
// (10k services; with --full also 1k and 30k), then times, in ONE run, with the commands
// ALTERNATING round by round (default 5 rounds), and reports medians:
//   * every kipt command in KIPT_COMMANDS below (`node bin/kipt.js ...`, stdout -> /dev/null),
//   * `iptables-restore --test FILE` inside a network namespace created for the run
//     (only as root with `ip` and `iptables-restore` available; otherwise skipped, loudly),
//   * the floor: a child `node -e` that reads the file and splits it into lines.
// Peak RSS of each child comes from `/usr/bin/time -f %M`; without it, node children get
// process.resourceUsage().maxRSS through an --import hook and other children get "n/a".
//
//   --write   rewrite bench/RESULTS.md (tables, targets, machine, date)
//   --check   exit 1 if a target fails
//   --keep    keep the temp dir with the dumps
//   --no-hostile  skip the hostile-structure dumps (bench/gen-hostile.mjs; timed against 2 s each)
//
// After the timed rounds of each size, bench/trace-query.mjs times trace queries against a
// model loaded once through the library (dist/src/index.js). With both 10k and 30k (--full),
// each command's 30k/10k median ratio is judged too (time linear in size).
//
// KIPT_BENCH_BIN=path/to/kipt.js overrides bin/kipt.js (e.g. to test the harness itself).
//
// Nothing here changes the host's firewall: the namespace is private to the run and is
// deleted on exit (also on SIGINT/SIGTERM).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKubeDumpWithMeta } from './gen-kube-dump.mjs';
import { HOSTILE_CASES } from './gen-hostile.mjs';

// ---------------------------------------------------------------------------
// kipt commands under test. Add rows here.
//   id       label in the tables
//   args     (file, ctx) => argv after `node bin/kipt.js`; ctx.target is "IP:PORT" of a
//            service port with endpoints in that dump, ctx.meta the generator's metadata
//   okExit   exit codes that count as success (e.g. lint exiting 1 on findings)
//   targets  optional: { maxRestoreRatio, maxRssRatio } checked and printed as PASS/FAIL
//            (fmt's come from the fmt issue, the others from issue #6; every command is also
//            judged on 30k/10k time growth, GROWTH_MAX, when both sizes ran)
// A command that prints "unknown command" or exits 2 on the probe dump is skipped (not
// written yet); any other failure is reported and the command is not timed.
// ---------------------------------------------------------------------------
export const KIPT_COMMANDS = [
  { id: 'kipt fmt', args: (f) => ['fmt', f], okExit: [0], targets: { maxRestoreRatio: 0.5, maxRssRatio: 10 } },
  { id: 'kipt fmt --threads 2', args: (f) => ['fmt', '--threads', '2', f], okExit: [0], targets: { maxRestoreRatio: 0.5, maxRssRatio: 10 } },
  { id: 'kipt explain -o json', args: (f) => ['explain', '-o', 'json', f], okExit: [0], targets: { maxRestoreRatio: 1 / 3, maxRssRatio: 8 } },
  { id: 'kipt lint -f json', args: (f) => ['lint', '-f', 'json', f], okExit: [0, 1], targets: { maxRestoreRatio: 1 / 3, maxRssRatio: 8 } },
  // No time target against restore: a whole `kipt trace` run is load + one query, and the
  // query itself is judged by bench/trace-query.mjs (TRACE_QUERY_MAX_MS).
  { id: 'kipt trace IP:PORT', args: (f, ctx) => ['trace', f, ctx.target], okExit: [0, 1], targets: { maxRssRatio: 8 } },
];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const KIPT_BIN = process.env.KIPT_BENCH_BIN ? path.resolve(process.env.KIPT_BENCH_BIN) : path.join(ROOT, 'bin', 'kipt.js'); // env override for testing the harness
const RESULTS_MD = path.join(HERE, 'RESULTS.md');
const RUN_TIMEOUT_MS = 15 * 60 * 1000; // per child run
// Targets are judged only on dumps at least this big; on smaller ones node's own startup
// (~40 MB RSS, ~40 ms) dominates, so they are printed as "info".
const TARGET_MIN_SERVICES = 10000;
/** Issue #7: lint, explain and trace finish on every hostile structure in under this. */
const HOSTILE_LIMIT_S = 2;
/** Issue #6: time linear in size, judged as median(30k) / median(10k) <= this (the dump grows 3.0x). */
const GROWTH_FROM = 10000;
const GROWTH_TO = 30000;
const GROWTH_MAX = 3.3;
/** Issue #6: a loaded model answers a trace query (library API) in under this, median. */
const TRACE_QUERY_MAX_MS = 5;
const TRACE_QUERY = path.join(HERE, 'trace-query.mjs');
const LIB_INDEX = path.join(ROOT, 'dist', 'src', 'index.js');
const NAMES = { restore: 'iptables-restore --test', floor: 'floor (node read+split)', words: 'floor (node read+split+words)' };
const JSON_FLOOR = path.join(HERE, 'json-floor.mjs');

// ---------------------------------------------------------------------------
// args
// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { rounds: 5, full: false, write: false, check: false, keep: false, seed: 1, sizes: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--rounds') o.rounds = Number(val());
    else if (a === '--full') o.full = true;
    else if (a === '--write') o.write = true;
    else if (a === '--no-hostile') o.noHostile = true;
    else if (a === '--check') o.check = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--seed') o.seed = val();
    else if (a === '--sizes') o.sizes = val().split(',').map((s) => Number(s.trim()));
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/run.mjs [--rounds N] [--full] [--write] [--check] [--keep] [--no-hostile] [--seed S] [--sizes 10000,30000]');
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1 || o.rounds > 100) throw new Error('--rounds must be 1..100');
  if (o.sizes && o.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes wants positive integers');
  if (!o.sizes) o.sizes = o.full ? [1000, 10000, 30000] : [10000];
  return o;
}

// ---------------------------------------------------------------------------
// environment
// ---------------------------------------------------------------------------

function which(cmd) {
  const dirs = (process.env.PATH || '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

function firstLine(s) {
  return String(s || '').split('\n').find((l) => l.trim()) ?? '';
}

function machineInfo(iptablesPath) {
  let cpu = 'unknown';
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch {
    cpu = os.cpus()[0]?.model ?? 'unknown';
  }
  let iptables = 'not installed';
  if (iptablesPath) iptables = firstLine(spawnSync(iptablesPath, ['--version'], { encoding: 'utf8' }).stdout) || 'unknown';
  let commit = '';
  const g = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (g.status === 0) commit = g.stdout.trim();
  return {
    cpu,
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    ramGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    iptables,
    kernel: `${os.type()} ${os.release()}`,
    commit,
  };
}

function gnuTimeWorks(timePath, dir) {
  if (!timePath) return false;
  const out = path.join(dir, 'time-probe.txt');
  const r = spawnSync(timePath, ['-f', '%M', '-o', out, 'true'], { encoding: 'utf8' });
  try {
    return r.status === 0 && /^\d+\s*$/m.test(fs.readFileSync(out, 'utf8'));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// netns (created only for this run; always deleted)
// ---------------------------------------------------------------------------

const cleanup = { netns: null, tmp: null, keep: false, child: null };

function cleanupAll() {
  if (cleanup.child && cleanup.child.exitCode === null) {
    try {
      process.kill(cleanup.child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (cleanup.netns) {
    spawnSync('ip', ['netns', 'del', cleanup.netns], { stdio: 'ignore' });
    cleanup.netns = null;
  }
  if (cleanup.tmp && !cleanup.keep) {
    fs.rmSync(cleanup.tmp, { recursive: true, force: true });
    cleanup.tmp = null;
  }
}
process.on('exit', cleanupAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    cleanupAll();
    process.exit(130);
  });
}

function setupNetns(ipPath) {
  const name = `kiptbench${process.pid}`;
  const r = spawnSync(ipPath, ['netns', 'add', name], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, why: `ip netns add failed: ${firstLine(r.stderr)}` };
  cleanup.netns = name;
  const t = spawnSync(ipPath, ['netns', 'exec', name, 'true'], { encoding: 'utf8' });
  if (t.status !== 0) return { ok: false, why: `ip netns exec failed: ${firstLine(t.stderr)}` };
  return { ok: true, name };
}

// ---------------------------------------------------------------------------
// running one child
// ---------------------------------------------------------------------------

/**
 * Runs argv (argv[0] is the program) with stdout to /dev/null. Returns
 * { seconds, rssKB|null, code, signal, stderr, stdoutHead }.
 */
function runChild(argv, env, opts) {
  return new Promise((resolve) => {
    const rssFile = path.join(opts.tmp, `rss-${process.pid}-${Math.floor(performance.now() * 1000)}.txt`);
    let full = argv;
    const childEnv = { ...process.env, ...env };
    if (opts.timePath) full = [opts.timePath, '-f', '%M', '-o', rssFile, ...argv];
    else if (opts.rssHook && path.basename(argv[0]) === path.basename(process.execPath)) {
      full = [argv[0], '--import', opts.rssHook, ...argv.slice(1)];
      childEnv.KIPT_BENCH_RSS_FILE = rssFile;
    }
    const captureStdout = !!opts.captureStdout;
    const devnull = captureStdout ? 'pipe' : fs.openSync(opts.stdoutFile ?? '/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', devnull, 'pipe'], env: childEnv });
    cleanup.child = child;
    let stderr = '';
    let stdoutHead = '';
    child.stderr.on('data', (d) => {
      if (stderr.length < 65536) stderr += d;
    });
    if (captureStdout) {
      child.stdout.on('data', (d) => {
        if (stdoutHead.length < 65536) stdoutHead += d;
      });
    }
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, RUN_TIMEOUT_MS);
    const done = (code, signal, err) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (typeof devnull === 'number') fs.closeSync(devnull);
      let rssKB = null;
      try {
        const nums = fs.readFileSync(rssFile, 'utf8').split('\n').filter((l) => /^\d+\s*$/.test(l));
        if (nums.length) rssKB = Number(nums[nums.length - 1]);
        fs.rmSync(rssFile, { force: true });
      } catch {
        /* no rss */
      }
      cleanup.child = null;
      resolve({ seconds, rssKB, code, signal, stderr: err ? String(err) : stderr, stdoutHead });
    };
    child.on('error', (err) => done(-1, null, err));
    child.on('close', (code, signal) => done(code, signal));
  });
}

// ---------------------------------------------------------------------------
// stats / formatting
// ---------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtNum = (x, d = 2) => (x == null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

function table(headers, rows, align) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (align[i] === 'r' ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function mdTable(headers, rows, align) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e.message}`);
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kipt-bench-'));
  cleanup.tmp = tmp;
  cleanup.keep = o.keep;

  const banner = (msg) => console.error(`\n${'!'.repeat(78)}\n!! ${msg}\n${'!'.repeat(78)}\n`);

  // --- environment ---
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const timePath = gnuTimeWorks(timeBin, tmp) ? timeBin : null;
  let rssHook = null;
  if (!timePath) {
    rssHook = path.join(tmp, 'rss-hook.mjs');
    fs.writeFileSync(rssHook, "import fs from 'node:fs';\nprocess.on('exit', () => { try { fs.writeFileSync(process.env.KIPT_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS) + '\\n'); } catch {} });\n");
    console.error('note: /usr/bin/time (GNU) not usable; peak RSS is measured for node children only (process.resourceUsage().maxRSS)');
  }
  const ipPath = which('ip');
  const restorePath = which('iptables-restore');
  const iptablesPath = which('iptables');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let netns = null;
  let restoreSkipReason = null;
  if (!isRoot) restoreSkipReason = 'not running as root';
  else if (!ipPath) restoreSkipReason = '`ip` not found';
  else if (!restorePath) restoreSkipReason = '`iptables-restore` not found';
  else {
    const r = setupNetns(ipPath);
    if (r.ok) netns = r.name;
    else restoreSkipReason = r.why;
  }
  if (restoreSkipReason) banner(`iptables-restore --test is SKIPPED (${restoreSkipReason}); only the floor is used as a reference`);

  const machine = machineInfo(iptablesPath);

  // --- kipt availability ---
  const kiptPresent = fs.existsSync(KIPT_BIN);
  const kiptStatus = new Map(); // id -> {status: 'ok'|'missing'|'not implemented'|'error', detail}
  if (!kiptPresent) {
    banner(`${path.relative(ROOT, KIPT_BIN)} not found: all kipt commands are SKIPPED (build kipt first: npm run build)`);
    for (const c of KIPT_COMMANDS) kiptStatus.set(c.id, { status: 'missing', detail: 'bin/kipt.js not found' });
  } else {
    const probe = generateKubeDumpWithMeta({ services: 30, seed: o.seed });
    const probeFile = path.join(tmp, 'probe-30.txt');
    fs.writeFileSync(probeFile, probe.text);
    const ctx = { target: pickTarget(probe.meta), meta: probe.meta };
    for (const c of KIPT_COMMANDS) {
      const r = await runChild([process.execPath, KIPT_BIN, ...c.args(probeFile, ctx)], {}, { tmp, timePath: null, captureStdout: true });
      const text = `${r.stderr}\n${r.stdoutHead}`;
      if (/unknown command/i.test(text) || r.code === 2) kiptStatus.set(c.id, { status: 'not implemented', detail: firstLine(r.stderr) || `exit ${r.code}` });
      else if (!c.okExit.includes(r.code)) kiptStatus.set(c.id, { status: 'error', detail: `exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}` });
      else kiptStatus.set(c.id, { status: 'ok', detail: '' });
    }
    for (const c of KIPT_COMMANDS) {
      const s = kiptStatus.get(c.id);
      if (s.status === 'not implemented') console.error(`skip: ${c.id}: not implemented yet (${s.detail})`);
      else if (s.status === 'error') banner(`${c.id} FAILED on a 30-service probe dump, not timed: ${s.detail}`);
    }
  }
  const kiptCmds = KIPT_COMMANDS.filter((c) => kiptStatus.get(c.id).status === 'ok');

  // --- per size ---
  const results = [];
  for (const n of o.sizes) {
    const t0 = Date.now();
    const { text, meta } = generateKubeDumpWithMeta({ services: n, seed: o.seed });
    const file = path.join(tmp, `kube-${n}.txt`);
    fs.writeFileSync(file, text);
    const bytes = meta.bytes;
    console.error(`\n== ${n} services: ${meta.lines} lines, ${(bytes / 1e6).toFixed(1)} MB, ${meta.servicePorts} service ports, ${meta.endpoints} endpoints (generated in ${Date.now() - t0} ms)`);
    const ctx = { target: pickTarget(meta), meta };

    const cmds = [];
    for (const c of kiptCmds) cmds.push({ key: c.id, label: c.id, argv: [process.execPath, KIPT_BIN, ...c.args(file, ctx)], okExit: c.okExit, targets: c.targets, kipt: true });
    if (netns) cmds.push({ key: 'restore', label: NAMES.restore, argv: [ipPath, 'netns', 'exec', netns, restorePath, '--test', file], okExit: [0] });
    cmds.push({
      key: 'floor',
      label: NAMES.floor,
      argv: [process.execPath, '-e', "const t=require('fs').readFileSync(process.argv[1],'utf8');const l=t.split('\\n');if(l.length<2)process.exit(1)", file],
      okExit: [0],
    });

    // The least a parser that keeps every word of every rule must do: split each rule line
    // into its words and keep them (no typing, no positions, no checks).
    cmds.push({
      key: 'words',
      label: NAMES.words,
      argv: [process.execPath, '-e', "const t=require('fs').readFileSync(process.argv[1],'utf8');const w=[];for(const l of t.split('\\n'))if(l.charCodeAt(0)===45)w.push(l.split(' '));if(w.length<1)process.exit(1)", file],
      okExit: [0],
    });

    // warm-up (page cache, node binary): one untimed floor run
    await runChild(cmds.find((c) => c.key === 'floor').argv, {}, { tmp, timePath: null, rssHook: null });

    const samples = new Map(cmds.map((c) => [c.key, { secs: [], rss: [], failures: [] }]));
    for (let r = 0; r < o.rounds; r++) {
      // alternate: each round starts one command later, so no command always runs first
      const order = cmds.map((_, i) => cmds[(i + r) % cmds.length]);
      for (const c of order) {
        const res = await runChild(c.argv, {}, { tmp, timePath, rssHook });
        const s = samples.get(c.key);
        if (!c.okExit.includes(res.code)) {
          s.failures.push(`exit ${res.code ?? res.signal}: ${firstLine(res.stderr)}`);
          console.error(`  round ${r + 1}: ${c.label} FAILED (${s.failures.at(-1)})`);
          continue;
        }
        s.secs.push(res.seconds);
        if (res.rssKB != null) s.rss.push(res.rssKB);
        console.error(`  round ${r + 1}/${o.rounds}: ${c.label.padEnd(28)} ${res.seconds.toFixed(3)} s  ${res.rssKB != null ? `${(res.rssKB / 1024).toFixed(0)} MB` : ''}`);
      }
    }
    const row = (c) => {
      const s = samples.get(c.key);
      return {
        key: c.key,
        label: c.label,
        kipt: !!c.kipt,
        targets: c.targets,
        median: s.secs.length ? median(s.secs) : null,
        runs: s.secs.length,
        failures: s.failures,
        rssMB: s.rss.length ? Math.max(...s.rss) / 1024 : null,
      };
    };
    const rows = cmds.map(row);
    const restoreMed = rows.find((x) => x.key === 'restore')?.median ?? null;
    const floorMed = rows.find((x) => x.key === 'floor')?.median ?? null;
    for (const x of rows) {
      x.vsRestore = restoreMed && x.median != null ? x.median / restoreMed : null;
      x.vsFloor = floorMed && x.median != null ? x.median / floorMed : null;
      x.rssRatio = x.rssMB != null ? (x.rssMB * 1024 * 1024) / bytes : null;
    }
    // Trace queries on a loaded model: once, after the timed rounds so it does not disturb them.
    // It reports its own per-query times, so one run is enough.
    const traceQuery = await runTraceQuery(file, tmp);
    const jsonFloor = kiptStatus.get('kipt explain -o json')?.status === 'ok' ? await runJsonFloor(file, tmp) : { ok: false, detail: 'kipt explain -o json not measured' };
    if (jsonFloor.ok) console.error(`  printing explain's JSON document alone (bench/json-floor.mjs): ${fmtNum(jsonFloor.minMs / 1000, 3)} s for ${fmtNum(jsonFloor.bytes / 1e6, 1)} MB`);
    if (traceQuery.ok) console.error(`  trace queries (library): ${traceQuery.queries} queries, median ${fmtNum(traceQuery.medianMs, 3)} ms, p95 ${fmtNum(traceQuery.p95Ms, 3)} ms, max ${fmtNum(traceQuery.maxMs, 3)} ms (load ${fmtNum(traceQuery.loadMs / 1000, 2)} s)`);
    else if (!traceQuery.skipped) banner(`bench/trace-query.mjs FAILED on ${n} services: ${traceQuery.detail}`);
    results.push({ n, lines: meta.lines, bytes, servicePorts: meta.servicePorts, endpoints: meta.endpoints, rows, target: ctx.target, traceQuery, jsonFloor });
    fs.rmSync(file, { force: true });
  }

  // --- report ---
  const headers = ['command', 'median s', 'x restore --test', 'x floor', 'peak RSS MB', 'RSS / input'];
  const align = ['l', 'r', 'r', 'r', 'r', 'r'];
  const checks = [];
  let text = '';
  let md = '';
  for (const res of results) {
    const title = `${res.n} services: ${res.lines} lines, ${(res.bytes / 1e6).toFixed(1)} MB (${res.servicePorts} service ports, ${res.endpoints} endpoints), ${o.rounds} rounds`;
    const rows = res.rows.map((x) => [
      x.label + (x.failures.length ? ` (${x.failures.length} failed)` : ''),
      fmtNum(x.median, 3),
      x.vsRestore == null ? 'n/a' : `${fmtNum(x.vsRestore)}x`,
      x.vsFloor == null ? 'n/a' : `${fmtNum(x.vsFloor)}x`,
      fmtNum(x.rssMB, 0),
      x.rssRatio == null ? 'n/a' : `${fmtNum(x.rssRatio, 1)}x`,
    ]);
    for (const c of KIPT_COMMANDS) {
      const st = kiptStatus.get(c.id);
      if (st.status !== 'ok') rows.push([`${c.id} (skipped: ${st.status})`, '-', '-', '-', '-', '-']);
    }
    if (!res.rows.some((x) => x.key === 'restore')) rows.push([`${NAMES.restore} (skipped: ${restoreSkipReason})`, '-', '-', '-', '-', '-']);
    const tq = res.traceQuery;
    const tqLine = tq.ok
      ? `trace query on a loaded model (library, bench/trace-query.mjs): ${tq.queries} queries, median ${fmtNum(tq.medianMs, 3)} ms, p95 ${fmtNum(tq.p95Ms, 3)} ms, max ${fmtNum(tq.maxMs, 3)} ms; parse + load ${fmtNum(tq.loadMs, 0)} ms once`
      : `trace query on a loaded model: ${tq.skipped ? 'skipped' : 'FAILED'} (${tq.detail})`;
    const floorLines = budgetLines(res);
    text += `\n${title}\n${table(headers, rows, align)}\n${tqLine}\n${floorLines.join('\n')}${floorLines.length ? '\n' : ''}`;
    md += `\n### ${title}\n\n${mdTable(headers, rows, align)}\n\n${tqLine}\n${floorLines.map((l) => `\n${l}\n`).join('')}`;

    for (const x of res.rows) {
      if (!x.targets) continue;
      if (x.targets.maxRestoreRatio != null) {
        const ok = x.vsRestore == null ? null : x.vsRestore <= x.targets.maxRestoreRatio;
        checks.push({ n: res.n, what: `${x.label} time <= ${fmtRatio(x.targets.maxRestoreRatio)}x iptables-restore --test`, ok, value: x.vsRestore == null ? (restoreSkipReason ? 'restore skipped' : 'no data') : `${fmtNum(x.vsRestore)}x` });
      }
      if (x.targets.maxRssRatio != null) {
        const ok = x.rssRatio == null ? null : x.rssRatio <= x.targets.maxRssRatio;
        checks.push({ n: res.n, what: `${x.label} peak RSS <= ${fmtRatio(x.targets.maxRssRatio)}x input size`, ok, value: x.rssRatio == null ? 'no data' : `${fmtNum(x.rssRatio, 1)}x` });
      }
    }
    checks.push({
      n: res.n,
      what: `trace query median < ${TRACE_QUERY_MAX_MS} ms (library, loaded model)`,
      // a crash is a FAIL; no built library is "n/a", like a kipt command that is not built
      ok: tq.ok ? tq.medianMs < TRACE_QUERY_MAX_MS : tq.skipped ? null : false,
      value: tq.ok ? `${fmtNum(tq.medianMs, 3)} ms (p95 ${fmtNum(tq.p95Ms, 3)} ms, max ${fmtNum(tq.maxMs, 3)} ms, ${tq.queries} queries)` : tq.skipped ? `not measured (${tq.detail})` : `failed (${tq.detail})`,
    });
    for (const c of KIPT_COMMANDS) {
      if (!c.targets || kiptStatus.get(c.id).status === 'ok') continue;
      checks.push({ n: res.n, what: `${c.id} targets`, ok: null, value: `not measured (${kiptStatus.get(c.id).status})` });
    }
  }
  // --- growth 10k -> 30k (issue #6: time linear in size) ---
  const from = results.find((r) => r.n === GROWTH_FROM);
  const to = results.find((r) => r.n === GROWTH_TO);
  if (from && to) {
    const growthRows = [];
    for (const a of from.rows) {
      const b = to.rows.find((x) => x.key === a.key);
      if (!b) continue;
      const ratio = a.median != null && b.median != null ? b.median / a.median : null;
      growthRows.push([a.label, fmtNum(a.median, 3), fmtNum(b.median, 3), ratio == null ? 'n/a' : `x${fmtNum(ratio)}`]);
      // restore and the floor are shown for scale, not judged: only kipt is held to linear
      if (!a.kipt) continue;
      const ok = ratio == null ? null : ratio <= GROWTH_MAX;
      checks.push({
        n: GROWTH_TO,
        what: `growth ${a.label}`,
        ok,
        value: ratio == null ? 'no data' : `x${fmtNum(ratio)}`,
        line: (v) => `${v}  [growth ${GROWTH_FROM / 1000}k->${GROWTH_TO / 1000}k] ${a.label} time ${ratio == null ? 'no data' : `x${fmtNum(ratio)}`} <= ${GROWTH_MAX}`,
      });
    }
    const headers = ['command', `${GROWTH_FROM / 1000}k median s`, `${GROWTH_TO / 1000}k median s`, `${GROWTH_TO / 1000}k / ${GROWTH_FROM / 1000}k`];
    const align = ['l', 'r', 'r', 'r'];
    const title = `Growth ${GROWTH_FROM / 1000}k -> ${GROWTH_TO / 1000}k services (input x${fmtNum(to.bytes / from.bytes)}; kipt target <= ${GROWTH_MAX})`;
    text += `\n${title}\n${table(headers, growthRows, align)}\n`;
    md += `\n### ${title}\n\n${mdTable(headers, growthRows, align)}\n`;
  } else if (results.some((r) => r.n >= TARGET_MIN_SERVICES)) {
    checks.push({ n: GROWTH_TO, what: 'growth', ok: null, value: '', line: (v) => `${v}  [growth ${GROWTH_FROM / 1000}k->${GROWTH_TO / 1000}k] not judged: needs both sizes (--full, or --sizes ${GROWTH_FROM},${GROWTH_TO})` });
  }

  // --- hostile structures (issue #7): each command under HOSTILE_LIMIT_S on each ---
  const hostileLines = [];
  if (!o.noHostile) {
    const hostileRows = [];
    for (const hc of HOSTILE_CASES) {
      const file = path.join(tmp, `hostile-${hc.name}.rules`);
      fs.writeFileSync(file, hc.make());
      const bytes = fs.statSync(file).size;
      const commands = [
        { id: 'lint', argv: ['lint', '-f', 'json', file], okExit: [0, 1] },
        { id: 'explain', argv: ['explain', '-o', 'json', file], okExit: [0, 1] },
        { id: 'trace', argv: ['trace', file, ...hc.trace], okExit: [0, 1] },
      ];
      const samples = new Map(commands.map((c) => [c.id, { secs: [], rss: [], bad: null }]));
      for (let r = 0; r < o.rounds; r++) {
        for (const c of commands) {
          const run = await runChild([process.execPath, KIPT_BIN, ...c.argv], {}, { tmp, timePath, rssHook });
          const sample = samples.get(c.id);
          if (!c.okExit.includes(run.code)) sample.bad = `exit ${run.code}: ${firstLine(run.stderr)}`;
          sample.secs.push(run.seconds);
          if (run.rssKB != null) sample.rss.push(run.rssKB);
        }
      }
      for (const c of commands) {
        const sample = samples.get(c.id);
        const med = median(sample.secs);
        const rssMB = sample.rss.length ? Math.max(...sample.rss) / 1024 : null;
        hostileRows.push([`${hc.name} (${(bytes / 1e6).toFixed(1)} MB)`, `kipt ${c.id}`, fmtNum(med, 3), fmtNum(rssMB, 0), sample.bad ?? 'ok']);
        const ok = sample.bad === null && med < HOSTILE_LIMIT_S;
        hostileLines.push(`${ok ? 'PASS' : 'FAIL'}  [hostile] kipt ${c.id} on ${hc.what} < ${HOSTILE_LIMIT_S} s: ${fmtNum(med, 2)} s${sample.bad ? ` (${sample.bad})` : ''}`);
        checks.push({ n: Infinity, what: `hostile ${hc.name} kipt ${c.id}`, ok, value: `${fmtNum(med, 2)} s`, hidden: true });
      }
    }
    const headers = ['hostile dump', 'command', 'median s', 'peak RSS MB', 'status'];
    const align = ['l', 'l', 'r', 'r', 'l'];
    const title = `Hostile structures (bench/gen-hostile.mjs), ${o.rounds} rounds`;
    text += `\n${title}\n${table(headers, hostileRows, align)}\n`;
    md += `\n### ${title}\n\n${mdTable(headers, hostileRows, align)}\n`;
  }

  for (const c of checks) if (c.n < TARGET_MIN_SERVICES && c.ok !== null) c.info = true;
  const verdict = (c) => (c.info ? 'info' : c.ok === true ? 'PASS' : c.ok === false ? 'FAIL' : 'n/a');
  // A check with line(verdict) words its own line: the growth checks are about a pair of sizes.
  const checkLines = [...checks.filter((c) => !c.hidden).map((c) => c.line ? c.line(verdict(c).padEnd(4)) : `${verdict(c).padEnd(4)}  [${c.n} services] ${c.what}: ${c.value}`), ...hostileLines];
  const machineLines = [
    `CPU: ${machine.cpu} (${machine.cores} cores)`,
    `RAM: ${machine.ramGiB} GiB`,
    `node: ${machine.node}`,
    `iptables: ${machine.iptables}`,
    `kernel: ${machine.kernel}`,
    `peak RSS via: ${timePath ? `${timePath} -f %M` : 'process.resourceUsage().maxRSS (node children only)'}`,
  ];

  console.log(text);
  console.log('Targets');
  console.log(checkLines.length ? checkLines.join('\n') : '(no targets measured)');
  console.log(`\nMachine\n${machineLines.join('\n')}`);

  if (o.write) {
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const out = [
      '# kipt benchmark results',
      '',
      `Written by \`node bench/run.mjs --write\` on ${date}${machine.commit ? ` (commit ${machine.commit}, plus working-tree changes if any)` : ''}.`,
      `Command: \`node bench/run.mjs ${process.argv.slice(2).join(' ')}\``,
      '',
      'Inputs come from `bench/gen-kube-dump.mjs` (seed ' + o.seed + '). Times are medians over the rounds; the commands alternate round by round.',
      '"x restore --test" is the ratio to `iptables-restore --test` on the same file (run inside a private network namespace);',
      `Targets are judged on dumps of ${TARGET_MIN_SERVICES} services or more ("info" below that, where node's startup dominates).`,
      '"x floor" is the ratio to a `node -e` child that only reads the file and splits it into lines.',
      'Peak RSS is the maximum over the rounds; "RSS / input" divides it by the dump size.',
      `The trace query line is bench/trace-query.mjs: \`trace()\` timed per query on a model parsed and loaded once through the library.`,
      `"Growth" divides each median at ${GROWTH_TO} services by the one at ${GROWTH_FROM} (only when both sizes ran).`,
      '',
      '## Machine',
      '',
      ...machineLines.map((l) => `- ${l}`),
      '',
      '## Results',
      md,
      '## Targets',
      '',
      '```',
      ...(checkLines.length ? checkLines : ['(no targets measured)']),
      '```',
      '',
    ].join('\n');
    fs.writeFileSync(RESULTS_MD, out);
    console.log(`\nwrote ${path.relative(ROOT, RESULTS_MD)}`);
  }

  cleanupAll();
  if (o.check && checks.some((c) => c.ok === false && !c.info)) process.exit(1);
}

/**
 * What the floors leave of the 1/3-of-restore budget (issue #6): the words floor is the
 * least a parser keeping every word pays, the JSON floor the least explain's output costs.
 */
function budgetLines(res) {
  const restore = res.rows.find((x) => x.key === 'restore')?.median;
  const words = res.rows.find((x) => x.key === 'words')?.median;
  const jf = res.jsonFloor;
  const lines = [];
  if (jf?.ok) {
    lines.push(`printing explain's JSON document alone (bench/json-floor.mjs: one JSON.stringify and one write, ${fmtNum(jf.bytes / 1e6, 1)} MB): ${fmtNum(jf.minMs / 1000, 3)} s${restore ? `, ${fmtNum(jf.minMs / 1000 / restore)}x restore --test` : ''}`);
  } else if (jf) lines.push(`printing explain's JSON document alone: not measured (${jf.detail})`);
  if (restore && words != null) {
    const budget = restore / 3;
    lines.push(`budget for lint (1/3 of restore --test): ${fmtNum(budget, 3)} s; reading and splitting every rule into words takes ${fmtNum(words, 3)} s of it, leaving ${fmtNum(budget - words, 3)} s to type values, keep positions, load, graph and check`);
    if (jf?.ok) {
      const left = budget - words - jf.minMs / 1000;
      lines.push(`budget for explain -o json: the same ${fmtNum(budget, 3)} s, less the words floor and printing the document, leaves ${fmtNum(left, 3)} s for everything else (typing, the kube model, building the document)`);
    }
  }
  return lines;
}

/** A target ratio for humans: 1/3 -> "0.33", 0.5 -> "0.5", 8 -> "8". */
function fmtRatio(r) {
  return String(Number(r.toFixed(2)));
}

/**
 * Runs bench/trace-query.mjs on `file` and returns its JSON figures with ok: true, or
 * { ok: false, skipped, detail } (skipped: the library is not built, so nothing to judge).
 */
async function runTraceQuery(file, tmp) {
  if (!fs.existsSync(LIB_INDEX)) return { ok: false, skipped: true, detail: `${path.relative(ROOT, LIB_INDEX)} not found (npm run build)` };
  const r = await runChild([process.execPath, TRACE_QUERY, file], {}, { tmp, timePath: null, rssHook: null, captureStdout: true });
  if (r.code !== 0) return { ok: false, skipped: false, detail: `exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}` };
  try {
    const json = JSON.parse(r.stdoutHead.trim().split('\n').at(-1));
    if (!Number.isFinite(json.medianMs)) throw new Error('no medianMs');
    return { ok: true, ...json };
  } catch (e) {
    return { ok: false, skipped: false, detail: `unreadable output (${e.message}): ${firstLine(r.stdoutHead)}` };
  }
}

/**
 * Prints explain's document for `file` once (untimed) and has bench/json-floor.mjs time
 * printing it alone: { ok: true, bytes, minMs } or { ok: false, detail }.
 */
async function runJsonFloor(file, tmp) {
  const doc = path.join(tmp, 'explain-floor.json');
  try {
    const made = await runChild([process.execPath, KIPT_BIN, 'explain', '-o', 'json', file], {}, { tmp, timePath: null, rssHook: null, stdoutFile: doc });
    if (made.code !== 0) return { ok: false, detail: `kipt explain -o json: exit ${made.code ?? made.signal}: ${firstLine(made.stderr)}` };
    const r = await runChild([process.execPath, JSON_FLOOR, doc], {}, { tmp, timePath: null, rssHook: null, captureStdout: true });
    if (r.code !== 0) return { ok: false, detail: `exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}` };
    const json = JSON.parse(r.stdoutHead.trim().split('\n').at(-1));
    if (!Number.isFinite(json.minMs)) return { ok: false, detail: 'no minMs' };
    return { ok: true, ...json };
  } catch (e) {
    return { ok: false, detail: e.message };
  } finally {
    fs.rmSync(doc, { force: true });
  }
}

/** "IP:PORT" of a tcp service port with several endpoints (not default/kubernetes). */
function pickTarget(meta) {
  const s =
    meta.samples.find((x) => x.proto === 'tcp' && x.endpoints >= 2 && !/^(default\/kubernetes|kube-system\/)/.test(x.name)) ??
    meta.samples.find((x) => x.proto === 'tcp') ??
    meta.samples[0];
  return s ? `${s.clusterIP}:${s.port}` : '10.96.0.1:443';
}

main().catch((e) => {
  console.error(e);
  cleanupAll();
  process.exit(1);
});
