/**
 * `kipt fmt`'s short cut for lines that are already canonical.
 *
 * A dump iptables-save printed is its own canonical form, and `kipt fmt`
 * mostly reads such dumps. Building a rule's AST and printing it again costs
 * about twice as much as recognising that the line would print back as
 * written, so for each line shape (a parser plan) this module learns, from
 * one line that went the whole way (AST, checks, printer) and printed back
 * unchanged with no diagnostic, which of the line's value words are *free*
 * and which are *pinned* (the split the parser's rule skeletons make too:
 * lineShape and FREE_OPTIONS in parser/rule-skeletons.ts):
 *
 * - a free value is one whose own canonical text is all the printer and the
 *   parser's checks depend on: an address, a comment, a port, a DNAT
 *   destination, a probability. Each line's free values are typed and
 *   printed with the parser's and printer's own functions (`typeValue`,
 *   `formatValue`), and the line qualifies only when each prints as written
 *   and would draw no diagnostic;
 * - every other value is pinned: the line qualifies only when it has the
 *   very text of the learned line (`--mode random`, `-p tcp`,
 *   `--reject-with icmp-port-unreachable`), since rewrites and rule checks
 *   may depend on it.
 *
 * A line that qualifies is printed as its own text after the chain name;
 * every other line takes the whole way. A learned `-A CHAIN ...` line is
 * also kept as a template over the text (see Template): an `-A` line that a
 * recently used template accepts qualifies before it is even scanned, which
 * is most lines of a kube-proxy dump.
 *
 * test/format/verbatim.test.ts holds the two ways to the same output, the
 * same diagnostics and the same printed rules, on every corpus and on
 * generated lines with non-canonical values, odd spacing and quoting.
 */
import type { OptionSpec } from "../../grammar/schema.js";
import type { AddressValue } from "../ast/types.js";
import { LineTokens, plainQuotedEnd, plainWordEnd } from "../lexer/scanner.js";
import { Quoted, Word } from "../lexer/tokens.js";
import { registry } from "../extensions/registry.js";
import type { LinePlan } from "../parser/plan.js";
import { lineShape, pinnedWords, samePinnedWords, valueProblem, type CommandStep, type FreeValue, type LineShape } from "../parser/rule-skeletons.js";
import { protocolNumber } from "../parser/protocols.js";
import { natPortsAllowed } from "../parser/rule-checks.js";
import { isTypeError, typeValue } from "../parser/values.js";
import { RecentlyUsed } from "../parser/line-templates.js";
import { canonicalAddress, formatValue } from "./values.js";

/** What a line shape allows, worked out once per plan. */
interface ShapeInfo extends LineShape {
  /** Token after which the printed tail starts (the chain, or the rule number). */
  readonly tailTok: number;
  /** Learned lines: the raw text of each pinned word, by variant. */
  readonly variants: string[][];
  /** Per variant, the learned line as a pattern over the text (null when its form allows none). */
  readonly templates: (Template | null)[];
  /** `-A CHAIN` alone opens the line (no counters, no rule number). */
  readonly plainAppend: boolean;
}

/**
 * A learned `-A CHAIN ...` line as a pattern over the text, so that a line of
 * the same shape and pinned words is recognised without the scanner, the
 * grammar's shape lookup and the token checks: each word after the chain is
 * the learned line's exact text, or a free value (checked as `tail` checks
 * it), or the chain a rule jumps to. The words it accepts are the ones the
 * scanner would split and class the same way (see `plainWordEnd`), so a line
 * it accepts has the learned line's shape.
 */
interface Template {
  readonly shape: ShapeInfo;
  /** Per word after the chain: its text, or null for a free value or a jump to a chain. */
  readonly words: readonly (string | null)[];
  /** Per word: the free value it is (index into shape.free), or -1. */
  readonly freeAt: readonly number[];
  /** Per word: a free value written in double quotes. */
  readonly quoted: readonly boolean[];
  /** The word that names the chain jumped to, or -1 (no target, or a target extension). */
  readonly jumpAt: number;
  /** The learned `-p` value in lower case, for typing service-named ports. */
  readonly protocol: string | null;
  /** The target record when it is not a jump to a chain: the extension, or none. */
  readonly target: VerbatimTarget | null;
}

