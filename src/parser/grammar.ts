/**
 * The grammar of one line of an iptables-save / iptables-restore dump, as a
 * Chevrotain parser. One instance is reused for every line.
 *
 *   line        := tableLine | chainLine | commitLine | commandLine
 *   tableLine   := '*table'
 *   chainLine   := ':CHAIN' policy? counters?
 *   commitLine  := 'COMMIT'
 *   commandLine := counters? command arg* clause*
 *   clause      := '!'? ( '-m' NAME | '-j' NAME | '-g' NAME
 *                       | ('-s'|'-d'|'-i'|'-o'|'-p') '!'? VALUE | '-f'
 *                       | '-c' VALUE VALUE | OPTION '!'? ARG{arity} )
 *
 * The arity of an extension's option comes from the catalogue in
 * `grammar/extensions`, looked up through the extensions the line has loaded
 * so far (newest first, the way iptables merges getopt tables), so
 * `--log-prefix -x` and `--comment "-j DROP"` parse as values.
 *
 * The embedded actions build a `LinePlan` (token positions, not text), which
 * `shape-cache.ts` memoizes per line shape.
 */
import { distance as levenshtein } from "fastest-levenshtein";
import { EmbeddedActionsParser, type IParserErrorMessageProvider, type IToken, type TokenType, tokenMatcher } from "chevrotain";
import type { ExtensionSpec, OptionSpec } from "../../grammar/schema.js";
import type { CommandKind } from "../ast/types.js";
import { quote } from "../diagnostics/diagnostic.js";
import { ParseCodes, type ParseCode } from "../diagnostics/parse-codes.js";
import { protocolMatchName, registry } from "../extensions/registry.js";
import {
  allTokenTypes,
  AnyArg,
  Bang,
  ChainDecl,
  CommandFlag,
  Commit,
  Counters,
  DestinationFlag,
  FamilyFlag,
  Flag,
  FragmentFlag,
  GotoFlag,
  InInterfaceFlag,
  JumpFlag,
  MatchFlag,
  OptionFlag,
  OutInterfaceFlag,
  ProtocolFlag,
  SetCountersFlag,
  SourceFlag,
  TableName,
  Value,
} from "../lexer/tokens.js";
import type { BaseField, LinePlan, PlanProblem, PlanStep } from "./plan.js";

const COMMANDS: Record<string, CommandKind> = {
  "-A": "append",
  "--append": "append",
  "-I": "insert",
  "--insert": "insert",
  "-D": "delete",
  "--delete": "delete",
  "-R": "replace",
  "--replace": "replace",
  "-N": "new-chain",
  "--new-chain": "new-chain",
  "--new": "new-chain",
  "-X": "delete-chain",
  "--delete-chain": "delete-chain",
  "-F": "flush",
  "--flush": "flush",
  "-Z": "zero",
  "--zero": "zero",
  "-P": "policy",
  "--policy": "policy",
  "-E": "rename-chain",
  "--rename-chain": "rename-chain",
};

/** iptables' own long options (iptables.c), which getopt matches prefixes against too. */
const GLOBAL_LONG_OPTIONS = [
  "append", "delete", "check", "insert", "replace", "list", "list-rules", "flush", "zero", "new-chain",
  "delete-chain", "rename-chain", "policy", "source", "src", "destination", "dst", "protocol", "in-interface",
  "jump", "table", "match", "numeric", "out-interface", "verbose", "wait", "wait-interval", "exact", "fragment",
  "version", "help", "line-numbers", "modprobe", "set-counters", "goto", "ipv4", "ipv6",
];

/** Extensions loaded so far on the line, in load order. */
interface Loaded {
  readonly spec: ExtensionSpec | null;
  /** Index among the line's matches, or -1 for the target. */
  readonly owner: number;
}

interface Resolution {
  readonly spec: OptionSpec | null;
  readonly owner: number;
  /** Values to consume: a number, or "generic" for an unknown extension's option. */
  readonly arity: number | "generic";
  readonly optional: boolean;
}

export class LineParser extends EmbeddedActionsParser {
  // Per-line state, reset by `parseLine`.
  private steps: PlanStep[] = [];
  private problems: PlanProblem[] = [];
  private loaded: Loaded[] = [];
  private matchCount = 0;
  private protocol: string | null = null;
  private remaining = 0;
  private genericValues = false;

