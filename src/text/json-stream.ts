/**
 * A large JSON document written a piece at a time: exactly the text
 * `jsonText` gives (two-space indentation, bigints as decimal strings,
 * escapeJsonText), but never as one string. `kipt explain -o json` on a
 * 10,000-service node is a 60 MB document; built whole it was one 60 MB
 * string, an escaped copy and a 60 MB output buffer at the same time.
 *
 * Objects and arrays are opened and closed here and their members written
 * one by one, down to members that are small (a leaf, or an array or object
 * of a few hundred values all told): those go through JSON.stringify, runs
 * of them in one call, nested so that it indents them for their depth, so
 * the layout is JSON.stringify's own.
 */
import { escapeJsonText, jsonText } from "./sanitize.js";

/** Receives the document a piece at a time. */
export type JsonSink = (piece: string) => void;

/** Values (members, all levels down) up to which a container is stringified in one call. */
const SMALL = 256;

/** Arrays and plain objects; anything else (toJSON, boxed values, Maps) is left to JSON.stringify. */
function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** Whether `value` holds more than SMALL values, all levels down; stops counting there. */
function large(value: Record<string, unknown> | unknown[]): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (!isContainer(v)) continue;
    const members = Array.isArray(v) ? v : Object.values(v);
    count += members.length;
    if (count > SMALL) return true;
    for (const m of members) if (typeof m === "object" && m !== null) stack.push(m);
  }
  return false;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/**
 * jsonText of `items` (consecutive members of an array at `depth`) as they
 * appear inside that array: `a,\n<indent>b,...`. Stringified nested in
 * `depth` wrapper arrays, so that JSON.stringify itself indents them to
 * their depth, and the wrappers' brackets cut off: re-indenting every line
 * with a regular expression cost a quarter of the writing.
 */
function items(list: readonly unknown[], depth: number): string {
  let wrapped: unknown = list;
  for (let d = 0; d < depth; d++) wrapped = [wrapped];
  const text = jsonText(wrapped);
  // "[\n" + "  [\n" + ... then the items' own indent; the same closing in reverse.
  let head = 0;
  for (let d = 0; d <= depth; d++) head += 2 * d + 2;
  head += 2 * (depth + 1);
  let tail = 0;
  for (let d = 0; d <= depth; d++) tail += 2 * d + 2;
  return text.slice(head, text.length - tail);
}

/** Members of an array written in one JSON.stringify call at most. */
const BATCH = 64;

function write(value: unknown, depth: number, sink: JsonSink): void {
  if (!isContainer(value) || !large(value)) {
    // At depth d, the value is indented as a member of an array at depth d - 1.
    sink(depth === 0 ? jsonText(value) : items([value], depth - 1));
    return;
  }
  const inner = "  ".repeat(depth + 1);
  const outer = "  ".repeat(depth);
  if (Array.isArray(value)) {
    sink("[");
    let i = 0;
    while (i < value.length) {
      sink(i === 0 ? `\n${inner}` : `,\n${inner}`);
      const item = value[i];
      if (isContainer(item) && large(item)) {
        write(item, depth + 1, sink);
        i++;
        continue;
      }
      // A run of small members in one call.
      let end = i + 1;
      while (end < value.length && end - i < BATCH && !(isContainer(value[end]) && large(value[end] as Record<string, unknown>))) end++;
      sink(items(value.slice(i, end), depth));
      i = end;
    }
    sink(`\n${outer}]`);
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    let member = value[key];
    // As JSON.stringify does: toJSON with the member's own key, then leave out what it leaves out.
    if (typeof member === "object" && member !== null && typeof (member as { toJSON?: unknown }).toJSON === "function") member = (member as { toJSON(key: string): unknown }).toJSON(key);
    if (omitted(member)) continue;
    sink(`${first ? "{" : ","}\n${inner}${escapeJsonText(JSON.stringify(key))}: `);
    first = false;
    write(member, depth + 1, sink);
  }
  sink(first ? "{}" : `\n${outer}}`);
}

/** Write `value` as jsonText would print it, a piece at a time (no trailing newline). */
export function writeJsonText(value: unknown, sink: JsonSink): void {
  write(value, 0, sink);
}
