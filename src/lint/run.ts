/**
 * A lint run: parse and load each dump, build its chain graph, run every
 * enabled rule over all the dumps together, then apply the configuration
 * (severities, `off`, chain ignores) and the baseline. Parse diagnostics
 * (KIPT1xxx) come through as findings.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { RuleNode } from "../ast/types.js";
import { compareDiagnostics, type Diagnostic, type Severity } from "../diagnostics/diagnostic.js";
import { formatRule } from "../format/rule.js";
import { buildChainGraph } from "../graph/chain-graph.js";
import { load } from "../model/load.js";
import { parse } from "../parser/parse.js";
import { chainGlobMatches, ConfigError, configurable, emptyConfig, readSideFile, type LintConfig } from "./config.js";
import { lintRules } from "./registry.js";
import type { Finding, LintContext, LintNode, LintOptions, LintReport, LintRule } from "./rule.js";

export interface LintInput {
  readonly file: string;
  readonly text: string;
  /** Diagnostics from reading the input (invalid UTF-8), merged with the parser's. */
  readonly diagnostics?: readonly Diagnostic[];
}

export interface LintRunOptions extends LintOptions {
  readonly config?: LintConfig;
  /** Findings already known: only findings not in it are reported. */
  readonly baseline?: Baseline;
  /** Rules to run; default every registered rule. */
  readonly rules?: readonly LintRule[];
}

export interface LintResult {
  /** Reported findings, sorted (config applied, baseline subtracted). */
  readonly findings: readonly Finding[];
  /** Findings before the baseline was subtracted (what `--write-baseline` records). */
  readonly all: readonly Finding[];
  /** How many findings the baseline hid. */
  readonly baselined: number;
  readonly nodes: readonly LintNode[];
}

/** Parse, load and graph one dump. */
export function lintNode(input: LintInput): LintNode {
  const parsed = parse(input.text, { file: input.file });
  const ruleset = load(parsed.dump);
  const graph = buildChainGraph(ruleset, { file: input.file });
  return {
    file: input.file,
    text: input.text,
    dump: parsed.dump,
    ruleset,
    graph,
    parseDiagnostics: [...(input.diagnostics ?? []), ...parsed.diagnostics],
  };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Whether any finding is at or above `threshold` (`never`: none ever is). */
export function failsAt(findings: readonly Diagnostic[], threshold: Severity | "never"): boolean {
  if (threshold === "never") return false;
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}

interface LineInfo {
  readonly table: string;
  readonly chain: string | null;
  readonly rule: RuleNode | null;
}

/**
 * What line `line` of a dump is: for findings that give only a line. A binary
 * search over the statements, which are in line order within each table and
 * tables in line order: an index of every line cost a 240,000-entry map on a
 * large dump for the few findings that need it.
 */
function lineInfo(node: LintNode, line: number): LineInfo | undefined {
  const tables = node.dump.tables;
  let t = tables.length - 1;
  while (t >= 0 && tables[t]!.line > line) t--;
  if (t < 0) return undefined;
  const table = tables[t]!;
  const statements = table.statements;
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (statements[mid]!.line < line) lo = mid + 1;
    else hi = mid;
  }
  const s = statements[lo];
  if (!s || s.line !== line) return undefined;
  if (s.kind === "rule") return { table: table.name, chain: s.chain, rule: s };
  if (s.kind === "chainDecl") return { table: table.name, chain: s.name, rule: null };
  return { table: table.name, chain: s.chain, rule: null };
}

function lineText(lines: readonly string[], line: number): string {
  return (lines[line - 1] ?? "").replace(/\r$/, "").trim().replace(/^\[\d+:\d+\]\s*/, "");
}

export function fingerprintOf(id: string, table: string | null, chain: string | null, key: string): string {
  return createHash("sha256").update(`${id}\n${table ?? ""}\n${chain ?? ""}\n${key}`).digest("hex");
}

