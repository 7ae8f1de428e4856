/**
 * Rules of a shape already parsed, built again from what varies.
 *
 * Building a rule's AST is most of a parse: typing every value, the checks
 * on each option and on the rule as a whole. Yet a dump's rules come by the
 * thousand in a few shapes, and within a shape most words are the same on
 * every line: a kube-proxy endpoint jump is always `-m comment --comment C
 * -m statistic --mode random --probability P -j KUBE-SEP-X`. So, per line
 * shape (a parser plan), the parser keeps a rule that went the whole way
 * with no diagnostic as a *skeleton*, and splits its value words as
 * `kipt fmt`'s short cut does (format/verbatim.ts):
 *
 * - a free value (an address after `-s`/`-d`, a comment, a tcp/udp port, a
 *   probability, a DNAT destination, recent's name and seconds; see
 *   FREE_OPTIONS) is one that no check on the rule as a whole reads. Each
 *   line's free values are typed with the parser's own function and held to
 *   the parser's own checks on a value (`valueProblem`);
 * - every other value is pinned: a line fits a skeleton only with the very
 *   text the skeleton has there (`--mode random`, `-p tcp`).
 *
 * A line that fits is built by the parser from its own tokens, as any rule
 * (the same steps, positions and objects), but with the skeleton's names,
 * protocol and pinned values in place of typing and checking them again:
 * values are immutable, so the rules share them. The checks that remain
 * (the chain, the words' lengths, the rule number) run for every line
 * before. test/parser/rule-skeletons.test.ts parses every corpus both ways.
 */
import type { OptionSpec } from "../../grammar/schema.js";
import type { AddressValue, RuleNode, Value } from "../ast/types.js";
import type { LineTokens } from "../lexer/scanner.js";
import { utf8Length } from "../text/utf8.js";
import type { LinePlan, PlanStep } from "./plan.js";
import { natPortsAllowed } from "./rule-checks.js";
import { isTypeError, typeValue } from "./values.js";

/**
 * Options whose value may differ from line to line within a shape, per
 * extension. No check on the rule as a whole reads their values (statistic's
 * read `--mode`, `--every` and `--packet`, which stay pinned). And fmt
 * prints each with `formatValue` alone (format/verbatim.ts relies on that):
 * its extension has no rewrite, or one that leaves this option as it is (tcp
 * and udp rewrite only `0:65535` and a negated range from 0, which fmt's
 * check turns away; recent only adds defaults and drops a zero `--hitcount`).
 */
export const FREE_OPTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["m:comment", new Set(["--comment"])],
  ["m:tcp", new Set(["--dport", "--sport"])],
  ["m:udp", new Set(["--dport", "--sport"])],
  ["m:statistic", new Set(["--probability"])],
  ["m:recent", new Set(["--name", "--seconds"])],
  ["t:DNAT", new Set(["--to-destination"])],
]);

/** A free value word of a line shape. */
export interface FreeValue {
  readonly tok: number;
  /** `-s`/`-d`, or an option's value (`spec`, at `position` among the option's values). */
  readonly base: boolean;
  readonly spec: OptionSpec | null;
  readonly position: number;
  readonly negated: boolean;
  /**
   * Whether the line's `-p` comes before it: a port is typed with the
   * protocol given so far, as buildRule types it (`--dport http -p tcp`).
   */
  readonly afterProtocol: boolean;
}

export type CommandStep = Extract<PlanStep, { op: "command" }>;
export type TargetStep = Extract<PlanStep, { op: "target" }>;

/** The value words of a rule line shape, free or pinned. */
export interface LineShape {
  readonly free: readonly FreeValue[];
  /** Value words that must have the learned line's text. */
  readonly pinned: readonly number[];
  /** Token of the `-p` value (pinned), or -1. */
  readonly protocolTok: number;
  readonly target: TargetStep | null;
}

/**
 * The free and pinned words of a rule line shape; null for shapes that never
 * qualify: problems found by the grammar, an unknown extension or option,
 * `-i`/`-o` (checked against the chain, which varies), `-c`, two targets.
 */
