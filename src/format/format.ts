/**
 * The canonical printer: prints a dump the way `iptables-save` prints it
 * after `iptables-restore` loaded it. For a file iptables-save printed, the
 * output is byte-for-byte the input.
 */
import type { Counters, DumpNode } from "../ast/types.js";
import { load, type LoadableRule, type LoadedChain, type LoadedTable, type Ruleset } from "../model/load.js";
import { formatRule, type Family } from "./rule.js";

export { formatRule, ruleSpec } from "./rule.js";

function counters(c: Counters | null): string {
  return c ? `[${c.packets}:${c.bytes}]` : "[0:0]";
}

function formatChainLine(chain: LoadedChain<LoadableRule>): string {
  return `:${chain.name} ${chain.builtin ? (chain.policy ?? "ACCEPT") : "-"} ${counters(chain.counters)}`;
}

/** Prints one rule, without counters, in the chain it was loaded into. */
export type RulePrinter<R extends LoadableRule> = (rule: R, chain: string, family: Family) => string;

/** Receives the output a piece at a time (pieces end at line ends). */
export type Sink = (piece: string) => void;

/**
 * Collects lines into pieces of about 64 KiB for a sink, so that a large
 * dump is never held as one output string (and one output buffer) in memory.
 */
class LineWriter {
  private piece = "";
  constructor(private readonly sink: Sink) {}
  line(text: string): void {
    this.piece += text;
    this.piece += "\n";
    if (this.piece.length >= 65536) this.flush();
  }
  flush(): void {
    if (this.piece) this.sink(this.piece);
    this.piece = "";
  }
}

/**
 * `withCounters`: some rule of the dump has counters, so it came from (and is
 * for) `iptables-save -c` / `iptables-restore -c`, which give every rule
 * counters: one without gets `[0:0]`, as the kernel starts it at zero
 * (checked with the oracle on dumps that mix both).
 */
function formatTable<R extends LoadableRule>(table: LoadedTable<R>, out: LineWriter, family: Family, printRule: RulePrinter<R>, withCounters: boolean): void {
  for (const c of table.leadingComments) out.line(c.text);
  out.line(`*${table.name}`);
  for (const chain of table.chains) out.line(formatChainLine(chain));
  for (const chain of table.chains) {
    for (const rule of chain.rules) {
      const text = printRule(rule, chain.name, family);
      out.line(rule.counters ? `${counters(rule.counters)} ${text}` : withCounters ? `[0:0] ${text}` : text);
    }
  }
  out.line("COMMIT");
  for (const c of table.trailingComments) out.line(c.text);
}

/** Print a loaded ruleset into a sink; `printRule` prints each rule. */
export function writeRuleset<R extends LoadableRule>(ruleset: Ruleset<R>, printRule: RulePrinter<R>, sink: Sink): void {
  const out = new LineWriter(sink);
  const withCounters = ruleset.tables.some((t) => t.chains.some((c) => c.rules.some((r) => r.counters !== null)));
  for (const table of ruleset.tables) formatTable(table, out, ruleset.family ?? "ipv4", printRule, withCounters);
  out.flush();
}

/** Print a loaded ruleset; `printRule` prints each rule (by default, canonically from its AST). */
export function formatRuleset(ruleset: Ruleset): string;
export function formatRuleset<R extends LoadableRule>(ruleset: Ruleset<R>, printRule: RulePrinter<R>): string;
export function formatRuleset<R extends LoadableRule>(ruleset: Ruleset<R>, printRule?: RulePrinter<R>): string {
  const pieces: string[] = [];
  writeRuleset(ruleset, printRule ?? (formatRule as unknown as RulePrinter<R>), (piece) => pieces.push(piece));
  return pieces.join("");
}

/** Print a parsed dump canonically. */
export function format(dump: DumpNode): string {
  return formatRuleset(load(dump));
}
