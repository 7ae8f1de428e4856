/**
 * The canonical printer: prints a dump the way `iptables-save` prints it
 * after `iptables-restore` loaded it. For a file iptables-save printed, the
 * output is byte-for-byte the input.
 */
import type { ExtensionSpec, OptionSpec } from "../../grammar/schema.js";
import type { Counters, DumpNode, MatchNode, OptionNode, RuleNode, TargetNode } from "../ast/types.js";
import { registry } from "../extensions/registry.js";
import { load, type LoadableRule, type LoadedChain, type LoadedTable, type Ruleset } from "../model/load.js";
import { canonicalOptions } from "./canonical.js";
import { canonicalAddress, formatValue } from "./values.js";

function counters(c: Counters | null): string {
  return c ? `[${c.packets}:${c.bytes}]` : "[0:0]";
}

function specFor(ext: MatchNode | TargetNode, name: string): OptionSpec | null {
  const spec = ext.kind === "match" ? registry.match(ext.name) : ext.extension ? registry.target(ext.name) : undefined;
  return spec ? (registry.option(spec, name) ?? null) : null;
}

const printOrders = new WeakMap<ExtensionSpec, Map<string, number>>();

/** Option name -> position in iptables-save's output, computed once per extension. */
function printOrder(spec: ExtensionSpec): Map<string, number> {
  let order = printOrders.get(spec);
  if (!order) {
    order = new Map(spec.options.map((o, i) => [o.name, i]));
    printOrders.set(spec, order);
  }
  return order;
}

/** Input from iptables-save is already in print order; skip the copy and sort then. */
function inOrder(options: readonly OptionNode[], order: Map<string, number>): boolean {
  let last = -1;
  for (const o of options) {
    const at = order.get(o.name) ?? 1e9;
    if (at < last) return false;
    last = at;
  }
  return true;
}

function formatOptions(ext: MatchNode | TargetNode, family: Family): string {
  const spec = ext.kind === "match" ? registry.match(ext.name) : ext.extension ? registry.target(ext.name) : undefined;
  let options: readonly OptionNode[] = canonicalOptions(ext.kind, ext.name, ext.options, { family });
  if (spec && !spec.rewriteOrder) {
    // Print in catalogue order (iptables-save's), then anything the catalogue does not know.
    const order = printOrder(spec);
    if (!inOrder(options, order)) options = [...options].sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9));
    for (const o of spec.options) {
      if (o.defaultValue !== undefined && !options.some((x) => x.name === o.name)) {
        options = [...options,{ name: o.name, negated: false, values: [{ type: "raw", text: o.defaultValue }], line: 0, column: 0, offset: -1, length: 0 }];
      }
    }
  }
  let out = "";
  for (const o of options) {
    const optionSpec = specFor(ext, o.name);
    if (optionSpec?.neverPrinted) continue;
    out += o.negated ? ` ! ${o.name}` : ` ${o.name}`;
    o.values.forEach((v, i) => {
      out += i === 0 && optionSpec?.separator !== undefined ? optionSpec.separator : " ";
      out += formatValue(v, optionSpec, i);
    });
  }
  return out;
}

/** Address family of the dump; some defaults iptables-save prints depend on it (`--connlimit-mask 32` vs `128`). */
type Family = "ipv4" | "ipv6";

/** One rule, canonical, without counters. */
export function formatRule(rule: RuleNode, chain = rule.chain, family: Family = "ipv4"): string {
  let out = `-A ${chain}`;
  const neg = (n: boolean) => (n ? " !" : "");
  if (rule.source && rule.source.value.prefixLength > 0) out += `${neg(rule.source.negated)} -s ${canonicalAddress(rule.source.value)}`;
  if (rule.destination && rule.destination.value.prefixLength > 0) out += `${neg(rule.destination.negated)} -d ${canonicalAddress(rule.destination.value)}`;
  if (rule.inInterface) out += `${neg(rule.inInterface.negated)} -i ${rule.inInterface.value.text}`;
  if (rule.outInterface) out += `${neg(rule.outInterface.negated)} -o ${rule.outInterface.value.text}`;
  if (rule.protocol && rule.protocol.number !== 0) out += `${neg(rule.protocol.negated)} -p ${rule.protocol.name}`;
  if (rule.fragment) out += `${neg(rule.fragment.negated)} -f`;
  for (const match of rule.matches) out += ` -m ${match.name}${formatOptions(match, family)}`;
  const target = rule.target;
  if (target) out += ` ${target.goto ? "-g" : "-j"} ${target.name}${formatOptions(target, family)}`;
  return out;
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
