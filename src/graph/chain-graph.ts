/**
 * The chain graph: which chain jumps to which, per table. One node per
 * (table, chain), one edge per `-j CHAIN` / `-g CHAIN` rule, built-in chains
 * as the roots. Built on the loaded ruleset (`load()`), so restore commands
 * (`-I`, `-D`, `-E`, `-X`, ...) are already applied.
 *
 * The findings are what the kernel refuses or what can never run: targets
 * that name no chain (KIPT2001), jumps to a chain of another table
 * (KIPT2004), loops (KIPT2003) and user chains no packet reaches (KIPT2002).
 *
 * Everything here walks the graph with explicit stacks and queues, never by
 * recursion: a hostile dump can nest 100,000 chains, and a recursive walk
 * overflows the stack long before that. graphlib's own `alg.tarjan` (behind
 * `alg.findCycles`) and `alg.preorder` recurse once per level and throw
 * RangeError on a 5,000-deep chain, so loops are found by an iterative
 * Tarjan here (test/graph/chain-graph.test.ts checks it against graphlib's
 * on small graphs).
 */
import { Graph } from "@dagrejs/graphlib";
import type { RuleNode, MatchNode, TargetNode } from "../ast/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { quote } from "../diagnostics/diagnostic.js";
import { GraphCodes, type GraphCode } from "../diagnostics/graph-codes.js";
import { registry } from "../extensions/registry.js";
import { formatRule, type Family } from "../format/rule.js";
import type { LoadedTable, Ruleset } from "../model/load.js";

/** A chain. */
export interface ChainNode {
  /** `table:chain`; table names never contain `:`, so the first `:` splits it. */
  readonly id: string;
  readonly table: string;
  readonly chain: string;
  readonly builtin: boolean;
  /** ACCEPT/DROP for built-ins, null for user chains. */
  readonly policy: string | null;
  readonly ruleCount: number;
  /** Line of the declaration, 0 for an undeclared built-in. */
  readonly declaredAt: number;
  /** Whether a built-in chain reaches it (built-ins reach themselves). */
  readonly reachable: boolean;
}

/** A rule that jumps (`-j`) or goes (`-g`) to a chain of its table. */
export interface JumpEdge {
  /** Unique per rule: `table:chain#n`, n the rule's 1-based position in its chain. */
  readonly name: string;
  readonly kind: "jump" | "goto";
  readonly table: string;
  /** Node ids. */
  readonly from: string;
  readonly to: string;
  /** 1-based position of the rule in its chain (what `iptables -L --line-numbers` shows). */
  readonly ruleNumber: number;
  /** Where the rule is in the input. */
  readonly line: number;
  readonly rule: RuleNode;
  /** The rule in canonical iptables-save form (`formatRule`). */
  readonly text: string;
}

/** Chains that jump to each other in a loop (a strongly connected component). */
export interface ChainCycle {
  readonly table: string;
  /** One loop through the component, starting and ending at the same chain: `[A, B, A]`. */
  readonly path: readonly string[];
  /** Every chain of the component, in iptables-save order. */
  readonly chains: readonly string[];
  /** Reachable from a built-in chain: only then does the kernel refuse it. */
  readonly reachable: boolean;
}

export interface ChainGraph {
  /** The graphlib view: node labels are `ChainNode`s, edge labels `JumpEdge`s, edge names `JumpEdge.name`. */
  readonly graph: Graph<string, ChainNode, JumpEdge>;
  /** Tables in input order, chains in iptables-save order. */
  readonly nodes: readonly ChainNode[];
  /** In the order of `nodes`, then rule order. */
  readonly edges: readonly JumpEdge[];
  readonly cycles: readonly ChainCycle[];
  /** KIPT2001-KIPT2004, in no particular order (sort with `compareDiagnostics`). */
  readonly diagnostics: Diagnostic[];
  /** The same diagnostics with the table each concerns, to show one table's findings. */
  readonly findings: readonly GraphFinding[];
}

export interface GraphFinding {
  readonly table: string;
  readonly diagnostic: Diagnostic;
}

export interface ChainGraphOptions {
  /** File name for diagnostics; default `<input>`. */
  readonly file?: string;
}