/** Templates tried on each `-A` line before the scanner runs: the most recently used first. */
const RECENT_TEMPLATES = 4;

/** Variants learned per shape: a few (`--ctstate NEW`, `--ctstate RELATED,ESTABLISHED`), never without bound. */
const MAX_VARIANTS = 8;

/** What the printed rule needs besides its tail. */
export interface VerbatimTarget {
  readonly name: string;
  readonly extension: boolean;
}

/** A line a template accepted: where its chain is written, and its tail and target. */
export interface TemplateMatch {
  readonly chainStart: number;
  readonly chainEnd: number;
  readonly tail: string;
  readonly target: VerbatimTarget | null;
}

export class VerbatimPrinter {
  /** Per plan; `null` for shapes that never qualify. Per parse: a plan's learned lines hold for one dump's family. */
  private readonly shapes = new Map<LinePlan, ShapeInfo | null>();

  /** One record per target extension, shared by the rules that use it. */
  private readonly extensionTargets = new Map<string, VerbatimTarget>();

  /** The templates tried first, most recently used first (see Template). */
  private readonly recent = new RecentlyUsed<Template>(RECENT_TEMPLATES);
  /** Free values of a line a template is tried on, at their token positions. */
  private readonly scratch = new LineTokens();

  private use(template: Template | null | undefined): void {
    if (template) this.recent.use(template);
  }

  /**
   * An `-A CHAIN ...` line (from `first`, `-A ` already seen) that a recent
   * template accepts: it prints back as written with no diagnostic, given
   * that CHAIN is declared (the caller checks). Null: scan it as usual.
   */
  matchLine(text: string, first: number, lineEnd: number, family: "ipv4" | "ipv6"): TemplateMatch | null {
    const chainStart = first + 3;
    const chainEnd = plainWordEnd(text, chainStart, lineEnd);
    // iptables-restore's 1023-byte word limit is checked by the usual way.
    if (chainEnd < 0 || chainEnd === lineEnd || chainEnd - chainStart > 341) return null;
    for (const template of this.recent.items) {
      const match = this.tryTemplate(template, text, chainEnd + 1, lineEnd, family);
      if (match !== undefined) {
        this.use(template);
        return { chainStart, chainEnd, tail: text.slice(chainEnd, lineEnd), target: match };
      }
    }
    return null;
  }

