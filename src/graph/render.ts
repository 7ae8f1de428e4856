/**
 * The chain graph as text: Graphviz DOT, Mermaid flowchart, or JSON. Node
 * labels give the chain, the policy of a built-in and the rule count; edge
 * labels give the rule's number and its conditions in short form
 * (`summarizeRule`). Every piece of the dump that reaches a label is
 * neutralized (no control characters) and then escaped for the format, so a
 * hostile chain name or comment cannot break out of its label.
 */
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { jsonText, neutralize } from "../text/sanitize.js";
import { nodeId, reachableFrom, type ChainGraph, type ChainNode, type JumpEdge } from "./chain-graph.js";
import { summarizeRule } from "./summary.js";

export type GraphFormat = "dot" | "mermaid" | "json";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["dot", "mermaid", "json"];

/** The part of a chain graph to print. */
export interface GraphView {
  /** In the graph's order (tables in input order, chains in iptables-save order). */
  readonly nodes: readonly ChainNode[];
  /** Edges between `nodes`, by source node then rule number. */
  readonly edges: readonly JumpEdge[];
  /** The findings about the tables shown. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ViewOptions {
  /** Only this table. */
  readonly table?: string;
  /** Only what this chain reaches (itself included). */
  readonly from?: string;
}

/** Why a view cannot be made: an unknown table or chain. One line, may quote input (neutralize it). */
export class ViewError extends Error {}

/** Select the part of the graph to print; throws `ViewError` for a table or chain the dump does not have. */
export function selectView(chainGraph: ChainGraph, options: ViewOptions = {}): GraphView {
  const tables = [...new Set(chainGraph.nodes.map((n) => n.table))];
  if (options.table !== undefined && !tables.includes(options.table)) {
    throw new ViewError(`no table '${options.table}' in the dump (it has: ${tables.join(", ") || "no tables"})`);
  }
  let nodes = options.table === undefined ? chainGraph.nodes : chainGraph.nodes.filter((n) => n.table === options.table);
  if (options.from !== undefined) {
    const from = options.from;
    const starts = nodes.filter((n) => n.chain === from);
    if (starts.length === 0) {
      throw new ViewError(`no chain '${from}' in ${options.table === undefined ? "any table" : `table ${options.table}`}`);
    }
    if (starts.length > 1) {
      throw new ViewError(`chain '${from}' is in tables ${starts.map((n) => n.table).join(", ")}; choose one with --table`);
    }
    const reached = reachableFrom(chainGraph, [nodeId(starts[0]!.table, from)]);
    nodes = nodes.filter((n) => reached.has(n.id));
  }
  const shown = new Set(nodes.map((n) => n.id));
  const edges = chainGraph.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const shownTables = new Set(nodes.map((n) => n.table));
  if (options.table !== undefined) shownTables.add(options.table);
  const diagnostics = chainGraph.findings.filter((f) => shownTables.has(f.table)).map((f) => f.diagnostic).sort(compareDiagnostics);
  return { nodes, edges, diagnostics };
}

// ---------------------------------------------------------------------------
// Labels

function rulesText(n: number): string {
  return n === 1 ? "1 rule" : `${n} rules`;
}

/** Lines of a node's label (untrusted text not yet escaped). */
function nodeLines(node: ChainNode): string[] {
  const lines = [node.chain];
  if (node.builtin && node.policy) lines.push(`policy ${node.policy}`);
  lines.push(rulesText(node.ruleCount));
  return lines;
}

/** An edge's label: the rule's number, `goto` for `-g`, and its conditions. */
function edgeText(edge: JumpEdge): string {
  const summary = summarizeRule(edge.rule);
  return [`#${edge.ruleNumber}`, edge.kind === "goto" ? "goto" : "", summary].filter((s) => s !== "").join(" ");
}

// ---------------------------------------------------------------------------
// DOT

/** A DOT double-quoted string: backslashes and quotes escaped, control characters neutralized first. */
export function dotString(text: string): string {
  return `"${neutralize(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A DOT label of several lines (`\n` is DOT's centred line break). */
function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => dotString(l).slice(1, -1)).join("\\n")}"`;
}

