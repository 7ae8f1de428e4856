/**
 * The whole extension catalogue. Each file holds one family of extensions;
 * every entry mirrors iptables-extensions(8) of iptables 1.8.x.
 */
import type { ExtensionSpec } from "../schema.js";
import { coreExtensions } from "./core.js";

export const allExtensions: readonly ExtensionSpec[] = [...coreExtensions];
