/**
 * Lint configuration: `.kiptrc.json`, found in the working directory or the
 * nearest parent, or named with `--config FILE`.
 *
 * ```json
 * {
 *   "rules": { "shadowed-rule": "off", "KIPT2002": "info" },
 *   "ignore": [{ "chain": "KUBE-SEP-*", "table": "nat", "rules": ["duplicate-rule"] }]
 * }
 * ```
 *
 * `rules` sets a rule's severity (`error`, `warning`, `info`) or turns it
 * `off`, by ID or name. `ignore` drops findings in chains matching `chain`
 * (`*` matches any run of characters), optionally only in one `table` and
 * only for some `rules`. Parse errors cannot be turned off or ignored: the
 * line is not part of the ruleset. Every mistake is one line: `ConfigError`
 * (exit code 2) for a file that was read but is wrong, `ConfigReadError`
 * (exit code 3, an I/O failure like a missing dump) for one that could not
 * be read at all.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Severity } from "../diagnostics/diagnostic.js";
import { allGraphCodes } from "../diagnostics/graph-codes.js";
import { allParseCodes } from "../diagnostics/parse-codes.js";
import { lintRules } from "./registry.js";

export const CONFIG_FILE = ".kiptrc.json";

export class ConfigError extends Error {}

/**
 * A config, baseline or endpoints file that could not be read (missing, a
 * directory, no permission). A subclass so that callers catching every
 * ConfigError still do, while the CLI can call it an I/O failure, as it
 * does for a dump it cannot read.
 */
