/**
 * What a rule does to the rest of its chain: whether a packet it matches
 * ever reaches the next rule, and whether it matches every packet.
 */
import type { RuleNode } from "../../ast/types.js";

/**
 * Target extensions after which the packet never comes back to the chain:
 * verdicts (ACCEPT, DROP, REJECT, QUEUE), RETURN, and NAT targets (in nat
 * chains they decide the mapping and end the table's traversal).
 * NFQUEUE is left out: with --queue-bypass and no listener the packet goes on.
 */
export const TERMINATING_TARGETS: ReadonlySet<string> = new Set([
  "ACCEPT",
  "DROP",
  "REJECT",
  "RETURN",
  "QUEUE",
  "DNAT",
  "SNAT",
  "MASQUERADE",
  "REDIRECT",
  "NETMAP",
]);

/** Whether no packet the rule matches goes on to the next rule of the chain. */
export function isTerminating(rule: RuleNode): boolean {
  const target = rule.target;
  if (!target) return false;
  if (target.goto) return true; // -g never comes back to this chain
  return target.extension && TERMINATING_TARGETS.has(target.name);
}

/** Whether the rule matches every packet: no conditions besides comments. */
export function isUnconditional(rule: RuleNode): boolean {
  const source = rule.source;
  const destination = rule.destination;
  if (source && (source.negated || source.value.prefixLength > 0)) return false;
  if (destination && (destination.negated || destination.value.prefixLength > 0)) return false;
  if (rule.inInterface || rule.outInterface || rule.fragment) return false;
  if (rule.protocol && (rule.protocol.negated || rule.protocol.number !== 0)) return false;
  return rule.matches.every((m) => m.name === "comment");
}

/** `ACCEPT`, `-g KUBE-X`, `DNAT --to-destination 1.2.3.4`: the target as a short phrase. */
export function targetPhrase(rule: RuleNode): string {
  const target = rule.target;
  if (!target) return "nothing";
  if (target.goto) return `-g ${target.name}`;
  return target.name;
}

/** Whether two rules do the same thing to a packet (same target, same target options). */
export function sameAction(a: RuleNode, b: RuleNode): boolean {
  const ta = a.target;
  const tb = b.target;
  if (!ta || !tb) return ta === tb;
  if (ta.name !== tb.name || ta.goto !== tb.goto || ta.options.length !== tb.options.length) return false;
  return ta.options.every((o, i) => {
    const p = tb.options[i]!;
    return o.name === p.name && o.negated === p.negated && o.values.map((v) => v.text).join("\0") === p.values.map((v) => v.text).join("\0");
  });
}