export function lineShape(plan: LinePlan, command: CommandStep): LineShape | null {
  if (plan.kind !== "command" || plan.problems.length > 0) return null;
  if (command.command !== "append" && command.command !== "insert" && command.command !== "delete" && command.command !== "replace") return null;
  const free: FreeValue[] = [];
  const pinned: number[] = [];
  const owners: string[] = [];
  let protocolTok = -1;
  let target: TargetStep | null = null;
  for (const st of plan.steps) {
    switch (st.op) {
      case "command":
        break;
      case "base":
        if (st.field === "inInterface" || st.field === "outInterface") return null;
        if (st.field === "source" || st.field === "destination") free.push({ tok: st.valueTok, base: true, spec: null, position: 0, negated: st.negated, afterProtocol: protocolTok >= 0 });
        else if (st.field === "protocol") {
          protocolTok = st.valueTok;
          pinned.push(st.valueTok);
        }
        break;
      case "match":
        if (st.spec === null) return null;
        owners.push(`m:${st.spec.name}`);
        break;
      case "target":
        if (target !== null) return null;
        target = st;
        break;
      case "option": {
        if (st.spec === null) return null;
        const owner = st.owner === -1 ? (target?.spec ? `t:${target.spec.name}` : null) : owners[st.owner];
        if (owner === undefined || owner === null) return null;
        const isFree = FREE_OPTIONS.get(owner)?.has(st.spec.name) ?? false;
        st.valueToks.forEach((tok, position) => (isFree ? free.push({ tok, base: false, spec: st.spec, position, negated: st.negated, afterProtocol: protocolTok >= 0 }) : pinned.push(tok)));
        break;
      }
      default:
        // `-c` counters, and anything else: the whole way.
        return null;
    }
  }
  return { free, pinned, protocolTok, target };
}

/** Whether the line's pinned words have the text of `learned` (one text per pinned word). */
export function samePinnedWords(shape: LineShape, learned: readonly string[], tokens: LineTokens, text: string): boolean {
  const pinned = shape.pinned;
  for (let k = 0; k < pinned.length; k++) {
    const t = pinned[k]!;
    const start = tokens.start[t]!;
    if (tokens.end[t]! - start !== learned[k]!.length || !text.startsWith(learned[k]!, start)) return false;
  }
  return true;
}

/** The raw text of the line's pinned words. */
export function pinnedWords(shape: LineShape, tokens: LineTokens, text: string): string[] {
  return shape.pinned.map((t) => text.slice(tokens.start[t]!, tokens.end[t]!));
}

/**
 * What the parser reports of an option's typed value (buildRule reports it;
 * null when the value draws nothing): out of its range, longer than
 * iptables-restore takes, longer than the kernel keeps (a warning), a name
 * looked up on the loading host (a warning), shorter than it takes.
 */
export function valueProblem(spec: OptionSpec, type: OptionSpec["type"] | undefined, typed: Value, valueText: string): "range" | "tooLong" | "tooShort" | "truncated" | "hostName" | null {
  const range = spec.range;
  if (range && typed.type === "integer" && (typed.value < range[0] || typed.value > range[1])) return "range";
  if (spec.minBytes !== undefined && valueText.length < spec.minBytes) return "tooShort";
  if (spec.maxBytes !== undefined && valueText.length * 3 > spec.maxBytes && utf8Length(valueText) > spec.maxBytes) return "tooLong";
  if (spec.keepsBytes !== undefined && valueText.length > spec.keepsBytes / 3 && utf8Length(valueText) > spec.keepsBytes) return "truncated";
  if (type === "namedMark" && typed.type === "string") return "hostName";
  return null;
}

/** A learned rule and the text of its pinned words. */
interface Skeleton {
  readonly pinned: readonly string[];
  readonly rule: RuleNode;
}

interface ShapeSkeletons {
  readonly shape: LineShape;
  /** Per free or pinned value token: whether it is free. */
  readonly freeAt: readonly boolean[];
  readonly skeletons: Skeleton[];
}

/** Skeletons kept per shape: a few variants of the pinned words (`--ctstate NEW`, `--ctstate RELATED,ESTABLISHED`), never without bound. */
const MAX_SKELETONS = 8;

/** Probabilities typed: a dump repeats a few (1/n for small n) by the thousand. Bounded, for hostile input. */
const MAX_SHARED_PROBABILITIES = 4096;

/**
 * The skeletons of one parse. A skeleton holds for the address family it was
 * learned in, so a parse learns only once the family is known, and never
 * shares skeletons with another parse.
 */
