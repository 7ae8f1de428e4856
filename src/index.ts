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
export {
  explain,
  buildKubeModel,
  renderText as renderExplainText,
  renderJson as renderExplainJson,
  explanationToJson,
  portProtoHash,
  endpointHash,
  readClusterEndpoints,
  type ClusterEndpoints,
  type Explanation,
  type KubeModel,
  type KubeServicePort,
  type KubeFrontend,
  type KubeEndpointShare,
  type FrontendType,
} from "./kube/index.js";
export { lint, lintNode, lintNodes, failsAt, toBaseline, subtractBaseline, type LintInput, type LintResult, type LintRunOptions, type Baseline, type BaselineEntry } from "./lint/run.js";
export { lintRules, findRule } from "./lint/registry.js";
export { defineRule, docsPath, type LintRule, type LintRuleMeta, type LintContext, type LintNode, type LintReport, type LintOptions, type Finding } from "./lint/rule.js";
export { validateConfig, loadConfig, findConfig, ConfigError, ConfigReadError, type LintConfig, type ChainIgnore, type RuleSetting } from "./lint/config.js";
export { formatters as lintFormatters, LINT_FORMATS, type LintFormat } from "./lint/format/index.js";
export {
  trace,
  traceToJson,
  traceToText,
  parseDest,
  Fraction,
  type TraceOptions,
  type TraceOutcome,
  type TraceResult,
  type PacketSpec,
  type PacketState,
} from "./trace/index.js";
