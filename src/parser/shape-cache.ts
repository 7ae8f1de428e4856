/**
 * Memoizes the Chevrotain grammar per line *shape*.
 *
 * A kube-proxy dump repeats a few dozen line shapes hundreds of thousands of
 * times: `-A KUBE-SEP-… -s … -m comment --comment … -j KUBE-MARK-MASQ`
 * differs from line to line only in chain names, addresses and comment text.
 * The grammar's decisions depend only on token types, option spellings and
 * extension names, so the shape key is exactly those; everything else (chain
 * names, values) is read from the tokens when the plan is replayed. Parsing
 * each line through Chevrotain measured ~1.2 s for 250,000 lines against
 * ~0.1 s for the lookup, which is why this cache exists.
 */
import type { IToken } from "chevrotain";
import { registry } from "../extensions/registry.js";
import type { LineTokens } from "../lexer/scanner.js";
import { Flag, GotoFlag, JumpFlag, MatchFlag, ProtocolFlag } from "../lexer/tokens.js";
import { LineParser } from "./grammar.js";
import type { LinePlan } from "./plan.js";

/** Bounded so that hostile input with endless distinct shapes cannot grow memory without limit. */
const MAX_SHAPES = 20_000;

function isFlag(tokens: LineTokens, i: number): boolean {
  const type = tokens.type[i]!;
  return type === Flag || (type.CATEGORIES?.includes(Flag) ?? false);
}

/** The parts of a line that can change what the grammar decides. */
export function shapeKey(tokens: LineTokens): string {
  let key = "";
  for (let i = 0; i < tokens.count; i++) {
    const type = tokens.type[i]!;
    key += String.fromCharCode(48 + (type.tokenTypeIdx ?? 0));
    if (isFlag(tokens, i)) {
      key += tokens.text[i];
      key += "\u0000";
    } else if (i > 0) {
      const previous = tokens.type[i - 1];
      if (previous === MatchFlag || previous === ProtocolFlag) {
        key += tokens.text[i];
        key += "\u0000";
      } else if (previous === JumpFlag || previous === GotoFlag) {
        // Chain names vary per line; only whether the name is a known target matters.
        key += registry.target(tokens.text[i]!) ? tokens.text[i] : "?";
        key += "\u0000";
      }
    }
  }
  return key;
}

export class ShapeCache {
  private readonly plans = new Map<string, LinePlan>();
  private readonly parser = new LineParser();
  /** Lines parsed by Chevrotain (cache misses), for profiling. */
  misses = 0;

  planFor(tokens: LineTokens): LinePlan {
    const key = shapeKey(tokens);
    const cached = this.plans.get(key);
    if (cached) return cached;
    this.misses++;
    const plan = this.parser.parseLine(toChevrotainTokens(tokens));
    if (this.plans.size >= MAX_SHAPES) this.plans.clear();
    this.plans.set(key, plan);
    return plan;
  }
}

function toChevrotainTokens(tokens: LineTokens): IToken[] {
  const out: IToken[] = [];
  for (let i = 0; i < tokens.count; i++) {
    const type = tokens.type[i]!;
    out.push({
      image: tokens.text[i]!,
      startOffset: tokens.start[i]!,
      endOffset: tokens.end[i]! - 1,
      tokenType: type,
      tokenTypeIdx: type.tokenTypeIdx!,
      index: i,
    } as IToken & { index: number });
  }
  return out;
}
