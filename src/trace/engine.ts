/**
 * The traversal engine: walks one built-in chain of one table for a packet
 * state and returns its *summary*, the distribution of ways out (verdicts
 * and returns, each with the packet as changed and a representative path).
 *
 * Summaries are memoized per (table, chain, hook, packet state), so a chain
 * reached many ways with the same packet is walked once (a 64-level diamond
 * of chains costs 64 walks, not 2^64). A packet state includes what its
 * path has assumed about facts the packet leaves open (src/trace/facts.ts),
 * so a summary is never reused under other assumptions; a fact once
 * assumed decides later matches instead of splitting the walk again.
 * Chain calls use an explicit frame stack, never recursion, so nesting
 * depth is bounded by memory only. A call
 * to a chain already being walked is a loop (iptables-restore refuses those;
 * a malformed dump may still contain one) and ends that path as UNKNOWN.
 * Total work is bounded: past `maxSteps` rule evaluations every remaining
 * path ends as UNKNOWN with the reason.
 */
import type { RuleNode } from "../ast/types.js";
import type { LoadedChain, LoadedTable } from "../model/load.js";
import { Fraction } from "../math/fraction.js";
import { builtinMatch, evaluateMatch, hasMatchEffects, isAssume, isUnknown, recentMatch, type Assume, type MatchContext, type MatchOutcome } from "./matches.js";
import { nextCandidate } from "./dst-index.js";
import { packetKey, withUncertain, type PacketState } from "./packet.js";
import { catPath, nestPath, stepPath, type Path } from "./path.js";
import { applyTarget, hasNoEffect, type Effect, type TargetContext } from "./targets.js";

export interface Exit {
  /** `return`: fell off the end or RETURNed; `verdict`: ACCEPT, DROP, REJECT, QUEUE, UNKNOWN, ... */
  readonly kind: "return" | "verdict";
  readonly verdict: string;
  packet: PacketState;
  prob: Fraction;
  readonly path: Path;
  /** How many paths were merged into this one. */
  merged: number;
}

interface LocalState {
  packet: PacketState;
  prob: Fraction;
  path: Path;
  merged: number;
}

interface Frame {
  /** packetKey of the packet the chain was entered with: with chain and hook, the summary's key. */
  readonly key: string;
  readonly table: LoadedTable;
  readonly chain: LoadedChain;
  readonly hook: string;
  idx: number;
  readonly buckets: Map<number, Map<string, LocalState>>;
  readonly exits: Map<string, Exit>;
}

/** One way the rule's matches can go for a state (Engine.evaluate). */
interface Evaluation {
  /** The share of the state it covers: 1/2 per fact it assumed. */
  readonly weight: Fraction;
  /** The packet when the rule matches (with what the matches recorded). */
  readonly hit: PacketState;
  /** The packet when it does not. */
  readonly miss: PacketState;
  /** The probability that the rule matches (zero: a certain miss). */
  readonly matched: Fraction;
  readonly reasons: readonly string[];
}

/** An evaluation with the rule's target applied to its matching part. */
interface Plan {
  readonly ev: Evaluation;
  readonly matchedPacket: PacketState;
  readonly uncertain: readonly string[];
  /** Null when the rule does not match. */
  readonly effect: Effect | null;
  readonly summary: Exit[] | undefined;
  readonly jumpProblem: string | null;
}

/** Open facts one rule may assume before the rest is taken as undecidable (a rule names a handful at most). */
const MAX_ASSUMED_PER_RULE = 16;

interface Need {
  readonly chain: LoadedChain;
  readonly packet: PacketState;
}

export interface EngineOptions {
  readonly nodeIps: readonly string[];
  readonly from: "external" | "local";
  /** Rule evaluations before every remaining path ends as UNKNOWN. */
  readonly maxSteps: number;
}

export const WORK_BOUND_REASON = "work bound reached: the dump branches too much to follow every path";

export class Engine {
  /**
   * Summaries by chain, then hook, then packetKey. Nested maps rather than
   * one concatenated key: packetKey's string is memoized per packet (its
   * hash too), so a lookup builds no string; with 100,000 nested chains the
   * concatenated keys were a fifth of the walk.
   */
  private readonly cache = new Map<LoadedChain, Map<string, Map<string, Exit[]>>>();
  /** Chains being walked (chain objects are per table). */
  private readonly active = new Set<LoadedChain>();
  steps = 0;
  boundHit = false;

