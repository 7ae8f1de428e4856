/**
 * `trace(ruleset, packet, options)`: the packet's walk through netfilter's
 * hooks in order, with every branch followed and weighted, and equal
 * outcomes merged.
 *
 * Arriving (`external`): raw, mangle, nat PREROUTING; the routing decision
 * (local when the destination, after DNAT, is a node IP or loopback); then
 * mangle, filter, security, nat INPUT, or mangle, filter, security FORWARD
 * and mangle, nat POSTROUTING. Locally generated (`local`): raw, mangle,
 * nat, filter, security OUTPUT, then mangle, nat POSTROUTING. The nat table
 * only sees the first packet of a connection (ctstate NEW).
 */
import { parseComment, serviceChain } from "../kube/recognize.js";
import type { Ruleset } from "../model/load.js";
import { Engine, WORK_BOUND_REASON, type Exit } from "./engine.js";
import { Fraction } from "../math/fraction.js";
import { isLocalAddress } from "./matches.js";
import { endpoint, forgetAssumedOutIface, initialState, nodeAddresses, packetKey, withUncertain, type PacketSpec, type PacketState } from "./packet.js";
import { catPath, flattenPath, stepPath, type FlatStep, type Path } from "./path.js";

export interface TraceOptions {
  /** `recent` list names the client is assumed to be in (`*` for all): session affinity already established. */
  readonly assumeRecent?: readonly string[];
  /** Rule evaluations before the rest is reported UNKNOWN. Default 2,000,000. */
  readonly maxSteps?: number;
  /** Path steps kept per outcome (a path through chains that are each called twice can be exponentially long). Default 1,000,000. */
  readonly maxPathSteps?: number;
}

export type Route = "input" | "forward" | "output";

export interface TraceOutcome {
  readonly probability: Fraction;
  /** ACCEPT, DROP, REJECT, QUEUE, UNKNOWN, or another terminating target's name. */
  readonly verdict: string;
  /** Where the packet went after the routing decision. */
  readonly route: Route | null;
  /** Final destination `ip[:port]`. */
  readonly destination: string;
  /** Destination after DNAT/REDIRECT, null when not translated. */
  readonly dnat: string | null;
  readonly masquerade: boolean;
  readonly snat: string | null;
  readonly uncertain: readonly string[];
  /** One representative path (the first found) of the paths merged into this outcome. */
  readonly path: readonly FlatStep[];
  readonly mergedPaths: number;
  /** The path was longer than `maxPathSteps` and is cut there. */
  readonly pathTruncated: boolean;
  /** kube-proxy service port name (`ns/name:port`) the path went through, when there is one. */
  readonly service: string | null;
  readonly packet: PacketState;
}

export interface TraceResult {
  readonly packet: PacketState;
  readonly spec: PacketSpec;
  /**
   * The addresses trace took as the node's own (addrtype LOCAL, the routing
   * decision): `spec.nodeIps`, and the source it picked for `--from local`
   * when that is none of them.
   */
  readonly nodeIps: readonly string[];
  readonly outcomes: readonly TraceOutcome[];
  /** Rule evaluations spent. */
  readonly steps: number;
}

interface Walk {
  packet: PacketState;
  prob: Fraction;
  path: Path;
  merged: number;
  stages: readonly Stage[];
  pos: number;
  route: Route | null;
}

type Stage = readonly [table: string, chain: string] | "route";

const PRE: Stage[] = [["raw", "PREROUTING"], ["mangle", "PREROUTING"], ["nat", "PREROUTING"], "route"];
const INPUT: Stage[] = [["mangle", "INPUT"], ["filter", "INPUT"], ["security", "INPUT"], ["nat", "INPUT"]];
const POST: Stage[] = [["mangle", "POSTROUTING"], ["nat", "POSTROUTING"]];
const FORWARD: Stage[] = [["mangle", "FORWARD"], ["filter", "FORWARD"], ["security", "FORWARD"], ...POST];
const OUTPUT: Stage[] = [["raw", "OUTPUT"], ["mangle", "OUTPUT"], ["nat", "OUTPUT"], ["filter", "OUTPUT"], ["security", "OUTPUT"], ...POST];

/**
 * Trace one packet. A ruleset is read, never changed, and what trace derives
 * from it (the source addresses the rules name) is kept per ruleset object
 * for the next query: load a new ruleset rather than editing a loaded one.
 */
