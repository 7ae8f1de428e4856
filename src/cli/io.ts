/**
 * Reading input for the CLI: a file, or standard input for `-`. Failures
 * become `InputError`s (exit code 3), never stack traces.
 */
import { readFileSync, statSync } from "node:fs";
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

function readBytes(path: string): Buffer {
  if (path === "-") {
    if (process.stdin.isTTY) throw new InputError("no input: give a FILE, or pipe a dump into '-' (iptables-save | kipt ... -)");
    try {
      return readFileSync(0);
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
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
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