  /**
   * Whether `template` accepts the words from `pos` on: undefined when it does
   * not; else the rule's target record (null for a rule with no target).
   */
  private tryTemplate(template: Template, text: string, pos: number, lineEnd: number, family: "ipv4" | "ipv6"): VerbatimTarget | null | undefined {
    const words = template.words;
    if (words.length === 0) return undefined;
    const scratch = this.scratch;
    const shape = template.shape;
    let jump: string | null = null;
    for (let k = 0; k < words.length; k++) {
      const word = words[k];
      let end: number;
      if (word !== null) {
        if (!text.startsWith(word, pos)) return undefined;
        end = pos + word.length;
      } else if (template.quoted[k]) {
        end = plainQuotedEnd(text, pos, lineEnd);
        if (end < 0 || end - pos > 341) return undefined;
      } else {
        end = plainWordEnd(text, pos, lineEnd);
        if (end < 0 || end - pos > 341) return undefined;
      }
      // One space between words, nothing after the last.
      if (k === words.length - 1 ? end !== lineEnd : end >= lineEnd || text.charCodeAt(end) !== 32) return undefined;
      if (word === null) {
        if (k === template.jumpAt) {
          jump = text.slice(pos, end);
          // A target extension's name would make another shape.
          if (registry.target(jump) !== undefined) return undefined;
        } else {
          const tok = shape.free[template.freeAt[k]!]!.tok;
          scratch.start[tok] = pos;
          scratch.end[tok] = end;
          scratch.type[tok] = template.quoted[k] ? Quoted : Word;
          // A quoted value's text is read by quickCheck; a bare word's only by fullCheck (below).
          if (template.quoted[k]) scratch.text[tok] = text.slice(pos + 1, end - 1);
        }
      }
      pos = end + 1;
    }
    for (const free of shape.free) {
      const protocol = free.afterProtocol ? template.protocol : null;
      const quick = quickCheck(free, scratch, text, protocol, family);
      if (quick === true) continue;
      if (quick === false) return undefined;
      // The words quickCheck answers from the characters (addresses, ports, DNAT destinations: most of
      // a kube-proxy dump) never become strings; the rest are cut out here, as the scanner would.
      const tok = free.tok;
      if (scratch.type[tok] === Word) scratch.text[tok] = text.slice(scratch.start[tok]!, scratch.end[tok]!);
      if (!fullCheck(free, scratch, text, protocol, family)) return undefined;
    }
    return jump !== null ? { name: jump, extension: false } : template.target;
  }

  /**
   * The rule's canonical tail (its text after `-A CHAIN`) when the line is
   * known to print back as written with no diagnostic; null when it must
   * take the whole way.
   */
  tail(plan: LinePlan, step: CommandStep, tokens: LineTokens, text: string, lineEnd: number, family: "ipv4" | "ipv6"): string | null {
    let shape = this.shapes.get(plan);
    if (shape === undefined) {
      shape = analyse(plan, step);
      this.shapes.set(plan, shape);
    }
    if (shape === null || shape.variants.length === 0) return null;
    const variant = matchesVariant(shape, tokens, text);
    if (variant < 0 || !wordsPrintAsWritten(shape, tokens, text, lineEnd, family)) return null;
    // Lines of this kind are coming: try its template first on the next lines.
    this.use(shape.templates[variant]);
    return text.slice(tokens.end[shape.tailTok]!, lineEnd);
  }

  /** The target of a line `tail` accepted, as the printed rule records it. */
  target(plan: LinePlan, tokens: LineTokens): VerbatimTarget | null {
    const step = this.shapes.get(plan)?.target;
    if (!step) return null;
    const written = tokens.text[step.nameTok]!;
    // A target extension's record is the same on every line of the shape: one object for all.
    if (step.spec !== null && step.spec.name === written) return (this.extensionTargets.get(step.spec.name) ?? this.extensionTarget(step.spec.name));
    return { name: written, extension: step.spec !== null };
  }

  private extensionTarget(name: string): VerbatimTarget {
    const target = Object.freeze({ name, extension: true });
    this.extensionTargets.set(name, target);
    return target;
  }

  /**
   * Learn from a line that took the whole way: when it printed back as
   * written with no diagnostic, its pinned words become a variant.
   */
  learn(plan: LinePlan, tokens: LineTokens, text: string, lineEnd: number, family: "ipv4" | "ipv6", printedTail: string): void {
    const shape = this.shapes.get(plan);
    if (!shape || shape.variants.length >= MAX_VARIANTS) return;
    const from = tokens.end[shape.tailTok]!;
    if (printedTail.length !== lineEnd - from || !text.startsWith(printedTail, from)) return;
    // The learned line must pass the checks a later line is held to, or passing them would mean nothing.
    if (!wordsPrintAsWritten(shape, tokens, text, lineEnd, family)) return;
    if (matchesVariant(shape, tokens, text) >= 0) return;
    shape.variants.push(pinnedWords(shape, tokens, text));
    const template = templateOf(shape, tokens, text);
    shape.templates.push(template);
    this.use(template);
  }
}