export class ConfigReadError extends ConfigError {}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot read (${code ?? String(error)})`;
}

/**
 * The text of a file a lint run reads besides the dumps: `--config`,
 * `--baseline`, `--endpoints`. `file` is how messages name it, `expected`
 * what it should be (for the directory message), `missing` replaces the
 * plain "no such file" where there is a better hint.
 */
export function readSideFile(path: string, options: { file?: string; expected: string; missing?: string }): string {
  const file = options.file ?? path;
  try {
    if (statSync(path).isDirectory()) throw new ConfigReadError(`${file}: is a directory, expected ${options.expected}`);
    return readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ConfigReadError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT" && options.missing !== undefined;
    throw new ConfigReadError(`${file}: ${missing ? options.missing : readFailure(error)}`);
  }
}

export type RuleSetting = Severity | "off";

export interface ChainIgnore {
  /** Glob over chain names: `*` is any run of characters. */
  readonly chain: string;
  readonly table?: string;
  /** Rule IDs (normalised from IDs or names); absent: every rule. */
  readonly rules?: readonly string[];
}

export interface LintConfig {
  /** The file it came from, null for the default (no file). */
  readonly file: string | null;
  /** By rule ID. */
  readonly rules: ReadonlyMap<string, RuleSetting>;
  readonly ignore: readonly ChainIgnore[];
}

export const emptyConfig: LintConfig = { file: null, rules: new Map(), ignore: [] };

const SETTINGS: readonly RuleSetting[] = ["off", "error", "warning", "info"];

/**
 * Codes whose errors configuration cannot touch: parse errors and what the
 * kernel refuses (undefined targets, loops, jumps to another table). Their
 * warnings (KIPT1014's indented rule lines, say) follow the config.
 */
export const HARD_CODES: ReadonlySet<string> = new Set([...allParseCodes, ...allGraphCodes].map((c) => c.id));

/** Whether configuration may drop or re-grade this finding. */
export function configurable(id: string, severity: Severity): boolean {
  return !(HARD_CODES.has(id) && severity === "error");
}

/** Every code a config may name: lint rules and parser codes, by ID and by name. */
function knownCodes(): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of lintRules) {
    out.set(r.meta.id, r.meta.id);
    out.set(r.meta.name, r.meta.id);
  }
  for (const c of allParseCodes) {
    out.set(c.id, c.id);
    out.set(c.name, c.id);
  }
  return out;
}

/** The nearest `.kiptrc.json` from `dir` upward, or null. */
/**
 * Whether a config file is there to read. Under Node's permission model
 * existsSync throws ERR_ACCESS_DENIED for a directory kipt may not read
 * instead of answering false; such a file is not kipt's to read anyway.
 */
function readable(file: string): boolean {
  try {
    return existsSync(file);
  } catch {
    return false;
  }
}

export function findConfig(dir: string): string | null {
  let current = path.resolve(dir);
  for (;;) {
    const candidate = path.join(current, CONFIG_FILE);
    if (readable(candidate)) return candidate;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

function describe(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 60) ?? String(value);
}

/** Validate a parsed config object; `file` names it in errors. */
export function validateConfig(value: unknown, file: string): LintConfig {
  const fail = (where: string, message: string): never => {
    throw new ConfigError(`${file}: ${where}: ${message}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("top level", "expected a JSON object");
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (key !== "rules" && key !== "ignore" && key !== "$schema") fail(key, `unknown key (expected "rules" or "ignore")`);
  }
  const codes = knownCodes();
  const rules = new Map<string, RuleSetting>();
  if (object.rules !== undefined) {
    if (typeof object.rules !== "object" || object.rules === null || Array.isArray(object.rules)) fail("rules", "expected an object of rule ID or name to severity");
    for (const [key, setting] of Object.entries(object.rules as Record<string, unknown>)) {
      const id = codes.get(key);
      if (id === undefined) fail(`rules.${key}`, "unknown rule (give an ID such as KIPT2005 or a name such as unreachable-rule)");
      if (typeof setting !== "string" || !(SETTINGS as readonly string[]).includes(setting)) {
        fail(`rules.${key}`, `expected "off", "error", "warning" or "info", got ${describe(setting)}`);
      }
      const hard = [...allParseCodes, ...allGraphCodes].find((c) => c.id === id);
      if (hard && hard.severity === "error") fail(`rules.${key}`, `${id} ${hard.name} cannot be turned off or re-graded: iptables-restore or the kernel refuses such input`);
      if (rules.has(id!)) fail(`rules.${key}`, `${id} is set twice (by ID and by name)`);
      rules.set(id!, setting as RuleSetting);
    }
  }
  const ignore: ChainIgnore[] = [];
  if (object.ignore !== undefined) {
    if (!Array.isArray(object.ignore)) fail("ignore", "expected an array of { chain, table?, rules? }");
    (object.ignore as unknown[]).forEach((entry, i) => {
      const where = `ignore[${i}]`;
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) fail(where, "expected an object { chain, table?, rules? }");
      const e = entry as Record<string, unknown>;
      for (const key of Object.keys(e)) if (key !== "chain" && key !== "table" && key !== "rules") fail(`${where}.${key}`, `unknown key (expected "chain", "table" or "rules")`);
      if (typeof e.chain !== "string" || e.chain === "") fail(`${where}.chain`, "expected a chain name or glob such as \"KUBE-SEP-*\"");
      if (e.table !== undefined && (typeof e.table !== "string" || e.table === "")) fail(`${where}.table`, "expected a table name");
      let ids: string[] | undefined;
      if (e.rules !== undefined) {
        if (!Array.isArray(e.rules) || e.rules.length === 0) fail(`${where}.rules`, "expected a non-empty array of rule IDs or names");
        ids = (e.rules as unknown[]).map((r, k) => {
          const id = typeof r === "string" ? codes.get(r) : undefined;
          if (id === undefined) return fail(`${where}.rules[${k}]`, `unknown rule ${describe(r)}`);
          return id;
        });
      }
      ignore.push({ chain: e.chain as string, ...(e.table !== undefined ? { table: e.table as string } : {}), ...(ids ? { rules: ids } : {}) });
    });
  }
  return { file, rules, ignore };
}

/** Read and validate a config file; `file` is how messages name it. */
export function readConfig(path: string, file = path): LintConfig {
  const text = readSideFile(path, { file, expected: "a JSON config file" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return validateConfig(value, file);
}

/** `--config FILE` when given, else the nearest `.kiptrc.json` from `cwd`, else the empty config. */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): LintConfig {
  if (explicit !== undefined) return readConfig(explicit);
  const found = findConfig(cwd);
  return found ? readConfig(found, path.relative(process.cwd(), found) || found) : emptyConfig;
}

/** Whether a chain glob (`*` any run) matches a name. */
export function chainGlobMatches(glob: string, name: string): boolean {
  const parts = glob.split("*");
  if (parts.length === 1) return glob === name;
  if (!name.startsWith(parts[0]!) || !name.endsWith(parts[parts.length - 1]!)) return false;
  let at = parts[0]!.length;
  const end = name.length - parts[parts.length - 1]!.length;
  for (const part of parts.slice(1, -1)) {
    const found = name.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return at <= end;
}
