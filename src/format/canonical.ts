/**
 * Rewrites iptables applies to an extension's options before storing them,
 * so that printing the rewritten options gives iptables-save's text. Kept
 * per extension group, beside the declarative catalogue, because each is a
 * small piece of logic (bit arithmetic, defaults that depend on other
 * options) rather than data.
 */
import type { OptionNode } from "../ast/types.js";
import { matchRewritesAtoL } from "./rewrites/matches-a-l.js";
import { matchRewritesMtoZ } from "./rewrites/matches-m-z.js";
import { targetRewrites } from "./rewrites/targets.js";
import type { Rewrite, RewriteContext } from "./rewrites/util.js";

const matchRewrites: Record<string, Rewrite> = { ...matchRewritesAtoL, ...matchRewritesMtoZ };

/** Options as iptables stores them for a match or target extension. */
export function canonicalOptions(
  kind: "match" | "target",
  name: string,
  options: OptionNode[],
  context: RewriteContext = { family: "ipv4" },
): OptionNode[] {
  const rewrite = kind === "match" ? matchRewrites[name] : targetRewrites[name];
  return rewrite ? rewrite(options, context) : options;
}
