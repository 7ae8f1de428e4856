/**
 * What a worker sends back for one chunk: its tables with each rule already
 * printed canonically, packed so that it crosses the thread boundary
 * cheaply. A structured clone costs per object: sending 120,000 rule
 * objects took longer than printing them, so a worker sends each table's
 * rules as one string of printed tails and a few typed arrays, and the main
 * thread rebuilds the small objects the loader needs.
 */
import type { ChainCommandNode, ChainDeclNode, CommentNode, Counters, DumpNode, RuleNode } from "../ast/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { formatRule } from "../format/format.js";
import type { LoadableRule, LoadableTable } from "../model/load.js";
import type { DeclaredChains, RuleLine, RuleShortCut } from "../parser/parse.js";
import { VerbatimPrinter } from "../format/verbatim.js";

/** A rule that has been printed: the loader's view of it plus its canonical text after `-A CHAIN`. */
export interface PrintedRule extends LoadableRule {
  readonly tail: string;
}

export interface PrintedTable extends LoadableTable<PrintedRule> {
  readonly statements: (PrintedRule | ChainDeclNode | ChainCommandNode)[];
  trailingComments: CommentNode[];
}

export interface PrintedChunk {
  readonly continued: boolean;
  readonly tables: PrintedTable[];
  readonly diagnostics: Diagnostic[];
}

/** A rule as kipt fmt needs it: loadable, and printed (see RuleMapper in parse.ts). */
export function printRule(rule: RuleNode, family: "ipv4" | "ipv6" | null): PrintedRule {
  const full = formatRule(rule, rule.chain, family ?? "ipv4");
  return {
    kind: "rule",
    line: rule.line,
    command: rule.command,
    chain: rule.chain,
    ruleNumber: rule.ruleNumber,
    // Only -D by rule spec reads a rule's text, and it uses `tail`; keep no copy.
    text: "",
    counters: rule.counters as Counters | null,
    target: rule.target ? { name: rule.target.name, extension: rule.target.extension } : null,
    tail: full.slice(3 + rule.chain.length),
  };
}

/**
 * `printRule`'s short cut for one parse: a line that prints back as written
 * becomes its printed rule without an AST (see format/verbatim.ts).
 */
export function printShortCut(): RuleShortCut {
  const verbatim = new VerbatimPrinter();
  return {
    map(line: RuleLine): PrintedRule | undefined {
      const tail = verbatim.tail(line.plan, line.step, line.tokens, line.text, line.lineEnd, line.family);
      if (tail === null) return undefined;
      return {
        kind: "rule",
        line: line.lineNo,
        command: line.command,
        chain: line.chain,
        ruleNumber: line.ruleNumber,
        text: "",
        counters: line.counters,
        target: verbatim.target(line.plan, line.tokens),
        tail,
      };
    },
    mapLine(text: string, first: number, lineEnd: number, lineNo: number, family: "ipv4" | "ipv6", chains: DeclaredChains, table: string): PrintedRule | undefined {
      const match = verbatim.matchLine(text, first, lineEnd, family);
      if (match === null) return undefined;
      // A template learned in another table: DROP in nat is refused (the usual way reports it, KIPT1029).
      if (table === "nat" && match.target?.name === "DROP") return undefined;
      const chain = chains.knownChain(text.slice(match.chainStart, match.chainEnd));
      // An undeclared chain is reported by the usual way.
      if (chain === undefined) return undefined;
      return { kind: "rule", line: lineNo, command: "append", chain, ruleNumber: null, text: "", counters: null, target: match.target, tail: match.tail };
    },
    learn(line: RuleLine, mapped: unknown): void {
      verbatim.learn(line.plan, line.tokens, line.text, line.lineEnd, line.family, (mapped as PrintedRule).tail);
    },
  };
}

/** A chunk parsed with `printRule` as its RuleMapper. */
export function printedChunk(dump: DumpNode, diagnostics: Diagnostic[], continued: boolean): PrintedChunk {
  return {
    continued,
    diagnostics,
    tables: dump.tables.map((t) => ({
      name: t.name,
      statements: t.statements as unknown as PrintedTable["statements"],
      leadingComments: t.leadingComments,
      trailingComments: t.trailingComments,
    })),
  };
}

// -- packing for the trip between threads -----------------------------------

const COMMANDS: readonly LoadableRule["command"][] = ["append", "insert", "delete", "replace"];