export function nodeId(table: string, chain: string): string {
  return `${table}:${chain}`;
}

/**
 * Node ids reachable from `start` (included), breadth first. Iterative, and
 * over the graph's own adjacency so it works for any `ChainGraph`.
 */
export function reachableFrom(chainGraph: ChainGraph, start: Iterable<string>): Set<string> {
  const out = outEdgesById(chainGraph);
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const id of start) if (!seen.has(id)) seen.add(id), queue.push(id);
  for (let head = 0; head < queue.length; head++) {
    for (const edge of out.get(queue[head]!) ?? []) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return seen;
}

const outEdgeCache = new WeakMap<ChainGraph, Map<string, JumpEdge[]>>();

function outEdgesById(chainGraph: ChainGraph): Map<string, JumpEdge[]> {
  let out = outEdgeCache.get(chainGraph);
  if (!out) {
    out = new Map();
    for (const edge of chainGraph.edges) {
      const list = out.get(edge.from);
      if (list) list.push(edge);
      else out.set(edge.from, [edge]);
    }
    outEdgeCache.set(chainGraph, out);
  }
  return out;
}

/**
 * Build the graph of every table and check it. Never throws. Runs in time
 * linear in chains plus rules (a 10,000-service kube-proxy dump, 61,000
 * chains, takes a fraction of a second).
 */
