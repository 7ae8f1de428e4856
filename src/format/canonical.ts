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

// Maps, not object lookups: an extension named "constructor" or "toString" in a
// hostile dump must not find Object.prototype's functions.
const matchRewrites = new Map<string, Rewrite>(Object.entries({ ...matchRewritesAtoL, ...matchRewritesMtoZ }));
const targetRewriteMap = new Map<string, Rewrite>(Object.entries(targetRewrites));

/** Options as iptables stores them for a match or target extension. */
export function canonicalOptions(
  kind: "match" | "target",
  name: string,
  options: OptionNode[],
  context: RewriteContext = { family: "ipv4" },
): OptionNode[] {
  const rewrite = kind === "match" ? matchRewrites.get(name) : targetRewriteMap.get(name);
  return rewrite ? rewrite(options, context) : options;
}

/** Whether a rewrite exists for this extension (an extension without options may still gain defaults). */
export function hasRewrite(ext: { readonly kind: "match" | "target"; readonly name: string }): boolean {
  return (ext.kind === "match" ? matchRewrites : targetRewriteMap).has(ext.name);
}
