/** Shared by the chain graph tests: small dumps in, graph and findings out. */
import { buildChainGraph, type ChainGraph } from "../../src/graph/chain-graph.js";
import { load } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";

export const FILTER_HEAD = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];

/** A filter-table dump: the built-ins, `chains` declared, then `rules`. */
export function filterDump(chains: readonly string[], rules: readonly string[]): string {
  return [...FILTER_HEAD, ...chains.map((c) => `:${c} - [0:0]`), ...rules, "COMMIT", ""].join("\n");
}

/** Parse, load and build; the parse must be clean so a test sees only graph findings. */
export function graphOf(text: string): ChainGraph {
  const { dump, diagnostics } = parse(text, { file: "t.rules" });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`test dump does not parse: ${errors.map((d) => d.message).join("; ")}`);
  return buildChainGraph(load(dump), { file: "t.rules" });
}

/** `ID line` per graph finding, sorted: what the RuleTester-style tables compare. */
export function findings(text: string): string[] {
  return graphOf(text)
    .diagnostics.map((d) => `${d.id} ${d.line}`)
    .sort();
}