export function buildChainGraph(ruleset: Ruleset, options: ChainGraphOptions = {}): ChainGraph {
  const file = options.file ?? "<input>";
  const family: Family = ruleset.family ?? "ipv4";
  const findings: GraphFinding[] = [];
  const report = (table: string, code: GraphCode, line: number, column: number, offset: number, length: number, message: string, severity = code.severity): void => {
    // The rules of one line's `-s`/`-d` lists (one per address) share its position and would say the same thing once each.
    const last = findings[findings.length - 1]?.diagnostic;
    if (last && last.offset === offset && last.id === code.id && last.message === message && offset >= 0) return;
    findings.push({ table, diagnostic: { id: code.id, name: code.name, severity, message, file, line, column, offset, length } });
  };

  // Restore commands the tool fails on while applying a table (src/model/load.ts).
  for (const table of ruleset.tables) {
    for (const r of table.refusals) report(table.name, GraphCodes.failedCommand, r.line, r.column, r.offset, r.length, r.message);
  }

  // iptables-restore flushes a table at each `*table` line (without
  // --noflush), so when a dump has the same table twice the last one counts.
  const tables = new Map<string, LoadedTable>();
  for (const table of ruleset.tables) tables.set(table.name, table);

  // Which tables hold a chain of a given name: for the "exists in table nat,
  // not in filter" message, so looked up only when a target names no chain.
  const tablesOfChain = (name: string): string[] => [...tables.values()].filter((t) => t.chainsByName.has(name)).map((t) => t.name);

  // The algorithms below run on integer indices (typed arrays, no strings):
  // node i is chain i in `mutable`, edge j goes from edgeFrom[j] to edgeTo[j].
  type MutableNode = { -readonly [K in keyof ChainNode]: ChainNode[K] };
  const mutable: MutableNode[] = [];
  // Per table, chain name -> node index. Keyed by the bare name, not the
  // node id: rule targets share the parser's string for the chain name, so
  // the lookup needs no new string (it is the hot loop for 400,000 rules).
  const indexIn = new Map<string, Map<string, number>>();
  for (const table of tables.values()) {
    const indexOf = new Map<string, number>();
    indexIn.set(table.name, indexOf);
    for (const chain of table.chains) {
      const id = nodeId(table.name, chain.name);
      indexOf.set(chain.name, mutable.length);
      mutable.push({
        id,
        table: table.name,
        chain: chain.name,
        builtin: chain.builtin,
        policy: chain.policy,
        ruleCount: chain.rules.length,
        declaredAt: chain.declaredAt,
        reachable: false,
      });
    }
  }

  // One entry per jump, as plain arrays: the JumpEdge objects (with their
  // names and canonical text) are made only when `edges` is read, which only
  // `kipt graph` does; lint, explain and trace need the findings alone.
  const edgeRule: RuleNode[] = [];
  const edgeRuleNumber: number[] = [];
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  // Targets and matches the kernel allows only in some tables or hooks, noted in
  // this one pass over every rule and checked once reachability is known: a
  // second pass over 240,000 rules cost more than the checks.
  const placed: { table: string; chain: string; v: number; what: string; place: Place; at: MatchNode | TargetNode }[] = [];
  // Nodes were numbered in this same order (tables, then chains): count instead of looking names up.
  let fromIndex = -1;
  for (const table of tables.values()) {
    const indexOf = indexIn.get(table.name)!;
    for (const chain of table.chains) {
      fromIndex++;
      const rules = chain.rules;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        const target = rule.target;
        if (target !== null && target.extension) {
          const targetPlace = TARGET_PLACES.get(target.name);
          if (targetPlace) placed.push({ table: table.name, chain: chain.name, v: fromIndex, what: jumpText(target.name), place: targetPlace, at: target });
          const targetOptionPlaces = TARGET_OPTION_PLACES.get(target.name);
          if (targetOptionPlaces !== undefined) {
            for (const p of targetOptionPlaces) {
              if (target.options.some((o) => o.name === p.option)) placed.push({ table: table.name, chain: chain.name, v: fromIndex, what: `-j ${target.name} ${p.option}`, place: p.place, at: target });
            }
          }
        }
        const matches = rule.matches;
        for (let k = 0; k < matches.length; k++) {
          const m = matches[k]!;
          const place = MATCH_PLACES.get(m.name);
          if (place) placed.push({ table: table.name, chain: chain.name, v: fromIndex, what: `-m ${m.name}`, place, at: m });
          const optionPlaces = MATCH_OPTION_PLACES.get(m.name);
          if (optionPlaces !== undefined) for (const p of optionPlaces) {
            const o = m.options.find((x) => x.name === p.option && (p.value === undefined || x.values[0]?.text === p.value));
            if (o && p.unless !== undefined && m.options.some((x) => x.name === p.unless && !x.negated)) continue;
            if (o) placed.push({ table: table.name, chain: chain.name, v: fromIndex, what: `-m ${m.name} ${p.option}${p.value === undefined ? "" : ` ${p.value}`}`, place: p.place, at: m });
          }
        }
        if (!target || target.extension) continue;
        const flag = target.goto ? "-g" : "-j";
        const toIndex = indexOf.get(target.name);
        if (toIndex === undefined) {
          const elsewhere = tablesOfChain(target.name).filter((t) => t !== table.name);
          if (elsewhere.length > 0) {
            const where = elsewhere.length === 1 ? `table ${elsewhere[0]}` : `tables ${elsewhere.join(", ")}`;
            report(table.name, GraphCodes.jumpToOtherTable, target.line, target.column, target.offset, target.length,
              `chain ${quote(target.name)} exists in ${where}, not in ${table.name}; a rule can only ${flag === "-g" ? "go" : "jump"} to chains of its own table`);
          } else if (target.goto && registry.target(target.name)) {
            // `-g` always names a chain, so the parser did not take ACCEPT & co. as extensions.
            report(table.name, GraphCodes.undefinedTarget, target.line, target.column, target.offset, target.length,
              `'-g' goes to a chain and table '${table.name}' has no chain ${quote(target.name)}; for the target write '-j ${target.name}'`);
          } else {
            report(table.name, GraphCodes.undefinedTarget, target.line, target.column, target.offset, target.length,
              `'${flag}' target ${quote(target.name)} is neither a target extension nor a chain of table '${table.name}'`);
          }
          continue;
        }
        if (mutable[toIndex]!.builtin) {
          // The kernel refuses a jump into a built-in chain (iptables-nft: "RULE_APPEND failed
          // (Operation not supported)"); there is no edge to draw.
          report(table.name, GraphCodes.jumpToBuiltin, target.line, target.column, target.offset, target.length,
            `'${flag} ${target.name}' jumps to a built-in chain; the kernel refuses it (built-in chains are entered by their hook only; move the rules into a user chain and jump to that)`);
          continue;
        }
        edgeRule.push(rule);
        edgeRuleNumber.push(i + 1);
        edgeFrom.push(fromIndex);
        edgeTo.push(toIndex);
      }
    }
  }

  const n = mutable.length;
  // Adjacency in compressed form: the out-edges of node v are
  // adjEdge[adjStart[v] .. adjStart[v+1]), in rule order.
  const adjStart = new Int32Array(n + 1);
  for (const v of edgeFrom) adjStart[v + 1]!++;
  for (let v = 0; v < n; v++) adjStart[v + 1]! += adjStart[v]!;
  const edgeCount = edgeRule.length;
  const adjEdge = new Int32Array(edgeCount);
  const fill = adjStart.slice(0, n);
  for (let e = 0; e < edgeCount; e++) adjEdge[fill[edgeFrom[e]!]!++] = e;

  // Reachability from the built-in chains, breadth first.
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) if (mutable[v]!.builtin) (reached[v] = 1), (queue[tail++] = v);
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let k = adjStart[v]!; k < adjStart[v + 1]!; k++) {
      const w = edgeTo[adjEdge[k]!]!;
      if (!reached[w]) (reached[w] = 1), (queue[tail++] = w);
    }
  }
  for (let v = 0; v < n; v++) mutable[v]!.reachable = reached[v] === 1;

  const components = stronglyConnectedComponents(n, adjStart, adjEdge, edgeTo);
  const cycles: ChainCycle[] = [];
  for (const component of components) {
    // A lone chain is a loop only when it jumps to itself; skip building a set for it.
    const members: ReadonlySet<number> = component.length === 1 ? { has: (v: number) => v === component[0] } as ReadonlySet<number> : new Set(component);
    // The rule that closes the loop: the last one in the file among the
    // jumps inside the component (iptables-restore fails at that rule).
    let closing = -1;
    for (const v of component) {
      for (let k = adjStart[v]!; k < adjStart[v + 1]!; k++) {
        const e = adjEdge[k]!;
        if (members.has(edgeTo[e]!) && (closing < 0 || edgeRule[e]!.line > edgeRule[closing]!.line)) closing = e;
      }
    }
    if (closing < 0) continue; // a single chain without a self-jump: no loop
    const path = loopThrough(closing, members, adjStart, adjEdge, edgeFrom, edgeTo).map((v) => mutable[v]!.chain);
    const first = mutable[component[0]!]!;
    const cycle: ChainCycle = {
      table: first.table,
      path,
      chains: [...component].sort((a, b) => a - b).map((v) => mutable[v]!.chain),
      reachable: first.reachable,
    };
    cycles.push(cycle);
    // An unreachable loop loads fine (the kernel checks loops only from its
    // hooks); its chains get KIPT2002 instead.
    if (cycle.reachable) {
      const target = edgeRule[closing]!.target!;
      report(cycle.table, GraphCodes.chainCycle, target.line, target.column, target.offset, target.length,
        `jump loop ${describePath(path)} in table ${cycle.table}; the kernel refuses loops, so iptables-restore fails here`);
    }
  }

  // Targets and matches the kernel allows only in some tables or hooks. A
  // user chain is checked against every hook that reaches it (one bit per
  // built-in chain of its table), as the kernel does when rules are loaded;
  // an unreachable chain is checked for the table only.
  const hookBits = new Int32Array(n);
  const pending = new Int32Array(n); // a node enters once per hook: its bit marks it seen
  for (let v = 0; v < n; v++) {
    if (!mutable[v]!.builtin) continue;
    const bit = 1 << (HOOK_ORDER.indexOf(mutable[v]!.chain as Hook) + 1);
    let top = 0;
    pending[top++] = v;
    hookBits[v]! |= bit;
    while (top > 0) {
      const u = pending[--top]!;
      for (let k = adjStart[u]!; k < adjStart[u + 1]!; k++) {
        const w = edgeTo[adjEdge[k]!]!;
        if (!(hookBits[w]! & bit)) {
          hookBits[w]! |= bit;
          pending[top++] = w;
        }
      }
    }
  }
  const checkPlace = (table: string, chain: string, v: number, what: string, place: Place, at: { line: number; column: number; offset: number; length: number }): void => {
    let problem: string | null = null;
    if (place.tables && !place.tables.includes(table)) {
      problem = `works only in the ${orList(place.tables)} table, not in ${table}`;
    } else if (place.hooks) {
      const bad = HOOK_ORDER.filter((h, i) => hookBits[v]! & (1 << (i + 1)) && !place.hooks!.includes(h));
      if (bad.length) {
        const via = mutable[v]!.builtin ? "" : ` (chain ${quote(chain)} is reached from ${bad.join(", ")})`;
        problem = `works only in ${orList(place.hooks)}, not in ${orList(bad)}${via}`;
      }
    }
    if (problem) {
      report(table, GraphCodes.wrongPlace, at.line, at.column, at.offset, at.length, `'${what}' ${problem}; the kernel refuses the rule ("RULE_APPEND failed (Invalid argument)")`);
    }
  };
  for (const p of placed) checkPlace(p.table, p.chain, p.v, p.what, p.place, p.at);

  // Jump depth: the most jumps (-j or -g) from a built-in chain to each
  // chain, over the loop-free part of the graph. Tarjan emits components
  // callees first, so walking them backwards visits callers before callees.
  // The nf_tables kernel checks this depth when rules are committed and
  // refuses any jump that would reach depth 16 (NFT_JUMP_STACK_SIZE):
  // iptables-nft's restore fails with "RULE_APPEND failed (Too many links)"
  // (checked with the oracle; legacy iptables accepts 1,000 levels).
  const componentOf = new Int32Array(n);
  components.forEach((component, c) => { for (const v of component) componentOf[v] = c; });
  const jumpDepth = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) if (mutable[v]!.builtin) jumpDepth[v] = 0;
  for (let c = components.length - 1; c >= 0; c--) {
    for (const v of components[c]!) {
      if (jumpDepth[v]! < 0) continue;
      for (let k = adjStart[v]!; k < adjStart[v + 1]!; k++) {
        const e = adjEdge[k]!;
        const w = edgeTo[e]!;
        if (componentOf[w] === c) continue; // inside a loop: reported as KIPT2003
        if (jumpDepth[v]! + 1 > jumpDepth[w]!) jumpDepth[w] = jumpDepth[v]! + 1;
      }
    }
  }
  let tooDeep: Map<string, number> | null = null;
  for (let e = 0; e < edgeCount; e++) {
    const v = edgeFrom[e]!;
    const w = edgeTo[e]!;
    // Report the first jump past the limit on each path, not every chain below it.
    if (jumpDepth[v] !== MAX_NFT_JUMP_DEPTH || componentOf[w] === componentOf[v]) continue;
    const edgeTable = mutable[v]!.table;
    const target = edgeRule[e]!.target!;
    if (tooDeep === null) {
      tooDeep = new Map();
      for (let u = 0; u < n; u++) if (jumpDepth[u]! > MAX_NFT_JUMP_DEPTH) tooDeep.set(mutable[u]!.table, (tooDeep.get(mutable[u]!.table) ?? 0) + 1);
    }
    const below = tooDeep.get(edgeTable) ?? 0;
    const more = below > 1 ? ` (${below} chains of table ${edgeTable} are nested that deep or deeper)` : "";
    report(edgeTable, GraphCodes.jumpDepth, target.line, target.column, target.offset, target.length,
      `this jump puts chain ${quote(mutable[w]!.chain)} ${MAX_NFT_JUMP_DEPTH + 1} jumps below a built-in chain${more}; the nf_tables kernel (iptables-nft) refuses jumps nested deeper than ${MAX_NFT_JUMP_DEPTH} ("Too many links"), legacy iptables accepts them`);
  }

  // Incoming edges per node, for the KIPT2002 message.
  const inDegree = new Int32Array(n);
  for (const w of edgeTo) inDegree[w]!++;
  for (let v = 0; v < n; v++) {
    const node = mutable[v]!;
    // Empty unreachable chains are left alone: nothing in them is dead, and
    // tools create them on purpose (kubelet's and kube-proxy's canaries,
    // KUBE-IPTABLES-HINT).
    if (node.builtin || node.reachable || node.ruleCount === 0) continue;
    const rules = node.ruleCount === 1 ? "1 rule never sees" : `${node.ruleCount} rules never see`;
    const why = inDegree[v]! > 0 ? "only unreachable chains jump to it" : "no rule jumps to it";
    const library = inDegree[v] === 0 ? libraryChainOwner(node.chain) : null;
    if (library) {
      // Created on purpose for other rules to jump to; unused is normal, not a mistake.
      report(node.table, GraphCodes.unreachableChain, node.declaredAt, 0, -1, 0,
        `chain ${quote(node.chain)} in table ${node.table} is never reached (no rule jumps to it); ${library} creates it for other rules to jump to, so this is harmless`, "info");
      continue;
    }
    report(node.table, GraphCodes.unreachableChain, node.declaredAt, 0, -1, 0,
      `chain ${quote(node.chain)} in table ${node.table} is never reached from a built-in chain (${why}); its ${rules} a packet`);
  }

  // The graphlib graph is built on first use: graphlib keys everything by
  // strings in plain objects, and filling it takes about a second for a
  // 10,000-service dump (61,000 chains, 129,000 jumps), ten times the rest of
  // this function; the findings and the CLI's outputs do not need it.
  let graph: Graph<string, ChainNode, JumpEdge> | null = null;
  let edges: JumpEdge[] | null = null;
  const edgeList = (): JumpEdge[] =>
    (edges ??= edgeRule.map((rule, e) => {
      const from = mutable[edgeFrom[e]!]!;
      return new Jump(rule.target!.goto ? "goto" : "jump", from.table, from.id, mutable[edgeTo[e]!]!.id, edgeRuleNumber[e]!, rule, from.chain, family);
    }));
  return {
    get graph() {
      if (!graph) {
        graph = new Graph<string, ChainNode, JumpEdge>({ directed: true, multigraph: true });
        for (const node of mutable) graph.setNode(node.id, node);
        for (const edge of edgeList()) graph.setEdge(edge.from, edge.to, edge, edge.name);
      }
      return graph;
    },
    nodes: mutable,
    get edges() {
      return edgeList();
    },
    cycles,
    diagnostics: findings.map((f) => f.diagnostic),
    findings,
  };
}

