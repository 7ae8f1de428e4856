/**
 * A line plan: what the Chevrotain grammar decided about one line, expressed
 * over token positions rather than token text. Lines with the same shape
 * (same token types, option spellings and extension names) get the same
 * plan, so the plan is computed once per shape and replayed for every other
 * line of that shape (see `shape-cache.ts`). Values are typed when the plan
 * is replayed, because they differ from line to line.
 */
import type { ExtensionSpec, OptionSpec } from "../../grammar/schema.js";
import type { CommandKind } from "../ast/types.js";
import type { ParseCode } from "../diagnostics/parse-codes.js";

export type BaseField = "source" | "destination" | "inInterface" | "outInterface" | "protocol" | "fragment";

export type PlanStep =
  | { readonly op: "table"; readonly tok: number }
  | { readonly op: "chainDecl"; readonly tok: number; readonly policyTok: number; readonly countersTok: number }
  | { readonly op: "commit"; readonly tok: number }
  | {
      readonly op: "command";
      readonly tok: number;
      readonly command: CommandKind;
      readonly countersTok: number;
      /** Positional arguments (chain, rule number, policy, new name). */
      readonly argToks: readonly number[];
    }
  | { readonly op: "base"; readonly field: BaseField; readonly tok: number; readonly negated: boolean; readonly valueTok: number }
  | { readonly op: "setCounters"; readonly tok: number; readonly valueToks: readonly number[] }
  | {
      readonly op: "match";
      readonly tok: number;
      /** Token of the extension name; for an implicit protocol match, the option's token. */
      readonly nameTok: number;
      readonly name: string | null;
      readonly spec: ExtensionSpec | null;
      readonly implicit: boolean;
    }
  | { readonly op: "target"; readonly tok: number; readonly nameTok: number; readonly spec: ExtensionSpec | null; readonly goto: boolean }
  | {
      readonly op: "option";
      readonly tok: number;
      /** Index of the owning match among the line's matches, or -1 for the target. */
      readonly owner: number;
      readonly spec: OptionSpec | null;
      readonly negated: boolean;
      readonly valueToks: readonly number[];
    };

/** A problem the grammar found; the message is built from the line's tokens when replayed. */
export interface PlanProblem {
  readonly code: ParseCode;
  /** Token the problem points at; -1 for the end of the line. */
  readonly tok: number;
  readonly message: (text: (tok: number) => string) => string;
}

export interface LinePlan {
  readonly kind: "table" | "chainDecl" | "commit" | "command" | "invalid";
  readonly steps: readonly PlanStep[];
  readonly problems: readonly PlanProblem[];
  /** Matches on the line, so the AST's arrays are allocated at their exact size. */
  readonly matchCount: number;
  /** Options per match (by index), and for the target at index `matchCount`. */
  readonly optionCounts: readonly number[];
}