export class RuleSkeletons {
  private readonly shapes = new Map<LinePlan, ShapeSkeletons | null>();
  /** What `find` answers, one object reused from line to line. */
  private readonly fit: { rule: RuleNode; freeAt: readonly boolean[]; values: Value[] } = { rule: null as unknown as RuleNode, freeAt: [], values: [] };
  private readonly probabilities = new Map<string, Value>();

  /**
   * The skeleton a rule line fits (its pinned words the same, its free values
   * valid and drawing nothing): the learned rule, which value tokens are free,
   * and the line's free values typed, by token. Valid until the next call;
   * null when the line must take the whole way.
   */
  find(plan: LinePlan, tokens: LineTokens, text: string, family: "ipv4" | "ipv6"): { readonly rule: RuleNode; readonly freeAt: readonly boolean[]; readonly values: readonly Value[] } | null {
    const entry = this.shapes.get(plan);
    if (!entry) return null;
    let learned: RuleNode | null = null;
    for (const s of entry.skeletons) {
      if (samePinnedWords(entry.shape, s.pinned, tokens, text)) {
        learned = s.rule;
        break;
      }
    }
    if (learned === null) return null;
    const shape = entry.shape;
    const protocol = shape.protocolTok >= 0 ? tokens.text[shape.protocolTok]!.toLowerCase() : null;
    const fit = this.fit;
    for (const free of shape.free) {
      const value = this.freeValue(free, tokens.text[free.tok]!, free.afterProtocol ? protocol : null, family);
      if (value === null) return null;
      // A DNAT destination with a port needs a `-p` with ports before it (natPortProblems, which buildRule runs).
      if (value.type === "natRange" && value.fromPort !== null && !natPortsAllowed(free.afterProtocol ? (learned.protocol?.number ?? null) : null)) return null;
      fit.values[free.tok] = value;
    }
    fit.rule = learned;
    fit.freeAt = entry.freeAt;
    return fit;
  }

  /** Keep `rule`, which took the whole way and drew no diagnostic, as the skeleton of its shape and pinned words. */
  learn(plan: LinePlan, command: CommandStep, tokens: LineTokens, text: string, rule: RuleNode): void {
    let entry = this.shapes.get(plan);
    if (entry === undefined) {
      const shape = lineShape(plan, command);
      entry = shape === null ? null : { shape, freeAt: freeTokens(shape), skeletons: [] };
      this.shapes.set(plan, entry);
    }
    if (entry === null || entry.skeletons.length >= MAX_SKELETONS) return;
    for (const s of entry.skeletons) if (samePinnedWords(entry.shape, s.pinned, tokens, text)) return;
    entry.skeletons.push({ pinned: pinnedWords(entry.shape, tokens, text), rule });
  }

  /**
   * A free value typed as buildRule types it, or null when buildRule would
   * report anything about it. (An address or NAT destination of the other
   * family draws nothing from buildRule; such a line takes the whole way all
   * the same, as a rarity not worth a second look.)
   */
  private freeValue(free: FreeValue, valueText: string, protocol: string | null, family: "ipv4" | "ipv6"): Value | null {
    if (free.base) {
      const typed = typeValue("address", valueText, null);
      if (isTypeError(typed)) return null;
      const address = typed as AddressValue;
      // `! -s 0.0.0.0/0` draws a warning.
      if (address.family !== family || (free.negated && address.prefixLength === 0)) return null;
      return address;
    }
    const spec = free.spec!;
    const type = spec.argTypes?.[free.position] ?? spec.type;
    const shared = type === "probability";
    if (shared) {
      const known = this.probabilities.get(valueText);
      if (known !== undefined) return known;
    }
    const typed = typeValue(type, valueText, protocol, spec.values);
    if (isTypeError(typed) || valueProblem(spec, type, typed, valueText) !== null) return null;
    if ((typed.type === "address" || typed.type === "ipRange" || typed.type === "natRange") && typed.family !== null && typed.family !== family) return null;
    if (shared && this.probabilities.size < MAX_SHARED_PROBABILITIES) this.probabilities.set(valueText, typed);
    return typed;
  }
}

function freeTokens(shape: LineShape): boolean[] {
  const freeAt: boolean[] = [];
  for (const f of shape.free) freeAt[f.tok] = true;
  for (const t of shape.pinned) freeAt[t] = false;
  return freeAt;
}
