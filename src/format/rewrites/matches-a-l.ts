/** Rewrites for match extensions a-l (see ../canonical.ts). */
import { numberOf, type Rewrite } from "./util.js";

export const matchRewritesAtoL: Record<string, Rewrite> = {
  limit: (options) => options.filter((o) => !(o.name === "--limit-burst" && numberOf(o) === 5)),
};
