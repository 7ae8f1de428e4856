// Types for scripts/fuzz-lib.mjs, shared by scripts/fuzz.mjs and test/fuzz/mutations.test.ts.

export interface CorpusFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}
export interface Mutant {
  readonly base: string;
  readonly ops: string[];
  readonly bytes: Uint8Array;
}
export interface MutantOptions {
  /** Size of the giant line in bytes (default GIANT_LINE, 1 MiB). */
  readonly giantLine?: number;
}
export function rng(seed: number): () => number;
export function loadCorpus(root: string): CorpusFile[];
export const GIANT_LINE: number;
export const OPERATORS: Record<string, (bytes: Uint8Array, r: () => number, options: MutantOptions) => Uint8Array>;
export const OPERATOR_NAMES: string[];
export function mutant(corpus: readonly CorpusFile[], seed: number, index: number, options?: MutantOptions): Mutant;
export function traceSpecFor(text: string): import("../src/trace/packet.js").PacketSpec;
export class StageError extends Error {
  readonly stage: string;
  readonly cause: unknown;
}
/** The kipt library plus the CLI's decode (as the campaign and the tests pass it). */
export type FuzzApi = typeof import("../src/index.js") & { decode: typeof import("../src/cli/io.js").decode };
export function exercise(api: FuzzApi, bytes: Uint8Array, file?: string): { parsed: import("../src/parser/parse.js").ParseResult; formatted: string };
