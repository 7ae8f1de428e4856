/**
 * `-A CHAIN ...` lines recognised without the scanner and the shape lookup.
 *
 * A dump's rules come in runs of one shape (a chain's rules, a table's
 * service rules), and the grammar's plan depends on the shape alone (see
 * shape-cache.ts). So each `-A` line the scanner read becomes a template:
 * the words its shape is made of (options, extension names, a target
 * extension) as literal text, and the others (values, chain names) as slots
 * a word of the same class fills. A later line that a recently used
 * template accepts gets its words put in the token buffer exactly as the
 * scanner would put them, and the template's plan; parsing goes on from
 * there as for any line, every check included. The words a slot takes are
 * the ones the scanner would split and class the same way; anything in
 * doubt (odd spacing, quotes with escapes, a word starting with `-`, `!`
 * or `[`) is scanned as usual. test/parser/line-templates.test.ts parses
 * every corpus both ways.
 */
import type { TokenType } from "chevrotain";
import { registry } from "../extensions/registry.js";
import { plainQuotedEnd, plainWordEnd, type LineTokens } from "../lexer/scanner.js";
import { CommandFlag, Quoted, Word } from "../lexer/tokens.js";
import type { LinePlan } from "./plan.js";
import { CHAIN_NAME, shapeKeyOf } from "./shape-cache.js";

/** A word of a template. */
interface TemplateWord {
  /** The word itself (its shared instance), or null for a slot. */
  readonly literal: string | null;
  readonly type: TokenType;
  /** A slot for the chain a rule jumps to: no target extension's name may fill it. */
  readonly jump: boolean;
}

interface LineTemplate {
  readonly plan: LinePlan;
  readonly words: readonly TemplateWord[];
}

/** Templates tried on each `-A` line, most recently used first. */
const RECENT = 6;


/**
 * A short list, most recently used first, of the templates tried on each
 * line (this module's and fmt's, format/verbatim.ts): lines of one kind come
 * in runs, so the first one tried usually fits.
 */
export class RecentlyUsed<T> {
  readonly items: T[] = [];
  constructor(private readonly size: number) {}

  use(item: T): void {
    const at = this.items.indexOf(item);
    if (at === 0) return;
    if (at > 0) this.items.splice(at, 1);
    else if (this.items.length >= this.size) this.items.pop();
    this.items.unshift(item);
  }
}

export class LineTemplates {
  private readonly recent = new RecentlyUsed<LineTemplate>(RECENT);

  /**
   * Remember the line the scanner just read into `tokens` (an `-A` line with
   * its plan) as a template, unless a recent one already covers it.
   */
  learn(plan: LinePlan, tokens: LineTokens): void {
    if (plan.kind !== "command" || tokens.count < 3 || tokens.type[0] !== CommandFlag || tokens.text[0] !== "-A") return;
    for (const t of this.recent.items) if (t.plan === plan && t.words.length === tokens.count && sameLiterals(t, tokens)) return this.recent.use(t);
    const words: TemplateWord[] = [];
    for (let i = 0; i < tokens.count; i++) {
      const key = shapeKeyOf(tokens, i);
      const type = tokens.type[i]!;
      // A literal is matched as written: a quoted word's text is not what the line shows (found in review).
      if (typeof key === "string") {
        if (type === Quoted) return;
        words.push({ literal: tokens.text[i]!, type, jump: false });
      }
      else if (key === CHAIN_NAME && type === Word) words.push({ literal: null, type, jump: true });
      else if (key === Word || key === Quoted) words.push({ literal: null, type, jump: false });
      else return; // a word of another class: no template
    }
    this.recent.use({ plan, words });
  }

  /**
   * The plan of the line at text[first, end) when a recent template accepts
   * it, with its words put in `tokens` as the scanner would put them; null
   * when it must be scanned.
   */
  match(text: string, first: number, end: number, tokens: LineTokens): LinePlan | null {
    for (const t of this.recent.items) {
      if (fill(t, text, first, end, tokens)) {
        this.recent.use(t);
        return t.plan;
      }
    }
    return null;
  }

}

function sameLiterals(t: LineTemplate, tokens: LineTokens): boolean {
  for (let i = 0; i < t.words.length; i++) {
    const w = t.words[i]!;
    if (w.type !== tokens.type[i] || (w.literal !== null && w.literal !== tokens.text[i])) return false;
  }
  return true;
}

/** Put the line's words in `tokens` when `t` accepts them (one space between words, none after the last). */
function fill(t: LineTemplate, text: string, first: number, end: number, tokens: LineTokens): boolean {
  const words = t.words;
  let pos = first;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let wordEnd: number;
    let word: string;
    if (w.literal !== null) {
      if (!text.startsWith(w.literal, pos)) return false;
      wordEnd = pos + w.literal.length;
      word = w.literal;
    } else if (w.type === Quoted) {
      wordEnd = plainQuotedEnd(text, pos, end);
      if (wordEnd < 0) return false;
      word = text.slice(pos + 1, wordEnd - 1);
    } else {
      wordEnd = plainWordEnd(text, pos, end);
      if (wordEnd < 0) return false;
      word = text.slice(pos, wordEnd);
      // A target extension's name there would make another shape.
      if (w.jump && registry.target(word) !== undefined) return false;
    }
    if (i === words.length - 1 ? wordEnd !== end : wordEnd >= end || text.charCodeAt(wordEnd) !== 32) return false;
    tokens.start[i] = pos;
    tokens.end[i] = wordEnd;
    tokens.type[i] = w.type;
    tokens.text[i] = word;
    pos = wordEnd + 1;
  }
  tokens.count = words.length;
  tokens.unterminatedQuoteAt = -1;
  return true;
}