/** Whether lines of this shape can qualify at all, and which of their words are free (lineShape, shared with the parser's rule skeletons). */
function analyse(plan: LinePlan, command: CommandStep): ShapeInfo | null {
  const shape = lineShape(plan, command);
  if (shape === null) return null;
  // The command and its arguments open the line (after any counters), so the tail is everything after them.
  const first = command.countersTok >= 0 ? 1 : 0;
  if (command.tok !== first || (command.countersTok >= 0 && command.countersTok !== 0)) return null;
  for (let k = 0; k < command.argToks.length; k++) if (command.argToks[k] !== command.tok + 1 + k) return null;
  const tailTok = command.argToks.length > 0 ? command.argToks[command.argToks.length - 1]! : command.tok;
  const plainAppend = command.command === "append" && command.countersTok < 0 && command.tok === 0 && tailTok === 1;
  return { ...shape, tailTok, variants: [], templates: [], plainAppend };
}

/**
 * The pattern of a learned line (see Template); null when the line's form
 * leaves the scanner's split in doubt (a quoted chain name, say).
 */
function templateOf(shape: ShapeInfo, tokens: LineTokens, text: string): Template | null {
  // A rule of nothing but its chain (`-A CHAIN`) has no words to match: the usual way takes it.
  if (!shape.plainAppend || tokens.count < 3 || tokens.type[1] !== Word || tokens.text[0] !== "-A") return null;
  const words: (string | null)[] = [];
  const freeAt: number[] = [];
  const quoted: boolean[] = [];
  let jumpAt = -1;
  for (let t = 2; t < tokens.count; t++) {
    const free = shape.free.findIndex((f) => f.tok === t);
    const isJump = shape.target !== null && shape.target.nameTok === t && shape.target.spec === null;
    if (free >= 0 || isJump) {
      if (isJump && tokens.type[t] !== Word) return null;
      if (free >= 0 && tokens.type[t] !== Word && tokens.type[t] !== Quoted) return null;
      words.push(null);
      if (isJump) jumpAt = words.length - 1;
    } else words.push(text.slice(tokens.start[t]!, tokens.end[t]!));
    freeAt.push(free);
    quoted.push(free >= 0 && tokens.type[t] === Quoted);
  }
  const protocol = shape.protocolTok >= 0 ? tokens.text[shape.protocolTok]!.toLowerCase() : null;
  const step = shape.target;
  let target: VerbatimTarget | null = null;
  if (step !== null && step.spec !== null) {
    const written = tokens.text[step.nameTok]!;
    // The catalogue's instance of the name when it is the same text (as printRule records it).
    target = Object.freeze({ name: step.spec.name === written ? step.spec.name : written, extension: true });
  }
  return { shape, words, freeAt, quoted, jumpAt, protocol, target };
}


/**
 * The checks on a scanned line's own words: one space apart, each free value
 * valid and canonical, and the chain it jumps to not in quotes (it would
 * print without them).
 */
function wordsPrintAsWritten(shape: ShapeInfo, tokens: LineTokens, text: string, lineEnd: number, family: "ipv4" | "ipv6"): boolean {
  if (!singleSpaced(tokens, text, shape.tailTok, lineEnd)) return false;
  const protocol = shape.protocolTok >= 0 ? tokens.text[shape.protocolTok]!.toLowerCase() : null;
  for (const free of shape.free) if (!printsAsWritten(free, tokens, text, free.afterProtocol ? protocol : null, family)) return false;
  return shape.target === null || tokens.type[shape.target.nameTok] !== Quoted;
}

/** Words one space apart and nothing after the last: what iptables-save prints. */
function singleSpaced(tokens: LineTokens, text: string, from: number, lineEnd: number): boolean {
  const count = tokens.count;
  if (tokens.end[count - 1] !== lineEnd) return false;
  for (let i = from; i < count - 1; i++) {
    const end = tokens.end[i]!;
    if (tokens.start[i + 1] !== end + 1 || text.charCodeAt(end) !== 32) return false;
  }
  return true;
}

