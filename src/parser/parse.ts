/**
 * text -> tokens -> AST. The parser never throws on bad input and never
 * stops at the first error: each line stands alone, a broken line gives a
 * diagnostic and the next line is parsed as usual.
 */
import type {
  AddressMatch,
  AddressValue,
  ChainCommandNode,
  ChainDeclNode,
  CommentNode,
  Counters,
  DumpNode,
  FlagMatch,
  InterfaceMatch,
  InterfaceValue,
  MatchNode,
  OptionNode,
  ProtocolMatch,
  RuleNode,
  TableNode,
  TargetNode,
  Value,
} from "../ast/types.js";
import { quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { ParseCodes, type ParseCode } from "../diagnostics/parse-codes.js";
import ipaddr from "ipaddr.js";
import { LineTokens, scanLine } from "../lexer/scanner.js";
import { Quoted, Word } from "../lexer/tokens.js";
import type { BaseField, LinePlan, PlanStep } from "./plan.js";
import { protocolName, protocolNumber } from "./protocols.js";
import { chainNameProblem, ctProblems, familyProblem, legacyOnlyProblems, matchProblems, natPortProblems, optionProblems, protocolProblems, rateestProblems, rejectProblems } from "./rule-checks.js";
import { LineTemplates } from "./line-templates.js";
import { RuleSkeletons, valueProblem } from "./rule-skeletons.js";
import { ShapeCache } from "./shape-cache.js";
import { isTypeError, typeValue } from "./values.js";
import { utf8Length, utf8Prefix } from "../text/utf8.js";

/**
 * The rule's own options as iptables spells them. iptables-restore refuses a
 * rule that gives one twice ("multiple -s flags not allowed"), so kipt must
 * not keep one of the two silently.
 */
const BASE_FLAGS: Readonly<Record<BaseField, readonly [flag: string, bit: number]>> = {
  source: ["-s", 1],
  destination: ["-d", 2],
  inInterface: ["-i", 4],
  outInterface: ["-o", 8],
  protocol: ["-p", 16],
  fragment: ["-f", 32],
};

/**
 * Diagnostics one parse keeps. Past it, problems are counted and one
 * KIPT1022 says how many more there were; the parse itself goes on, so
 * every valid line is still in the AST.
 */
export const MAX_DIAGNOSTICS = 10_000;


const SEVERITY_RANK: Readonly<Record<Diagnostic["severity"], number>> = { info: 0, warning: 1, error: 2 };

export interface ParseOptions {
  /** Name used in diagnostics; `-` for standard input. */
  readonly file?: string;
  /**
   * Recognise `-A` lines of a shape just seen without scanning them
   * (line-templates.ts). On by default; the result is the same either way,
   * which the tests hold by parsing both ways.
   */
  readonly lineTemplates?: boolean;
  /**
   * Build a rule of a shape already parsed from its skeleton, typing and
   * checking only the values that vary (rule-skeletons.ts). On by default;
   * the result is the same either way, which the tests hold by parsing both ways.
   */
  readonly ruleSkeletons?: boolean;
}

export interface ParseResult {
  readonly dump: DumpNode;
  /** In source order. */
  readonly diagnostics: Diagnostic[];
}

/** Chains each table has built in, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

/**
 * The built-in chains of a table, empty for an unknown table. An own-property
 * check, because a hostile dump may name a table "constructor" or "__proto__".
 */
export function builtinChains(table: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(BUILTIN_CHAINS, table) ? BUILTIN_CHAINS[table]! : [];
}

// One scanner buffer and one shape cache serve every parse: the cache only
// holds plans (no text), so sharing it across inputs is safe and lets a
// long-running process (lint over many node dumps) parse each shape once.
const sharedCache = new ShapeCache();

/** Parse a dump. Never throws for any input string. */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  return new DumpBuilder(text, options.file ?? "<input>", sharedCache, null, null, null, options.lineTemplates ?? true, options.ruleSkeletons ?? true).run();
}

/**
 * What the parser knows at the start of a line in the middle of a dump: the
 * open table and its chains. Lets worker threads parse chunks of one file
 * (see src/parallel) and agree with a parse of the whole file.
 */
export interface ChunkContext {
  readonly table: string | null;
  readonly declared: readonly string[];
  readonly explicitlyDeclared: readonly string[];
  readonly family: "ipv4" | "ipv6" | null;
}

export interface ChunkRange {
  /** Offset of the chunk's first line in the whole text. */
  readonly from: number;
  /** Offset just past the chunk's last line terminator (or the text's end). */
  readonly to: number;
  /** 1-based number of the chunk's first line. */
  readonly firstLine: number;
  readonly context: ChunkContext;
  /** The last chunk reports what only the end of the input can tell (missing COMMIT, empty input). */
  readonly last: boolean;
}

export interface ChunkResult extends ParseResult {
  /** The chunk's first table continues the table open at the chunk's start. */
  readonly continued: boolean;
}

/**
 * Turns each rule into something smaller as soon as it is parsed, so the AST
 * of a large dump never exists whole (kipt fmt keeps only the printed rule).
 * Receives the address family known so far; a rule parsed while the family is
 * still unknown is passed again at the end, with the dump's final family.
 */
export type RuleMapper = (rule: RuleNode, family: "ipv4" | "ipv6" | null) => unknown;

/** What the parser knows of a rule line before building its AST; valid during the call it is passed to only. */
export interface RuleLine {
  readonly plan: LinePlan;
  readonly step: Extract<PlanStep, { op: "command" }>;
  readonly tokens: LineTokens;
  readonly text: string;
  readonly lineEnd: number;
  readonly family: "ipv4" | "ipv6";
  readonly lineNo: number;
  readonly command: RuleNode["command"];
  readonly chain: string;
  readonly ruleNumber: number | null;
  readonly counters: Counters | null;
}

/**
 * A RuleMapper's short cut past the AST (kipt fmt's, in format/verbatim.ts):
 * `map` gives the mapped rule of a line without building its AST, or
 * undefined for the whole way; `learn` sees each line that took the whole
 * way, with what the RuleMapper made of it. Used only when the line drew no
 * error before its rule was built, and only once the family is known.
 */
export interface RuleShortCut {
  map(line: RuleLine): unknown;
  learn(line: RuleLine, mapped: unknown): void;
  /**
   * An `-A CHAIN ...` line (at `first`, once the line's own checks passed),
   * mapped before it is even scanned; undefined to scan it. `chains` gives
   * the declared instance of a chain's name, undefined when it is not declared;
   * `table` the open table (a template learned in another may not hold there).
   */
  mapLine?(text: string, first: number, lineEnd: number, lineNo: number, family: "ipv4" | "ipv6", chains: DeclaredChains, table: string): unknown;
}

/** The chains of the open table. */
export interface DeclaredChains {
  /** The shared instance of a declared chain's name, undefined when the chain is not declared. */
  knownChain(written: string): string | undefined;
}

/** Parse lines [range.from, range.to) of `text` as they would parse within the whole text. */
export function parseChunk(text: string, file: string, range: ChunkRange | null, mapRule: RuleMapper | null = null, shortCut: RuleShortCut | null = null, lineTemplates = true, ruleSkeletons = true): ChunkResult {
  const builder = new DumpBuilder(text, file, sharedCache, range, mapRule, mapRule ? shortCut : null, lineTemplates, ruleSkeletons);
  const result = builder.run();
  return { ...result, continued: builder.continued };
}

/**
 * The parser state at each of `offsets` (ascending line starts). Runs the
 * parser itself over everything but rule lines, which never change that
 * state, so the answer is exactly what a whole-file parse has at that line.
 */
export function contextsAt(text: string, offsets: readonly number[]): ChunkContext[] {
  const builder = new DumpBuilder(text, "<probe>", sharedCache, null);
  return builder.probe(offsets);
}

class DumpBuilder implements DeclaredChains {
  private readonly tokens = new LineTokens();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly tables: TableNode[] = [];
  private readonly comments: CommentNode[] = [];
  private pendingComments: CommentNode[] = [];
  private table: TableNode | null = null;
  /**
   * Chains that exist in the open table (built-ins, declared, created with -N),
   * mapped to one shared instance of the name. Rules and jumps reuse that
   * instance: each rule's own slice of the input would cost memory, and would
   * have its hash computed again by every later Map lookup.
   */
  private declared = new Map<string, string>();
  /** Chains declared with a `:CHAIN` line in the open table. */
  private explicitlyDeclared = new Set<string>();
  private lastCommitted: TableNode | null = null;
  private family: "ipv4" | "ipv6" | null = null;
  private lineNo = 0;
  private lineStart = 0;
  /** Offset of the next NUL character at or after the current line, -1 when none. */
  private nextNul = -1;

