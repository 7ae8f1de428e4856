/**
 * Untrusted text (comments, chain names, interface names, whole lines of a
 * dump) must never reach a terminal with control characters intact: an
 * escape sequence inside a comment could rewrite the screen or hide a rule.
 * `neutralize` makes every such character visible as an escape.
 */

// C0 controls, DEL, C1 controls, and the Unicode bidi/format characters that
// can reorder what a reader sees (Trojan Source).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  switch (ch) {
    case "\t":
      return "\\t";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\u001b":
      return "\\e";
    default:
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  }
}

/** Replace control and invisible formatting characters with visible escapes. */
export function neutralize(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** True when `neutralize` would change the text. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

// What JSON.stringify leaves raw that a terminal may act on or that reorders
// text: DEL, C1 controls and the bidi/format characters (it escapes C0 itself).
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * JSON text (from JSON.stringify) with those characters as `\u` escapes: it
 * parses back to the same value, and printed on a terminal it is inert.
 */
export function escapeJsonText(json: string): string {
  // Every character JSON_UNSAFE names is DEL or outside ASCII. A text whose UTF-8
  // length is its length is all ASCII, and then only DEL needs looking for: both
  // are native scans, several times faster than the regular expression over the
  // 60 MB that `kipt explain -o json` writes for a 10,000-service node.
  if (Buffer.byteLength(json, "utf8") === json.length && !json.includes("\u007f")) return json;
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Every JSON document kipt prints: indented by two, bigints (counters) as
 * decimal strings, and escaped with escapeJsonText so that it is inert on a
 * terminal and parses back to the same value. No trailing newline.
 */
export function jsonText(value: unknown): string {
  let json: string;
  try {
    // Without a replacer first: calling one for every key and value took a third of
    // the time of a large document (`kipt explain -o json`, 60 MB), and most have no bigint.
    json = JSON.stringify(value, null, 2);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    json = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
  }
  return escapeJsonText(json);
}