  constructor(private readonly options: EngineOptions) {}

  private cached(chain: LoadedChain, hook: string, key: string): Exit[] | undefined {
    return this.cache.get(chain)?.get(hook)?.get(key);
  }

  private remember(frame: Frame, exits: Exit[]): void {
    let byHook = this.cache.get(frame.chain);
    if (!byHook) this.cache.set(frame.chain, (byHook = new Map()));
    let byPacket = byHook.get(frame.hook);
    if (!byPacket) byHook.set(frame.hook, (byPacket = new Map()));
    byPacket.set(frame.key, exits);
  }

  /** The summary of walking `chain` of `table` at `hook` with `packet`. */
  summarize(table: LoadedTable, chain: LoadedChain, hook: string, packet: PacketState): Exit[] {
    const rootKey = packetKey(packet);
    const cached = this.cached(chain, hook, rootKey);
    if (cached) return cached;
    const stack: Frame[] = [this.newFrame(table, chain, hook, packet, rootKey)];
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const need = this.step(frame);
      if (need === null) {
        this.remember(frame, [...frame.exits.values()]);
        this.active.delete(frame.chain);
        stack.pop();
      } else {
        stack.push(this.newFrame(table, need.chain, hook, need.packet, packetKey(need.packet)));
      }
    }
    return this.cached(chain, hook, rootKey)!;
  }

  private newFrame(table: LoadedTable, chain: LoadedChain, hook: string, packet: PacketState, key: string): Frame {
    this.active.add(chain);
    const frame: Frame = { key, table, chain, hook, idx: 0, buckets: new Map(), exits: new Map() };
    this.push(frame, 0, { packet, prob: Fraction.ONE, path: null, merged: 1 });
    return frame;
  }

  private push(frame: Frame, idx: number, s: LocalState): void {
    if (s.prob.isZero()) return;
    // Every state goes straight to the next rule its destination can match
    // (src/trace/dst-index.ts), so equal states meet at the same rule, in the
    // same order, as when every rule is tried: the merged path is the same.
    idx = nextCandidate(frame.chain, idx, s.packet);
    let bucket = frame.buckets.get(idx);
    if (!bucket) frame.buckets.set(idx, (bucket = new Map()));
    const k = packetKey(s.packet);
    const there = bucket.get(k);
    if (there) {
      there.prob = there.prob.add(s.prob);
      there.merged += s.merged;
    } else bucket.set(k, { ...s });
  }

  private exit(frame: Frame, kind: Exit["kind"], verdict: string, s: LocalState): void {
    if (s.prob.isZero()) return;
    // Falling off the end of a chain is the usual exit: its key is the packet's
    // alone, with no string built per frame (100,000 of them for 100,000 nested
    // chains); packet keys start with the protocol, never "verdict", so the two
    // kinds of key cannot meet.
    const k = kind === "return" ? packetKey(s.packet) : `${kind}\u0000${verdict}\u0000${packetKey(s.packet)}`;
    const there = frame.exits.get(k);
    if (there) {
      there.prob = there.prob.add(s.prob);
      there.merged += s.merged;
    } else frame.exits.set(k, { kind, verdict, packet: s.packet, prob: s.prob, path: s.path, merged: s.merged });
  }

  /** Advance a frame until it is done (null) or needs another chain's summary. */
  private step(frame: Frame): Need | null {
    const rules = frame.chain.rules;
    while (frame.idx < rules.length) {
      const bucket = frame.buckets.get(frame.idx);
      if (bucket) {
        for (const [k, s] of bucket) {
          const need = this.process(frame, rules[frame.idx]!, s);
          if (need) return need;
          bucket.delete(k);
        }
        frame.buckets.delete(frame.idx);
      }
      // States only move forward: go straight to the nearest index that holds some
      // (the destination index may have moved them far ahead).
      let next = rules.length;
      for (const at of frame.buckets.keys()) if (at > frame.idx && at < next) next = at;
      frame.idx = next;
    }
    const end = frame.buckets.get(rules.length);
    if (end) for (const s of end.values()) this.exit(frame, "return", "RETURN", s);
    frame.buckets.delete(rules.length);
    return null;
  }

  private process(frame: Frame, rule: RuleNode, s: LocalState): Need | null {
    const idx = frame.idx;
    if (this.steps >= this.options.maxSteps) {
      this.boundHit = true;
      this.exit(frame, "verdict", "UNKNOWN", { ...s, packet: withUncertain(s.packet, [WORK_BOUND_REASON]) });
      return null;
    }
    this.steps++;

    const evaluations = this.evaluate(rule, frame.hook, s.packet);

    // A jump needs the callee's summary before anything is recorded (the state is processed again after it).
    const plans: Plan[] = [];
    for (const ev of evaluations) {
      if (ev.matched.isZero()) {
        plans.push({ ev, matchedPacket: ev.hit, uncertain: [], effect: null, summary: undefined, jumpProblem: null });
        continue;
      }
      // (An inert rule is either a certain hit, with no reasons, or a miss.)
      const uncertain = ev.reasons;
      const matchedPacket = withUncertain(ev.hit, uncertain);
      const effect = applyTarget(rule, matchedPacket, this.options as TargetContext);
      let summary: Exit[] | undefined;
      let jumpProblem: string | null = null;
      if (effect.kind === "jump") {
        const callee = frame.table.chainsByName.get(effect.chain);
        if (!callee) jumpProblem = `${rule.target?.goto ? "-g" : "-j"} ${effect.chain}: no such chain in table ${frame.table.name}`;
        else if (callee.builtin) jumpProblem = `${effect.chain} is a built-in chain and cannot be a jump target`;
        else {
          summary = this.cached(callee, frame.hook, packetKey(matchedPacket));
          if (!summary) {
            if (this.active.has(callee)) jumpProblem = `loop: ${effect.chain} is called while it is being walked (iptables-restore would refuse this dump)`;
            else return { chain: callee, packet: matchedPacket };
          }
        }
      }
      plans.push({ ev, matchedPacket, uncertain, effect, summary, jumpProblem });
    }

    for (const { ev, matchedPacket, uncertain, effect, summary, jumpProblem } of plans) {
      const share = s.prob.mul(ev.weight);
      if (effect === null) {
        this.push(frame, idx + 1, ev.miss === s.packet && ev.weight.isOne() ? s : { ...s, packet: ev.miss, prob: share });
        continue;
      }
      const unmatched = ev.matched.complement();
      if (!unmatched.isZero()) {
        const packet = withUncertain(ev.miss, uncertain);
        this.push(frame, idx + 1, { packet, prob: share.mul(unmatched), path: s.path, merged: s.merged });
      }
      const prob = share.mul(ev.matched);
      const path = catPath(s.path, stepPath({ table: frame.table.name, chain: frame.chain.name, line: rule.line, rule }));
      switch (effect.kind) {
        case "continue":
          this.push(frame, idx + 1, { packet: effect.packet, prob, path, merged: s.merged });
          break;
        case "verdict":
          this.exit(frame, "verdict", effect.verdict, { packet: effect.packet, prob, path, merged: s.merged });
          break;
        case "return":
          this.exit(frame, "return", "RETURN", { packet: matchedPacket, prob, path, merged: s.merged });
          break;
        case "jump": {
          if (jumpProblem !== null) {
            const loop = jumpProblem.startsWith("loop");
            const packet = withUncertain(matchedPacket, [jumpProblem]);
            if (loop) this.exit(frame, "verdict", "UNKNOWN", { packet, prob, path, merged: s.merged });
            else this.push(frame, idx + 1, { packet, prob, path, merged: s.merged });
            break;
          }
          for (const e of summary!) {
            const next: LocalState = { packet: e.packet, prob: prob.mul(e.prob), path: catPath(path, nestPath(e.path)), merged: s.merged * e.merged };
            if (e.kind === "verdict") this.exit(frame, "verdict", e.verdict, next);
            else if (effect.goto) this.exit(frame, "return", "RETURN", next);
            else this.push(frame, idx + 1, next);
          }
          break;
        }
      }
    }
    return null;
  }

  /** Whether the rule's target goes on with the next rule leaving the packet as it was (CT --helper, a MARK to the mark it has). */
  private changesNothing(rule: RuleNode, packet: PacketState): boolean {
    if (!rule.target?.extension) return false;
    const effect = applyTarget(rule, packet, this.options as TargetContext);
    return effect.kind === "continue" && (effect.packet === packet || packetKey(effect.packet) === packetKey(packet));
  }

  /**
   * The rule's matches against a packet: one evaluation, or several when a
   * match turns on a fact the path has not assumed yet (src/trace/facts.ts).
   * Then the packet is split, 1/2 each: where the fact is assumed to make
   * the match fail, the rule misses; where it is assumed to make it hold,
   * the matches are evaluated again with that (and split again on the next
   * open fact, if any). Each part keeps what it assumed. An inert rule
   * (LOG & co., or a target that changes nothing trace follows for this
   * packet, such as CT --helper) neither assumes nor branches: either way
   * the walk goes on the same. Such a rule matches only when that is
   * certain; the fact is left for a rule whose outcome depends on it.
   *
   * Within one evaluation: a probability that the rule matches, and reasons
   * it cannot be decided. A `recent` match records as it is evaluated,
   * whether or not the rule then matches: `hit` is the packet as the
   * matches leave it when the rule matches, `miss` when it does not. A miss
   * after an undecided match is taken to come before the recording (the
   * walk does not split a miss by where it happened), so there the
   * recording is kept for `hit` only.
   */
  private evaluate(rule: RuleNode, hook: string, packet: PacketState): Evaluation[] {
    const out: Evaluation[] = [];
    // Asked only when the rule is not decided (it costs a target application).
    let inertKnown: boolean | undefined;
    const isInert = (): boolean => (inertKnown ??= !hasMatchEffects(rule) && (hasNoEffect(rule) || this.changesNothing(rule, packet)));
    let weight = Fraction.ONE;
    // One open fact per round; a rule names a few at most (the bound only guards against a fact that fails to settle).
    for (let round = 0; ; round++) {
      let ctx: MatchContext = { packet, nodeIps: this.options.nodeIps, hook };
      let hit = packet;
      let miss = packet;
      let decided = true;
      let matched = Fraction.ONE;
      const reasons: string[] = [];
      let certainMiss = false;
      let assume: { a: Assume; miss: PacketState } | null = null;
      for (let i = -1; i < rule.matches.length && !certainMiss; i++) {
        let r: MatchOutcome;
        if (i < 0) r = builtinMatch(rule, ctx);
        else if (rule.matches[i]!.name === "recent") {
          const e = recentMatch(rule.matches[i]!, hit);
          r = e.result;
          if (e.packet !== hit) {
            hit = e.packet;
            if (decided) miss = hit;
            ctx = { ...ctx, packet: hit };
          }
        } else r = evaluateMatch(rule.matches[i]!, ctx);
        if (r === false) certainMiss = true;
        else if (r === true) continue;
        else {
          if (isAssume(r)) assume ??= { a: r, miss };
          else if (isUnknown(r)) reasons.push(r.unknown);
          else matched = matched.mul(r);
          decided = false;
        }
      }
      if (certainMiss) {
        out.push({ weight, hit, miss, matched: Fraction.ZERO, reasons: [] });
        return out;
      }
      if (assume !== null) {
        if (isInert()) {
          out.push({ weight, hit: packet, miss: packet, matched: Fraction.ZERO, reasons: [] });
          return out;
        }
        if (round < MAX_ASSUMED_PER_RULE) {
          weight = weight.mul(Fraction.HALF);
          out.push({ weight, hit: packet, miss: assume.a.fail(assume.miss), matched: Fraction.ZERO, reasons: [] });
          packet = assume.a.hold(packet);
          continue;
        }
        reasons.push("too many undecided facts in one rule");
      }
      // LOG & co. with a match that is not certain: either way the walk goes on the same, so do not branch.
      if (reasons.length) matched = isInert() ? Fraction.ZERO : matched.mul(Fraction.HALF);
      else if (!matched.isOne() && isInert()) matched = Fraction.ZERO;
      out.push({ weight, hit, miss, matched, reasons });
      return out;
    }
  }
}
