/**
 * kipt as a library: `import { parse, format } from "kipt"`.
 * The CLI is a thin layer over exactly these functions.
 */
export { parse, BUILTIN_CHAINS, type ParseOptions, type ParseResult } from "./parser/parse.js";
export { format, formatRule, formatRuleset } from "./format/format.js";
export { load, type Ruleset, type LoadedTable, type LoadedChain } from "./model/load.js";
export { formatDiagnostic, compareDiagnostics, type Diagnostic, type Severity } from "./diagnostics/diagnostic.js";
export { ParseCodes, allParseCodes, type ParseCode } from "./diagnostics/parse-codes.js";
export { neutralize } from "./text/sanitize.js";
export { registry } from "./extensions/registry.js";
export type * from "./ast/types.js";
export { buildChainGraph, nodeId, reachableFrom, type ChainGraph, type ChainGraphOptions, type ChainNode, type JumpEdge, type ChainCycle, type GraphFinding } from "./graph/chain-graph.js";
export { summarizeRule } from "./graph/summary.js";
export { selectView, renderGraph, toDot, toMermaid, toGraphJson, ViewError, GRAPH_FORMATS, type GraphView, type GraphFormat, type GraphJson, type ViewOptions } from "./graph/render.js";
export { GraphCodes, allGraphCodes, type GraphCode } from "./diagnostics/graph-codes.js";
