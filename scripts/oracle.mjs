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

/**
 * Why an oracle test cannot run (null when it can): `oracleAvailable()`, or
 * `extra` when it names a further missing piece. Prints the loud banner the
 * oracle tests show when they skip.
 */
export function oracleOrSkip(name, extra = null) {
  const why = oracleAvailable() ?? extra;
  if (why) {
    const line = "=".repeat(72);
    console.warn(`\n${line}\n  SKIPPED: ${name} (kernel as oracle) cannot run: ${why}.\n  It needs root, \`ip netns\` and iptables; run \`sudo npx vitest run test/oracle\`.\n${line}\n`);
  }
  return why;
}

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

let namespaceCounter = 0;

/**
 * Run fn(ns) inside a fresh namespace, named `<prefix>-<pid>-<counter>`, so
 * concurrent runs (and tests in several workers) never share one. Only the
 * namespace created here is deleted, always, even when fn throws.
 */
export function withNamespace(fn, prefix = "kipt-oracle") {
  const ns = `${prefix}-${process.pid}-${++namespaceCounter}`;
  execFileSync("ip", ["netns", "add", ns], { stdio: ["ignore", "ignore", "pipe"] });
  try {
    return fn(ns);
  } finally {
    spawnSync("ip", ["netns", "del", ns]);
  }
}

/** Run a command inside namespace `ns`. */
export function inNamespace(ns, argv, input) {
  return spawnSync("ip", ["netns", "exec", ns, ...argv], { input, encoding: "utf8", timeout: 60_000 });
}

const commandExists = (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

/**
 * Load `text` with `<tool>-restore` ("iptables", "iptables-legacy", ...) in a
 * fresh namespace: what `<tool>-save` prints then, or the tool's error. For
 * comparing the two back ends of one iptables.
 */
export function restoreWith(tool, text, prefix = "kipt-oracle") {
  return withNamespace((ns) => {
    const r = inNamespace(ns, [`${tool}-restore`], text);
    if (r.status !== 0) return { ok: false, saved: "", error: r.stderr };
    return { ok: true, saved: inNamespace(ns, [`${tool}-save`]).stdout, error: "" };
  }, prefix);
}

/** Whether the legacy back end's iptables-legacy-restore is installed. */
export const legacyAvailable = () => commandExists("iptables-legacy-restore");

/**
 * Create, inside namespace `ns`, the kernel objects `text` refers to and
 * iptables-restore insists exist: nfacct accounting objects
 * (`-m nfacct --nfacct-name NAME`, with the `nfacct` tool or the netlink
 * script the samples were made with) and ipsets (`-m set --match-set NAME
 * FLAGS`, `-j SET --add-set NAME FLAGS`; a hash type with one dimension per
 * flag). Returns why something could not be created, or null.
 */
export function createKernelObjects(ns, text, v6 = false) {
  const unquote = (s) => s.replace(/^"|"$/g, "");
  const problems = [];
  const nfacct = [...new Set([...text.matchAll(/--nfacct-name\s+("[^"]*"|\S+)/g)].map((m) => unquote(m[1])))];
  if (nfacct.length) {
    if (commandExists("nfacct")) {
      for (const name of nfacct) {
        const r = inNamespace(ns, ["nfacct", "add", name]);
        if (r.status !== 0) problems.push(`nfacct add ${name}: ${(r.stderr || String(r.error ?? "")).trim()}`);
      }
    } else if (commandExists("python3")) {
      const r = inNamespace(ns, ["python3", path.join(root, "samples/src/nfacct-add.py"), ...nfacct]);
      if (r.status !== 0) problems.push(`nfacct-add.py: ${(r.stderr || String(r.error ?? "")).trim()}`);
    } else problems.push("neither the nfacct tool nor python3 is available to create nfacct objects");
  }
  const sets = new Map();
  for (const m of text.matchAll(/--(?:match-set|add-set|del-set|map-set)\s+("[^"]*"|\S+)\s+(\S+)/g)) {
    sets.set(unquote(m[1]), Math.min(3, m[2].split(",").length));
  }
  if (sets.size) {
    if (!commandExists("ipset")) problems.push("the ipset tool is not available to create ipsets");
    else {
      // Some kernels lack hash:net,port,net ("set type not supported"); hash:ip,port,ip is older and more widely built.
      const types = ["hash:net", "hash:net,port", "hash:ip,port,ip"];
      for (const [name, dims] of sets) {
        const r = inNamespace(ns, ["ipset", "create", name, types[dims - 1], "family", v6 ? "inet6" : "inet"]);
        if (r.status !== 0) problems.push(`ipset create ${name}: ${(r.stderr || String(r.error ?? "")).trim()}`);
      }
    }
  }
  return problems.length ? problems.join("; ") : null;
}

/**
 * kernelSave with the ipsets and nfacct objects the input names created
 * first; `missing` says why they could not be (the caller skips loudly).
 */
export function kernelSaveWithObjects(input, v6 = false) {
  let missing = null;
  const kernel = kernelSave(input, v6, false, (ns) => {
    missing = createKernelObjects(ns, input, v6);
  });
  return { kernel, missing };
}

/**
 * What iptables-save prints after iptables-restore loaded `input`
 * ({ ok, saved } or { ok: false, error }). `counters`: restore with `-c`;
 * `saveCounters`: save with `-c` (rule counters). `setup(ns)` runs first,
 * inside the fresh namespace (to create nfacct objects, ipsets, ...).
 */
export function kernelSave(input, v6 = false, counters = false, setup = undefined, saveCounters = counters) {
  return withNamespace((ns) => {
    const restore = v6 ? "ip6tables-restore" : "iptables-restore";
    const save = v6 ? "ip6tables-save" : "iptables-save";
    if (setup) setup(ns);
    const r = inNamespace(ns, [restore, ...(counters ? ["-c"] : [])], input);
    if (r.status !== 0) return { ok: false, error: (r.stderr || r.stdout || String(r.error ?? "")).trim() };
    const s = inNamespace(ns, [save, ...(saveCounters ? ["-c"] : [])]);
    if (s.status !== 0) return { ok: false, error: (s.stderr || String(s.error ?? "")).trim() };
    return { ok: true, saved: s.stdout };
  });
}

/**
 * Whether `iptables-restore --test` accepts `input` ({ ok } or { ok: false, error, line }),
 * in a fresh namespace; `line` is the line iptables-restore blames, when it says.
 */
export function kernelTest(input, v6 = false, setup = undefined) {
  return withNamespace((ns) => {
    if (setup) setup(ns);
    const r = inNamespace(ns, [v6 ? "ip6tables-restore" : "iptables-restore", "--test"], input);
    if (r.status === 0) return { ok: true };
    const error = (r.stderr || r.stdout || String(r.error ?? "")).trim();
    const m = /Error occurred at line: (\d+)|line (\d+) failed/.exec(error);
    return { ok: false, error, line: m ? Number(m[1] ?? m[2]) : null };
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
  // Restore with -c so policy counters are kept (kipt prints them as written);
  // save with -c only when rules carry counters (`[p:b] -A ...`).
  const ruleCounters = /^\[\d+:\d+\]/m.test(input);
  const kernel = kernelSave(input, v6, true, (ns) => createKernelObjects(ns, input, v6), ruleCounters);
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
