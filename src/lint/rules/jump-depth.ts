import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

/** Sixteen chains called one from the next: the last jump is one too deep for nf_tables. */
function nested(levels: number): string {
  const chains = Array.from({ length: levels }, (_, i) => `L${i + 1}`);
  return [
    "*filter",
    ":INPUT ACCEPT [0:0]",
    ":FORWARD ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ...chains.map((c) => `:${c} - [0:0]`),
    "-A INPUT -j L1",
    ...chains.slice(0, -1).map((c, i) => `-A ${c} -j ${chains[i + 1]}`),
    `-A ${chains[levels - 1]} -j ACCEPT`,
    "COMMIT",
    "",
  ].join("\n");
}

export const jumpDepth = graphRule(GraphCodes.jumpDepth, GraphCodes.jumpDepth.summary, { bad: nested(16), good: nested(15) });