/**
 * The chain graph's errors alone: what the kernel refuses to load (a target
 * that names nothing, a loop, a jump out of the table or into a built-in
 * chain). Commands other than `lint` and `graph` report these beside the
 * parse errors, so that exit code 1 means "iptables-restore would refuse
 * this" for every command.
 */
export function kernelRefusals(ruleset: Ruleset, file: string): Diagnostic[] {
  return buildChainGraph(ruleset, { file }).diagnostics.filter((d) => d.severity === "error");
}

/** `-j NAME`, one string per target: a kube-proxy dump has 45,000 `-j DNAT` rules to check. */
const jumpTexts = new Map<string, string>();
function jumpText(target: string): string {
  let text = jumpTexts.get(target);
  if (text === undefined) jumpTexts.set(target, (text = `-j ${target}`));
  return text;
}

/** `a`, `a or b`, `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** Built-in chains, one bit each in the hook sets (bit i + 1 for HOOK_ORDER[i]). */
const HOOK_ORDER = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] as const;
type Hook = (typeof HOOK_ORDER)[number];

/** Where the kernel allows an extension: tables, and hooks (the built-in chains whose packets it may see). */
interface Place {
  readonly tables?: readonly string[];
  readonly hooks?: readonly Hook[];
}

/**
 * The kernel's table and hook limits for targets, as iptables 1.8.9
 * (nf_tables) enforces them; each entry was checked in a namespace
 * (test/graph/wrong-place.cases.ts keeps the cases, the oracle test runs them).
 */
