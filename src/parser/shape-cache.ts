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
const MAX_NODES = 200_000;

function isFlag(tokens: LineTokens, i: number): boolean {
  const type = tokens.type[i]!;
  return type === Flag || (type.CATEGORIES?.includes(Flag) ?? false);
}

/** Stands for any `-j`/`-g` name the catalogue does not know (a chain). */
export const CHAIN_NAME = Symbol("chain name");

/**
 * A trie over line shapes: one level per token, keyed by the token's type, or
 * by its text where the text changes what the grammar decides (option
 * spellings, extension names). Walking it allocates nothing, which matters
 * at a few hundred thousand lines.
 */
class ShapeNode {
  readonly next = new Map<unknown, ShapeNode>();
  plan: LinePlan | null = null;
}

/** The trie key of token `i`: what about it can change the grammar's decisions. */
export function shapeKeyOf(tokens: LineTokens, i: number): unknown {
  if (isFlag(tokens, i)) return tokens.text[i];
  if (i > 0) {
    const previous = tokens.type[i - 1];
    if (previous === MatchFlag || previous === ProtocolFlag) return tokens.text[i];
    // Chain names vary per line; only whether the name is a known target matters.
    if (previous === JumpFlag || previous === GotoFlag) {
      const spec = registry.target(tokens.text[i]!);
      // The catalogue's own string for a known target: its hash is computed once.
      return spec ? (spec.name === tokens.text[i] ? spec.name : tokens.text[i]) : CHAIN_NAME;
    }
  }
  return tokens.type[i];
}

/** The shape of a line as text, for debugging and tests. */
export function shapeKey(tokens: LineTokens): string {
  const parts: string[] = [];
  for (let i = 0; i < tokens.count; i++) {
    const key = shapeKeyOf(tokens, i);
    parts.push(typeof key === "string" ? key : key === CHAIN_NAME ? "<chain>" : `<${(key as { name: string }).name}>`);
  }
  return parts.join(" ");
}

export class ShapeCache {
  private root = new ShapeNode();
  private nodes = 0;
  // Validated by the tests (test/grammar), not on every run.
  private readonly parser = new LineParser({ validate: false });
  /** Lines parsed by Chevrotain (cache misses), for profiling. */
  misses = 0;

  planFor(tokens: LineTokens): LinePlan {
    let node = this.root;
    for (let i = 0; i < tokens.count; i++) {
      const key = shapeKeyOf(tokens, i);
      let next = node.next.get(key);
      if (next === undefined) {
        if (++this.nodes > MAX_NODES) {
          // Hostile input with endless distinct shapes: start over rather than grow without bound.
          this.root = new ShapeNode();
          this.nodes = 0;
          return this.parse(tokens);
        }
        next = new ShapeNode();
        node.next.set(key, next);
      }
      node = next;
    }
    if (node.plan === null) node.plan = this.parse(tokens);
    return node.plan;
  }

  private parse(tokens: LineTokens): LinePlan {
    this.misses++;
    return this.parser.parseLine(toChevrotainTokens(tokens));
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
