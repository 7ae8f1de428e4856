/**
 * `kipt trace` glue: flag values -> PacketSpec, and the output. Bad values
 * throw DestError (the CLI turns it into a one-line usage error, exit 2);
 * what only the dump can show wrong throws the UsageError itself.
 */
import { InvalidArgumentError } from "commander";
import { kernelRefusals } from "../graph/chain-graph.js";
import { load } from "../model/load.js";
import { parse } from "../parser/parse.js";
import type { Input } from "../cli/io.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { UsageError } from "../cli/usage.js";
import { canonicalIp, CT_STATES, DestError, familyMismatch, familyOf, parseDest, parsePort, type CtState, type PacketSpec, type Protocol } from "./packet.js";
import { traceToJson, traceToText } from "./render.js";
import { trace } from "./trace.js";
import { jsonText } from "../text/sanitize.js";
import { closest, distance as levenshtein } from "fastest-levenshtein";
import { quote } from "../diagnostics/diagnostic.js";
import type { Ruleset } from "../model/load.js";

export interface TraceCliOptions {
  proto: string;
  src?: string;
  sport?: string;
  from: string;
  inIface?: string;
  outIface?: string;
  nodeIp: string[];
  mark?: string;
  ctstate: string;
  recentHit: string[];
  output: string;
}

/** Commander argument parser for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Commander argument parser for an IP option. */
export function ipOption(option: string) {
  return (value: string, previous?: string[] | string): never | string | string[] => {
    const ip = canonicalIp(value);
    if (!ip) throw new InvalidArgumentError(`${option} takes an IP address`);
    return Array.isArray(previous) ? [...previous, ip] : ip;
  };
}

export function specFromCli(dest: string, o: TraceCliOptions): PacketSpec {
  const d = parseDest(dest);
  const proto = o.proto as Protocol;
  const ported = proto === "tcp" || proto === "udp" || proto === "sctp";
  if (!ported && d.port !== null) throw new DestError(`${proto} has no ports: give DEST as a bare IP`);
  const src = o.src === undefined ? null : canonicalIp(o.src);
  if (o.src !== undefined && !src) throw new DestError(`--src: '${o.src}' is not an IP address`);
  if (src && familyOf(src) !== familyOf(d.ip)) throw new DestError("--src and DEST are of different address families");
  const sport = o.sport === undefined ? null : parsePort(o.sport, "--sport");
  let mark = 0;
  if (o.mark !== undefined) {
    if (!/^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(o.mark) || Number(o.mark) > 0xffffffff) throw new DestError(`--mark: '${o.mark}' is not a 32-bit number (decimal or 0x hex)`);
    mark = Number(o.mark);
  }
  const ctstate = o.ctstate.toUpperCase();
  if (!(CT_STATES as readonly string[]).includes(ctstate)) throw new DestError(`--ctstate: '${o.ctstate}' is not one of ${CT_STATES.join(", ")}`);
  const ifname = (v: string | undefined, what: string) => {
    if (v === undefined) return null;
    if (!/^[^\s/]{1,15}$/.test(v)) throw new DestError(`${what}: '${v}' is not an interface name`);
    return v;
  };
  const inIface = ifname(o.inIface, "--in-iface");
  const outIface = ifname(o.outIface, "--out-iface");
  return {
    dst: d.ip,
    dport: ported ? d.port : null,
    proto,
    src,
    sport,
    from: o.from as "external" | "local",
    inIface,
    outIface,
    nodeIps: o.nodeIp,
    mark,
    ctstate: ctstate as CtState,
  };
}

/**
 * Parse, load and trace; returns what to print and the diagnostics (the
 * caller decides the exit code). A DEST or --node-ip of the other family
 * than the dump's is a usage error, found only once the dump is read.
 */
export function runTrace(input: Input, spec: PacketSpec, o: TraceCliOptions): { output: string; diagnostics: Diagnostic[]; notes: string[] } {
  const result = parse(input.text, { file: input.name });
  const mismatch = familyMismatch(spec, result.dump.family);
  if (mismatch !== null) throw new UsageError(mismatch);
  const diagnostics = [...input.diagnostics, ...result.diagnostics];
  // A dump with errors is traced as far as it parsed, as explain and graph
  // answer: the AST keeps every valid line, and the diagnostics (exit code 1)
  // say which lines were left out. What the kernel would refuse (an
  // undefined target, a loop) is reported the same way; the simulator
  // follows such rules as far as they go and says where it stopped.
  const ruleset = load(result.dump);
  diagnostics.push(...kernelRefusals(ruleset, input.name));
  const traced = trace(ruleset, spec, { assumeRecent: o.recentHit });
  const output = o.output === "json" ? jsonText(traceToJson(traced)) + "\n" : traceToText(traced);
  return { output, diagnostics, notes: unusedRecentLists(ruleset, o.recentHit) };
}

/**
 * A note for each `--recent-hit` list no `-m recent` rule of the dump uses:
 * it changes nothing, and is most likely a misspelt name. Not an error: the
 * same command may be run over every node's dump, and some lack the list.
 */
export function unusedRecentLists(ruleset: Ruleset, names: readonly string[]): string[] {
  const wanted = names.filter((n) => n !== "*");
  if (wanted.length === 0) return [];
  const used = new Set<string>();
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        // A recent match without --name uses the list DEFAULT.
        for (const m of rule.matches) if (m.name === "recent") used.add(m.options.find((x) => x.name === "--name")?.values[0]?.text ?? "DEFAULT");
      }
    }
  }
  return [...new Set(wanted)]
    .filter((n) => !used.has(n))
    .map((n) => {
      const near = used.size > 0 ? closest(n, [...used]) : null;
      const hint = near !== null && levenshtein(n, near) <= Math.max(2, Math.floor(n.length / 4)) ? ` (did you mean ${quote(near)}?)` : "";
      return `--recent-hit ${quote(n)}: no -m recent rule in the dump uses a list of that name, so it changes nothing${hint}`;
    });
}
