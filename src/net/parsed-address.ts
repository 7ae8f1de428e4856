/**
 * Addresses parsed once, by text. The trace compares the packet with the
 * address of every rule it passes (12,000 in a 10,000-service
 * KUBE-SERVICES) and the Kubernetes model compares each frontend with every
 * rule of every walk; parsing both sides each time was most of their cost.
 * Bounded for hostile input with endless distinct addresses.
 */
import ipaddr from "ipaddr.js";

const parsed = new Map<string, ipaddr.IPv4 | ipaddr.IPv6 | null>();
const MAX_PARSED = 100_000;

/** ipaddr.js's parse of `text`, or null when it is not an address. Treat the result as read-only: it is shared. */
export function parsedAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let a = parsed.get(text);
  if (a === undefined) {
    try {
      a = ipaddr.parse(text);
    } catch {
      a = null;
    }
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, a);
  }
  return a;
}
