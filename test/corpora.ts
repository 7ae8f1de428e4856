// The dumps the differential tests run over (two ways to one result, e.g.
// line templates, rule skeletons, fmt's short cut): the samples, the oracle
// corpus and the wild dumps in ../shared (absent on some machines).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Files of `dir` that `keep` accepts, sorted, with their paths; none when `dir` is absent. */
export function filesIn(dir: string, keep: (name: string) => boolean): string[] {
  return existsSync(dir) ? readdirSync(dir).filter(keep).sort().map((f) => path.join(dir, f)) : [];
}

/** samples/*.txt, test/oracle/corpus/* and ../shared/wild/*.txt. */
export function dumpCorpora(): string[] {
  return [
    ...filesIn(path.join(repoRoot, "samples"), (f) => f.endsWith(".txt")),
    ...filesIn(path.join(repoRoot, "test/oracle/corpus"), () => true),
    ...filesIn(path.resolve(repoRoot, "../shared/wild"), (f) => f.endsWith(".txt")),
  ];
}
