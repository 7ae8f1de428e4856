/**
 * Reading input for the CLI: a file, or standard input for `-`. Failures
 * become `InputError`s (exit code 3), never stack traces.
 */
import { readFileSync, readSync, statSync } from "node:fs";
import { isatty } from "node:tty";
import { getHeapStatistics } from "node:v8";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ParseCodes } from "../diagnostics/parse-codes.js";

export class InputError extends Error {}

export interface Input {
  /** Name for diagnostics: the path, or `-` for standard input. */
  readonly name: string;
  readonly text: string;
  /** Problems found while decoding (invalid UTF-8). */
  readonly diagnostics: Diagnostic[];
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8", { fatal: false });

/**
 * The largest input kipt reads: a twentieth of the V8 heap limit (about
 * 200 MB with Node's default 4 GB heap). kipt's analyses hold up to ~20x
 * the input (bench/RESULTS.md); past the heap, V8 aborts with a fatal
 * error and a native stack trace, so a bigger input is refused up front,
 * with the way to raise the limit. (The largest kube-proxy dumps measured,
 * 30,000 services, are under 100 MB.)
 */
export function maxInputBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 20);
}

function tooLarge(name: string, bytes: number, stopped = false): InputError {
  const mb = (n: number) => `${Math.ceil(n / 2 ** 20)} MB`;
  const heap = getHeapStatistics().heap_size_limit;
  return new InputError(
    `${name} is ${stopped ? "over " : ""}${mb(bytes)}, more than the ${mb(maxInputBytes())} kipt reads with a ${mb(heap)} heap; for a real dump this large, raise the heap: NODE_OPTIONS=--max-old-space-size=${Math.ceil((bytes * 20) / 2 ** 20)}`,
  );
}

function readBytes(path: string): Buffer {
  const bytes = readAll(path);
  // Standard input stops being read just past the limit, so its size is a lower bound.
  if (bytes.length > maxInputBytes()) throw tooLarge(path === "-" ? "standard input" : path, bytes.length, path === "-");
  return bytes;
}

function readAll(path: string): Buffer {
  if (path === "-") {
    // isatty(0), not process.stdin.isTTY: touching process.stdin makes Node
    // switch a pipe to non-blocking mode, and readFileSync(0) then fails with
    // EAGAIN as soon as the writer is slower than kipt (a large `cat | kipt`).
    if (isatty(0)) throw new InputError("no input: give a FILE, or pipe a dump into '-' (iptables-save | kipt ... -)");
    try {
      return readStdin();
    } catch (error) {
      throw new InputError(`cannot read standard input: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot read (${code})`}`);
  }
  if (stat.isDirectory()) throw new InputError(`${path}: is a directory, expected an iptables-save dump`);
  // Checked before reading: a 1 GB file is refused without being read.
  if (stat.isFile() && stat.size > maxInputBytes()) throw tooLarge(path, stat.size);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * All of standard input. Not readFileSync(0): once anything in the process
 * has touched process.stdin (chalk's colour detection does), Node has put a
 * pipe into non-blocking mode, and a plain read fails with EAGAIN whenever
 * the writer is slower than kipt (`iptables-save | kipt explain -` on a big
 * node). So read in a loop and wait briefly on EAGAIN; stop just past the input
 * limit, so an endless pipe cannot fill memory.
 */
function readStdin(): Buffer {
  const pieces: Buffer[] = [];
  let total = 0;
  const limit = maxInputBytes();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const piece = Buffer.allocUnsafe(1 << 20);
    let n: number;
    try {
      n = readSync(0, piece, 0, piece.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === "EOF") break;
      throw error;
    }
    if (n === 0) break;
    pieces.push(n === piece.length ? piece : piece.subarray(0, n));
    total += n;
    if (total > limit) break;
  }
  return Buffer.concat(pieces, total);
}

/** Decode bytes as UTF-8; invalid sequences become U+FFFD and one diagnostic. */
export function decode(bytes: Uint8Array, name: string): Input {
  try {
    return { name, text: strictUtf8.decode(bytes), diagnostics: [] };
  } catch {
    const text = lenientUtf8.decode(bytes);
    const offset = text.indexOf("\ufffd");
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return {
      name,
      text,
      diagnostics: [
        {
          id: ParseCodes.invalidEncoding.id,
          name: ParseCodes.invalidEncoding.name,
          severity: "error",
          message: "invalid UTF-8 in the input (first at this position); iptables-save writes ASCII, is this a binary file?",
          file: name,
          line,
          column: offset - lineStart + 1,
          offset,
          length: 1,
        },
      ],
    };
  }
}

export function readInput(path: string): Input {
  return decode(readBytes(path), path);
}
