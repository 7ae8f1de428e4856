/**
 * The chain graph's diagnostics (src/graph): how chains jump to each other.
 * IDs are stable and never reused, like the parser's; each has a page in
 * docs/rules/<ID>.md.
 */
import { defineCode as code, type DiagnosticCode } from "./diagnostic.js";

/** Same shape as the parser's codes, so the rule pages check both alike. */
export type GraphCode = DiagnosticCode;

export const GraphCodes = {
  undefinedTarget: code("KIPT2001", "undefined-target", "error", "A `-j`/`-g` target that is neither a target extension nor a chain of the table."),
  unreachableChain: code("KIPT2002", "unreachable-chain", "warning", "A user chain with rules that no built-in chain reaches: its rules never see a packet."),
  chainCycle: code("KIPT2003", "chain-cycle", "error", "Chains that jump to each other in a loop reachable from a built-in chain: the kernel refuses it."),
  jumpToOtherTable: code("KIPT2004", "jump-to-other-table", "error", "A jump to a chain that exists only in another table; jumps cannot leave their table."),
  jumpToBuiltin: code("KIPT2008", "jump-to-builtin", "error", "A `-j`/`-g` to a built-in chain (INPUT, PREROUTING, ...): the kernel refuses it."),
  jumpDepth: code("KIPT2009", "jump-depth", "warning", "Chains nested more than 15 jumps below a built-in chain: the nf_tables kernel refuses them."),
  failedCommand: code("KIPT2011", "failed-command", "error", "A restore command iptables-restore fails on while applying it: `-I`/`-R`/`-D` past the chain's end, `-D` of a rule the chain does not have, `-X` of a chain with rules, `-E` to a name in use."),
  wrongPlace: code("KIPT2010", "wrong-place", "error", "A target or match used in a table or hook the kernel does not allow it in (`-j MASQUERADE` in INPUT, `-j REJECT` in mangle)."),
} as const satisfies Record<string, GraphCode>;

export const allGraphCodes: readonly GraphCode[] = Object.values(GraphCodes);
