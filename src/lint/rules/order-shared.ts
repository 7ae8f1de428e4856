import { analyseChainOrder, type ChainOrderResult } from "../analysis/chain-order.js";
import type { LintContext, LintNode } from "../rule.js";

/** The chain-order analysis of every node, computed once per run. */
export function chainOrder(context: LintContext): Map<LintNode, ChainOrderResult> {
  return context.cache("chain-order", () => new Map(context.nodes.map((node) => [node, analyseChainOrder(node)])));
}

/** `rule 3 (line 12)`. */
export function ruleRef(position: number, line: number): string {
  return `rule ${position} (line ${line})`;
}
