/** Rewrites for target extensions (see ../canonical.ts). */
import type { OptionNode } from "../../ast/types.js";
import { mark, numberOf, option, type Rewrite } from "./util.js";

/** MARK/CONNMARK --set-mark/--and-mark/--or-mark/--xor-mark are all stored as --set-xmark value/mask. */
function xmark(options: OptionNode[], connmark: boolean): OptionNode[] {
  return options.map((o) => {
    const v = o.values[0];
    switch (o.name) {
      case "--set-mark": {
        if (v?.type !== "mark") return o;
        // --set-mark V/M is (mark & ~M) | V, i.e. xmark V/M; with no mask, M is all ones.
        return option("--set-xmark", [mark(v.value, v.hasMask ? v.mask : 0xffffffff)], o);
      }
      case "--and-mark": {
        const n = numberOf(o);
        return n === null ? o : option("--set-xmark", [mark(0, ~n)], o);
      }
      case "--or-mark": {
        const n = numberOf(o);
        return n === null ? o : option("--set-xmark", [mark(n, n)], o);
      }
      case "--xor-mark": {
        const n = numberOf(o);
        return n === null ? o : option("--set-xmark", [mark(n, 0)], o);
      }
      default:
        return o;
    }
  }).filter((o) => connmark || o.name !== "--mask");
}

export const targetRewrites: Record<string, Rewrite> = {
  MARK: (options) => xmark(options, false),
  CONNMARK: (options) => xmark(options, true),
  LOG: (options) => options.filter((o) => !(o.name === "--log-level" && (o.values[0]?.text === "4" || o.values[0]?.text === "warning"))),
};
