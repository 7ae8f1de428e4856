/**
 * Canonical printing of one rule: what iptables-save prints for it after the
 * kernel stored it.
 */
import type { ExtensionSpec, OptionSpec } from "../../grammar/schema.js";
import type { MatchNode, OptionNode, RuleNode, TargetNode } from "../ast/types.js";
import { registry } from "../extensions/registry.js";
import { canonicalOptions, hasRewrite } from "./canonical.js";
import { canonicalAddress, formatValue } from "./values.js";

const NONE: readonly OptionSpec[] = [];
const defaultOptions = new WeakMap<ExtensionSpec, readonly OptionSpec[]>();

/** The options iptables-save prints even when a rule did not give them, computed once per extension. */
function defaultsOf(spec: ExtensionSpec): readonly OptionSpec[] {
  let found = defaultOptions.get(spec);
  if (!found) {
    found = spec.options.filter((o) => o.defaultValue !== undefined);
    defaultOptions.set(spec, found);
  }
  return found;
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

const CONTEXTS = { ipv4: { family: "ipv4" }, ipv6: { family: "ipv6" } } as const;

function formatOptions(ext: MatchNode | TargetNode, family: Family): string {
  const spec = ext.kind === "match" ? registry.match(ext.name) : ext.extension ? registry.target(ext.name) : undefined;
  const defaults = spec ? defaultsOf(spec) : NONE;
  if (ext.options.length === 0 && defaults.length === 0 && !hasRewrite(ext)) return "";
  let options: readonly OptionNode[] = canonicalOptions(ext.kind, ext.name, ext.options, CONTEXTS[family]);
  if (spec && !spec.rewriteOrder) {
    // Print in catalogue order (iptables-save's), then anything the catalogue does not know.
    // Defaults first, then the order: a default (limit's `--limit 3/hour`) goes where iptables-save prints it.
    const order = printOrder(spec);
    for (const o of defaults) {
      if (!options.some((x) => x.name === o.name)) {
        options = [...options, { name: o.name, negated: false, values: [{ type: "raw", text: o.defaultValue! }], line: 0, column: 0, offset: -1, length: 0 }];
      }
    }
    if (!inOrder(options, order)) options = [...options].sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9));
  }
  let out = "";
  for (const o of options) {
    const optionSpec = spec ? (registry.option(spec, o.name) ?? null) : null;
    if (optionSpec?.neverPrinted) continue;
    out += o.negated ? ` ! ${o.name}` : ` ${o.name}`;
    const values = o.values;
    for (let i = 0; i < values.length; i++) {
      out += i === 0 && optionSpec?.separator !== undefined ? optionSpec.separator : " ";
      out += formatValue(values[i]!, optionSpec, i);
    }
  }
  return out;
}

/** The tcp and udp options the nf_tables backend stores as its own port and flag expressions. */
const NATIVE_PORT_OPTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["tcp", new Set(["--sport", "--dport", "--tcp-flags", "--syn"])],
  ["udp", new Set(["--sport", "--dport"])],
]);

/**
 * The matches as iptables-save (nf_tables) prints them: the backend turns
 * every tcp or udp match whose options are all ports and flags into its own
 * expressions, and prints them back as one match, where the first stood, a
 * later option overriding an earlier one of the same name (`-m tcp --dport 1
 * -m tcp --sport 2` prints `-m tcp --sport 2 --dport 1`). A match with
 * another option (`--tcp-option`) stays as it is. Checked with the tool.
 */
function mergedPortMatches(matches: readonly MatchNode[]): readonly MatchNode[] {
  let first: Map<string, number> | null = null;
  let merged: MatchNode[] | null = null;
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const native = NATIVE_PORT_OPTIONS.get(m.name);
    if (native === undefined || !m.options.every((o) => native.has(o.name))) continue;
    first ??= new Map();
    const at = first.get(m.name);
    if (at === undefined) {
      first.set(m.name, i);
      continue;
    }
    // A second one: fold its options into the first (made only for rules that need it, which iptables-save never prints).
    merged ??= [...matches];
    const into = merged[at]!;
    const options = into.options.filter((o) => !m.options.some((x) => x.name === o.name));
    merged[at] = { ...into, options: [...options, ...m.options] };
    merged[i] = null as unknown as MatchNode;
  }
  return merged === null ? matches : merged.filter((m) => m !== null);
}

/** Address family of the dump; some defaults iptables-save prints depend on it (`--connlimit-mask 32` vs `128`). */
export type Family = "ipv4" | "ipv6";

/** One rule, canonical, without counters. */
export function formatRule(rule: RuleNode, chain = rule.chain, family: Family = "ipv4"): string {
  let out = `-A ${chain}`;
  // `-s 0.0.0.0/0` matches everything and iptables-save leaves it out; `! -s 0.0.0.0/0`
  // matches nothing and legacy iptables-save prints it (nf_tables refuses it, KIPT1023).
  if (rule.source && (rule.source.value.prefixLength > 0 || rule.source.negated)) out += `${rule.source.negated ? " !" : ""} -s ${canonicalAddress(rule.source.value)}`;
  if (rule.destination && (rule.destination.value.prefixLength > 0 || rule.destination.negated)) out += `${rule.destination.negated ? " !" : ""} -d ${canonicalAddress(rule.destination.value)}`;
  if (rule.inInterface) out += `${rule.inInterface.negated ? " !" : ""} -i ${rule.inInterface.value.text}`;
  if (rule.outInterface) out += `${rule.outInterface.negated ? " !" : ""} -o ${rule.outInterface.value.text}`;
  if (rule.protocol && rule.protocol.number !== 0) out += `${rule.protocol.negated ? " !" : ""} -p ${rule.protocol.name}`;
  if (rule.fragment) out += `${rule.fragment.negated ? " !" : ""} -f`;
  for (const match of mergedPortMatches(rule.matches)) out += ` -m ${match.name}${formatOptions(match, family)}`;
  const target = rule.target;
  if (target) out += ` ${target.goto ? "-g" : "-j"} ${target.name}${formatOptions(target, family)}`;
  return out;
}

/** The rule's canonical text after `-A CHAIN`: how iptables identifies a rule (`-D CHAIN rule-spec`). */
export function ruleSpec(rule: RuleNode, family: Family = "ipv4"): string {
  return formatRule(rule, "", family).slice(4);
}
