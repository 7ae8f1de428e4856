/** Helpers shared by the per-extension rewrites. */
import type { MarkValue, OptionNode, Value } from "../../ast/types.js";

/** What a rewrite may need to know beyond the options: defaults differ per family (`/32` vs `/128`). */
export interface RewriteContext {
  readonly family: "ipv4" | "ipv6";
}

export type Rewrite = (options: OptionNode[], context: RewriteContext) => OptionNode[];

export function option(name: string, values: Value[], like?: OptionNode): OptionNode {
  return { name, negated: false, values, line: like?.line ?? 0, column: like?.column ?? 0, offset: like?.offset ?? -1, length: like?.length ?? 0 };
}

export function mark(value: number, mask: number): MarkValue {
  return { type: "mark", text: "", value: value >>> 0, mask: mask >>> 0, hasMask: true };
}

export function numberOf(o: OptionNode | undefined): number | null {
  const v = o?.values[0];
  if (!v) return null;
  if (v.type === "integer") return v.value;
  if (v.type === "mark") return v.value;
  return null;
}