/** One table of a chunk: rules as parallel arrays, the few other statements as objects. */
export interface PackedTable {
  readonly name: string;
  readonly leadingComments: readonly CommentNode[];
  readonly trailingComments: CommentNode[];
  /** Chain declarations and commands, with their place among the statements. */
  readonly others: { readonly at: number; readonly node: ChainDeclNode | ChainCommandNode }[];
  readonly statementCount: number;
  /** Every rule's printed tail, one after the other. */
  readonly tails: string;
  /** Where each rule's tail ends in `tails`. */
  readonly tailEnds: Int32Array;
  readonly lines: Int32Array;
  /** Index into COMMANDS. */
  readonly commands: Uint8Array;
  /** -1 for none. */
  readonly ruleNumbers: Int32Array;
  /** Index into `names`. */
  readonly chains: Int32Array;
  /** Index into `names`, -1 for a rule without a target. */
  readonly targets: Int32Array;
  readonly targetIsExtension: Uint8Array;
  readonly names: string[];
  /** Per rule, null when no rule has counters. */
  readonly counters: (Counters | null)[] | null;
}

export interface PackedChunk {
  readonly continued: boolean;
  readonly tables: PackedTable[];
  readonly diagnostics: Diagnostic[];
}

export function packChunk(chunk: PrintedChunk): PackedChunk {
  return { continued: chunk.continued, diagnostics: chunk.diagnostics, tables: chunk.tables.map(packTable) };
}

function packTable(table: PrintedTable): PackedTable {
  const statements = table.statements;
  let ruleCount = 0;
  for (const s of statements) if (s.kind === "rule") ruleCount++;
  const lines = new Int32Array(ruleCount);
  const commands = new Uint8Array(ruleCount);
  const ruleNumbers = new Int32Array(ruleCount);
  const chains = new Int32Array(ruleCount);
  const targets = new Int32Array(ruleCount);
  const targetIsExtension = new Uint8Array(ruleCount);
  const tailEnds = new Int32Array(ruleCount);
  let tailLength = 0;
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const indexOf = (name: string): number => {
    let i = nameIndex.get(name);
    if (i === undefined) {
      i = names.length;
      names.push(name);
      nameIndex.set(name, i);
    }
    return i;
  };
  const others: { at: number; node: ChainDeclNode | ChainCommandNode }[] = [];
  const tails: string[] = [];
  let counters: (Counters | null)[] | null = null;
  let r = 0;
  for (let at = 0; at < statements.length; at++) {
    const s = statements[at]!;
    if (s.kind !== "rule") {
      others.push({ at, node: s });
      continue;
    }
    lines[r] = s.line;
    commands[r] = COMMANDS.indexOf(s.command);
    ruleNumbers[r] = s.ruleNumber ?? -1;
    chains[r] = indexOf(s.chain);
    targets[r] = s.target ? indexOf(s.target.name) : -1;
    targetIsExtension[r] = s.target?.extension ? 1 : 0;
    if (s.counters !== null) (counters ??= new Array<Counters | null>(ruleCount).fill(null))[r] = s.counters;
    tails.push(s.tail);
    tailLength += s.tail.length;
    tailEnds[r] = tailLength;
    r++;
  }
  return {
    name: table.name,
    leadingComments: table.leadingComments,
    trailingComments: table.trailingComments,
    others,
    statementCount: statements.length,
    tails: tails.join(""),
    tailEnds,
    lines,
    commands,
    ruleNumbers,
    chains,
    targets,
    targetIsExtension,
    names,
    counters,
  };
}

export function unpackChunk(chunk: PackedChunk): PrintedChunk {
  return { continued: chunk.continued, diagnostics: chunk.diagnostics, tables: chunk.tables.map(unpackTable) };
}

function unpackTable(table: PackedTable): PrintedTable {
  const statements = new Array<PrintedRule | ChainDeclNode | ChainCommandNode>(table.statementCount);
  for (const o of table.others) statements[o.at] = o.node;
  // The names crossed the boundary as copies: one shared instance each again.
  const targetCache = new Map<string, { name: string; extension: boolean }>();
  let r = 0;
  let from = 0;
  const tails = table.tails;
  for (let at = 0; at < statements.length; at++) {
    if (statements[at] !== undefined) continue;
    const end = table.tailEnds[r]!;
    const t = table.targets[r]!;
    let target: PrintedRule["target"] = null;
    if (t >= 0) {
      const name = table.names[t]!;
      const extension = table.targetIsExtension[r] === 1;
      const key = extension ? `+${name}` : `-${name}`;
      target = targetCache.get(key) ?? null;
      if (target === null) {
        target = { name, extension };
        targetCache.set(key, target);
      }
    }
    const ruleNumber = table.ruleNumbers[r]!;
    statements[at] = {
      kind: "rule",
      line: table.lines[r]!,
      command: COMMANDS[table.commands[r]!]!,
      chain: table.names[table.chains[r]!]!,
      ruleNumber: ruleNumber < 0 ? null : ruleNumber,
      text: "",
      counters: table.counters ? table.counters[r]! : null,
      target,
      tail: tails.slice(from, end),
    };
    from = end;
    r++;
  }
  return { name: table.name, statements, leadingComments: table.leadingComments, trailingComments: table.trailingComments };
}
