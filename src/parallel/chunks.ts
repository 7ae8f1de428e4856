/**
 * Splitting one dump into chunks that worker threads can parse on their own.
 * Every rule line stands alone, so a chunk may start at any rule line once
 * the parser knows the open table and its chains there (`contextsAt`).
 */
import { contextsAt, type ChunkRange } from "../parser/parse.js";

/** Below this size a worker's start-up costs more than it saves. */
export const MIN_PARALLEL_BYTES = 4 * 1024 * 1024;

/**
 * Chunk ranges for `parts` workers, or null when the dump should be parsed
 * in one piece: it is small, renames chains (`-E`, which rewrites rules
 * across chunks), or has no header saying its address family (which the
 * printer needs before it has seen the first address).
 */
export function planChunks(text: string, parts: number, minBytes = MIN_PARALLEL_BYTES): ChunkRange[] | null {
  if (parts < 2 || text.length < minBytes) return null;
  if (/^[ \t]*(?:-E|--rename-chain)[ \t]/m.test(text)) return null;
  const starts: number[] = [];
  for (let k = 1; k < parts; k++) {
    // Cut just before a rule line, which is always inside a table: no comment,
    // header or COMMIT sits on a boundary.
    const at = text.indexOf("\n-A ", Math.floor((k * text.length) / parts));
    if (at < 0) break;
    const start = at + 1;
    if (starts.length === 0 || start > starts[starts.length - 1]!) starts.push(start);
  }
  if (starts.length === 0) return null;
  const contexts = contextsAt(text, [0, ...starts]);
  if (contexts[1]!.family === null) return null;
  const lineOf = lineNumbers(text, starts);
  const ranges: ChunkRange[] = [];
  const bounds = [0, ...starts, text.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    ranges.push({ from: bounds[i]!, to: bounds[i + 1]!, firstLine: i === 0 ? 1 : lineOf[i - 1]!, context: contexts[i]!, last: i + 2 === bounds.length });
  }
  return ranges;
}

/** 1-based line numbers of ascending offsets. */
function lineNumbers(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let pos = 0;
  for (const offset of offsets) {
    for (let nl = text.indexOf("\n", pos); nl >= 0 && nl < offset; nl = text.indexOf("\n", nl + 1)) {
      line++;
      pos = nl + 1;
    }
    out.push(line);
  }
  return out;
}
