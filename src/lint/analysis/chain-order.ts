/**
 * One pass over every chain's rules in order, shared by `unreachable-rule`,
 * `duplicate-rule` and `shadowed-rule` so that a rule gets at most one of
 * them: a rule after an unconditional terminating rule is unreachable (and
 * nothing else); otherwise a second copy of an earlier rule is a duplicate;
 * otherwise a rule whose packets an earlier terminating rule all takes is
 * shadowed.
 */
import type { RuleNode } from "../../ast/types.js";
import { formatRule } from "../../format/rule.js";
import type { LintNode } from "../rule.js";
import { conditionsOf, implies, type Conditions } from "./containment.js";
import { isTerminating, isUnconditional } from "./verdict.js";

export interface OrderFinding {
  readonly table: string;
  readonly chain: string;
  readonly rule: RuleNode;
  /** 1-based position in the chain. */
  readonly position: number;
  /** The earlier rule that causes the finding. */
  readonly cause: RuleNode;
  readonly causePosition: number;
}

export interface UnreachableFinding extends OrderFinding {
  /** Rules after `rule` that are unreachable too. */
  readonly more: number;
}

export interface ChainOrderResult {
  readonly unreachable: UnreachableFinding[];
  readonly duplicates: OrderFinding[];
  readonly shadowed: OrderFinding[];
}

interface Candidate {
  readonly rule: RuleNode;
  readonly position: number;
  readonly conditions: Conditions;
}

function singlePort(set: Conditions["dport"]): number | null {
  return set && set.length === 1 && set[0]![0] === set[0]![1] ? set[0]![0] : null;
}

/**
 * Earlier terminating rules, indexed so that a long chain (kube-proxy's
 * KUBE-SERVICES and KUBE-NODEPORTS, a blocklist of 10,000 sources) is not
 * checked pair by pair: by positive destination network, else by positive
 * source network, else by positive input or output interface, else by single
 * destination or source port. A rule with a positive
 * network can only contain rules whose network lies inside it, so a lookup
 * tries each shorter prefix of the rule's own network.
 */
class CandidateIndex {
  private readonly byDestination = new Map<string, Candidate[]>();
  private readonly bySource = new Map<string, Candidate[]>();
  private readonly byInterface = new Map<string, Candidate[]>();
  private readonly byPort = new Map<number, Candidate[]>();
  private readonly bySourcePort = new Map<number, Candidate[]>();
  private readonly rest: Candidate[] = [];

  private static push<K>(map: Map<K, Candidate[]>, key: K, c: Candidate): void {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  }

  add(c: Candidate): void {
    const d = c.conditions.destination;
    const s = c.conditions.source;
    if (d && !d.negated) return CandidateIndex.push(this.byDestination, netKey(d.net.bits, d.net.prefix, d.net.base), c);
    if (s && !s.negated) return CandidateIndex.push(this.bySource, netKey(s.net.bits, s.net.prefix, s.net.base), c);
    for (const [direction, cond] of [["i", c.conditions.inInterface], ["o", c.conditions.outInterface]] as const) {
      if (cond && !cond.negated) return CandidateIndex.push(this.byInterface, interfaceKey(direction, cond.name, cond.wildcard), c);
    }
    const port = singlePort(c.conditions.dport);
    if (port !== null) return CandidateIndex.push(this.byPort, port, c);
    const sourcePort = singlePort(c.conditions.sport);
    if (sourcePort !== null) return CandidateIndex.push(this.bySourcePort, sourcePort, c);
    this.rest.push(c);
  }

  /** Candidates that could contain a rule with these conditions, in no particular order. */
  *candidatesFor(b: Conditions): Iterable<Candidate> {
    for (const [cond, map] of [[b.destination, this.byDestination], [b.source, this.bySource]] as const) {
      if (!cond || cond.negated || map.size === 0) continue;
      for (let prefix = 0; prefix <= cond.net.prefix; prefix++) {
        const host = BigInt(cond.net.bits - prefix);
        const list = map.get(netKey(cond.net.bits, prefix, (cond.net.base >> host) << host));
        if (list) yield* list;
      }
    }
    if (this.byInterface.size > 0) {
      for (const [direction, cond] of [["i", b.inInterface], ["o", b.outInterface]] as const) {
        if (!cond || cond.negated) continue;
        // Exact names hold only the same exact name; a `P+` wildcard holds every name starting with P.
        if (!cond.wildcard) yield* this.byInterface.get(interfaceKey(direction, cond.name, false)) ?? [];
        for (let n = 0; n <= cond.name.length; n++) yield* this.byInterface.get(interfaceKey(direction, cond.name.slice(0, n), true)) ?? [];
      }
    }
    const port = singlePort(b.dport);
    if (port !== null) yield* this.byPort.get(port) ?? [];
    const sourcePort = singlePort(b.sport);
    if (sourcePort !== null) yield* this.bySourcePort.get(sourcePort) ?? [];
    yield* this.rest;
  }
}

function interfaceKey(direction: "i" | "o", name: string, wildcard: boolean): string {
  return `${direction}${wildcard ? "+" : "="}${name}`;
}