const TARGET_PLACES: ReadonlyMap<string, Place> = new Map<string, Place>([
  ["MASQUERADE", { tables: ["nat"], hooks: ["POSTROUTING"] }],
  ["SNAT", { tables: ["nat"], hooks: ["POSTROUTING", "INPUT"] }],
  ["DNAT", { tables: ["nat"], hooks: ["PREROUTING", "OUTPUT"] }],
  ["REDIRECT", { tables: ["nat"], hooks: ["PREROUTING", "OUTPUT"] }],
  ["NETMAP", { tables: ["nat"] }],
  ["REJECT", { tables: ["filter"], hooks: ["INPUT", "FORWARD", "OUTPUT"] }],
  ["NOTRACK", { tables: ["raw"] }],
  ["CT", { tables: ["raw"] }],
  ["TPROXY", { tables: ["mangle"], hooks: ["PREROUTING"] }],
  ["TTL", { tables: ["mangle"] }],
  ["HL", { tables: ["mangle"] }],
  ["TOS", { tables: ["mangle"] }],
  ["DSCP", { tables: ["mangle"] }],
  ["CLASSIFY", { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] }],
  ["SYNPROXY", { hooks: ["INPUT", "FORWARD"] }],
  ["CHECKSUM", { tables: ["mangle"] }],
  ["SNPT", { tables: ["mangle"], hooks: ["INPUT", "POSTROUTING"] }],
  ["DNPT", { tables: ["mangle"], hooks: ["PREROUTING", "OUTPUT"] }],
  ["CONNSECMARK", { tables: ["mangle", "security"] }],
]);