export function trace(ruleset: Ruleset, spec: PacketSpec, options: TraceOptions = {}): TraceResult {
  const start = initialState(spec, ruleset, options.assumeRecent ?? []);
  const nodeIps = nodeAddresses(spec, start);
  const engine = new Engine({ nodeIps, from: spec.from, maxSteps: options.maxSteps ?? 2_000_000 });
  const tables = new Map(ruleset.tables.map((t) => [t.name, t]));
  const finals = new Map<string, { exit: Omit<Exit, "kind">; route: Route | null }>();
  const finish = (w: Walk, verdict: string, packet: PacketState, prob: Fraction, path: Path, merged: number) => {
    if (prob.isZero()) return;
    const dnatted = packet.dst !== packet.origDst || packet.dport !== packet.origDport;
    const k = [verdict, w.route, endpoint(packet.dst, packet.dport), dnatted, packet.masquerade, packet.snat, packet.uncertain.join("\u0001")].join("|");
    const there = finals.get(k);
    if (there) {
      there.exit.prob = there.exit.prob.add(prob);
      there.exit.merged += merged;
    } else finals.set(k, { exit: { verdict, packet, prob, path, merged }, route: w.route });
  };

  walk();

  function walk() {
  let level = new Map<string, Walk>();
  level.set("start", { packet: start, prob: Fraction.ONE, path: null, merged: 1, stages: spec.from === "local" ? OUTPUT : PRE, pos: 0, route: spec.from === "local" ? "output" : null });
  while (level.size) {
    const next = new Map<string, Walk>();
    const advance = (w: Walk) => {
      if (w.prob.isZero()) return;
      if (w.pos >= w.stages.length) {
        finish(w, "ACCEPT", w.packet, w.prob, w.path, w.merged);
        return;
      }
      const k = `${w.stages === PRE ? "P" : w.stages === INPUT ? "I" : w.stages === FORWARD ? "F" : "O"}${w.pos}|${packetKey(w.packet)}`;
      const there = next.get(k);
      if (there) {
        there.prob = there.prob.add(w.prob);
        there.merged += w.merged;
      } else next.set(k, w);
    };
    for (const w of level.values()) {
      const stage = w.stages[w.pos]!;
      if (stage === "route") {
        const local = isLocalAddress(w.packet.dst, nodeIps);
        advance({ ...w, stages: local ? INPUT : FORWARD, pos: 0, route: local ? "input" : "forward" });
        continue;
      }
      const [tableName, chainName] = stage;
      const table = tables.get(tableName);
      const chain = table?.chainsByName.get(chainName);
      const natSkipped = tableName === "nat" && w.packet.ctstate !== "NEW";
      if (!table || !chain || !chain.builtin || natSkipped) {
        advance({ ...w, pos: w.pos + 1 });
        continue;
      }
      for (const e of engine.summarize(table, chain, chainName, w.packet)) {
        const prob = w.prob.mul(e.prob);
        const path = catPath(w.path, e.path);
        const merged = w.merged * e.merged;
        if (e.kind === "verdict" && e.verdict === "ACCEPT") advance({ ...w, packet: rerouted(tableName, chainName, w.packet, e.packet), prob, path, merged, pos: w.pos + 1 });
        else if (e.kind === "verdict") finish(w, e.verdict, e.packet, prob, path, merged);
        else if (chain.policy === "DROP" || chain.policy === "REJECT") {
          const policyStep = stepPath({ table: tableName, chain: chainName, line: chain.policyAt, rule: null, text: `-P ${chainName} ${chain.policy}` });
          finish(w, chain.policy, e.packet, prob, catPath(path, policyStep), merged);
        } else advance({ ...w, packet: rerouted(tableName, chainName, w.packet, e.packet), prob, path, merged, pos: w.pos + 1 });
      }
    }
    level = next;
  }
  }

  const outcomes: TraceOutcome[] = [];
  for (const { exit, route } of finals.values()) {
    const p = exit.packet;
    const dnatted = p.dst !== p.origDst || p.dport !== p.origDport;
    const maxPath = options.maxPathSteps ?? 1_000_000;
    const path = flattenPath(exit.path, maxPath + 1);
    const pathTruncated = path.length > maxPath;
    if (pathTruncated) path.length = maxPath;
    outcomes.push({
      probability: exit.prob,
      verdict: exit.verdict,
      route,
      destination: endpoint(p.dst, p.dport),
      dnat: dnatted ? endpoint(p.dst, p.dport) : null,
      masquerade: p.masquerade,
      snat: p.snat,
      uncertain: engine.boundHit && exit.verdict === "UNKNOWN" ? withUncertain(p, [WORK_BOUND_REASON]).uncertain : p.uncertain,
      path,
      mergedPaths: exit.merged,
      pathTruncated,
      service: serviceOf(path),
      packet: p,
    });
  }
  return { packet: start, spec, nodeIps, outcomes, steps: engine.steps };
}

/**
 * A locally generated packet is routed again after mangle OUTPUT when that
 * changed its mark or destination, and after nat OUTPUT when that changed
 * its destination (the kernel's ip_route_me_harder): an out-interface
 * assumed before is the old route's.
 */
function rerouted(table: string, chain: string, before: PacketState, after: PacketState): PacketState {
  if (chain !== "OUTPUT" || after.facts.outIface === null) return after;
  const moved = before.dst !== after.dst || (table === "mangle" && before.mark !== after.mark);
  return (table === "mangle" || table === "nat") && moved ? forgetAssumedOutIface(after) : after;
}

function commentOf(step: FlatStep): string | null {
  const m = step.rule?.matches.find((x) => x.name === "comment");
  return m?.options.find((o) => o.name === "--comment")?.values[0]?.text ?? null;
}

/**
 * The kube-proxy service port a path went through: a KUBE-SEP rule's comment,
 * else the comment of a rule that captured the packet for a service chain or
 * rejected it for having no endpoints (read with kube's own comment parser).
 */
export function serviceOf(path: readonly FlatStep[]): string | null {
  for (const s of path) {
    if (!s.chain.startsWith("KUBE-SEP-")) continue;
    const name = parseComment(commentOf(s) ?? "").name;
    if (name) return name;
  }
  for (const s of path) {
    const { kind, name } = parseComment(commentOf(s) ?? "");
    if (name === null) continue;
    if (serviceChain(s.rule?.target?.name ?? "") || kind === "noEndpoints" || kind === "noLocalEndpoints") return name;
  }
  return null;
}
