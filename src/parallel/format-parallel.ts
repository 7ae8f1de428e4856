/**
 * `kipt fmt` on both cores: the calling thread parses and prints the first
 * chunk of the dump while worker threads do the others; then it stitches
 * the chunks' tables together, loads them (restore commands, chain order)
 * and prints. The output is byte for byte
 * what the single-threaded `format(parse(text).dump)` prints; a test holds
 * it to that.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { GraphCodes } from "../diagnostics/graph-codes.js";
import { writeRuleset, type Sink } from "../format/format.js";
import { loadTable } from "../model/load.js";
import { parseChunk, type ChunkRange } from "../parser/parse.js";
import { planChunks } from "./chunks.js";
import { printedChunk, printRule, printShortCut, unpackChunk, type PackedChunk, type PrintedChunk, type PrintedTable } from "./printed.js";

export interface FormatResult {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

export interface FormatOptions {
  readonly file?: string;
  /** Threads to use, the calling thread included; 1 (the default) formats on the calling thread alone. */
  readonly threads?: number;
  /** Inputs smaller than this are formatted on the calling thread (default 4 MiB). */
  readonly minParallelBytes?: number;
  /**
   * Print lines that are already canonical as written, without building their
   * AST (format/verbatim.ts). On by default; the output is the same either
   * way, which the tests hold by running both.
   */
  readonly verbatim?: boolean;
}

/** The worker script: beside this module in the library build, or the bundled one beside the CLI. */
function workerScript(): URL | null {
  for (const name of ["./worker.js", "./kipt-worker.js"]) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

function runChunk(script: URL, text: string, file: string, range: ChunkRange, verbatim: boolean): Promise<PrintedChunk> {
  return new Promise((resolve, reject) => {
    const chunk = text.slice(range.from, range.to);
    const local: ChunkRange = { ...range, from: 0, to: chunk.length };
    const worker = new Worker(script, { workerData: { text: chunk, file, range: local, base: range.from, verbatim } });
    worker.once("message", (packed: PackedChunk) => {
      resolve(unpackChunk(packed));
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`format worker exited with code ${code}`));
    });
  });
}

/** Join chunks: a chunk that starts inside a table continues the previous chunk's last table. */
export function stitch(chunks: readonly PrintedChunk[]): PrintedTable[] {
  const tables: PrintedTable[] = [];
  for (const chunk of chunks) {
    chunk.tables.forEach((table, i) => {
      const previous = tables[tables.length - 1];
      if (i === 0 && chunk.continued && previous) {
        for (const s of table.statements) previous.statements.push(s);
        previous.trailingComments = table.trailingComments;
      } else tables.push(table);
    });
  }
  return tables;
}

/** A parsed dump, ready to print: look at the diagnostics first, then write. */
export interface PreparedFormat {
  readonly diagnostics: Diagnostic[];
  /** Print the canonical dump into `sink`, a piece at a time. */
  write(sink: Sink): void;
}

/** Parse a dump (on several threads when asked and it is large) and prepare its canonical printing. */
export async function prepareFormat(text: string, options: FormatOptions = {}): Promise<PreparedFormat> {
  const file = options.file ?? "<input>";
  const threads = Math.min(options.threads ?? 1, availableParallelism() * 2);
  const verbatim = options.verbatim ?? true;
  const script = threads > 1 ? workerScript() : null;
  const ranges = script ? planChunks(text, threads, options.minParallelBytes) : null;
  if (!script || !ranges) {
    // One thread: rules are printed as they are parsed, so the whole AST never exists at once.
    const result = parseChunk(text, file, null, printRule, verbatim ? printShortCut() : null);
    const chunk = printedChunk(result.dump, result.diagnostics, false);
    return loaded(chunk.tables, result.dump.family, result.diagnostics, file);
  }
  // Workers start first and run while this thread parses the first chunk.
  const others = ranges.slice(1).map((range) => runChunk(script, text, file, range, verbatim));
  const first = parseChunk(text, file, ranges[0]!, printRule, verbatim ? printShortCut() : null);
  const chunks = [printedChunk(first.dump, first.diagnostics, first.continued), ...(await Promise.all(others))];
  const family = ranges[ranges.length - 1]!.context.family;
  return loaded(stitch(chunks), family, chunks.flatMap((c) => c.diagnostics), file);
}

/**
 * The tables loaded (restore commands applied) before anything is printed:
 * a command the tool fails on (`-I` past a chain's end, `-D` of a missing
 * rule, ...) is an error like a parse error, as `iptables-restore --test`
 * fails on it too.
 */
function loaded(tables: PrintedTable[], family: "ipv4" | "ipv6" | null, diagnostics: Diagnostic[], file: string): PreparedFormat {
  const ruleset = { family, tables: tables.map((t) => loadTable(t)) };
  const refusals: Diagnostic[] = [];
  for (const table of ruleset.tables) {
    const code = GraphCodes.failedCommand;
    for (const r of table.refusals) refusals.push({ id: code.id, name: code.name, severity: code.severity, message: r.message, file, line: r.line, column: r.column, offset: r.offset, length: r.length });
  }
  const all = refusals.length > 0 ? [...diagnostics, ...refusals].sort(compareDiagnostics) : diagnostics;
  return { diagnostics: all, write: (sink) => writeRuleset(ruleset, (rule, chain) => `-A ${chain}${rule.tail}`, sink) };
}

/** Parse and print a dump canonically. */
export async function formatText(text: string, options: FormatOptions = {}): Promise<FormatResult> {
  const prepared = await prepareFormat(text, options);
  const pieces: string[] = [];
  prepared.write((piece) => pieces.push(piece));
  return { text: pieces.join(""), diagnostics: prepared.diagnostics };
}