/** The same for matches. */
const MATCH_PLACES: ReadonlyMap<string, Place> = new Map<string, Place>([
  ["owner", { hooks: ["OUTPUT", "POSTROUTING"] }],
  ["rpfilter", { tables: ["raw", "mangle"], hooks: ["PREROUTING"] }],
  ["socket", { hooks: ["PREROUTING", "INPUT"] }],
  ["mac", { hooks: ["PREROUTING", "INPUT", "FORWARD"] }],
  ["cgroup", { hooks: ["INPUT", "OUTPUT", "POSTROUTING"] }],
  ["osf", { hooks: ["PREROUTING", "INPUT", "FORWARD"] }],
  ["realm", { hooks: ["INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] }],
  ["eui64", { hooks: ["PREROUTING", "INPUT", "FORWARD"] }],
]);

/** An option (with a value, where it decides; not when `unless` is given too) and where the kernel allows it. */
interface OptionPlace {
  readonly option: string;
  readonly value?: string;
  readonly unless?: string;
  readonly place: Place;
}

/**
 * Options the kernel allows only in some tables or hooks, by match and by
 * target name; checked like the places above (test/graph/wrong-place.cases.ts).
 * A packet has an input device only before routing and an output device
 * only after it.
 */
const MATCH_OPTION_PLACES: ReadonlyMap<string, readonly OptionPlace[]> = new Map([
  ["policy", [
    { option: "--dir", value: "in", place: { hooks: ["PREROUTING", "INPUT", "FORWARD"] } },
    { option: "--dir", value: "out", place: { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] } },
  ]],
  ["devgroup", [
    { option: "--src-group", place: { hooks: ["PREROUTING", "INPUT", "FORWARD"] } },
    { option: "--dst-group", place: { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] } },
  ]],
  ["addrtype", [
    { option: "--limit-iface-in", place: { hooks: ["PREROUTING", "INPUT", "FORWARD"] } },
    { option: "--limit-iface-out", place: { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] } },
  ]],
  // Locally sent packets have an output bridge port only when bridged (xt_physdev's check).
  ["physdev", [
    { option: "--physdev-out", unless: "--physdev-is-bridged", place: { hooks: ["PREROUTING", "INPUT", "FORWARD", "POSTROUTING"] } },
    { option: "--physdev-is-out", unless: "--physdev-is-bridged", place: { hooks: ["PREROUTING", "INPUT", "FORWARD", "POSTROUTING"] } },
  ]],
]);