class NodeFacts {
  private lines: string[] | null = null;
  constructor(readonly node: LintNode) {}
  at(line: number): LineInfo | undefined {
    return lineInfo(this.node, line);
  }
  text(line: number): string {
    this.lines ??= this.node.text.split("\n");
    return lineText(this.lines, line);
  }
}

function toFinding(facts: NodeFacts, d: Diagnostic, extra: { table?: string; chain?: string; rule?: RuleNode; fingerprint?: string }): Finding {
  const node = facts.node;
  const complete = extra.rule !== undefined && extra.table !== undefined && extra.chain !== undefined;
  const info = d.line > 0 && !complete ? facts.at(d.line) : undefined;
  const rule = extra.rule ?? info?.rule ?? null;
  const table = extra.table ?? info?.table ?? null;
  const chain = extra.chain ?? info?.chain ?? null;
  let key = extra.fingerprint;
  if (key === undefined) {
    if (rule) key = formatRule(rule, chain ?? rule.chain, node.ruleset.family ?? "ipv4");
    else if (info && chain !== null && info.table === table) key = `:${chain}`;
    else key = d.line > 0 ? facts.text(d.line) : "";
  }
  return { ...d, table, chain, fingerprint: fingerprintOf(d.id, table, chain, key) };
}

/** Order: file, line, column, ID, message, then table and chain. */
export function compareFindings(a: Finding, b: Finding): number {
  const c = compareDiagnostics(a, b);
  if (c !== 0) return c;
  const ka = `${a.table ?? ""}\0${a.chain ?? ""}`;
  const kb = `${b.table ?? ""}\0${b.chain ?? ""}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function ignored(config: LintConfig, f: Finding): boolean {
  if (f.chain === null) return false;
  return config.ignore.some((i) => (i.table === undefined || i.table === f.table) && (i.rules === undefined || i.rules.includes(f.id)) && chainGlobMatches(i.chain, f.chain!));
}

/** Run the rules over already-built nodes. */
export function lintNodes(nodes: readonly LintNode[], options: LintRunOptions = {}): LintResult {
  const config = options.config ?? emptyConfig;
  const facts = new Map(nodes.map((n) => [n, new NodeFacts(n)]));
  const raw: Finding[] = [];

  // Parse diagnostics: errors always stay (see `configurable`); warnings and infos follow the config.
  for (const node of nodes) {
    for (const d of node.parseDiagnostics) raw.push(toFinding(facts.get(node)!, d, {}));
  }

  const cache = new Map<string, unknown>();
  const lintOptions: LintOptions = {
    ...(options.endpoints !== undefined ? { endpoints: options.endpoints } : {}),
    ...(options.clusterCidr !== undefined ? { clusterCidr: options.clusterCidr } : {}),
  };
  for (const rule of options.rules ?? lintRules) {
    if (config.rules.get(rule.meta.id) === "off") continue;
    const meta = rule.meta;
    const context: LintContext = {
      nodes,
      options: lintOptions,
      meta,
      cache<T>(key: string, build: () => T): T {
        if (!cache.has(key)) cache.set(key, build());
        return cache.get(key) as T;
      },
      report(r: LintReport): void {
        const nodeFacts = facts.get(r.node);
        if (!nodeFacts) throw new Error(`rule ${meta.name} reported a finding for a dump that is not part of the run`);
        const line = r.line ?? r.rule?.line ?? 0;
        const d: Diagnostic = {
          id: meta.id,
          name: meta.name,
          severity: r.severity ?? meta.severity,
          message: r.message,
          file: r.node.file,
          line,
          column: r.column ?? (r.rule ? r.rule.column : 0),
          offset: r.offset ?? (r.rule ? r.rule.offset : -1),
          length: r.length ?? (r.rule ? r.rule.length : 0),
        };
        raw.push(toFinding(nodeFacts, d, {
          ...(r.table !== undefined ? { table: r.table } : {}),
          ...(r.chain !== undefined ? { chain: r.chain } : {}),
          ...(r.rule !== undefined ? { rule: r.rule } : {}),
          ...(r.fingerprint !== undefined ? { fingerprint: r.fingerprint } : {}),
        }));
      },
    };
    try {
      rule.check(context);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(`lint rule ${meta.id} ${meta.name} failed: ${detail}`, { cause: error });
    }
  }

  const all: Finding[] = [];
  for (const f of raw) {
    if (configurable(f.id, f.severity)) {
      const setting = config.rules.get(f.id);
      if (setting === "off") continue;
      if (ignored(config, f)) continue;
      all.push(setting ? { ...f, severity: setting } : f);
    } else all.push(f);
  }
  all.sort(compareFindings);
  const findings = options.baseline ? subtractBaseline(all, options.baseline) : all;
  return { findings, all, baselined: all.length - findings.length, nodes };
}

/** Lint dumps given as text: one per node. */
export function lint(inputs: readonly LintInput[], options: LintRunOptions = {}): LintResult {
  return lintNodes(inputs.map(lintNode), options);
}

// ---------------------------------------------------------------------------
// Baselines: today's findings, by rule, file and fingerprint (never by line),
// so a finding stays known when lines move.

export interface BaselineEntry {
  readonly ruleId: string;
  readonly file: string;
  readonly fingerprint: string;
  /** For people reading the file; not compared. */
  readonly message: string;
}

export interface Baseline {
  readonly schemaVersion: 1;
  readonly findings: readonly BaselineEntry[];
}

function baselineKey(e: { ruleId?: string; id?: string; file: string; fingerprint: string }): string {
  return `${e.ruleId ?? e.id}\0${e.file}\0${e.fingerprint}`;
}

export function toBaseline(findings: readonly Finding[]): Baseline {
  // What no configuration can turn off (errors iptables-restore fails on) is never recorded: see subtractBaseline.
  const entries = findings.filter((f) => configurable(f.id, f.severity)).map((f) => ({ ruleId: f.id, file: f.file, fingerprint: f.fingerprint, message: f.message }));
  entries.sort((a, b) => (baselineKey(a) < baselineKey(b) ? -1 : baselineKey(a) > baselineKey(b) ? 1 : 0));
  return { schemaVersion: 1, findings: entries };
}

/**
 * Findings not in the baseline; a finding present twice needs two entries to
 * be hidden twice. A baseline never hides what the configuration cannot turn
 * off either (`configurable`: parse errors iptables-restore fails on), or a
 * dump the tool refuses would pass CI once its errors were recorded.
 */
export function subtractBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const counts = new Map<string, number>();
  for (const e of baseline.findings) counts.set(baselineKey(e), (counts.get(baselineKey(e)) ?? 0) + 1);
  return findings.filter((f) => {
    if (!configurable(f.id, f.severity)) return true;
    const key = baselineKey({ id: f.id, file: f.file, fingerprint: f.fingerprint });
    const left = counts.get(key) ?? 0;
    if (left === 0) return true;
    counts.set(key, left - 1);
    return false;
  });
}

export function readBaseline(file: string): Baseline {
  const text = readSideFile(file, { expected: "a kipt baseline (JSON)", missing: "no such file (create a baseline with --write-baseline)" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: baseline is not valid JSON (${(error as Error).message})`);
  }
  const v = value as { schemaVersion?: unknown; findings?: unknown };
  if (typeof v !== "object" || v === null || v.schemaVersion !== 1 || !Array.isArray(v.findings)) {
    throw new ConfigError(`${file}: not a kipt baseline (expected { "schemaVersion": 1, "findings": [...] })`);
  }
  v.findings.forEach((e: unknown, i: number) => {
    const entry = e as Record<string, unknown>;
    if (typeof entry !== "object" || entry === null || typeof entry.ruleId !== "string" || typeof entry.file !== "string" || typeof entry.fingerprint !== "string") {
      throw new ConfigError(`${file}: findings[${i}]: expected { ruleId, file, fingerprint, message }`);
    }
  });
  return value as Baseline;
}

export function writeBaseline(file: string, findings: readonly Finding[]): void {
  writeFileSync(file, JSON.stringify(toBaseline(findings), null, 2) + "\n");
}
