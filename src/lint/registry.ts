/**
 * Every lint rule, in ID order. IDs are never reused: a retired rule keeps
 * its number (leave a comment here). KIPT1xxx are the parser's codes (they
 * flow through lint as findings), KIPT2xxx structure rules, KIPT3xxx
 * Kubernetes rules (each a module in src/lint/rules/, added here).
 */
import { chainCycle } from "./rules/chain-cycle.js";
import { duplicateRule } from "./rules/duplicate-rule.js";
import { jumpToOtherTable } from "./rules/jump-to-other-table.js";
import { shadowedRule } from "./rules/shadowed-rule.js";
import { undefinedTarget } from "./rules/undefined-target.js";
import { unreachableChain } from "./rules/unreachable-chain.js";
import { unreachableRule } from "./rules/unreachable-rule.js";
import type { LintRule } from "./rule.js";

export const lintRules: readonly LintRule[] = [
  undefinedTarget, // KIPT2001
  unreachableChain, // KIPT2002
  chainCycle, // KIPT2003
  jumpToOtherTable, // KIPT2004
  unreachableRule, // KIPT2005
  shadowedRule, // KIPT2006
  duplicateRule, // KIPT2007
];

/** Rules whose codes the lint module introduces (the graph module owns KIPT2001-KIPT2004 and their pages). */
export const lintOwnedRules: readonly LintRule[] = lintRules.filter((r) => !/^KIPT200[1-4]$/.test(r.meta.id));

export function findRule(idOrName: string): LintRule | undefined {
  return lintRules.find((r) => r.meta.id === idOrName || r.meta.name === idOrName);
}
