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

/** The tcp and udp options the nf_tables backend stores as its own expressions, by the field each sets. */
const NATIVE_FIELDS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ["tcp", new Map([["--sport", "sport"], ["--dport", "dport"], ["--tcp-flags", "flags"], ["--syn", "flags"]])],
  ["udp", new Map([["--sport", "sport"], ["--dport", "dport"]])],
]);

/** Whether an option puts an expression in the rule: flags always, a port range unless it is every port. */
function emits(o: OptionNode): boolean {
  const v = o.values[0];
  return !(v?.type === "portRange" && v.first === 0 && v.last === 65535);
}

/**
 * The matches as iptables-save (nf_tables) prints a rule with several tcp
 * (or udp) matches. The backend stores a match of ports and flags only as
 * its own expressions (one per option that tests something: every port of
 * `0:65535` tests nothing), and prints all of them back as one match where
 * the first expression stood: each field with the value last given and
 * negated if any expression negated it (`-m tcp ! --dport 1 -m tcp --dport 2`
 * prints `-m tcp ! --dport 2`; `--syn` is `--tcp-flags`). A match with
 * another option (`--tcp-option`), or that tests nothing, stays in place as
 * it is. Checked with the tool (test/format/save-forms.cases.ts). Rules with
 * one such match print as before: only a second one changes anything.
 */
function mergedPortMatches(matches: readonly MatchNode[]): readonly MatchNode[] {
  let out: readonly MatchNode[] = matches;
  for (const [name, fields] of NATIVE_FIELDS) {
    let count = 0;
    for (const m of out) if (m.name === name) count++;
    if (count < 2) continue;
    const native = (m: MatchNode) => m.name === name && m.options.length > 0 && m.options.every((o) => fields.has(o.name)) && m.options.some((o) => o.negated || emits(o));
    // Per field, the option last given and whether any negated it.
    const last = new Map<string, OptionNode>();
    const negated = new Set<string>();
    let at = -1;
    out.forEach((m, i) => {
      if (!native(m)) return;
      for (const o of m.options) {
        if (!emits(o)) continue;
        const field = fields.get(o.name)!;
        last.set(field, o);
        if (o.negated) negated.add(field);
        if (at < 0) at = i;
      }
    });
    const options = [...last].map(([field, o]) => (negated.has(field) && !o.negated ? { ...o, negated: true } : o));
    const next: MatchNode[] = [];
    out.forEach((m, i) => {
      if (i === at) next.push({ ...m, options });
      else if (!native(m)) next.push(m);
    });
    out = next;
  }
  return out;
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
  // `-i +` (every interface) tests nothing and iptables-save leaves it out; `! -i +` it prints (checked with the tool).
  if (rule.inInterface && (rule.inInterface.negated || rule.inInterface.value.text !== "+")) out += `${rule.inInterface.negated ? " !" : ""} -i ${rule.inInterface.value.text}`;
  if (rule.outInterface && (rule.outInterface.negated || rule.outInterface.value.text !== "+")) out += `${rule.outInterface.negated ? " !" : ""} -o ${rule.outInterface.value.text}`;
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