function netKey(bits: number, prefix: number, base: bigint): string {
  return `${bits}/${prefix}/${base}`;
}

/**
 * Finds a rule's first earlier identical copy in its chain: identical means
 * the same canonical text (`-s 10.0.0.1` and `-s 10.0.0.1/32` are one rule).
 * Printing every rule costs 3 µs each, most of `kipt lint` on a
 * 10,000-service node, and copies are rare: rules are grouped by target
 * first (copies have the same target), and only rules that share a target
 * with an earlier one are printed.
 */
class DuplicateFinder {
  /**
   * Per target chain or extension, for -j and -g apart (keyed by the target's
   * own name, which the parser shares, so no key is made per rule): the one
   * rule seen with it, or (from the second on) the rules by printed text.
   */
  private readonly byJump = new Map<string, number | Map<string, number>>();
  private readonly byGoto = new Map<string, number | Map<string, number>>();

  constructor(
    private readonly rules: readonly RuleNode[],
    private readonly chain: string,
    private readonly family: "ipv4" | "ipv6",
  ) {}

  private text(i: number): string {
    return formatRule(this.rules[i]!, this.chain, this.family);
  }

  /** Index of the first earlier rule printed the same as rule `j`, or -1; call for j = 0, 1, 2, ... in turn. */
  earlierCopy(j: number): number {
    const target = this.rules[j]!.target;
    // A rule without a target is filed under "" with `-j ""` (which the parser takes): their printed texts tell them apart.
    const byTarget = target?.goto ? this.byGoto : this.byJump;
    const key = target === null ? "" : target.name;
    const entry = byTarget.get(key);
    if (entry === undefined) {
      byTarget.set(key, j);
      return -1;
    }
    let texts: Map<string, number>;
    if (typeof entry === "number") byTarget.set(key, (texts = new Map([[this.text(entry), entry]])));
    else texts = entry;
    const text = this.text(j);
    const earlier = texts.get(text);
    if (earlier !== undefined) return earlier;
    texts.set(text, j);
    return -1;
  }
}

/**
 * Containment checks allowed per chain. A chain of thousands of rules that
 * the index cannot tell apart (no addresses, no single ports) would take
 * quadratic time; past the budget its remaining rules are not checked for
 * shadowing (silence, never a false finding).
 */
export const SHADOW_CHECK_BUDGET = 1_000_000;

export function analyseChainOrder(node: LintNode, budget = SHADOW_CHECK_BUDGET): ChainOrderResult {
  const result: ChainOrderResult = { unreachable: [], duplicates: [], shadowed: [] };
  const family = node.ruleset.family ?? "ipv4";
  // The last table block of a name is what the kernel holds (iptables-restore flushes per block).
  const tables = new Map(node.ruleset.tables.map((t) => [t.name, t]));
  for (const table of tables.values()) {
    for (const chain of table.chains) {
      const rules = chain.rules;
      // One rule has nothing before it to copy, shadow or cut off (most chains of a kube-proxy dump have one or two).
      if (rules.length < 2) continue;
      const duplicates = new DuplicateFinder(rules, chain.name, family);
      // Made when the first terminating rule is indexed: until then no rule can be shadowed.
      let index: CandidateIndex | null = null;
      let checks = budget;
      for (let j = 0; j < rules.length; j++) {
        const rule = rules[j]!;
        const earlier = duplicates.earlierCopy(j);
        if (earlier >= 0) {
          result.duplicates.push({ table: table.name, chain: chain.name, rule, position: j + 1, cause: rules[earlier]!, causePosition: earlier + 1 });
        } else {
          // A rule's conditions are needed to compare it with earlier terminating
          // rules, and to index it for later rules when it terminates. Most rules
          // of a kube-proxy dump need neither (jumps to chains, last rules).
          const terminating = isTerminating(rule);
          const needed = index !== null || (terminating && j + 1 < rules.length);
          const b = needed ? conditionsOf(rule) : null;
          // In the raw table CT --notrack between two rules changes the state a later rule sees.
          const usesState = b !== null && b.ctstate !== null;
          if (b && index !== null && checks > 0 && !(usesState && table.name === "raw")) {
            let cause: Candidate | null = null;
            for (const c of index.candidatesFor(b)) {
              if (--checks < 0) {
                cause = null; // out of budget: say nothing rather than name a cause that may not be the first
                break;
              }
              if ((cause === null || c.position < cause.position) && implies(b, c.conditions)) cause = c;
            }
            if (cause) result.shadowed.push({ table: table.name, chain: chain.name, rule, position: j + 1, cause: cause.rule, causePosition: cause.position });
          }
          if (terminating && b) (index ??= new CandidateIndex()).add({ rule, position: j + 1, conditions: b });
        }
        if (isTerminating(rule) && isUnconditional(rule) && j + 1 < rules.length) {
          result.unreachable.push({
            table: table.name,
            chain: chain.name,
            rule: rules[j + 1]!,
            position: j + 2,
            cause: rule,
            causePosition: j + 1,
            more: rules.length - j - 2,
          });
          break;
        }
      }
    }
  }
  return result;
}
