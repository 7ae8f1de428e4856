/** Rewrites for match extensions m-z (see ../canonical.ts). */
import { option, type Rewrite } from "./util.js";

export const matchRewritesMtoZ: Record<string, Rewrite> = {
  recent: (options) => {
    // iptables-save always prints the list name, mask and direction.
    const out = [...options];
    if (!out.some((o) => o.name === "--name")) out.push(option("--name", [{ type: "string", text: "DEFAULT" }]));
    if (!out.some((o) => o.name === "--mask")) {
      out.push(option("--mask", [{ type: "address", text: "255.255.255.255", family: "ipv4", address: "255.255.255.255", prefixLength: 32, hasPrefix: false }]));
    }
    if (!out.some((o) => o.name === "--rsource" || o.name === "--rdest")) out.push(option("--rsource", []));
    return out;
  },
};
