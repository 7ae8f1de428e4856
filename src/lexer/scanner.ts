/**
 * The line scanner: splits one line into words the way iptables-restore
 * does (xshared.c `add_param_to_argv`): whitespace separates words, a
 * double-quoted part may contain whitespace, inside quotes a backslash makes
 * the next character literal, outside quotes a backslash is literal and
 * single quotes are ordinary characters. Each word is classified into a
 * Chevrotain token type from `tokens.ts`.
 *
 * It writes into a reusable `LineTokens` buffer rather than allocating token
 * objects: on a 700,000-line dump token objects were the largest single
 * cost. Chevrotain `IToken`s are built from the buffer only when the parser
 * actually runs (see `parser/shape-cache.ts`).
 */
import type { TokenType } from "chevrotain";
import { Bang, ChainDecl, CommandFlag, Commit, Counters, flagTokenTypes, MatchFlag, OptionFlag, ProtocolFlag, Quoted, TableName, Word } from "./tokens.js";

export class LineTokens {
  /** Number of tokens in the buffer. */
  count = 0;
  /** Token start, as an offset into the line. */
  readonly start: number[] = [];
  /** Token end (exclusive), as an offset into the line. */
  readonly end: number[] = [];
  readonly type: TokenType[] = [];
  /** The word after quote removal and unescaping; equals the source slice for unquoted words. */
  readonly text: string[] = [];
  /** Offset of an unterminated quote, or -1. */
  unterminatedQuoteAt = -1;

  reset(): void {
    this.count = 0;
    this.unterminatedQuoteAt = -1;
  }

  // Position of the next quote or non-space whitespace in the text being scanned,
  // kept across lines so that finding it stays linear in the text's length.
  private specialText: string | null = null;
  private specialAt = -1;

  /** Offset of the next `"`, tab, CR, VT or FF at or after `from` (the text's length when none). */
  nextSpecial(text: string, from: number): number {
    if (text !== this.specialText || from < this.specialFrom || from > this.specialAt) {
      SPECIAL.lastIndex = from;
      const m = SPECIAL.exec(text);
      this.specialAt = m ? m.index : text.length;
      this.specialText = text;
      this.specialFrom = from;
    }
    return this.specialAt;
  }

  private specialFrom = 0;

  push(start: number, end: number, type: TokenType, text: string): void {
    const i = this.count++;
    this.start[i] = start;
    this.end[i] = end;
    this.type[i] = type;
    this.text[i] = text;
  }
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const DASH = 45;

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === 13 || c === 11 || c === 12;
}

const COUNTERS_RE = /^\[\d+:\d+\]$/;
const SPECIAL = /["\t\r\v\f]/g;
/** A double-quoted part with no backslash and no line end inside, from lastIndex. */
const PLAIN_QUOTED = /"[^"\\\r\n]*"/y;

/**
 * Where a plain `"..."` word at `pos` ends (just past its closing quote, at
 * or before `lineEnd`): a double-quoted part with no backslash and no line
 * end inside, which the scanner reads as one Quoted word. -1 otherwise.
 */
export function plainQuotedEnd(text: string, pos: number, lineEnd: number): number {
  if (text.charCodeAt(pos) !== QUOTE) return -1;
  PLAIN_QUOTED.lastIndex = pos;
  if (!PLAIN_QUOTED.test(text)) return -1;
  const close = PLAIN_QUOTED.lastIndex;
  return close <= lineEnd ? close : -1;
}

/**
 * Where a non-empty word at `pos` ends when the scanner would class it as a
 * plain value (Word) wherever it stands after the command: the next space or
 * `lineEnd`, for a word that does not start with `-`, `!` or `[` and holds no
 * quote and no whitespace but spaces. -1 otherwise, and for an empty word (a
 * second space, which the scanner skips). Used by the line templates
 * (parser/line-templates.ts, format/verbatim.ts) to take a word without
 * scanning it.
 */
export function plainWordEnd(text: string, pos: number, lineEnd: number): number {
  if (pos >= lineEnd) return -1;
  const c0 = text.charCodeAt(pos);
  if (c0 === SPACE || c0 === DASH || c0 === 33 /* ! */ || c0 === 91 /* [ */) return -1;
  for (let i = pos; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE) return i;
    if (c === QUOTE || c === TAB || c === 11 || c === 12 || c === 13) return -1;
  }
  return lineEnd;
}

/**
 * Scan `line[from, to)` into `out`. `to` excludes any line terminator.
 * Never throws: an unterminated quote ends the word at the line's end and is
 * recorded in `out.unterminatedQuoteAt`.
 */
