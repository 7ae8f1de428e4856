// Types for bench/gen-hostile.mjs, so TypeScript tests can use it.
export interface HostileCase {
  readonly name: string;
  readonly what: string;
  readonly make: () => string;
  /** `kipt trace` arguments after the file: the destination, then options. */
  readonly trace: readonly string[];
  readonly expect: readonly string[];
}
export const HOSTILE_CASES: readonly HostileCase[];