const TARGET_OPTION_PLACES: ReadonlyMap<string, readonly OptionPlace[]> = new Map([
  ["TCPMSS", [{ option: "--clamp-mss-to-pmtu", place: { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] } }]],
  ["SET", [
    { option: "--map-set", place: { tables: ["mangle"] } },
    { option: "--map-prio", place: { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] } },
    { option: "--map-queue", place: { hooks: ["FORWARD", "OUTPUT", "POSTROUTING"] } },
  ]],
]);

/** Deepest jump nesting the nf_tables kernel accepts below a built-in chain (NFT_JUMP_STACK_SIZE is 16). */
export const MAX_NFT_JUMP_DEPTH = 15;

/** A `JumpEdge` whose canonical text is printed when first read (3 µs a rule; DOT output and the checks never read it). */
class Jump implements JumpEdge {
  readonly name: string;
  readonly line: number;
  private canonical: string | null = null;

  constructor(
    readonly kind: "jump" | "goto",
    readonly table: string,
    readonly from: string,
    readonly to: string,
    readonly ruleNumber: number,
    readonly rule: RuleNode,
    private readonly chain: string,
    private readonly family: Family,
  ) {
    this.name = `${from}#${ruleNumber}`;
    this.line = rule.line;
  }

  get text(): string {
    return (this.canonical ??= formatRule(this.rule, this.chain, this.family));
  }
}