  /** The first table continues one opened before the chunk (chunked parses only). */
  continued = false;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly cache: ShapeCache,
    private readonly range: ChunkRange | null,
    private readonly mapRule: RuleMapper | null = null,
    private readonly shortCut: RuleShortCut | null = null,
    lineTemplates = true,
    ruleSkeletons = true,
  ) {
    this.templates = lineTemplates ? new LineTemplates() : null;
    // A RuleMapper (kipt fmt) drops each rule's AST at once and has its own short cut.
    this.skeletons = ruleSkeletons && mapRule === null ? new RuleSkeletons() : null;
  }

  /** Rules of a shape already parsed, built from what varies (rule-skeletons.ts). */
  private readonly skeletons: RuleSkeletons | null;

  /** `-A` lines of a shape just seen, recognised without the scanner (line-templates.ts). */
  private readonly templates: LineTemplates | null;

  /** The short cut's view of the current rule line, reused from line to line. */
  private ruleLine: { -readonly [K in keyof RuleLine]: RuleLine[K] } | null = null;

  /** Rules kept as AST because the family was unknown when they were parsed (see RuleMapper). */
  private unmapped: { table: TableNode; index: number }[] = [];

  /** A CR LF line end has been reported (once per file). */
  private sawCarriageReturn = false;

  /** Set while `probe` runs: rule lines are skipped. */
  private probing = false;

  probe(offsets: readonly number[]): ChunkContext[] {
    const contexts: ChunkContext[] = [];
    this.probing = true;
    const text = this.text;
    let pos = 0;
    let next = 0;
    while (next < offsets.length) {
      while (next < offsets.length && offsets[next]! <= pos) {
        contexts.push({
          table: this.table?.name ?? null,
          declared: [...this.declared.keys()],
          explicitlyDeclared: [...this.explicitlyDeclared],
          family: this.family,
        });
        next++;
      }
      if (pos >= text.length) break;
      let newline = text.indexOf("\n", pos);
      if (newline < 0) newline = text.length;
      let end = newline;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      this.lineNo++;
      this.lineStart = pos;
      if (!isRuleLine(text, pos)) this.line(pos, end);
      pos = newline + 1;
    }
    return contexts;
  }

  run(): ParseResult {
    const text = this.text;
    let pos = 0;
    let length = text.length;
    if (this.range) {
      pos = this.range.from;
      length = this.range.to;
      this.lineNo = this.range.firstLine - 1;
      this.resume(this.range.context);
    } else if (length > 0 && text.charCodeAt(0) === 0xfeff) pos = 1; // byte-order mark
    this.nextNul = text.indexOf("\u0000", pos);
    while (pos < length) {
      let newline = text.indexOf("\n", pos);
      if (newline < 0) newline = length;
      let end = newline;
      this.lineNo++;
      this.lineStart = pos;
      if (end > pos && text.charCodeAt(end - 1) === 13) {
        end--;
        if (!this.sawCarriageReturn) {
          this.sawCarriageReturn = true;
          this.report(ParseCodes.crlfLineEnds, end, 1, "line ends in CR LF; kipt reads it, but iptables-restore rejects such lines (convert with dos2unix); reported once per file");
        }
      }
      this.line(pos, end);
      pos = newline + 1;
    }
    this.finish();
    if (this.suppressed > 0) {
      const at = this.firstSuppressed!;
      this.diagnostics.push({
        id: ParseCodes.tooManyProblems.id,
        name: ParseCodes.tooManyProblems.name,
        severity: this.suppressedSeverity,
        message: `${this.suppressed} more problem${this.suppressed === 1 ? "" : "s"} from here on ${this.suppressed === 1 ? "is" : "are"} not reported: kipt keeps the first ${MAX_DIAGNOSTICS} (is this an iptables-save dump?)`,
        file: this.file,
        ...at,
        length: 0,
      });
    }
    return {
      dump: {
        kind: "dump",
        file: this.file,
        family: this.family,
        tables: this.tables,
        comments: this.comments,
        lineCount: this.lineNo,
      },
      diagnostics: this.diagnostics,
    };
  }

  /** Start in the middle of a dump, in the state the lines before left the parser. */
  private resume(context: ChunkContext): void {
    this.family = context.family;
    if (context.table === null) return;
    const table: TableNode = {
      kind: "table",
      name: context.table,
      statements: [],
      leadingComments: [],
      trailingComments: [],
      commit: null,
      line: this.lineNo + 1,
      column: 1,
      offset: this.range!.from,
      length: 0,
    };
    this.tables.push(table);
    this.table = table;
    this.continued = true;
    this.declared = new Map(context.declared.map((c) => [c, c]));
    this.explicitlyDeclared = new Set(context.explicitlyDeclared);
    this.lastChainWritten = null;
  }

  // -------------------------------------------------------------------------

  private filled = new Int32Array(16);
  // null: nothing remembered (every name, "" included, is then looked up).
  private lastChainWritten: string | null = null;
  private lastChain = "";

  /**
   * The shared instance of a declared chain's name, undefined when the chain is not declared.
   * Rules come grouped by chain, so comparing with the previous line's chain
   * usually answers without hashing the name again.
   */
  knownChain(written: string): string | undefined {
    if (written === this.lastChainWritten) return this.lastChain;
    const known = this.declared.get(written);
    if (known === undefined) return undefined;
    this.lastChainWritten = written;
    this.lastChain = known;
    return known;
  }

  /** Errors reported so far. */
  private errorCount = 0;
  /** Problems past MAX_DIAGNOSTICS: counted, not kept. */
  private suppressed = 0;
  private suppressedSeverity: Diagnostic["severity"] = "info";
  private firstSuppressed: { line: number; column: number; offset: number } | null = null;

  private report(code: ParseCode, offset: number, length: number, message: string, severity = code.severity): void {
    if (severity === "error") this.errorCount++;
    const lineOffset = offset < this.lineStart ? this.lineStart : offset;
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      // A binary file or a dump broken on every line would otherwise cost
      // memory and output in proportion to its size, for no reader.
      this.suppressed++;
      if (SEVERITY_RANK[severity] > SEVERITY_RANK[this.suppressedSeverity]) this.suppressedSeverity = severity;
      this.firstSuppressed ??= { line: this.lineNo, column: lineOffset - this.lineStart + 1, offset: lineOffset };
      return;
    }
    this.diagnostics.push({
      id: code.id,
      name: code.name,
      severity,
      message,
      file: this.file,
      line: this.lineNo,
      column: lineOffset - this.lineStart + 1,
      offset: lineOffset,
      length,
    });
  }

  private span(offset: number, length: number) {
    return { line: this.lineNo, column: offset - this.lineStart + 1, offset, length };
  }

  private line(start: number, end: number): void {
    const text = this.text;
    let first = start;
    while (first < end && isBlank(text.charCodeAt(first))) first++;
    if (first === end) return;
    if (text.charCodeAt(first) === 35 /* # */) {
      this.comment(first, end);
      return;
    }
    if (first > start) {
      // iptables-restore tolerates indented rules but not indented '*table', ':CHAIN' or COMMIT lines.
      const head = text.charCodeAt(first);
      const structural = head === 42 /* * */ || head === 58 /* : */ || text.startsWith("COMMIT", first);
      this.report(
        ParseCodes.leadingWhitespace,
        start,
        first - start,
        structural ? "indented table, chain or COMMIT line; iptables-restore rejects it (remove the indentation)" : "line is indented; iptables-save never indents (iptables-restore accepts it)",
        structural ? "error" : "warning",
      );
    }
    if (this.nextNul >= 0 && this.nextNul < end) {
      const at = this.nextNul;
      while (this.nextNul >= 0 && this.nextNul < end) this.nextNul = text.indexOf("\u0000", this.nextNul + 1);
      this.report(ParseCodes.invalidEncoding, at, 1, "NUL byte in the line; the line is ignored");
      return;
    }
    if (text.charCodeAt(first) === 58 /* : */ && this.plainChainDeclaration(first, end)) return;
    // `-A `: most lines of a dump, which the templates below may take without scanning.
    const append = text.charCodeAt(first) === 45 && text.charCodeAt(first + 1) === 65 && text.charCodeAt(first + 2) === 32;
    if (append && this.shortCut?.mapLine && this.family !== null && this.table !== null) {
      // `-A CHAIN ...` of a kind the short cut has learned: no scanning at all (see format/verbatim.ts).
      const mapped = this.shortCut.mapLine(text, first, end, this.lineNo, this.family, this, this.table.name);
      if (mapped !== undefined) {
        (this.table.statements as unknown[]).push(mapped);
        return;
      }
    }
    const tokens = this.tokens;
    const templates = append ? this.templates : null;
    let plan = templates !== null ? templates.match(text, first, end, tokens) : null;
    if (plan === null) {
      scanLine(text, tokens, first, end);
      if (tokens.unterminatedQuoteAt >= 0) {
        this.report(ParseCodes.unterminatedQuote, tokens.unterminatedQuoteAt, end - tokens.unterminatedQuoteAt, "double quote is never closed: expected a closing '\"' before the end of the line; the line is ignored");
        return;
      }
      if (tokens.type[0] === Word) {
        this.report(ParseCodes.strayText, first, end - first, `not an iptables-save line: ${quote(text.slice(first, end))} (expected '*table', ':CHAIN', a rule such as '-A CHAIN ...', 'COMMIT' or a '#' comment)`);
        return;
      }
      plan = this.cache.planFor(tokens);
      if (templates !== null) templates.learn(plan, tokens);
    }
    this.replay(plan, first, end);
  }

  /**
   * `:NAME - [0:0]`, a quarter of a kube-proxy dump's lines, declared without
   * the scanner and the grammar. Only the plain form of a user chain declared
   * once; anything else (a built-in, a policy, counters, odd spacing or
   * characters, a second declaration) returns false and takes the grammar,
   * which reports what is wrong with it.
   */
  private plainChainDeclaration(first: number, end: number): boolean {
    const table = this.table;
    if (table === null) return false;
    const text = this.text;
    const space = text.indexOf(" ", first);
    if (space < first + 2 || space + PLAIN_CHAIN_TAIL.length !== end || !text.startsWith(PLAIN_CHAIN_TAIL, space)) return false;
    for (let i = first + 1; i < space; i++) {
      const c = text.charCodeAt(i);
      // Quotes and whitespace other than a space change how the line splits into words.
      if (c === 34 || c === 9 || c === 11 || c === 12 || c === 13) return false;
    }
    const name = text.slice(first + 1, space);
    if (this.explicitlyDeclared.has(name) || builtinChains(table.name).includes(name) || chainNameProblem(name, "declare") !== null) return false;
    this.addDeclaration(table, name, null, ZERO_COUNTERS, first, end);
    return true;
  }

  /** Record `:NAME` (the node when the line is not refused; the name either way, see declareChain). */
  private addDeclaration(table: TableNode, name: string, policy: string | null, counters: Counters | null, first: number, end: number, refused = false): void {
    this.declared.set(name, name);
    this.explicitlyDeclared.add(name);
    if (refused) return;
    const node: ChainDeclNode = { kind: "chainDecl", name, policy, counters, line: this.lineNo, column: first - this.lineStart + 1, offset: first, length: end - first };
    table.statements.push(node);
  }

  private comment(start: number, end: number): void {
    const node: CommentNode = { kind: "comment", text: this.text.slice(start, end), line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start };
    if (this.family === null && /^#\s*Generated by ip6tables-save/.test(node.text)) this.family = "ipv6";
    else if (this.family === null && /^#\s*Generated by iptables-save/.test(node.text)) this.family = "ipv4";
    if (this.table === null && this.lastCommitted && this.pendingComments.length === 0 && /^#\s*Completed/.test(node.text)) {
      this.lastCommitted.trailingComments.push(node);
      return;
    }
    if (this.table !== null) {
      this.comments.push(node);
      return;
    }
    this.pendingComments.push(node);
  }

  private tokText = (i: number): string => this.tokens.text[i] ?? "";

  private replay(plan: LinePlan, lineFirst: number, lineEnd: number): void {
    const tokens = this.tokens;
    let fatal = false;
    for (const problem of plan.problems) {
      const tok = problem.tok;
      const offset = tok >= 0 && tok < tokens.count ? tokens.start[tok]! : lineEnd;
      const length = tok >= 0 && tok < tokens.count ? tokens.end[tok]! - tokens.start[tok]! : 0;
      this.report(problem.code, offset, length, problem.message(this.tokText));
      if (problem.code.severity === "error") fatal = true;
    }
    if (plan.kind === "invalid") return;
    const step0 = plan.steps[0];
    if (!step0) return;
    switch (step0.op) {
      case "table":
        this.openTable(step0.tok, lineFirst, lineEnd);
        return;
      case "chainDecl":
        this.declareChain(step0, lineFirst, lineEnd);
        return;
      case "commit":
        this.commit(lineFirst, lineEnd);
        return;
      case "command":
        this.command(plan, step0, lineFirst, lineEnd, fatal);
        return;
      default:
        return;
    }
  }

  private openTable(tok: number, first: number, end: number): void {
    const name = this.tokens.text[tok]!.slice(1);
    if (this.table) {
      this.report(ParseCodes.missingCommit, first, end - first, `table '${this.table.name}' (line ${this.table.line}) is not committed before ${quote("*" + name)}; iptables-restore fails on this line (add 'COMMIT')`);
      this.closeTable();
    }
    if (!Object.prototype.hasOwnProperty.call(BUILTIN_CHAINS, name)) {
      this.report(ParseCodes.unknownTable, first + 1, name.length, `unknown table ${quote(name)}; the kernel has filter, nat, mangle, raw and security`);
    }
    const table: TableNode = {
      kind: "table",
      name,
      statements: [],
      leadingComments: this.pendingComments,
      trailingComments: [],
      commit: null,
      line: this.lineNo, column: first - this.lineStart + 1, offset: first, length: end - first,
    };
    this.pendingComments = [];
    this.lastCommitted = null;
    this.tables.push(table);
    this.table = table;
    this.declared = new Map(builtinChains(name).map((c) => [c, c]));
    this.explicitlyDeclared = new Set();
    this.lastChainWritten = null;
  }

  private closeTable(): void {
    this.table = null;
  }

  private requireTable(first: number, end: number, what: string): TableNode | null {
    if (this.table) return this.table;
    this.report(ParseCodes.outsideTable, first, end - first, `${what} before any '*table' line (expected '*filter', '*nat', ... to open a table first)`);
    return null;
  }

  private counters(tok: number): Counters | null {
    if (tok < 0) return null;
    const text = this.tokens.text[tok]!;
    // Most dumps carry [0:0] everywhere; share one object instead of two BigInts per line.
    if (text === "[0:0]") return ZERO_COUNTERS;
    const colon = text.indexOf(":");
    return { packets: BigInt(text.slice(1, colon)), bytes: BigInt(text.slice(colon + 1, -1)) };
  }

  private declareChain(step: Extract<PlanStep, { op: "chainDecl" }>, first: number, end: number): void {
    const table = this.requireTable(first, end, "chain declaration");
    if (!table) return;
    const tokens = this.tokens;
    const name = tokens.text[step.tok]!.slice(1);
    const builtin = builtinChains(table.name).includes(name);
    let policy: string | null = step.policyTok >= 0 ? tokens.text[step.policyTok]! : null;
    if (policy === "-") policy = null;
    if (builtin && policy !== "ACCEPT" && policy !== "DROP") {
      const at = step.policyTok >= 0 ? step.policyTok : step.tok;
      this.report(ParseCodes.invalidPolicy, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, `built-in chain '${name}' needs policy ACCEPT or DROP, found ${policy === null ? "'-'" : quote(policy)}`);
    } else if (!builtin && policy !== null) {
      this.report(ParseCodes.invalidPolicy, tokens.start[step.policyTok]!, tokens.end[step.policyTok]! - tokens.start[step.policyTok]!, `user chain ${quote(name)} cannot have a policy; write '-'`);
      policy = null;
    }
    if (this.explicitlyDeclared.has(name)) {
      this.report(ParseCodes.duplicateChain, tokens.start[step.tok]!, name.length + 1, `chain ${quote(name)} is declared twice in table '${table.name}'`);
    }
    const nameProblem = builtin ? null : chainNameProblem(name, "declare");
    if (nameProblem !== null) {
      this.report(nameProblem.legacyOnly ? ParseCodes.legacyOnly : ParseCodes.invalidValue, tokens.start[step.tok]! + 1, tokens.end[step.tok]! - tokens.start[step.tok]! - 1, nameProblem.message);
    }
    // A refused name leaves the line out, but stays known, so the chain's rules draw no second error each.
    this.addDeclaration(table, name, policy, this.counters(step.countersTok), first, end, nameProblem !== null && !nameProblem.legacyOnly);
  }

  private commit(first: number, end: number): void {
    const table = this.requireTable(first, end, "COMMIT");
    if (!table) return;
    if (end - first !== 6) {
      // iptables-restore compares the whole line with "COMMIT": anything after it, even a blank, fails.
      this.report(ParseCodes.syntaxError, first + 6, end - first - 6, "expected the end of the line after 'COMMIT' (iptables-restore rejects anything after it, even blanks)");
    }
    (table as { commit: TableNode["commit"] }).commit = this.span(first, end - first);
    this.lastCommitted = table;
    this.closeTable();
  }

  private command(plan: LinePlan, step: Extract<PlanStep, { op: "command" }>, first: number, end: number, fatal: boolean): void {
    const table = this.requireTable(first, end, "rule");
    if (!table) return;
    const errorsBefore = this.errorCount;
    const tokens = this.tokens;
    for (let i = 0; i < tokens.count; i++) {
      // iptables-restore copies each word into a 1024-byte buffer with its NUL and refuses a longer one.
      const word = tokens.text[i]!;
      if (word.length > 1023 / 3 && utf8Length(word) > 1023) {
        this.report(ParseCodes.invalidValue, tokens.start[i]!, tokens.end[i]! - tokens.start[i]!, `a word of ${utf8Length(word)} bytes; iptables-restore refuses words longer than 1023 bytes ("Parameter too long!")`);
        return;
      }
    }
    // iptables-restore hands each line to the iptables parser as an argument
    // vector after its own name and `-t TABLE`, and refuses one past 254
    // arguments ("Parser cannot handle more arguments"); with -c, a line's
    // `[packets:bytes]` becomes three more (`-c packets bytes`). Both checked with the tool.
    const words = tokens.count - (step.countersTok >= 0 ? 1 : 0);
    if (words > MAX_LINE_WORDS) {
      this.report(ParseCodes.invalidValue, first, end - first, `a line of ${words} words; iptables-restore refuses more than ${MAX_LINE_WORDS} ("Parser cannot handle more arguments"): split the rule`);
      return;
    }
    if (step.countersTok >= 0 && words > MAX_LINE_WORDS - 3) {
      const at = step.countersTok;
      this.report(ParseCodes.invalidValue, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, `a line of ${words} words after its counters; iptables-restore -c (which loads iptables-save -c output) counts the counters as 3 more and refuses more than ${MAX_LINE_WORDS - 3} ("Parser cannot handle more arguments")`, "warning");
    }
    // The command's words (chain, rule number) read in place: an array of them per line was garbage.
    const argToks = step.argToks;
    const argCount = argToks.length;
    const command = step.command;
    const flagText = tokens.text[step.tok]!;
    const written = argCount > 0 ? tokens.text[argToks[0]!]! : null;
    const declaredChain = written === null ? undefined : this.knownChain(written);
    const chain = declaredChain ?? written;
    const needsChain = command !== "delete-chain" && command !== "flush" && command !== "zero";
    if (needsChain && chain === null) {
      this.report(ParseCodes.syntaxError, tokens.end[step.tok]!, 0, `expected a chain name after ${quote(flagText)}`);
      return;
    }
    if (chain !== null && declaredChain === undefined && command !== "new-chain") {
      const at = step.argToks[0]!;
      this.report(ParseCodes.undeclaredChain, tokens.start[at]!, chain.length, `chain ${quote(chain)} is not declared in table '${table.name}'; add ':${chain} - [0:0]' after '*${table.name}'`);
    }
    if (command === "append" || command === "insert" || command === "delete" || command === "replace") {
      // Before any way of building the rule (the short cut, a skeleton, the whole way): none of them knows the table.
      if (table.name === "nat") {
        const drop = dropTargetToken(plan, tokens);
        if (drop >= 0) {
          this.report(ParseCodes.dropInNat, tokens.start[drop]!, tokens.end[drop]! - tokens.start[drop]!, NAT_DROP_MESSAGE);
          return;
        }
      }
      let ruleNumber: number | null = null;
      const maxArgs = command === "append" ? 1 : 2;
      if (argCount > maxArgs || (command === "replace" && argCount < 2)) {
        const at = step.argToks[Math.min(argCount, maxArgs)] ?? step.tok;
        this.report(ParseCodes.syntaxError, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, command === "replace" && argCount < 2 ? "'-R' needs a chain and a rule number" : `unexpected ${quote(tokens.text[at]!)}; expected an option`);
        return;
      }
      if (argCount === 2) {
        const numberText = tokens.text[argToks[1]!]!;
        ruleNumber = /^\d+$/.test(numberText) ? Number(numberText) : NaN;
        if (!(ruleNumber >= 1)) {
          const at = step.argToks[1]!;
          this.report(ParseCodes.invalidValue, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, `rule number ${quote(numberText)} is not a positive integer`);
          return;
        }
        if (ruleNumber > 2147483647) {
          // xtables_strtoui(..., 1, INT_MAX): checked with the oracle ("Invalid rule number").
          const at = step.argToks[1]!;
          this.report(ParseCodes.invalidValue, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, `rule number ${quote(numberText)} is too large: iptables takes 1 to 2147483647 ("Invalid rule number")`);
          return;
        }
      }
      if (command === "delete" && ruleNumber !== null && plan.steps.length > 1) {
        // `-D CHAIN N` deletes by number and takes nothing more (checked with the tool).
        const at = plan.steps[1]!.tok;
        this.report(ParseCodes.syntaxError, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, `'-D ${chain} ${ruleNumber}' deletes by rule number and takes no rule spec; iptables-restore refuses ${quote(tokens.text[at]!)} here ("Illegal option \`${tokens.text[at]}' with this command")`);
        return;
      }
      if (command === "replace") {
        // Checked with the tool: legacy replaces the rule; iptables-nft 1.8.9 crashes.
        this.report(ParseCodes.legacyOnly, tokens.start[step.tok]!, flagText.length, "'-R' crashes the nf_tables backend of iptables-restore (1.8.9: a segmentation fault) when the rule it replaces was added by the same input, as every rule is without --noflush; legacy iptables replaces it (write the rule in place of the one it replaces)");
      }
      let ruleLine: RuleLine | null = null;
      if (this.shortCut !== null && this.family !== null && !fatal && this.errorCount === errorsBefore) {
        // One object for every line: the short cut reads it during the call only.
        const l = (this.ruleLine ??= { plan, step, tokens, text: this.text, lineEnd: end, family: this.family, lineNo: 0, command, chain: chain!, ruleNumber, counters: null });
        l.plan = plan;
        l.step = step;
        l.lineEnd = end;
        l.family = this.family;
        l.lineNo = this.lineNo;
        l.command = command;
        l.chain = chain!;
        l.ruleNumber = ruleNumber;
        l.counters = this.counters(step.countersTok);
        ruleLine = l;
      }
      if (ruleLine !== null) {
        const mapped = this.shortCut!.map(ruleLine);
        if (mapped !== undefined) {
          (table.statements as unknown[]).push(mapped);
          return;
        }
      }
      const skeletons = this.skeletons !== null && this.family !== null && !fatal && this.errorCount === errorsBefore ? this.skeletons : null;
      if (skeletons !== null) {
        const fits = skeletons.find(plan, tokens, this.text, this.family!);
        if (fits !== null) {
          table.statements.push(this.ruleFromSkeleton(fits.rule, fits.freeAt, fits.values, plan, step, table.name, chain!, command, ruleNumber, first, end));
          return;
        }
      }
      const reported = this.diagnostics.length + this.suppressed;
      const rule = this.buildRule(plan, step, table.name, chain!, command, ruleNumber, first, end);
      // One rule per address of `-s`/`-d` lists (addressList), as iptables adds them.
      const rules = this.expandAddressLists(rule);
      // A rule with an error is left out of the AST: iptables-restore would refuse
      // it, and keeping it without the part that failed (say, a bad --dport) would
      // make it match more than it says.
      if (rules !== null && !fatal && this.errorCount === errorsBefore) {
        // Only a line of one rule that drew no diagnostic at all teaches the short cut or becomes a skeleton.
        const teaches = rules.length === 1 && this.diagnostics.length + this.suppressed === reported;
        for (const r of rules) {
          if (this.mapRule && this.family !== null) {
            const mapped = this.mapRule(r, this.family);
            (table.statements as unknown[]).push(mapped);
            if (teaches && ruleLine !== null) this.shortCut!.learn(ruleLine, mapped);
          } else {
            if (this.mapRule) this.unmapped.push({ table, index: table.statements.length });
            table.statements.push(r);
            if (teaches && skeletons !== null) skeletons.learn(plan, step, tokens, this.text, r);
          }
        }
      }
      return;
    }
    if (command === "new-chain") {
      const at = step.argToks[0]!;
      if (this.declared.has(chain!)) {
        this.report(ParseCodes.duplicateChain, tokens.start[at]!, chain!.length, `chain ${quote(chain!)} already exists in table '${table.name}'`);
      }
      const nameProblem = chainNameProblem(chain!, "new");
      this.declared.set(chain!, chain!);
      if (nameProblem !== null) {
        // Refused and left out; the name stays known, as for a refused declaration.
        this.report(ParseCodes.invalidValue, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, nameProblem.message);
        return;
      }
    }
    // Chain commands (-N, -P, -E, ...) are few: their words as an array.
    const args = argToks.map((t) => tokens.text[t]!);
    if (command === "policy" && args[1] !== "ACCEPT" && args[1] !== "DROP") {
      const at = step.argToks[1] ?? step.tok;
      this.report(ParseCodes.invalidPolicy, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, `'-P' needs a chain and the policy ACCEPT or DROP`);
      return;
    }
    if (command === "policy" && args[1] === "DROP" && table.name === "nat") {
      // `-P` goes through the same check as `-j`; a `:CHAIN DROP` declaration does not, and loads (both checked with the tool).
      const at = step.argToks[1]!;
      this.report(ParseCodes.dropInNat, tokens.start[at]!, tokens.end[at]! - tokens.start[at]!, NAT_DROP_MESSAGE);
      return;
    }
    if (command === "rename-chain") {
      if (args.length !== 2) {
        this.report(ParseCodes.syntaxError, tokens.start[step.tok]!, flagText.length, "'-E' needs the old and the new chain name");
        return;
      }
      // A built-in chain is not renamed (the loader reports it, KIPT2011), so the new name is not declared.
      if (!builtinChains(table.name).includes(chain!)) {
        // Checked with the tool: legacy renames the chain; iptables-nft refuses it unless the chain existed before the restore.
        this.report(ParseCodes.legacyOnly, tokens.start[step.tok]!, flagText.length, `'-E' fails with the nf_tables backend of iptables-restore when the chain was made by the same input, as every user chain is without --noflush ("CHAIN_RENAME failed (No such file or directory)"); legacy iptables renames it (declare the chain as ${quote(args[1]!)} instead)`);
        this.declared.set(args[1]!, args[1]!);
      }
    }
    const node: ChainCommandNode = {
      kind: "chainCommand",
      command: command as ChainCommandNode["command"],
      table: table.name,
      chain,
      argument: args[1] ?? null,
      line: this.lineNo, column: first - this.lineStart + 1, offset: first, length: end - first,
    };
    table.statements.push(node);
  }

  // ruleFromSkeleton (below) makes the same rule for lines that fit a skeleton,
  // through the same node constructors: a field added to a node goes into its
  // constructor (test/parser/rule-skeletons.test.ts compares the two ways on every corpus).
  private buildRule(
    plan: LinePlan,
    step: Extract<PlanStep, { op: "command" }>,
    table: string,
    chain: string,
    command: RuleNode["command"],
    ruleNumber: number | null,
    first: number,
    end: number,
  ): RuleNode | null {
    const tokens = this.tokens;
    const errorsAtStart = this.errorCount;
    let counters = this.counters(step.countersTok);
    let source: AddressMatch | null = null;
    let destination: AddressMatch | null = null;
    let inInterface: InterfaceMatch | null = null;
    let outInterface: InterfaceMatch | null = null;
    let protocol: ProtocolMatch | null = null;
    let fragment: FlagMatch | null = null;
    const matches = matchesOf(plan);
    const filled = this.optionsPlaced(plan);
    let matchIndex = 0;
    let target: TargetNode | null = null;
    /** A second -j/-g was given (the grammar reported it). */
    let extraTarget = false;
    let protocolText: string | null = null;
    let baseSeen = 0;
    let baseReported = 0;
    const steps = plan.steps;

    for (let s = 1; s < steps.length; s++) {
      const st = steps[s]!;
      const tokStart = tokens.start[st.tok]!;
      switch (st.op) {
        case "base": {
          const [flag, bit] = BASE_FLAGS[st.field];
          if (baseSeen & bit) {
            // Once per option and line: a line with 100,000 `-s` is one mistake.
            if (baseReported & bit) break;
            baseReported |= bit;
            const end = tokens.end[st.field === "fragment" ? st.tok : st.valueTok]!;
            this.report(ParseCodes.duplicateOption, tokStart, end - tokStart, `option '${flag}' is given twice; a rule has one (iptables-restore: "multiple ${flag} flags not allowed")`);
            break;
          }
          baseSeen |= bit;
          if (st.field === "fragment") {
            if (this.family === "ipv6") {
              // Checked with the tool: IPv6 has no fragment flag in its header.
              this.report(ParseCodes.wrongFamily, tokStart, tokens.end[st.tok]! - tokStart, "'-f' matches IPv4 fragments, and this is an ip6tables (IPv6) dump; ip6tables-restore refuses it (\"`-f' is not supported in IPv6\"): use '-m frag'");
              break;
            }
            fragment = this.flagMatch(st.negated, tokStart, tokens.end[st.tok]!);
            break;
          }
          const vt = st.valueTok;
          const valueText = tokens.text[vt]!;
          const spanEnd = tokens.end[vt]!;
          if (st.field === "protocol") {
            const number = protocolNumber(valueText);
            if (number === null) {
              this.report(ParseCodes.invalidValue, tokens.start[vt]!, spanEnd - tokens.start[vt]!, `unknown protocol ${quote(valueText)}`);
              break;
            }
            if (number === 0 && st.negated) {
              // Both backends refuse it: "rule would never match protocol".
              this.report(ParseCodes.neverMatches, tokStart, spanEnd - tokStart, `'! -p ${valueText}' never matches (every packet has a protocol); iptables-restore refuses it ("rule would never match protocol")`);
              break;
            }
            protocolText = valueText.toLowerCase();
            protocol = this.protocolMatch(st.negated, number === 0 ? "all" : protocolName(number), number, valueText, tokStart, spanEnd);
            break;
          }
          const isInterface = st.field === "inInterface" || st.field === "outInterface";
          if (!isInterface && valueText.includes(",")) {
            // `-s a,b`: iptables adds one rule per address (per pair with a `-d` list); see addressList.
            // The addresses' columns start after a quote (`-s "10.0.0.1,bad"`).
            const list = this.addressList(st.negated, command, valueText, tokens.start[vt]! + (tokens.type[vt] === Quoted ? 1 : 0), tokStart, spanEnd);
            if (list === null) break;
            this.addressLists[st.field === "source" ? 0 : 1] = list;
            const node = this.addressMatch(st.negated, list[0]!, tokStart, spanEnd);
            if (st.field === "source") source = node;
            else destination = node;
            break;
          }
          let typed = typeValue(isInterface ? "interface" : "address", valueText, null);
          if (isTypeError(typed)) {
            this.report(ParseCodes.invalidValue, tokens.start[vt]!, spanEnd - tokens.start[vt]!, typed.error);
            break;
          }
          if (!isInterface) {
            const fit = this.asDumpAddress(typed as AddressValue);
            if (typeof fit === "string") {
              this.report(ParseCodes.invalidValue, tokens.start[vt]!, spanEnd - tokens.start[vt]!, hostProblem(valueText, fit, this.family));
              break;
            }
            typed = fit;
            this.noteFamily(fit.family);
            if (st.negated && (typed as AddressValue).prefixLength === 0) {
              // Checked with the oracle: nf_tables refuses it, legacy loads a rule that never matches.
              const flag = st.field === "source" ? "-s" : "-d";
              this.report(ParseCodes.neverMatches, tokStart, spanEnd - tokStart, `'! ${flag} ${valueText}' never matches (every address is in a /0); the nf_tables kernel refuses the rule ("RULE_APPEND failed (Invalid argument)"), legacy iptables loads a rule that does nothing`, "warning");
            }
          }
          const node = this.addressMatch(st.negated, typed as AddressValue, tokStart, spanEnd);
          if (st.field === "source") source = node;
          else if (st.field === "destination") destination = node;
          else if (st.field === "inInterface") inInterface = node as unknown as InterfaceMatch;
          else outInterface = node as unknown as InterfaceMatch;
          break;
        }
        case "setCounters": {
          const [p, b] = st.valueToks.map((t) => tokens.text[t]!);
          if (!/^\d+$/.test(p!) || !/^\d+$/.test(b!)) {
            this.report(ParseCodes.invalidValue, tokStart, tokens.end[st.valueToks[1]!]! - tokStart, "'-c' needs two non-negative integers: packets and bytes");
            break;
          }
          counters = { packets: BigInt(p!), bytes: BigInt(b!) };
          break;
        }
        case "match": {
          const nameText = st.name ?? tokens.text[st.nameTok]!;
          if (st.spec?.family && this.family !== null && st.spec.family !== this.family) this.report(ParseCodes.wrongFamily, tokStart, tokens.end[st.nameTok]! - tokStart, familyProblem("match", nameText, st.spec.family, this.family));
          const optionCount = plan.optionCounts[matchIndex]!;
          matches[matchIndex++] = this.matchNode(nameText, st.implicit, st.spec !== null, optionCount, tokStart, tokens.end[st.nameTok]!);
          break;
        }
        case "target": {
          if (target !== null) {
            // A second -j/-g, which the grammar reported ("a rule can have only one
            // target"): the rule is refused. Its options are not the first target's either.
            extraTarget = true;
            break;
          }
          const written = tokens.text[st.nameTok]!;
          if (written === "") {
            // `-j ""`: checked with the tool ("Invalid target name (too short)"); printed, it would not read back.
            this.report(ParseCodes.syntaxError, tokStart, tokens.end[st.nameTok]! - tokStart, `an empty target name; iptables-restore refuses it ("Invalid target name (too short)")`);
            break;
          }
          if (st.spec?.family && this.family !== null && st.spec.family !== this.family) this.report(ParseCodes.wrongFamily, tokStart, tokens.end[st.nameTok]! - tokStart, familyProblem("target", written, st.spec.family, this.family));
          // Reuse the catalogue's string for "DNAT", "ACCEPT", ...: one copy instead of one per rule.
          // With a RuleMapper the AST is dropped at once: sharing the string would buy nothing.
          const name = st.spec !== null && st.spec.name === written ? st.spec.name : this.mapRule ? written : (this.declared.get(written) ?? written);
          target = this.targetNode(st.goto, name, st.spec !== null, plan.optionCounts[plan.matchCount]!, tokStart, tokens.end[st.nameTok]!);
          break;
        }
        case "option": {
          if (st.owner === -1 && extraTarget) break;
          const owner = st.owner === -1 ? target : st.owner >= 0 ? matches[st.owner] : null;
          if (!owner) break;
          const spec = st.spec;
          const values: Value[] = st.valueToks.length > 0 ? new Array<Value>(st.valueToks.length) : EMPTY;
          let ok = true;
          for (let v = 0; v < st.valueToks.length; v++) {
            const vt = st.valueToks[v]!;
            const valueText = tokens.text[vt]!;
            const type = spec?.argTypes?.[v] ?? spec?.type;
            let typed = typeValue(type, valueText, protocolText, spec?.values);
            if (isTypeError(typed)) {
              this.report(ParseCodes.invalidValue, tokens.start[vt]!, tokens.end[vt]! - tokens.start[vt]!, `${spec?.name ?? tokens.text[st.tok]}: ${typed.error}`);
              ok = false;
              break;
            }
            // The conditions live in valueProblem, which rule skeletons hold each free value to.
            const problem = spec ? valueProblem(spec, type, typed, valueText) : null;
            if (problem !== null) {
              const at = tokens.start[vt]!;
              const length = tokens.end[vt]! - at;
              if (problem === "range") {
                const range = spec!.range!;
                this.report(ParseCodes.invalidValue, at, length, `${spec!.name}: ${(typed as { value: number }).value} is out of range (${range[0]}-${range[1]})`);
                ok = false;
                break;
              }
              if (problem === "tooShort") {
                this.report(ParseCodes.invalidValue, at, length, `${spec!.name}: an empty value; iptables-restore takes at least ${spec!.minBytes} byte${spec!.minBytes === 1 ? "" : "s"} ("Argument must have a minimum length of ${spec!.minBytes} characters")`);
                ok = false;
                break;
              }
              if (problem === "tooLong") {
                this.report(ParseCodes.invalidValue, at, length, `${spec!.name}: the value is ${utf8Length(valueText)} bytes long; iptables-restore refuses more than ${spec!.maxBytes}`);
                ok = false;
                break;
              }
              if (problem === "truncated") {
                const kept = utf8Prefix(valueText, spec!.keepsBytes!);
                this.report(ParseCodes.truncatedValue, at, length, `${spec!.name}: the value is ${utf8Length(valueText)} bytes long and the kernel keeps ${spec!.keepsBytes}; iptables-restore silently cuts it to ${quote(kept)}`);
              } else if (problem === "hostName") {
                // Checked with the oracle: the name is looked up on the loading host, and refused where it is not defined.
                const file = spec!.name === "--realm" ? "rt_realms" : "group";
                this.report(ParseCodes.invalidValue, at, length, `${spec!.name}: ${quote(valueText)} is not a name iproute2 ships in /etc/iproute2/${file}; iptables-restore looks it up on the host that loads the rules and fails where it is not defined (write the number)`, "warning");
              }
            }
            if (typed.type === "address" || typed.type === "ipRange" || (typed.type === "natRange" && typed.family !== null)) {
              // Options of the address type resolve hosts as -s does (a mapped address is IPv4); ranges and NAT values do not.
              const fit = typed.type === "address" ? this.asDumpAddress(typed) : this.otherFamily(typed) ?? typed;
              if (typeof fit === "string") {
                this.report(ParseCodes.invalidValue, tokens.start[vt]!, tokens.end[vt]! - tokens.start[vt]!, hostProblem(valueText, fit, this.family, spec?.name ?? tokens.text[st.tok]!));
                ok = false;
                break;
              }
              typed = fit;
              this.noteFamily(fit.family!);
            }
            values[v] = typed;
          }
          if (!ok) break;
          const lastTok = st.valueToks.length ? st.valueToks[st.valueToks.length - 1]! : st.tok;
          const option = this.optionNode(spec?.name ?? tokens.text[st.tok]!, st.negated, values, tokStart, tokens.end[lastTok]!);
          if (spec && !spec.repeatable && owner.options.some((o) => o.name === option.name)) {
            this.report(ParseCodes.duplicateOption, tokStart, option.length, `option '${option.name}' is given twice for '${owner.name}'`);
          }
          const ownerIndex = st.owner === -1 ? plan.matchCount : st.owner;
          (owner.options as OptionNode[])[filled[ownerIndex]!++] = option;
          break;
        }
        default:
          break;
      }
    }

    // iptables-restore refuses an interface the hook cannot know: no input
    // interface in OUTPUT/POSTROUTING, no output interface yet in INPUT/PREROUTING.
    // It checks built-in chains only (a user chain may be called from several hooks).
    const noInput = chain === "OUTPUT" || chain === "POSTROUTING";
    const noOutput = chain === "INPUT" || chain === "PREROUTING";
    const wrong = noInput && inInterface ? { flag: "-i", node: inInterface as InterfaceMatch } : noOutput && outInterface ? { flag: "-o", node: outInterface as InterfaceMatch } : null;
    if (wrong && builtinChains(table).includes(chain)) {
      const missing = wrong.flag === "-i" ? "input interface" : "output interface yet";
      const where = wrong.flag === "-i" ? "PREROUTING, INPUT or FORWARD" : "FORWARD, OUTPUT or POSTROUTING";
      this.report(ParseCodes.interfaceDirection, wrong.node.offset, wrong.node.length, `'${wrong.flag}' cannot be used in ${chain}: packets there have no ${missing}; iptables-restore rejects this rule (match the interface in ${where})`);
    }

    // An option whose value failed to type was left out: trim the unused slots.
    for (let m = 0; m < matchIndex; m++) if (filled[m]! < matches[m]!.options.length) (matches[m]!.options as OptionNode[]).length = filled[m]!;
    if (target && filled[plan.matchCount]! < target.options.length) (target.options as OptionNode[]).length = filled[plan.matchCount]!;

    // Checks on the rule as a whole (src/parser/rule-checks.ts). The option
    // checks only on a rule without errors so far: an option whose value was
    // refused is missing from the node, but it was given.
    const ruleMatches = matchIndex === matches.length ? (matches as MatchNode[]) : (matches.slice(0, matchIndex) as MatchNode[]);
    for (const p of protocolProblems(protocol, ruleMatches, target, this.family)) this.report(ParseCodes.needsProtocol, p.at.offset, p.at.length, p.message);
    for (const p of natPortProblems(protocol, target)) this.report(ParseCodes.needsProtocol, p.at.offset, p.at.length, p.message);
    for (const p of rejectProblems(target, this.family)) this.report(ParseCodes.invalidValue, p.at.offset, p.at.length, p.message);
    for (const p of legacyOnlyProblems(target)) this.report(ParseCodes.legacyOnly, p.at.offset, p.at.length, p.message);
    for (const p of rateestProblems(target)) this.report(ParseCodes.invalidValue, p.at.offset, p.at.length, p.message);
    for (const p of ctProblems(target)) this.report(ParseCodes.invalidValue, p.at.offset, p.at.length, p.message);
    if (this.errorCount === errorsAtStart) {
      for (const m of ruleMatches) {
        if (!m.known) continue;
        const problems = optionProblems(m);
        for (const p of problems) this.report(ParseCodes.missingOption, p.at.offset, p.at.length, p.message);
        // One message for one mistake: the options together only once their groups add up.
        if (problems.length > 0) continue;
        for (const p of matchProblems(m)) this.report(p.kind === "value" ? ParseCodes.invalidValue : ParseCodes.missingOption, p.at.offset, p.at.length, p.message);
      }
      if (target?.known) for (const p of optionProblems(target)) this.report(ParseCodes.missingOption, p.at.offset, p.at.length, p.message);
    }
    if (target && !target.extension && target.options.length > 0) {
      this.report(ParseCodes.unknownExtension, target.offset, target.length, `unknown target extension ${quote(target.name)} (or a chain given options); its options are kept as written`);
      (target as { extension: boolean }).extension = true;
    }

    return this.ruleNode(step, command, table, chain, ruleNumber, counters, source, destination, inInterface, outInterface, protocol, fragment, matches, target, first, end);
  }

  /**
   * The rule of a line that fits a skeleton (rule-skeletons.ts): made as
   * buildRule makes it, step by step from the line's own tokens (the same
   * positions, the same objects), with the skeleton's names, protocol and
   * pinned values, and the free values `find` typed. The shapes that have
   * skeletons have no `-i`/`-o`, `-c` or second target, and draw nothing.
   */
  private ruleFromSkeleton(
    learned: RuleNode,
    freeAt: readonly boolean[],
    freeValues: readonly Value[],
    plan: LinePlan,
    step: Extract<PlanStep, { op: "command" }>,
    table: string,
    chain: string,
    command: RuleNode["command"],
    ruleNumber: number | null,
    first: number,
    end: number,
  ): RuleNode {
    const tokens = this.tokens;
    let source: AddressMatch | null = null;
    let destination: AddressMatch | null = null;
    let protocol: ProtocolMatch | null = null;
    let fragment: FlagMatch | null = null;
    const matches = matchesOf(plan);
    const filled = this.optionsPlaced(plan);
    let matchIndex = 0;
    let target: TargetNode | null = null;
    const steps = plan.steps;
    for (let s = 1; s < steps.length; s++) {
      const st = steps[s]!;
      const tokStart = tokens.start[st.tok]!;
      switch (st.op) {
        case "base": {
          if (st.field === "fragment") {
            fragment = this.flagMatch(st.negated, tokStart, tokens.end[st.tok]!);
          } else if (st.field === "protocol") {
            const p = learned.protocol!;
            protocol = this.protocolMatch(st.negated, p.name, p.number, p.text, tokStart, tokens.end[st.valueTok]!);
          } else {
            const node = this.addressMatch(st.negated, freeValues[st.valueTok] as AddressValue, tokStart, tokens.end[st.valueTok]!);
            if (st.field === "source") source = node;
            else destination = node;
          }
          break;
        }
        case "match": {
          const m = learned.matches[matchIndex]!;
          const optionCount = plan.optionCounts[matchIndex]!;
          matches[matchIndex++] = this.matchNode(m.name, st.implicit, m.known, optionCount, tokStart, tokens.end[st.nameTok]!);
          break;
        }
        case "target": {
          const written = tokens.text[st.nameTok]!;
          const count = plan.optionCounts[plan.matchCount]!;
          target = this.targetNode(st.goto, st.spec !== null && st.spec.name === written ? st.spec.name : (this.declared.get(written) ?? written), st.spec !== null, count, tokStart, tokens.end[st.nameTok]!);
          break;
        }
        case "option": {
          const ownerIndex = st.owner === -1 ? plan.matchCount : st.owner;
          const owner = st.owner === -1 ? target! : matches[st.owner]!;
          const index = filled[ownerIndex]!++;
          const was = (st.owner === -1 ? learned.target! : learned.matches[st.owner]!).options[index]!;
          const valueToks = st.valueToks;
          // All pinned: the skeleton's array itself. Else the pinned ones from it, the free ones typed for this line.
          let values = was.values;
          for (let v = 0; v < valueToks.length; v++) {
            if (!freeAt[valueToks[v]!]) continue;
            if (values === was.values) values = was.values.slice();
            (values as Value[])[v] = freeValues[valueToks[v]!]!;
          }
          const lastTok = valueToks.length ? valueToks[valueToks.length - 1]! : st.tok;
          (owner.options as OptionNode[])[index] = this.optionNode(was.name, st.negated, values, tokStart, tokens.end[lastTok]!);
          break;
        }
        default:
          break;
      }
    }
    return this.ruleNode(step, command, table, chain, ruleNumber, this.counters(step.countersTok), source, destination, null, null, protocol, fragment, matches, target, first, end);
  }

  /** Options placed so far per match (and the target, last), all zero: one buffer reused across lines. */
  private optionsPlaced(plan: LinePlan): Int32Array {
    const filled = this.filled.length > plan.matchCount ? this.filled : (this.filled = new Int32Array(plan.matchCount + 16));
    filled.fill(0, 0, plan.matchCount + 1);
    return filled;
  }

  // The rule's nodes, made in one place for buildRule and ruleFromSkeleton: the
  // same keys in the same order (what the API and the JSON output show), and
  // positions on the current line from a token's start to a token's end.

  private ruleNode(
    step: Extract<PlanStep, { op: "command" }>,
    command: RuleNode["command"],
    table: string,
    chain: string,
    ruleNumber: number | null,
    counters: Counters | null,
    source: AddressMatch | null,
    destination: AddressMatch | null,
    inInterface: InterfaceMatch | null,
    outInterface: InterfaceMatch | null,
    protocol: ProtocolMatch | null,
    fragment: FlagMatch | null,
    matches: MatchNode[],
    target: TargetNode | null,
    first: number,
    end: number,
  ): RuleNode {
    const textStart = step.countersTok >= 0 ? this.tokens.end[step.countersTok]! : first;
    return {
      kind: "rule",
      command,
      table,
      chain,
      ruleNumber,
      counters,
      source,
      destination,
      inInterface,
      outInterface,
      protocol,
      fragment,
      matches,
      target,
      text: this.text.slice(textStart, end).trim(),
      line: this.lineNo, column: first - this.lineStart + 1, offset: first, length: end - first,
    };
  }

  private flagMatch(negated: boolean, start: number, end: number): FlagMatch {
    return { negated, line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start };
  }

  private protocolMatch(negated: boolean, name: string, number: number, text: string, start: number, end: number): ProtocolMatch {
    return { negated, name, number, text, line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start };
  }

  /** `-s`/`-d` (and, with an interface value, `-i`/`-o`: the same fields). */
  private addressMatch(negated: boolean, value: AddressValue, start: number, end: number): AddressMatch {
    return { negated, value, line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start };
  }

  private matchNode(name: string, implicit: boolean, known: boolean, optionCount: number, start: number, end: number): MatchNode {
    return {
      kind: "match",
      name,
      implicit,
      known,
      options: optionCount > 0 ? new Array<OptionNode>(optionCount) : EMPTY,
      line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start,
    };
  }

  private targetNode(goto: boolean, name: string, known: boolean, optionCount: number, start: number, end: number): TargetNode {
    return {
      kind: "target",
      goto,
      name,
      extension: known,
      known,
      options: optionCount > 0 ? new Array<OptionNode>(optionCount) : EMPTY,
      line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start,
    };
  }

  private optionNode(name: string, negated: boolean, values: readonly Value[], start: number, end: number): OptionNode {
    return { name, negated, values, line: this.lineNo, column: start - this.lineStart + 1, offset: start, length: end - start };
  }

  /**
   * The addresses of a `-s`/`-d` comma list, typed and checked one by one
   * (an error reported at the address), or null after reporting why iptables
   * refuses the list. Checked with the tool: it adds one rule per address,
   * in order, one per pair with both lists (`-s a,b -d c,d`: a c, a d, b c,
   * b d), keeps duplicates, deletes each with `-D`, inserts each at the same
   * number with `-I` (so they end up reversed), and refuses `!` and `-R`.
   */
  private addressList(negated: boolean, command: RuleNode["command"], valueText: string, valueStart: number, flagStart: number, end: number): AddressValue[] | null {
    if (negated) {
      this.report(ParseCodes.misplacedNegation, flagStart, end - flagStart, `'!' with a list of addresses; iptables-restore refuses it ("! not allowed with multiple source or destination IP addresses"): write one rule per address`);
      return null;
    }
    if (command === "replace") {
      this.report(ParseCodes.invalidValue, valueStart, end - valueStart, `'-R' with a list of addresses; iptables-restore refuses it ("Replacement rule does not specify a unique address")`);
      return null;
    }
    const list: AddressValue[] = [];
    let at = valueStart;
    for (const part of valueText.split(",")) {
      const typed = part === "" ? { error: "an empty address in the list (host/network `' not found)" } : typeValue("address", part, null);
      if (isTypeError(typed)) {
        this.report(ParseCodes.invalidValue, at, Math.max(part.length, 1), typed.error);
        return null;
      }
      const fit = this.asDumpAddress(typed as AddressValue);
      if (typeof fit === "string") {
        this.report(ParseCodes.invalidValue, at, part.length, hostProblem(part, fit, this.family));
        return null;
      }
      this.noteFamily(fit.family);
      list.push(fit);
      at += part.length + 1;
    }
    return list;
  }

  /**
   * The `-s` and `-d` lists of the line buildRule is building (null: a single
   * address or none), kept beside the rule rather than in the AST, which has
   * one address per rule; expandAddressLists takes them after every build.
   */
  private readonly addressLists: [AddressValue[] | null, AddressValue[] | null] = [null, null];

  /**
   * The rules iptables adds for the line buildRule just built (null when it
   * was refused): the rule itself, or one per address of its `-s`/`-d` lists
   * (see addressList), which share everything else. Clears the lists.
   */
  private expandAddressLists(rule: RuleNode | null): RuleNode[] | null {
    const [sources, destinations] = this.addressLists;
    this.addressLists[0] = this.addressLists[1] = null;
    if (rule === null) return null;
    if (sources === null && destinations === null) return [rule];
    const rules: RuleNode[] = [];
    for (const s of sources ?? [null]) {
      for (const d of destinations ?? [null]) {
        rules.push({
          ...rule,
          source: s === null ? rule.source : { ...rule.source!, value: s },
          destination: d === null ? rule.destination : { ...rule.destination!, value: d },
        });
      }
    }
    return rules;
  }

  private noteFamily(family: "ipv4" | "ipv6"): void {
    if (this.family === null) this.family = family;
  }

  /**
   * Why an address does not belong in this dump ("an IPv6 address, and this
   * dump is IPv4 ..."), or null. The dump's family comes from its header, else
   * from its first address.
   */
  private otherFamily(value: { readonly type: string; readonly family: "ipv4" | "ipv6" | null; readonly text: string }): string | null {
    const dump = this.family;
    if (dump === null || value.family === null || value.family === dump) return null;
    const what = `an ${value.family === "ipv6" ? "IPv6" : "IPv4"} ${value.type === "ipRange" ? "address range" : "address"}`;
    return `${what}, and this dump is ${dump === "ipv6" ? "IPv6" : "IPv4"} (from its iptables-save header, or its first address)`;
  }

  /**
   * An address iptables resolves as a host (`-s`, `-d`, and options of the
   * address type) in an IPv4 dump: an IPv4-mapped IPv6 address
   * (`::ffff:10.0.0.1`, `::ffff:a00:1`) is the IPv4 address to it, its
   * prefix read as an IPv4 one (`::ffff:10.0.0.0/8` is 10.0.0.0/8, `/104` is
   * refused). Checked with the tool. The value itself otherwise; when the
   * tool refuses it, what the address is, to follow "'ADDRESS' is".
   */
  private asDumpAddress(value: AddressValue): AddressValue | string {
    if (this.family !== "ipv4" || value.family !== "ipv6") return this.otherFamily(value) ?? value;
    let mapped: string | null = null;
    try {
      const v6 = ipaddr.IPv6.parse(value.address);
      if (v6.isIPv4MappedAddress()) mapped = v6.toIPv4Address().toString();
    } catch {
      mapped = null;
    }
    if (mapped === null) return this.otherFamily(value)!;
    if (value.hasPrefix && value.prefixLength > 32) return `an IPv4-mapped address with a prefix of ${value.prefixLength}, which iptables reads as an IPv4 prefix ("invalid mask \`${value.prefixLength}' specified")`;
    return { type: "address", text: value.text, family: "ipv4", address: mapped, prefixLength: value.hasPrefix ? value.prefixLength : 32, hasPrefix: value.hasPrefix };
  }

  private finish(): void {
    if (this.mapRule) {
      for (const { table, index } of this.unmapped) {
        (table.statements as unknown[])[index] = this.mapRule(table.statements[index] as RuleNode, this.family);
      }
      this.unmapped = [];
    }
    if (this.range && !this.range.last) {
      // The next chunk goes on from here: an open table is not an error yet.
      this.comments.push(...this.pendingComments);
      return;
    }
    if (this.table) {
      const t = this.table;
      this.diagnostics.push({
        id: ParseCodes.missingCommit.id,
        name: ParseCodes.missingCommit.name,
        severity: "error",
        message: `table '${t.name}' is never committed; iptables-restore fails with "COMMIT expected" (add 'COMMIT')`,
        file: this.file,
        line: t.line,
        column: t.column,
        offset: t.offset,
        length: t.length,
      });
      this.table = null;
    }
    this.comments.push(...this.pendingComments);
    this.pendingComments = [];
    if (this.tables.length === 0 && this.diagnostics.length === 0) {
      this.diagnostics.push({
        id: ParseCodes.emptyInput.id,
        name: ParseCodes.emptyInput.name,
        severity: "warning",
        message: "no tables in the input; expected iptables-save output such as '*filter' ... 'COMMIT'",
        file: this.file,
        line: 0,
        column: 0,
        offset: -1,
        length: 0,
      });
    }
  }
}

/** Shared by every node with no matches, options or values; never written to. */
const EMPTY = Object.freeze([]) as never[];

/**
 * A rule's matches array at its exact size: V8 gives a pushed-to empty array
 * room for 17 elements, which on a large dump cost more than the nodes themselves.
 */
function matchesOf(plan: LinePlan): MatchNode[] {
  return plan.matchCount > 0 ? new Array<MatchNode>(plan.matchCount) : EMPTY;
}

const ZERO_COUNTERS: Counters = Object.freeze({ packets: 0n, bytes: 0n });

/** Words of a line iptables-restore takes (254 arguments, less its own name and `-t TABLE`). */
const MAX_LINE_WORDS = 251;

/** What iptables says of DROP in the nat table, a rule's target or a `-P` policy (checked with the tool, both families). */
const NAT_DROP_MESSAGE = "DROP in the nat table: iptables-restore refuses it (\"The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited\"); drop in the filter table, or in mangle or raw";

/** The message for a host address the tool refuses, from what asDumpAddress says it is; `option` names a match or target option. */
function hostProblem(written: string, what: string, family: "ipv4" | "ipv6" | null, option: string | null = null): string {
  const says = option !== null || what.includes('("') ? "" : ` ("host/network \`${written}' not found")`;
  return `${option !== null ? `${option}: ` : ""}${quote(written)} is ${what}; ${family === "ipv6" ? "ip6tables-restore" : "iptables-restore"} refuses it${says}`;
}

/** The token of a rule line's `-j DROP` or `-g DROP` target, or -1. */
function dropTargetToken(plan: LinePlan, tokens: LineTokens): number {
  for (const st of plan.steps) if (st.op === "target" && tokens.text[st.nameTok] === "DROP") return st.nameTok;
  return -1;
}

/** What follows the name in a user chain's declaration as iptables-save prints it. */
const PLAIN_CHAIN_TAIL = " - [0:0]";

/** `-A`, `-I`, `-D`, `-R` lines (maybe after counters): they change no chain or table. */
function isRuleLine(text: string, pos: number): boolean {
  let i = pos;
  while (isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 91 /* [ */) return true;
  if (text.charCodeAt(i) !== 45 /* - */) return false;
  const c = text.charCodeAt(i + 1);
  return (c === 65 || c === 73 || c === 68 || c === 82) && isBlank(text.charCodeAt(i + 2));
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}
