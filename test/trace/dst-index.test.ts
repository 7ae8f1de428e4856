/**
 * The destination index (src/trace/dst-index.ts) skips rules whose `-d host`
 * is not the packet's destination. It must change no answer: every query
 * below is traced with and without it and the results must be identical,
 * paths and probabilities included. It must also be used: with it, the
 * walk evaluates far fewer rules on a large KUBE-SERVICES chain.
 */
import { describe, expect, it } from "vitest";
import { generateKubeDump } from "../../bench/gen-kube-dump.mjs";
import { dstIndexSettings } from "../../src/trace/dst-index.js";
import { traceToJson } from "../../src/trace/render.js";
import { trace } from "../../src/trace/trace.js";
import { rulesetOf, spec } from "./helpers.js";

const text = generateKubeDump({ services: 200, seed: 11 });
const ruleset = rulesetOf(text);

/** ClusterIP:port and NodePort destinations from the dump, plus a few that match nothing. */
function destinations(): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^-A KUBE-SERVICES -d (\S+)\/32 .*--dport (\d+) -j KUBE-SVC-/gm)) out.push(`${m[1]}:${m[2]}`);
  for (const m of text.matchAll(/^-A KUBE-NODEPORTS .*--dport (\d+) -j KUBE-EXT-/gm)) out.push(`192.168.1.10:${m[1]}`);
  out.push("10.0.0.1:443", "203.0.113.9:80", "127.0.0.1:30000");
  return out.filter((_, i) => i % 3 === 0);
}

function both(dest: string, more = {}) {
  dstIndexSettings.enabled = false;
  try {
    const without = trace(ruleset, spec(dest, more));
    dstIndexSettings.enabled = true;
    const withIndex = trace(ruleset, spec(dest, more));
    return { without, withIndex };
  } finally {
    dstIndexSettings.enabled = true;
  }
}

describe("trace destination index", () => {
  const dests = destinations();

  it("has a large KUBE-SERVICES chain to work on", () => {
    expect(dests.length).toBeGreaterThan(60);
  });

  it.each(["external", "local"] as const)("gives the same answers with and without the index (%s packets)", (from) => {
    for (const dest of dests) {
      const more = from === "local" ? { from, nodeIps: ["192.168.1.10"] } : { nodeIps: ["192.168.1.10"] };
      const { without, withIndex } = both(dest, more);
      expect(JSON.stringify(traceToJson(withIndex)), dest).toBe(JSON.stringify(traceToJson(without)));
    }
  });

  it("evaluates far fewer rules for a cluster IP late in KUBE-SERVICES", () => {
    const clusterIPs = dests.filter((d) => d.startsWith("10."));
    const dest = clusterIPs[clusterIPs.length - 2]!;
    const { without, withIndex } = both(dest);
    expect(withIndex.outcomes.some((o) => o.dnat !== null)).toBe(true);
    expect(withIndex.steps * 4).toBeLessThan(without.steps);
  });
});