/** `A -> B -> A`, shortened in the middle for long loops. */
function describePath(path: readonly string[]): string {
  const names = path.map((c) => quote(c, 40));
  const chains = path.length - 1;
  if (names.length > 8) return `${[...names.slice(0, 4), "...", ...names.slice(-2)].join(" -> ")} (${chains} chains)`;
  return names.join(" -> ");
}

/**
 * Tarjan's strongly connected components, iterative (an explicit call
 * stack of (node, next out-edge) pairs). Returns every component; the
 * caller keeps those with a loop (more than one chain, or a self-jump).
 */
function stronglyConnectedComponents(n: number, adjStart: Int32Array, adjEdge: Int32Array, edgeTo: readonly number[]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  const callNode = new Int32Array(n);
  const callNext = new Int32Array(n);
  let counter = 0;
  const components: number[][] = [];

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callNode[0] = root;
    callNext[0] = adjStart[root]!;
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth]!;
      if (callNext[depth]! < adjStart[v + 1]!) {
        const w = edgeTo[adjEdge[callNext[depth]!++]!]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callNext[depth] = adjStart[w]!;
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      // v is finished: pop its component if it is a root, then return to the caller.
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack[--stackTop]!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
      depth--;
      if (depth >= 0) {
        const caller = callNode[depth]!;
        low[caller] = Math.min(low[caller]!, low[v]!);
      }
    }
  }
  return components;
}

/**
 * One loop through edge `e` inside a component: from the edge's target back
 * to its source by the shortest path (breadth first), as node indices
 * `[from, to, ..., from]`.
 */
function loopThrough(e: number, members: ReadonlySet<number>, adjStart: Int32Array, adjEdge: Int32Array, edgeFrom: readonly number[], edgeTo: readonly number[]): number[] {
  const from = edgeFrom[e]!;
  const to = edgeTo[e]!;
  if (from === to) return [from, from];
  const parent = new Map<number, number>([[to, -1]]);
  const queue = [to];
  for (let head = 0; head < queue.length && !parent.has(from); head++) {
    const v = queue[head]!;
    for (let k = adjStart[v]!; k < adjStart[v + 1]!; k++) {
      const w = edgeTo[adjEdge[k]!]!;
      if (members.has(w) && !parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  const back: number[] = [];
  for (let v = from; v !== -1; v = parent.get(v)!) back.push(v);
  return [from, ...back.reverse()];
}

/**
 * Chains that software creates whether or not anything uses them yet, as
 * jump targets for rules it may add later: kubelet's KUBE-MARK-DROP (unused
 * since kube-proxy 1.25), ufw's logging, limit and skip chains. Their owner,
 * or null for any other chain.
 */
export function libraryChainOwner(chain: string): string | null {
  if (chain === "KUBE-MARK-DROP" || chain === "KUBE-MARK-MASQ") return "kubelet";
  if (/^ufw6?-(?:logging-(?:allow|deny)|skip-to-policy-(?:input|output|forward)|user-limit(?:-accept)?|user-logging-(?:input|output|forward))$/.test(chain)) return "ufw";
  return null;
}
