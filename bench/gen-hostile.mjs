#!/usr/bin/env node
// Hostile-structure dumps for issue #7's promise: lint, explain and trace each finish
// in under 2 seconds on every one, with a diagnostic where something is wrong.
//
//   node bench/gen-hostile.mjs NAME [--out FILE]     (NAME: one of HOSTILE_CASES' names)
//
// Used by bench/run.mjs (timed, with PASS/FAIL) and by test/fuzz/hostile.test.ts
// (correctness, no timing). Plain JavaScript, deterministic; chain hashes from gen-kube-dump.mjs.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { endpointHash, portProtoHash } from './gen-kube-dump.mjs';

const FILTER = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];

/** FORWARD -> C0 -> C1 -> ... -> C(n-1) -> ACCEPT (FORWARD: trace's destination is not the node). */
function deepNesting(n) {
  const out = [...FILTER];
  for (let i = 0; i < n; i++) out.push(`:C${i} - [0:0]`);
  out.push('-A FORWARD -p tcp -j C0');
  for (let i = 0; i < n - 1; i++) out.push(`-A C${i} -j C${i + 1}`);
  out.push(`-A C${n - 1} -j ACCEPT`, 'COMMIT');
  return out.join('\n') + '\n';
}

/** Level i has chains Li_A and Li_B, each jumping to both chains of level i+1: 2^levels paths. */
function diamond(levels) {
  const out = [...FILTER];
  for (let i = 0; i <= levels; i++) out.push(`:L${i}_A - [0:0]`, `:L${i}_B - [0:0]`);
  out.push('-A FORWARD -p tcp -m statistic --mode random --probability 0.50000000000 -j L0_A', '-A FORWARD -p tcp -j L0_B');
  for (let i = 0; i < levels; i++) {
    for (const x of ['A', 'B']) {
      out.push(`-A L${i}_${x} -m statistic --mode random --probability 0.50000000000 -j L${i + 1}_A`, `-A L${i}_${x} -j L${i + 1}_B`);
    }
  }
  out.push(`-A L${levels}_A -j DROP`, `-A L${levels}_B -j RETURN`, 'COMMIT');
  return out.join('\n') + '\n';
}

/** n chains, each reached from FORWARD by its own source address, all jumping to TARGET. */
function fanIn(n) {
  const out = [...FILTER, ':TARGET - [0:0]'];
  for (let i = 0; i < n; i++) out.push(`:C${i} - [0:0]`);
  for (let i = 0; i < n; i++) out.push(`-A FORWARD -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -j C${i}`);
  for (let i = 0; i < n; i++) out.push(`-A C${i} -j TARGET`);
  out.push('-A TARGET -j DROP', 'COMMIT');
  return out.join('\n') + '\n';
}

/**
 * n chains FORWARD jumps to (one source address each), then n empty chains
 * deleted one `-X` at a time, as a kube-proxy restore payload deletes its
 * stale chains: each `-X` must not cost a pass over the table.
 */
function manyDeletes(n) {
  const out = [...FILTER];
  for (let i = 0; i < n; i++) out.push(`:C${i} - [0:0]`, `:D${i} - [0:0]`);
  for (let i = 0; i < n; i++) out.push(`-A FORWARD -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -j C${i}`, `-A C${i} -j DROP`);
  for (let i = 0; i < n; i++) out.push(`-X D${i}`);
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/** A loop of n chains reached from FORWARD: the kernel refuses it. */
function bigLoop(n) {
  const out = [...FILTER];
  for (let i = 0; i < n; i++) out.push(`:C${i} - [0:0]`);
  out.push('-A FORWARD -j C0');
  for (let i = 0; i < n; i++) out.push(`-A C${i} -j C${(i + 1) % n}`);
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/**
 * One ClusterIP service with n endpoints in kube-proxy's layout and real chain hashes:
 * a statistic cascade n rules long (1/n, 1/(n-1), ... printed with 11 decimals as
 * iptables-save does), the last unconditional.
 */
function cascade(n) {
  const spn = 'default/big:web';
  const svc = `KUBE-SVC-${portProtoHash(spn, 'tcp')}`;
  const eps = [];
  for (let i = 0; i < n; i++) {
    const ep = `10.${240 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}:80`;
    eps.push([ep, `KUBE-SEP-${endpointHash(spn, 'tcp', ep)}`]);
  }
  const out = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':KUBE-MARK-MASQ - [0:0]', ':KUBE-SERVICES - [0:0]', `:${svc} - [0:0]`];
  for (const [, chain] of eps) out.push(`:${chain} - [0:0]`);
  out.push('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  out.push('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  out.push('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
  out.push(`-A KUBE-SERVICES -d 10.0.99.1/32 -p tcp -m comment --comment "${spn} cluster IP" -m tcp --dport 80 -j ${svc}`);
  for (let i = 0; i < n; i++) {
    const [ep, chain] = eps[i];
    const statistic = i < n - 1 ? ` -m statistic --mode random --probability ${(1 / (n - i)).toFixed(11)}` : '';
    out.push(`-A ${svc} -m comment --comment "${spn} -> ${ep}"${statistic} -j ${chain}`);
  }
  for (const [ep, chain] of eps) {
    out.push(`-A ${chain} -s ${ep.split(':')[0]}/32 -m comment --comment "${spn}" -j KUBE-MARK-MASQ`);
    out.push(`-A ${chain} -p tcp -m comment --comment "${spn}" -m tcp -j DNAT --to-destination ${ep}`);
  }
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/**
 * The hostile structures. `trace` is what `kipt trace` is asked (after the file);
 * `expect` the lint finding IDs that must appear (the structures the kernel refuses),
 * empty when the dump is legal.
 */
export const HOSTILE_CASES = [
  { name: 'deep-100k', what: '100,000-deep chain nesting', make: () => deepNesting(100_000), trace: ['192.0.2.1:80'], expect: ['KIPT2009'] },
  { name: 'diamond-64', what: 'a 64-level diamond of chains (2^64 paths)', make: () => diamond(64), trace: ['192.0.2.1:80'], expect: ['KIPT2009'] },
  // The packet comes from the 50,001st chain's source address.
  { name: 'fan-in-100k', what: '100,000 chains jumping to one', make: () => fanIn(100_000), trace: ['192.0.2.1:80', '--src', '10.0.195.80'], expect: [] },
  { name: 'loop-100k', what: 'a loop of 100,000 chains', make: () => bigLoop(100_000), trace: ['192.0.2.1:80'], expect: ['KIPT2003'] },
  { name: 'cascade-10k', what: 'a statistic cascade of 10,000 endpoints', make: () => cascade(10_000), trace: ['10.0.99.1:80'], expect: [] },
  // The packet comes from the 25,001st chain's source address.
  { name: 'delete-50k', what: '50,000 chains deleted one -X at a time', make: () => manyDeletes(50_000), trace: ['192.0.2.1:80', '--src', '10.0.97.168'], expect: [] },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2];
  const c = HOSTILE_CASES.find((x) => x.name === name);
  if (!c) {
    console.error(`usage: gen-hostile.mjs NAME [--out FILE]; NAME is one of ${HOSTILE_CASES.map((x) => x.name).join(', ')}`);
    process.exit(2);
  }
  const i = process.argv.indexOf('--out');
  if (i > 0) fs.writeFileSync(process.argv[i + 1], c.make());
  else process.stdout.write(c.make());
}
