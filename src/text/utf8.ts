/**
 * UTF-8 lengths. iptables counts option values in bytes (C strings), so a
 * limit of 29 "characters" is 29 bytes, and an accented letter takes two.
 */

/** Bytes of `text` in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes, as the encoder writes it). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: 2 code units, 4 bytes.
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * The longest start of `text` of at most `limit` UTF-8 bytes that ends on a
 * whole character. (The kernel cuts at the byte, possibly inside a character;
 * a JavaScript string cannot hold half a character.)
 */
export function utf8Prefix(text: string, limit: number): string {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > limit) return text.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return text;
}
