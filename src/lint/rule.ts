/**
 * The lint framework's contract: a rule is one module with stable metadata
 * (`meta`) and a `check(context)` that reports findings through
 * `context.report()`. Rules never print and never throw on odd input.
 *
 * A lint run covers one or more dumps (one per node, `context.nodes`): rules
 * that look at one dump loop over the nodes; cross-node rules (Kubernetes
 * checks, KIPT3xxx) compare them. Rules share expensive models through
 * `context.cache()` (the Kubernetes model is meant to be built there once).
 *
 * A Kubernetes rule (KIPT3xxx) is one more module in src/lint/rules/, listed
 * in src/lint/registry.ts, with its page in docs/rules/:
 *
 *     export const someKubeCheck = defineRule({
 *       meta: { id: "KIPT3001", name: "...", severity: "warning", summary: "...", kubernetes: true, examples: { bad, good } },
 *       check(context) {
 *         for (const node of context.nodes) {
 *           const model = context.cache(`kube:${node.file}`, () => buildKubeModel(node.ruleset));
 *           // context.options.endpoints / clusterCidr: --endpoints, --cluster-cidr
 *           // context.report({ node, message, line, chain, table, fingerprint })
 *         }
 *       },
 *     });
 */
import type { DumpNode, RuleNode } from "../ast/types.js";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import type { ChainGraph } from "../graph/chain-graph.js";
import type { Ruleset } from "../model/load.js";

/** Where rule pages live, relative to the kipt package root (they ship with the package). */
export const DOCS_DIR = "docs/rules";

/** The page of a code: `docs/rules/KIPT2005.md`. */
export function docsPath(id: string): string {
  return `${DOCS_DIR}/${id}.md`;
}

export interface LintRuleMeta {
  /** Stable ID, never reused: `KIPT2005`. Structure rules are KIPT2xxx, Kubernetes rules KIPT3xxx. */
  readonly id: string;
  /** Dash-case name, what configs and output use: `unreachable-rule`. */
  readonly name: string;
  /** Default severity; `.kiptrc.json` can change it or turn the rule off. */
  readonly severity: Severity;
  /** One line. */
  readonly summary: string;
  /** The rule's page (`docs/rules/<ID>.md`, relative to the package root). */
  readonly docs: string;
  /**
   * A dump the rule reports and the same dump fixed; the catalogue test runs
   * both, with `options` (the `--endpoints` JSON a Kubernetes rule needs)
   * and `otherNodes` when given.
   */
  readonly examples: {
    readonly bad: string;
    readonly good: string;
    readonly options?: LintOptions;
    /** Dumps of other nodes linted together with `bad` and with `good` (cross-node rules), as `node-2.rules`, ... */
    readonly otherNodes?: readonly string[];
  };
  /** Whether the rule needs Kubernetes inputs (`--endpoints`, `--cluster-cidr`); informational. */
  readonly kubernetes?: boolean;
}

/** One dump of the run: a node's iptables-save output and everything derived from it. */
export interface LintNode {
  /** As given on the command line (`-` for standard input). */
  readonly file: string;
  readonly text: string;
  readonly dump: DumpNode;
  readonly ruleset: Ruleset;
  readonly graph: ChainGraph;
  /** Parse (and decoding) diagnostics of this dump. */
  readonly parseDiagnostics: readonly Diagnostic[];
}

/** Options a run carries for rules that need more than the dumps (Kubernetes rules). */
export interface LintOptions {
  /** Parsed JSON of `--endpoints FILE`, when given. */
  readonly endpoints?: unknown;
  /** `--cluster-cidr`, when given (validated as a CIDR). */
  readonly clusterCidr?: string;
}

/** Where a finding points. A rule gives either a rule node, a span, or a bare line. */
export interface LintReport {
  readonly node: LintNode;
  readonly message: string;
  /** The rule the finding is about: position, table, chain and fingerprint come from it. */
  readonly rule?: RuleNode;
  /** Position when not (only) a rule: defaults to the rule's. */
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
  readonly length?: number;
  readonly table?: string;
  readonly chain?: string;
  /** Overrides the rule's default severity for this finding (before configuration applies). */
  readonly severity?: Severity;
  /**
   * What identifies the finding when lines move (baselines, SARIF
   * partialFingerprints). Defaults to the rule's canonical text, or the
   * table and chain. Never include line numbers or counters.
   */
  readonly fingerprint?: string;
}

export interface LintContext {
  readonly nodes: readonly LintNode[];
  readonly options: LintOptions;
  /** The rule being run. */
  readonly meta: LintRuleMeta;
  report(report: LintReport): void;
  /** A value computed once per run and shared by every rule (`key` names it). */
  cache<T>(key: string, build: () => T): T;
}

export interface LintRule {
  readonly meta: LintRuleMeta;
  check(context: LintContext): void;
}

/** A finding: a diagnostic with what lint adds (table, chain, fingerprint). */
export interface Finding extends Diagnostic {
  readonly table: string | null;
  readonly chain: string | null;
  /** Stable across line moves: hex SHA-256 of rule ID, table, chain and rule text (or line text). */
  readonly fingerprint: string;
}

/** Helper for rule modules: `defineRule({ meta, check })` with the docs path filled in. */
export function defineRule(rule: { meta: Omit<LintRuleMeta, "docs"> & { docs?: string }; check(context: LintContext): void }): LintRule {
  return { meta: { ...rule.meta, docs: rule.meta.docs ?? docsPath(rule.meta.id) }, check: rule.check };
}
