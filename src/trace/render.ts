/**
 * Trace output: a readable tree for people, JSON (schemaVersion 1) for tools.
 * Every piece of dump text is neutralized before it reaches a terminal.
 */
import { MAX_BITS } from "../math/fraction.js";
import { formatRule } from "../format/rule.js";
import { neutralize } from "../text/sanitize.js";
import { endpoint, type PacketState } from "./packet.js";
import type { FlatStep } from "./path.js";
import type { TraceOutcome, TraceResult } from "./trace.js";

type Family = "ipv4" | "ipv6";

export function stepText(step: FlatStep, family: Family): string {
  return step.rule ? formatRule(step.rule, step.chain, family) : (step.text ?? "");
}

export function describePacket(p: PacketState, from: string): string {
  const ports = p.proto === "tcp" || p.proto === "udp" || p.proto === "sctp";
  return `${spoken(endpoint(p.dst, ports ? p.dport : null))}/${p.proto} from ${spoken(endpoint(p.src, ports ? p.sport : null))} (${from}, ctstate ${p.ctstate}${p.mark ? `, mark 0x${p.mark.toString(16)}` : ""}${p.inIface ? `, in ${p.inIface}` : ""}${p.outIface ? `, out ${p.outIface}` : ""})`;
}

export function traceToJson(result: TraceResult): unknown {
  const p = result.packet;
  return {
    schemaVersion: 1,
    packet: {
      family: p.family,
      protocol: p.proto,
      source: p.src,
      sourcePort: p.sport,
      destination: p.dst,
      destinationPort: p.dport,
      from: result.spec.from,
      inInterface: p.inIface,
      outInterface: p.outIface,
      nodeIps: result.nodeIps,
      mark: p.mark,
      ctstate: p.ctstate,
    },
    outcomes: result.outcomes.map((o) => ({
      probability: o.probability.toNumber(),
      probabilityExact: o.probability.toExactString(),
      verdict: o.verdict,
      route: o.route,
      destination: o.destination,
      dnat: o.dnat,
      masquerade: o.masquerade,
      snat: o.snat,
      service: o.service,
      uncertain: o.uncertain,
      mergedPaths: o.mergedPaths,
      pathTruncated: o.pathTruncated,
      path: o.path.map((s) => ({ table: s.table, chain: s.chain, line: s.line, depth: s.depth, rule: stepText(s, p.family) })),
    })),
  };
}

const ROUTE_TEXT: Record<string, string> = { input: "delivered locally", forward: "forwarded", output: "sent" };

function outcomeHeadline(o: TraceOutcome): string {
  // Past MAX_BITS a share is rounded (a cascade of hundreds of endpoints): say so instead of printing digits.
  const exact = o.probability.toExactString() ?? `approximately; the exact fraction is over ${MAX_BITS} bits`;
  const parts = [`${o.probability.toPercent()} (${exact})`, o.verdict];
  if (o.verdict === "ACCEPT" && o.route) parts.push(ROUTE_TEXT[o.route]!);
  parts.push(`to ${spoken(o.destination)}`);
  if (o.dnat) parts.push("(DNAT)");
  if (o.masquerade) parts.push("masqueraded");
  if (o.snat) parts.push(`SNAT to ${spoken(o.snat)}`);
  if (o.service) parts.push(`via ${o.service}`);
  return neutralize(parts.join(", ").replace(/, \(DNAT\)/, " (DNAT)"));
}

/** Destinations named on a service's summary line. */
const MAX_LISTED_TARGETS = 16;

/** The one-line kube-proxy view: `10.0.33.45:80/tcp -> default/nginx:web -> 10.240.0.28:80 (50%), ...`. */
export function serviceLines(result: TraceResult): string[] {
  const p = result.packet;
  const byService = new Map<string, TraceOutcome[]>();
  for (const o of result.outcomes) {
    if (!o.service) continue;
    const outs = byService.get(o.service);
    if (outs) outs.push(o);
    else byService.set(o.service, [o]);
  }
  const lines: string[] = [];
  for (const [service, outs] of byService) {
    // Each destination once, with its whole share: outcomes that differ only in what the walk
    // assumed (an interface, say) reach the same endpoint, and the reader wants its total.
    const merged = new Map<string, { readonly text: string; readonly verdict: string; share: TraceOutcome["probability"] }>();
    for (const o of outs) {
      const text = o.dnat ?? o.destination;
      const key = `${text}\u0000${o.verdict}`;
      const seen = merged.get(key);
      if (seen) seen.share = seen.share.add(o.probability);
      else merged.set(key, { text, verdict: o.verdict, share: o.probability });
    }
    const all = [...merged.values()];
    // One line per service: a cascade of thousands of endpoints lists the first few and counts the rest.
    const targets = all.slice(0, MAX_LISTED_TARGETS).map((t) => `${spoken(t.text)}${t.verdict === "ACCEPT" ? "" : ` ${t.verdict}`} (${t.share.toPercent()})`);
    if (all.length > MAX_LISTED_TARGETS) targets.push(`and ${all.length - MAX_LISTED_TARGETS} more (their outcomes are listed below)`);
    lines.push(neutralize(`${spoken(endpoint(p.dst, p.dport))}/${p.proto} -> ${service} -> ${targets.join(", ")}`));
  }
  return lines;
}

/**
 * An address or endpoint for a sentence: a bare IPv6 address in brackets, so
 * that its last group is not read as a port (`[fd00::1:80]`, never
 * `fd00::1:80`). JSON keeps the bare address.
 */
function spoken(text: string): string {
  return !text.startsWith("[") && text.indexOf(":") !== text.lastIndexOf(":") ? `[${text}]` : text;
}

export function traceToText(result: TraceResult, options: { maxPathSteps?: number } = {}): string {
  const p = result.packet;
  const limit = options.maxPathSteps ?? 200;
  let out = `packet: ${neutralize(describePacket(p, result.spec.from))}\n`;
  for (const line of serviceLines(result)) out += `${line}\n`;
  result.outcomes.forEach((o, i) => {
    out += `\noutcome ${i + 1}: ${outcomeHeadline(o)}\n`;
    if (o.mergedPaths > 1) out += `  (${o.mergedPaths} equivalent paths merged; the first is shown)\n`;
    for (const u of o.uncertain) out += `  uncertain: ${neutralize(u)}\n`;
    const shown = o.path.slice(0, limit);
    for (const s of shown) {
      const indent = "  ".repeat(s.depth + 1);
      out += `${indent}${neutralize(`${s.table} ${s.chain} line ${s.line}: ${stepText(s, p.family)}`)}\n`;
    }
    if (o.path.length > limit) out += `  ... ${o.path.length - limit} more steps (use -o json for the whole path)\n`;
    if (o.pathTruncated) out += "  ... (the path is longer than the path limit and was cut)\n";
  });
  if (result.outcomes.some((o) => o.uncertain.some((u) => !u.startsWith("loop") && !u.startsWith("work bound"))))
    out +=
      "\nuncertain: the dump (and the packet given) cannot decide that match; both ways were followed, weighted 1/2 each. " +
      "A fact the packet leaves open (an interface, the port of a bare-IP DEST) is assumed once, where a rule first needs it, and kept along the path.\n";
  return out;
}
