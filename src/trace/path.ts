/**
 * Paths as ropes: concatenation and nesting are O(1), so summaries of
 * deeply nested chains can be composed without copying; `flattenPath`
 * walks a rope iteratively (no recursion on depth).
 */
import type { RuleNode } from "../ast/types.js";

export interface PathStep {
  readonly table: string;
  readonly chain: string;
  /** Source line of the rule (for a policy, of what set it: the `:CHAIN POLICY` declaration or the last `-P`; 0 for a default ACCEPT). */
  readonly line: number;
  /** The rule, or null for a chain policy. */
  readonly rule: RuleNode | null;
  /** For a policy step: `-P CHAIN DROP`. */
  readonly text?: string;
}

export type Path =
  | null
  | { readonly kind: "step"; readonly step: PathStep }
  | { readonly kind: "cat"; readonly a: Path; readonly b: Path }
  | { readonly kind: "nest"; readonly inner: Path };

export const stepPath = (step: PathStep): Path => ({ kind: "step", step });
export const catPath = (a: Path, b: Path): Path => (a === null ? b : b === null ? a : { kind: "cat", a, b });
export const nestPath = (inner: Path): Path => (inner === null ? null : { kind: "nest", inner });

export interface FlatStep extends PathStep {
  /** Call depth inside the hook's built-in chain (0 = the built-in chain itself). */
  readonly depth: number;
}

export function flattenPath(path: Path, limit = Infinity): FlatStep[] {
  const out: FlatStep[] = [];
  const stack: [Path, number][] = [[path, 0]];
  while (stack.length && out.length < limit) {
    const [p, depth] = stack.pop()!;
    if (p === null) continue;
    if (p.kind === "step") out.push({ ...p.step, depth });
    else if (p.kind === "nest") stack.push([p.inner, depth + 1]);
    else {
      stack.push([p.b, depth]);
      stack.push([p.a, depth]);
    }
  }
  return out;
}