export function toDot(view: GraphView): string {
  const out: string[] = [
    "digraph kipt {",
    "  rankdir=LR;",
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  let table: string | null = null;
  for (const node of view.nodes) {
    if (node.table !== table) {
      if (table !== null) out.push("  }");
      table = node.table;
      out.push(`  subgraph ${dotString(`cluster_${table}`)} {`, `    label=${dotString(table)};`);
    }
    const style = node.builtin ? ', style="rounded,bold"' : node.reachable ? "" : ', style="rounded,dashed", color=gray50';
    out.push(`    ${dotString(node.id)} [label=${dotLabel(nodeLines(node))}${style}];`);
  }
  if (table !== null) out.push("  }");
  for (const edge of view.edges) {
    const style = edge.kind === "goto" ? ", style=dashed" : "";
    out.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)} [label=${dotString(edgeText(edge))}${style}];`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------
// Mermaid

/**
 * Text inside a Mermaid `"..."` label. Mermaid reads `#name;` / `#123;` as
 * entity codes and labels as HTML, so `"`, `<`, `&`, the backtick
 * (markdown strings) and a `#` that would start an entity code become
 * numeric entity codes. `>` alone opens no tag and `#3` no entity: they stay,
 * so kube-proxy's `ns/svc:port -> ip:port` comments read as they are.
 */
export function mermaidText(text: string): string {
  return neutralize(text).replace(/#(?=\w*;)|["<&`]/g, (c) => `#${c.charCodeAt(0)};`);
}

export function toMermaid(view: GraphView): string {
  const out: string[] = ["flowchart LR"];
  // Mermaid ids are plain words; chain names are not, so nodes are n0, n1, ...
  const ids = new Map<string, string>();
  view.nodes.forEach((node, i) => ids.set(node.id, `n${i}`));
  let table: string | null = null;
  let tableCount = 0;
  for (const node of view.nodes) {
    if (node.table !== table) {
      if (table !== null) out.push("  end");
      table = node.table;
      out.push(`  subgraph t${tableCount++}["${mermaidText(table)}"]`);
    }
    const cls = node.builtin ? ":::builtin" : node.reachable ? "" : ":::unreachable";
    out.push(`    ${ids.get(node.id)}["${nodeLines(node).map(mermaidText).join("<br/>")}"]${cls}`);
  }
  if (table !== null) out.push("  end");
  for (const edge of view.edges) {
    const arrow = edge.kind === "goto" ? "-.->" : "-->";
    out.push(`  ${ids.get(edge.from)} ${arrow}|"${mermaidText(edgeText(edge))}"| ${ids.get(edge.to)}`);
  }
  out.push("  classDef builtin stroke-width:3px", "  classDef unreachable stroke-dasharray:5 5,color:#888");
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------
// JSON

export interface GraphJson {
  readonly schemaVersion: 1;
  readonly nodes: readonly {
    id: string;
    table: string;
    chain: string;
    builtin: boolean;
    policy: string | null;
    rules: number;
    reachable: boolean;
    line: number;
  }[];
  readonly edges: readonly {
    name: string;
    kind: "jump" | "goto";
    table: string;
    from: string;
    to: string;
    ruleNumber: number;
    line: number;
    summary: string;
    text: string;
  }[];
  readonly diagnostics: readonly Diagnostic[];
}

export function toGraphJson(view: GraphView, extraDiagnostics: readonly Diagnostic[] = []): GraphJson {
  return {
    schemaVersion: 1,
    nodes: view.nodes.map((n) => ({
      id: n.id,
      table: n.table,
      chain: n.chain,
      builtin: n.builtin,
      policy: n.policy,
      rules: n.ruleCount,
      reachable: n.reachable,
      line: n.declaredAt,
    })),
    edges: view.edges.map((e) => ({
      name: e.name,
      kind: e.kind,
      table: e.table,
      from: e.from,
      to: e.to,
      ruleNumber: e.ruleNumber,
      line: e.line,
      summary: summarizeRule(e.rule),
      text: e.text,
    })),
    diagnostics: [...extraDiagnostics, ...view.diagnostics].sort(compareDiagnostics),
  };
}

/** JSON text, two-space indented, with every invisible or control character as a `\u` escape. */
export function stringifyGraphJson(json: GraphJson): string {
  return jsonText(json) + "\n";
}

/** Render a view in one of the formats. */
export function renderGraph(view: GraphView, format: GraphFormat, extraDiagnostics: readonly Diagnostic[] = []): string {
  switch (format) {
    case "dot":
      return toDot(view);
    case "mermaid":
      return toMermaid(view);
    case "json":
      return stringifyGraphJson(toGraphJson(view, extraDiagnostics));
  }
}