/** The learned variant whose pinned words this line has, or -1. */
function matchesVariant(shape: ShapeInfo, tokens: LineTokens, text: string): number {
  for (let v = 0; v < shape.variants.length; v++) if (samePinnedWords(shape, shape.variants[v]!, tokens, text)) return v;
  return -1;
}

/**
 * Whether a free value is valid, draws no diagnostic, and prints as written.
 * The conditions are the parser's own (src/parser/parse.ts, buildRule) for a
 * value of this option; any doubt sends the line the whole way.
 */
function printsAsWritten(free: FreeValue, tokens: LineTokens, text: string, protocol: string | null, family: "ipv4" | "ipv6"): boolean {
  const quick = quickCheck(free, tokens, text, protocol, family);
  return quick !== null ? quick : fullCheck(free, tokens, text, protocol, family);
}

/** Whether a NAT destination may carry a port after this `-p` value (null: none before it); see natPortProblems. */
function portsAllowed(protocol: string | null): boolean {
  return natPortsAllowed(protocol === null ? null : protocolNumber(protocol));
}

/**
 * The answer of `fullCheck` for the forms that fill a kube-proxy dump, read
 * off the characters without making a value or a string (this runs for a
 * million values on a 10,000-service dump); null for any other form.
 */
function quickCheck(free: FreeValue, tokens: LineTokens, text: string, protocol: string | null, family: "ipv4" | "ipv6"): boolean | null {
  const start = tokens.start[free.tok]!;
  const end = tokens.end[free.tok]!;
  if (free.base) {
    // `a.b.c.d/len`, host bits clear: canonicalAddress prints it as written.
    if (family !== "ipv4" || tokens.type[free.tok] === Quoted) return null;
    const slash = text.indexOf("/", start);
    if (slash < 0 || slash >= end) return null;
    const address = quadAt(text, start, slash);
    const length = decimalAt(text, slash + 1, end, 32);
    if (address < 0 || length < 1) return null;
    return length === 32 || address % 2 ** (32 - length) === 0 ? true : null;
  }
  const spec = free.spec!;
  const type = spec.argTypes?.[free.position] ?? spec.type;
  if (type === "quoted" && spec.maxBytes === undefined && spec.keepsBytes !== undefined && end - start - 2 <= spec.keepsBytes / 3) {
    // `"text"` with no escapes: saveString quotes it again unless the text is bare-word safe.
    // (A bare word's text is not cut out on the template path: read it only once the word is quoted.)
    if (tokens.type[free.tok] !== Quoted) return null;
    const valueText = tokens.text[free.tok]!;
    if (valueText.length !== end - start - 2 || text.charCodeAt(start) !== QUOTE || text.charCodeAt(end - 1) !== QUOTE) return null;
    // Native regular expressions: a comment is tens of characters, a loop here cost more than the rest.
    if (NEEDS_ESCAPE.test(valueText)) return null;
    // A comment with a space or a slash (kube-proxy's all have one) is not a bare word: skip the pattern.
    if (valueText.indexOf(" ") < 0 && valueText.indexOf("/") < 0 && BARE_SAFE.test(valueText)) return null;
    return true;
  }
  if (tokens.type[free.tok] === Quoted) return null;
  if (type === "natRange" && family === "ipv4") {
    // `a.b.c.d:port`.
    const colon = text.indexOf(":", start);
    if (colon < 0 || colon >= end) return null;
    if (quadAt(text, start, colon) < 0 || decimalAt(text, colon + 1, end, 65535) < 1) return null;
    return portsAllowed(protocol);
  }
  if (type === "port" || type === "portRange") {
    // A single port other than 0.
    return decimalAt(text, start, end, 65535) >= 1 ? true : null;
  }
  return null;
}