export function scanLine(line: string, out: LineTokens, from = 0, to = line.length): void {
  out.reset();
  let i = from;
  while (i < to) {
    let c = line.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    // Fast path, the common word: no quote or whitespace other than a space
    // before the next space, so the native indexOf finds its end.
    const special = out.nextSpecial(line, i);
    let space = line.indexOf(" ", i);
    if (space < 0 || space > to) space = to;
    if (special >= space) {
      const previous = out.count > 0 ? out.type[out.count - 1] : undefined;
      // Extension and protocol names (after -m and -p) are shared like option spellings.
      const named = previous === MatchFlag || previous === ProtocolFlag;
      // Lines of one shape come in runs (a chain's rules): the word the previous
      // line had here is usually this one, and comparing in place costs less than
      // a slice and a hash lookup.
      const before = out.text[out.count];
      let text: string;
      if ((named || out.count === 1 || line.charCodeAt(start) === DASH) && before !== undefined && before.length === space - start && line.startsWith(before, start)) {
        // Past the command position the class depends on the word alone: it is the previous line's
        // (unless that was a quoted word, whose text is the same without its quotes).
        if (out.count >= 2 && out.type[out.count] !== Quoted) {
          out.push(start, space, out.type[out.count]!, before);
          i = space;
          continue;
        }
        text = before;
      } else {
        const raw = line.slice(start, space);
        text = named ? internWord(raw) : internFlag(raw);
      }
      const commandPosition = out.count === 0 || (out.count === 1 && out.type[0] === Counters);
      out.push(start, space, classifyWord(text, out.count === 0, commandPosition), text);
      i = space;
      continue;
    }
    if (c === QUOTE) {
      // The common quoted word, a comment: `"..."` with no backslash, matched natively
      // rather than a character at a time. The word ends at the closing quote.
      const close = plainQuotedEnd(line, i, to);
      if (close >= 0) {
        out.push(start, close, Quoted, line.slice(start + 1, close - 1));
        i = close;
        continue;
      }
    }
    let quoted = false;
    let decoded: string | null = null; // built only for words containing quotes
    let segmentStart = i;
    while (i < to) {
      c = line.charCodeAt(i);
      if (c === QUOTE) {
        if (!quoted) {
          quoted = true;
          decoded = "";
        }
        decoded += line.slice(segmentStart, i);
        i++;
        let closed = false;
        let part = "";
        let partStart = i;
        while (i < to) {
          const q = line.charCodeAt(i);
          if (q === BACKSLASH && i + 1 < to) {
            part += line.slice(partStart, i);
            part += line[i + 1];
            i += 2;
            partStart = i;
            continue;
          }
          if (q === QUOTE) {
            closed = true;
            break;
          }
          i++;
        }
        part += line.slice(partStart, i);
        decoded += part;
        if (!closed) {
          if (out.unterminatedQuoteAt < 0) out.unterminatedQuoteAt = start;
          segmentStart = i;
          break;
        }
        i++; // closing quote
        segmentStart = i;
        // iptables-restore ends the word at the closing quote: `a"b c"d` is two words.
        break;
      }
      if (isSpace(c)) break;
      i++;
    }
    if (quoted) {
      decoded += line.slice(segmentStart, i);
      // A plain "..." word with no escapes: keep a slice of the input (one small
      // object) instead of the concatenated copy.
      const plain = line.charCodeAt(start) === QUOTE && i - start >= 2 && line.charCodeAt(i - 1) === QUOTE && (decoded as string).length === i - start - 2;
      out.push(start, i, Quoted, plain ? line.slice(start + 1, i - 1) : (decoded as string));
      continue;
    }
    const text = internFlag(line.slice(start, i));
    // Commands (-A, -N, --new, ...) stand first, or right after the counters;
    // elsewhere the same word is an extension's option (CLUSTERIP --new).
    const commandPosition = out.count === 0 || (out.count === 1 && out.type[0] === Counters);
    out.push(start, i, classifyWord(text, out.count === 0, commandPosition), text);
  }
}

/**
 * One shared instance per option spelling (`-m`, `--comment`, ...). Later
 * stages look these words up in Maps several times per line (the shape trie,
 * the catalogue); a shared instance has its hash computed once, a fresh slice
 * of the line every time. Bounded, for hostile input with endless spellings.
 */
const flagInstances = new Map<string, string>();
const MAX_FLAG_INSTANCES = 4096;

function internFlag(text: string): string {
  if (text.charCodeAt(0) !== DASH) return text;
  const known = flagInstances.get(text);
  if (known !== undefined) return known;
  if (flagInstances.size < MAX_FLAG_INSTANCES) flagInstances.set(text, text);
  return text;
}

const wordInstances = new Map<string, string>();

function internWord(text: string): string {
  const known = wordInstances.get(text);
  if (known !== undefined) return known;
  if (wordInstances.size < MAX_FLAG_INSTANCES) wordInstances.set(text, text);
  return text;
}

function classifyWord(text: string, first: boolean, commandPosition: boolean): TokenType {
  const c0 = text.charCodeAt(0);
  if (c0 === DASH && text.length > 1) {
    const known = flagTokenTypes.get(text);
    if (known && (known !== CommandFlag || commandPosition)) return known;
    const c1 = text.charCodeAt(1);
    // `-1` or `-` alone are values, not options.
    if ((c1 >= 65 && c1 <= 90) || (c1 >= 97 && c1 <= 122) || (c1 === DASH && text.length > 2)) return OptionFlag;
    return Word;
  }
  if (text === "!") return Bang;
  if (first) {
    if (c0 === 42 /* * */ && text.length > 1) return TableName;
    if (c0 === 58 /* : */ && text.length > 1) return ChainDecl;
    if (text === "COMMIT") return Commit;
  }
  // `[packets:bytes]` opens a rule line and closes a chain line.
  if (c0 === 91 /* [ */ && COUNTERS_RE.test(text)) return Counters;
  return Word;
}