  /**
   * `validate: false` skips Chevrotain's grammar validations (ambiguities, left
   * recursion), which cost a tenth of kipt's start-up on every run. The CLI and
   * library skip them; the tests and the diagram script construct the parser
   * with them (test/grammar/diagrams.test.ts), so a grammar mistake still fails.
   */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(allTokenTypes, { recoveryEnabled: false, maxLookahead: 2, errorMessageProvider: expectationMessages, skipValidations: options.validate === false });
    this.performSelfAnalysis();
  }

  /** Parse one line's tokens into a plan. Never throws. */
  parseLine(tokens: IToken[]): LinePlan {
    this.steps = [];
    this.problems = [];
    this.loaded = [];
    this.matchCount = 0;
    this.protocol = null;
    this.input = tokens;
    let kind: LinePlan["kind"] = "invalid";
    try {
      kind = this.line();
    } catch (error) {
      // Chevrotain reports grammar errors through `this.errors`; anything thrown
      // here is a bug in an action, reported as a diagnostic rather than a crash.
      this.problem(ParseCodes.syntaxError, 0, () => `cannot parse this line (${String(error)})`);
    }
    for (const error of this.errors) {
      const tok = tokens.indexOf(error.token);
      const found = (t: (i: number) => string) => (tok >= 0 ? `found ${quote(t(tok))}` : "found the end of the line");
      const expected = error.message;
      this.problems.push({ code: ParseCodes.syntaxError, tok, message: (t) => `expected ${expected}, ${found(t)}` });
      kind = "invalid";
    }
    const optionCounts = new Array<number>(this.matchCount + 1).fill(0);
    for (const step of this.steps) {
      if (step.op === "option") {
        const at = step.owner === -1 ? this.matchCount : step.owner;
        if (at >= 0) optionCounts[at]!++;
      }
    }
    return { kind, steps: this.steps, problems: this.problems, matchCount: this.matchCount, optionCounts };
  }

  private problem(code: ParseCode, tok: number, message: PlanProblem["message"]): void {
    this.problems.push({ code, tok, message });
  }

  /** Tokens handed to this parser carry their position in the line (see shape-cache.ts). */
  private tokIndex(token: IToken): number {
    return (token as IToken & { index?: number }).index ?? -1;
  }

  // -------------------------------------------------------------------------
  // Grammar rules

  private line = this.RULE("line", (): LinePlan["kind"] =>
    this.OR([
      { ALT: () => this.SUBRULE(this.tableLine) },
      { ALT: () => this.SUBRULE(this.chainLine) },
      { ALT: () => this.SUBRULE(this.commitLine) },
      { ALT: () => this.SUBRULE(this.commandLine) },
    ]),
  );

  private tableLine = this.RULE("tableLine", (): LinePlan["kind"] => {
    const t = this.CONSUME(TableName);
    this.ACTION(() => this.steps.push({ op: "table", tok: this.tokIndex(t) }));
    return "table";
  });

  private chainLine = this.RULE("chainLine", (): LinePlan["kind"] => {
    const name = this.CONSUME(ChainDecl);
    let policy = -1;
    let counters = -1;
    this.OPTION(() => {
      policy = this.tokIndex(this.CONSUME(Value));
    });
    this.OPTION2(() => {
      counters = this.tokIndex(this.CONSUME(Counters));
    });
    this.ACTION(() => this.steps.push({ op: "chainDecl", tok: this.tokIndex(name), policyTok: policy, countersTok: counters }));
    return "chainDecl";
  });

  private commitLine = this.RULE("commitLine", (): LinePlan["kind"] => {
    const t = this.CONSUME(Commit);
    this.ACTION(() => this.steps.push({ op: "commit", tok: this.tokIndex(t) }));
    return "commit";
  });

  private commandLine = this.RULE("commandLine", (): LinePlan["kind"] => {
    let counters = -1;
    this.OPTION(() => {
      counters = this.tokIndex(this.CONSUME(Counters));
    });
    const flag = this.CONSUME(CommandFlag);
    const args: number[] = [];
    this.MANY(() => {
      args.push(this.tokIndex(this.CONSUME2(Value)));
    });
    this.ACTION(() =>
      this.steps.push({ op: "command", tok: this.tokIndex(flag), command: COMMANDS[flag.image] ?? "append", countersTok: counters, argToks: args }),
    );
    this.MANY2(() => this.SUBRULE(this.clause));
    return "command";
  });

  private clause = this.RULE("clause", () => {
    let bang: IToken | null = null;
    this.OPTION(() => {
      bang = this.CONSUME(Bang);
    });
    const negated = bang !== null;
    this.OR([
      { ALT: () => this.SUBRULE(this.matchClause, { ARGS: [negated] }) },
      { ALT: () => this.SUBRULE(this.targetClause, { ARGS: [negated] }) },
      { ALT: () => this.SUBRULE(this.baseClause, { ARGS: [negated] }) },
      { ALT: () => this.SUBRULE(this.fragmentClause, { ARGS: [negated] }) },
      { ALT: () => this.SUBRULE(this.countersClause) },
      { ALT: () => this.SUBRULE(this.familyClause) },
      { ALT: () => this.SUBRULE(this.optionClause, { ARGS: [negated] }) },
    ]);
  });

  private matchClause = this.RULE("matchClause", (negated: boolean) => {
    const flag = this.CONSUME(MatchFlag);
    const name = this.CONSUME(Value);
    this.ACTION(() => {
      const tok = this.tokIndex(flag);
      if (negated) this.problem(ParseCodes.misplacedNegation, tok - 1, () => "'!' cannot negate '-m'; put it before the match's option");
      const spec = registry.match(name.image) ?? null;
      const nameTok = this.tokIndex(name);
      if (!spec) {
        this.problem(ParseCodes.unknownExtension, nameTok, (t) => `unknown match extension ${quote(t(nameTok))}; its options are kept as written`);
      }
      this.steps.push({ op: "match", tok, nameTok, name: spec ? spec.name : null, spec, implicit: false });
      this.loaded.push({ spec, owner: this.matchCount++ });
    });
  });

  private targetClause = this.RULE("targetClause", (negated: boolean) => {
    const flag = this.OR([{ ALT: () => this.CONSUME(JumpFlag) }, { ALT: () => this.CONSUME(GotoFlag) }]);
    const name = this.CONSUME(Value);
    this.ACTION(() => {
      const tok = this.tokIndex(flag);
      if (negated) this.problem(ParseCodes.misplacedNegation, tok - 1, () => "'!' cannot negate a target");
      const goto = tokenMatcher(flag, GotoFlag);
      if (this.steps.some((s) => s.op === "target")) {
        this.problem(ParseCodes.syntaxError, tok, () => "a rule can have only one target");
      }
      // `-g` always names a chain; `-j NAME` is an extension when the catalogue has it.
      const spec = goto ? null : (registry.target(name.image) ?? null);
      this.steps.push({ op: "target", tok, nameTok: this.tokIndex(name), spec, goto });
      this.loaded.push({ spec, owner: -1 });
    });
  });

  private baseClause = this.RULE("baseClause", (negated: boolean) => {
    const flag = this.OR([
      { ALT: () => this.CONSUME(SourceFlag) },
      { ALT: () => this.CONSUME(DestinationFlag) },
      { ALT: () => this.CONSUME(InInterfaceFlag) },
      { ALT: () => this.CONSUME(OutInterfaceFlag) },
      { ALT: () => this.CONSUME(ProtocolFlag) },
    ]);
    let lateBang: IToken | null = null;
    // iptables before 1.4.3 wrote the `!` after the option: `-s ! 10.0.0.1`.
    this.OPTION(() => {
      lateBang = this.CONSUME(Bang);
    });
    const value = this.CONSUME(Value);
    this.ACTION(() => {
      const field = baseField(flag.tokenType);
      const tok = this.tokIndex(flag);
      if (lateBang) this.deprecatedBang(tok);
      if (field === "protocol") this.protocol = value.image.toLowerCase();
      this.steps.push({ op: "base", field, tok, negated: negated || lateBang !== null, valueTok: this.tokIndex(value) });
    });
  });

  private fragmentClause = this.RULE("fragmentClause", (negated: boolean) => {
    const flag = this.CONSUME(FragmentFlag);
    this.ACTION(() => this.steps.push({ op: "base", field: "fragment", tok: this.tokIndex(flag), negated, valueTok: -1 }));
  });

  private countersClause = this.RULE("countersClause", () => {
    const flag = this.CONSUME(SetCountersFlag);
    const packets = this.CONSUME2(Value);
    const bytes = this.CONSUME3(Value);
    this.ACTION(() =>
      this.steps.push({ op: "setCounters", tok: this.tokIndex(flag), valueToks: [this.tokIndex(packets), this.tokIndex(bytes)] }),
    );
  });

  private familyClause = this.RULE("familyClause", () => {
    this.CONSUME(FamilyFlag);
  });

  private optionClause = this.RULE("optionClause", (negated: boolean) => {
    const flag = this.CONSUME(OptionFlag);
    let lateBang: IToken | null = null;
    let resolution: Resolution = { spec: null, owner: -1, arity: "generic", optional: false };
    this.ACTION(() => {
      resolution = this.resolveOption(flag);
      this.remaining = resolution.arity === "generic" ? 0 : resolution.arity;
      this.genericValues = resolution.arity === "generic";
    });
    // A `!` after an option that takes no value negates the next option
    // (`--set ! --label 5`), so only an option with values takes a late `!`.
    this.OPTION({
      GATE: () => this.genericValues || this.remaining > 0,
      DEF: () => {
        lateBang = this.CONSUME(Bang);
      },
    });
    const values: number[] = [];
    this.MANY({
      // A known option takes exactly its arity, whatever the words look like;
      // an optional argument or an unknown extension's option stops at the next flag.
      GATE: () =>
        this.genericValues
          ? tokenMatcher(this.LA(1), Value)
          : this.remaining > 0 && !(resolution.optional && tokenMatcher(this.LA(1), Flag)),
      DEF: () => {
        const v = this.CONSUME(AnyArg);
        this.ACTION(() => {
          values.push(this.tokIndex(v));
          this.remaining--;
        });
      },
    });
    this.ACTION(() => {
      const tok = this.tokIndex(flag);
      if (lateBang) this.deprecatedBang(tok);
      const isNegated = negated || lateBang !== null;
      const spec = resolution.spec;
      if (spec) {
        if (isNegated && !spec.negatable) {
          this.problem(ParseCodes.misplacedNegation, tok, (t) => `option ${quote(t(tok))} cannot be negated`);
        }
        if (this.remaining > 0 && !resolution.optional) {
          const need = spec.args;
          this.problem(ParseCodes.missingValue, values.length > 0 ? values[values.length - 1]! + 1 : tok + 1, (t) =>
            `option ${quote(t(tok))} needs ${need === 1 ? "a value" : `${need} values`}, found ${values.length}`,
          );
        }
      }
      this.steps.push({ op: "option", tok, owner: resolution.owner, spec, negated: isNegated, valueToks: values });
    });
  });

  // -------------------------------------------------------------------------
  // Actions' helpers (only ever called outside Chevrotain's recording phase)

  private deprecatedBang(tok: number): void {
    this.problem(ParseCodes.deprecatedSyntax, tok, (t) => `'!' after ${quote(t(tok))} is pre-1.4.3 syntax that current iptables rejects; write '! ${t(tok)}'`);
  }

  /** Which loaded extension owns an option, loading the protocol's match the way iptables does. */
  private resolveOption(flag: IToken): Resolution {
    const spelling = flag.image;
    for (let i = this.loaded.length - 1; i >= 0; i--) {
      const { spec, owner } = this.loaded[i]!;
      if (!spec) continue;
      const option = registry.option(spec, spelling);
      if (option) return { spec: option, owner, arity: option.args, optional: option.optionalArgs ?? false };
    }
    // getopt_long: an unambiguous prefix of a long option of what is loaded.
    // iptables' own long options take part too, so `--so` (--source) or `--ma`
    // (--match) is ambiguous. This comes before the protocol's match is loaded:
    // getopt knows only the loaded options, so `-p tcp -m multiport --dport 80`
    // is multiport's `--dports` (checked with the tool).
    const globalClash = spelling.startsWith("--") && GLOBAL_LONG_OPTIONS.some((g) => g.startsWith(spelling.slice(2)));
    for (let i = this.loaded.length - 1; !globalClash && i >= 0; i--) {
      const { spec, owner } = this.loaded[i]!;
      if (!spec) continue;
      const option = registry.optionByPrefix(spec, spelling);
      if (option && option !== "ambiguous") return { spec: option, owner, arity: option.args, optional: option.optionalArgs ?? false };
    }
    const implicit = this.loadProtocolMatch(flag, (spec) => registry.option(spec, spelling));
    if (implicit) return implicit;
    // iptables loads the protocol's match on an unknown option and lets getopt
    // read the option again, prefixes included (`-p esp --esp 9`).
    const implicitByPrefix = this.loadProtocolMatch(flag, (spec) => {
      const option = registry.optionByPrefix(spec, spelling);
      return option === "ambiguous" ? undefined : option;
    });
    if (implicitByPrefix) return implicitByPrefix;
    const tok = this.tokIndex(flag);
    const unknownOwner = [...this.loaded].reverse().find((l) => l.spec === null);
    if (unknownOwner) return { spec: null, owner: unknownOwner.owner, arity: "generic", optional: false };
    const loaded = this.describeLoaded();
    const near = this.nearestOption(spelling);
    const hint = near ? `; did you mean '${near.option}' (of '${near.extension}')?` : "";
    this.problem(ParseCodes.unknownOption, tok, (t) => `unknown option ${quote(t(tok))}${loaded}${hint}`);
    // Kept on the newest extension so nothing written is lost from the AST.
    const last = this.loaded[this.loaded.length - 1];
    return { spec: null, owner: last ? last.owner : -2, arity: "generic", optional: false };
  }

  /**
   * The option of a loaded extension, or of the match `-p` would load, that
   * `spelling` most likely mistypes (`--dprot` for `--dport`): at most two
   * edits away, and closer than any other. Only for the message.
   */
  private nearestOption(spelling: string): { option: string; extension: string } | null {
    const specs = this.loaded.map((l) => l.spec).filter((s): s is ExtensionSpec => s !== null);
    const protocolMatch = this.protocol ? protocolMatchName(this.protocol) : null;
    const implicit = protocolMatch ? registry.match(protocolMatch) : undefined;
    if (implicit && !specs.includes(implicit)) specs.push(implicit);
    let best: { option: string; extension: string } | null = null;
    let bestDistance = 3;
    let tie = false;
    for (const spec of specs) {
      for (const o of spec.options) {
        for (const name of [o.name, ...(o.aliases ?? [])]) {
          const d = levenshtein(spelling, name);
          if (d < bestDistance) {
            best = { option: o.name, extension: spec.name };
            bestDistance = d;
            tie = false;
          } else if (d === bestDistance && best?.option !== o.name) tie = true;
        }
      }
    }
    return tie ? null : best;
  }

  private describeLoaded(): string {
    const specs = this.loaded.map((l) => l.spec).filter((s): s is ExtensionSpec => s !== null);
    if (specs.length === 0) return " (expected an option of a loaded match or target; load one first with '-m NAME')";
    // The option is offered to every loaded extension, not to the last `-m` alone: say none takes it.
    const names = specs.map((s) => `'${s.name}'`).join(", ");
    const options = [...new Set(specs.flatMap((s) => s.options.map((o) => o.name)))];
    const shown = options.length > 6 ? `${options.slice(0, 6).join(", ")}, ...` : options.join(", ");
    return options.length ? ` (expected an option of ${names}: ${shown})` : ` (expected no option: ${names} ${specs.length === 1 ? "takes" : "take"} none)`;
  }

  private loadProtocolMatch(flag: IToken, find: (spec: ExtensionSpec) => OptionSpec | undefined): Resolution | null {
    if (!this.protocol) return null;
    const name = protocolMatchName(this.protocol);
    const spec = name ? registry.match(name) : undefined;
    if (!spec || this.loaded.some((l) => l.spec === spec)) return null;
    const option = find(spec);
    if (!option) return null;
    const tok = this.tokIndex(flag);
    this.steps.push({ op: "match", tok, nameTok: tok, name: spec.name, spec, implicit: true });
    const owner = this.matchCount++;
    this.loaded.push({ spec, owner });
    return { spec: option, owner, arity: option.args, optional: option.optionalArgs ?? false };
  }
}

function baseField(type: TokenType): BaseField {
  if (type === SourceFlag) return "source";
  if (type === DestinationFlag) return "destination";
  if (type === InInterfaceFlag) return "inInterface";
  if (type === OutInterfaceFlag) return "outInterface";
  return "protocol";
}

function label(type: TokenType): string {
  return type.LABEL ?? type.name;
}

function firstLabels(paths: TokenType[][][]): string {
  const labels = [...new Set(paths.flat().map((path) => (path[0] ? label(path[0]) : "the end of the line")))];
  return labels.length > 5 ? `${labels.slice(0, 5).join(", ")}, ...` : labels.join(" or ");
}

/**
 * Chevrotain's default messages name grammar rules; users need "expected X".
 * Each message here is the phrase after "expected".
 */
const expectationMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => label(expected),
  buildNotAllInputParsedMessage: () => "the end of the line",
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) => firstLabels(expectedPathsPerAlt),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => firstLabels([expectedIterationPaths]),
};