const QUOTE = 34;
/** What xtables_save_string escapes inside its quotes. */
const NEEDS_ESCAPE = /["\\']/;
/** What xtables_save_string leaves unquoted. */
const BARE_SAFE = /^[A-Za-z0-9_-]+$/;

/** A decimal of at most `max` at text[from, to) with no leading zero (`0` alone is 0); -1 otherwise. */
function decimalAt(text: string, from: number, to: number, max: number): number {
  if (from >= to || to - from > 5 || (text.charCodeAt(from) === 48 && to - from > 1)) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n <= max ? n : -1;
}

/** A dotted quad at text[from, to) as inet_ntop prints it (no leading zeros), as a number; -1 otherwise. */
function quadAt(text: string, from: number, to: number): number {
  let value = 0;
  let partStart = from;
  for (let part = 0; part < 4; part++) {
    let dot = part < 3 ? text.indexOf(".", partStart) : to;
    if (dot < 0 || dot > to) return -1;
    const octet = decimalAt(text, partStart, dot, 255);
    if (octet < 0) return -1;
    value = value * 256 + octet;
    partStart = dot + 1;
  }
  return value;
}

/**
 * Answers for probabilities, which a dump repeats by the thousand (1/n for
 * small n): the answer depends on the text alone. Bounded, for hostile input.
 */
const probabilityAnswers = new Map<string, boolean>();

/** The parser's and the printer's own functions on one free value. */
function fullCheck(free: FreeValue, tokens: LineTokens, text: string, protocol: string | null, family: "ipv4" | "ipv6"): boolean {
  const valueText = tokens.text[free.tok]!;
  const start = tokens.start[free.tok]!;
  const length = tokens.end[free.tok]! - start;
  if (free.base) {
    const typed = typeValue("address", valueText, null);
    if (isTypeError(typed)) return false;
    const address = typed as AddressValue;
    // `-s 0.0.0.0/0` is not printed, and `! -s 0.0.0.0/0` draws a warning.
    if (address.family !== family || address.prefixLength === 0) return false;
    const printed = canonicalAddress(address);
    return printed.length === length && text.startsWith(printed, start);
  }
  const spec = free.spec!;
  const type = spec.argTypes?.[free.position] ?? spec.type;
  // (A quoted word prints without its quotes: its answer is not the bare word's.)
  if (type === "probability" && tokens.type[free.tok] !== Quoted) {
    let answer = probabilityAnswers.get(valueText);
    if (answer === undefined) {
      answer = fullValueCheck(spec, type, free, valueText, start, length, text, protocol, family);
      if (probabilityAnswers.size < 4096) probabilityAnswers.set(valueText, answer);
    }
    return answer;
  }
  return fullValueCheck(spec, type, free, valueText, start, length, text, protocol, family);
}

function fullValueCheck(spec: OptionSpec, type: OptionSpec["type"], free: FreeValue, valueText: string, start: number, length: number, text: string, protocol: string | null, family: "ipv4" | "ipv6"): boolean {
  // The parser's checks on an option value (valueProblem). Some cannot fire for
  // today's FREE_OPTIONS (a named mark, an address option); they are kept so
  // that an option added there later is still checked as the parser checks it.
  if (type === "namedMark") return false;
  const typed = typeValue(type, valueText, protocol, spec.values);
  if (isTypeError(typed) || valueProblem(spec, type, typed, valueText) !== null) return false;
  if ((typed.type === "address" || typed.type === "ipRange") && typed.family !== family) return false;
  if (typed.type === "natRange" && typed.family !== null && typed.family !== family) return false;
  // tcp and udp store a port range from 0 differently (see nftPorts in format/rewrites): only other ports are free.
  if (typed.type === "portRange" && typed.first === 0 && (typed.last === 65535 || free.negated)) return false;
  if (typed.type === "natRange" && typed.fromPort !== null && !portsAllowed(protocol)) return false;
  const printed = formatValue(typed, spec, free.position);
  return printed.length === length && text.startsWith(printed, start);
}
