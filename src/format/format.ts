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

function formatTable<R extends LoadableRule>(table: LoadedTable<R>, lines: string[], family: Family, printRule: RulePrinter<R>): void {
  for (const c of table.leadingComments) lines.push(c.text);
  lines.push(`*${table.name}`);
  for (const chain of table.chains) lines.push(formatChainLine(chain));
  for (const chain of table.chains) {
    for (const rule of chain.rules) {
      const text = printRule(rule, chain.name, family);
      lines.push(rule.counters ? `${counters(rule.counters)} ${text}` : text);
    }
  }
  lines.push("COMMIT");
  for (const c of table.trailingComments) lines.push(c.text);
}

/** Print a loaded ruleset; `printRule` prints each rule (by default, canonically from its AST). */
export function formatRuleset(ruleset: Ruleset): string;
export function formatRuleset<R extends LoadableRule>(ruleset: Ruleset<R>, printRule: RulePrinter<R>): string;
export function formatRuleset<R extends LoadableRule>(ruleset: Ruleset<R>, printRule?: RulePrinter<R>): string {
  const print = printRule ?? (formatRule as unknown as RulePrinter<R>);
  const lines: string[] = [];
  for (const table of ruleset.tables) formatTable(table, lines, ruleset.family ?? "ipv4", print);
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Print a parsed dump canonically. */
export function format(dump: DumpNode): string {
  return formatRuleset(load(dump));
}
