/**
 * The whole extension catalogue. Each file holds one group of extensions;
 * every entry mirrors iptables-extensions(8) of iptables 1.8.x.
 */
import type { ExtensionSpec } from "../schema.js";
import { matchesAtoL } from "./matches-a-l.js";
import { matchesMtoZ } from "./matches-m-z.js";
import { targets } from "./targets.js";

export const allExtensions: readonly ExtensionSpec[] = [...matchesAtoL, ...matchesMtoZ, ...targets];
