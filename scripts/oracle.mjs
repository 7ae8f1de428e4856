#!/usr/bin/env node
/**
 * The kernel as oracle: load a restore file into a network namespace this
 * script creates, read it back with iptables-save, and compare with
 * `kipt fmt` of the same file, table by table (iptables-save orders tables
 * its own way; kipt keeps the input's order).
 *
 *   node scripts/oracle.mjs FILE...      (needs root, `ip`, iptables; build first)
 *
 * A file named *.v6.rules is loaded with ip6tables-restore. Exit 0 when every
 * file matches, 1 when one differs, 2 when the oracle is unavailable.
 * Touches nothing but the namespace it creates, and always deletes it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function oracleAvailable() {
  if (process.getuid?.() !== 0) return "not root";
  for (const tool of ["ip", "iptables-restore", "iptables-save", "ip6tables-restore", "ip6tables-save"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} not found`;
  }
  return null;
}

/** Split a dump into { tableName: text } without comment lines. */
export function tablesOf(text) {
  const tables = {};
  let current = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (line.startsWith("*")) {
      current = line.slice(1);
      tables[current] = [];
    }
    if (current) tables[current].push(line);
  }
  return Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.join("\n")]));
}

/** Run fn(ns) inside a fresh namespace; always delete it. */
export function withNamespace(fn) {
  const ns = `kipt-oracle-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  execFileSync("ip", ["netns", "add", ns]);
  try {
    return fn(ns);
  } finally {
    spawnSync("ip", ["netns", "del", ns]);
  }
}

/** What iptables-save prints after iptables-restore loaded `input` ({ ok, saved } or { ok: false, error }). */
export function kernelSave(input, v6 = false, counters = false) {
  return withNamespace((ns) => {
    const restore = v6 ? "ip6tables-restore" : "iptables-restore";
    const save = v6 ? "ip6tables-save" : "iptables-save";
    const r = spawnSync("ip", ["netns", "exec", ns, restore, ...(counters ? ["-c"] : [])], { input, encoding: "utf8" });
    if (r.status !== 0) return { ok: false, error: (r.stderr || r.stdout).trim() };
    const s = spawnSync("ip", ["netns", "exec", ns, save, ...(counters ? ["-c"] : [])], { encoding: "utf8" });
    if (s.status !== 0) return { ok: false, error: s.stderr.trim() };
    return { ok: true, saved: s.stdout };
  });
}

export async function kiptFormat(text, file) {
  const { parse } = await import(path.join(root, "dist/src/parser/parse.js"));
  const { format } = await import(path.join(root, "dist/src/format/format.js"));
  const result = parse(text, { file });
  return { text: format(result.dump), diagnostics: result.diagnostics };
}

export async function compareFile(file) {
  const input = readFileSync(file, "utf8");
  const v6 = file.endsWith(".v6.rules") || /ip6tables-save/.test(input);
  const counters = /^\[\d+:\d+\]/m.test(input);
  const kernel = kernelSave(input, v6, counters);
  const kipt = await kiptFormat(input, file);
  if (!kernel.ok) return { file, ok: false, reason: `iptables-restore rejected it: ${kernel.error}` };
  const want = tablesOf(kernel.saved);
  const got = tablesOf(kipt.text);
  const diffs = [];
  for (const table of new Set([...Object.keys(want), ...Object.keys(got)])) {
    const w = (want[table] ?? "").split("\n");
    const g = (got[table] ?? "").split("\n");
    for (let i = 0; i < Math.max(w.length, g.length); i++) {
      if (w[i] !== g[i]) diffs.push(`  table ${table} line ${i + 1}:\n    iptables-save: ${w[i] ?? "(none)"}\n    kipt fmt:      ${g[i] ?? "(none)"}`);
    }
  }
  const errors = kipt.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) diffs.push(...errors.map((d) => `  kipt diagnostic: ${d.line}:${d.column}: ${d.message} [${d.id}]`));
  return { file, ok: diffs.length === 0, reason: diffs.join("\n") };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const why = oracleAvailable();
  if (why) {
    console.error(`oracle unavailable: ${why}`);
    process.exit(2);
  }
  let failed = 0;
  for (const file of process.argv.slice(2)) {
    const r = await compareFile(file);
    console.log(`${r.ok ? "ok  " : "FAIL"} ${file}${r.ok ? "" : "\n" + r.reason}`);
    if (!r.ok) failed++;
  }
  process.exit(failed ? 1 : 0);
}
