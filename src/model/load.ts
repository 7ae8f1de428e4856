/**
 * AST -> loaded ruleset: what the kernel holds after `iptables-restore`
 * applied the dump. Restore commands (`-I`, `-D`, `-R`, `-N`, `-X`, `-F`,
 * `-P`, `-E`) are applied in order; built-in chains exist even when the
 * dump does not declare them; chains come out in the order iptables-save
 * prints them (built-ins in hook order, then user chains sorted bytewise).
 */
import type { ChainCommandNode, ChainDeclNode, CommentNode, Counters, DumpNode, RuleNode, TableNode } from "../ast/types.js";
import { ruleSpec } from "../format/rule.js";
import { builtinChains } from "../parser/parse.js";
import { neutralize } from "../text/sanitize.js";

/**
 * What loading needs of a rule. The AST's RuleNode is one; the parallel
 * formatter loads rules that worker threads already printed (src/parallel).
 */
export interface LoadableRule {
  readonly kind: "rule";
  readonly line: number;
  readonly command: RuleNode["command"];
  readonly chain: string;
  readonly ruleNumber: number | null;
  /** Source text without counters: `-D CHAIN rule-spec` finds its rule by it. */
  readonly text: string;
  readonly counters: Counters | null;
  readonly target: { readonly name: string; readonly extension: boolean } | null;
}

/** A table's statements with rules of any loadable kind. */
export interface LoadableTable<R extends LoadableRule = RuleNode> {
  readonly name: string;
  readonly statements: readonly (R | ChainDeclNode | ChainCommandNode)[];
  readonly leadingComments: readonly CommentNode[];
  readonly trailingComments: readonly CommentNode[];
}

export interface LoadedChain<R extends LoadableRule = RuleNode> {
  readonly name: string;
  readonly builtin: boolean;
  /** ACCEPT/DROP for built-ins, null for user chains. */
  policy: string | null;
  counters: Counters | null;
  rules: R[];
  /** Line of the declaration (`:CHAIN` or `-N`), 0 for an undeclared built-in. */
  readonly declaredAt: number;
  /** Line of what set a built-in's policy: its `:CHAIN POLICY` declaration or the last `-P`; 0 when nothing did (ACCEPT). */
  policyAt: number;
}

/**
 * A restore command iptables-restore fails on while applying the table
 * (`-I` past the chain's end, `-D` of a rule the chain does not have, `-N`
 * of a chain that exists, ...): the whole input is refused. The command is
 * skipped here, so the rest of the table loads as if it were not there.
 */
export interface LoadRefusal {
  readonly statement: LoadableRule | ChainCommandNode;
  /** What iptables-restore 1.8.9 (nf_tables) says, in kipt's words with the tool's in quotes. */
  readonly message: string;
  /** Where the command is: the statement's span (a printed rule from a worker has only its line). */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
}

export interface LoadedTable<R extends LoadableRule = RuleNode> {
  readonly name: string;
  /** Restore commands the tool fails on, in source order (see LoadRefusal). */
  readonly refusals: readonly LoadRefusal[];
  /** In iptables-save order. */
  readonly chains: LoadedChain<R>[];
  readonly chainsByName: ReadonlyMap<string, LoadedChain<R>>;
  readonly leadingComments: readonly CommentNode[];
  readonly trailingComments: readonly CommentNode[];
}

export interface Ruleset<R extends LoadableRule = RuleNode> {
  readonly family: DumpNode["family"];
  readonly tables: LoadedTable<R>[];
}

function byteOrder(a: string, b: string): number {
  // strcmp order: compare UTF-16 code units, which equals byte order for ASCII names.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Apply one table block. Never throws; commands on missing chains are skipped (the parser reported them). */
export function loadTable<R extends LoadableRule>(table: LoadableTable<R>): LoadedTable<R> {
  const chains = new Map<string, LoadedChain<R>>();
  const builtins = builtinChains(table.name);
  for (const name of builtins) chains.set(name, { name, builtin: true, policy: "ACCEPT", counters: null, rules: [], declaredAt: 0, policyAt: 0 });

  const refusals: LoadRefusal[] = [];
  const refuse = (statement: LoadableRule | ChainCommandNode, message: string): void => {
    const at = statement as { line: number; column?: number; offset?: number; length?: number };
    refusals.push({ statement, message, line: at.line, column: at.column ?? 1, offset: at.offset ?? -1, length: at.length ?? 0 });
  };

  // Rules come in runs per chain: the previous lookup usually answers (a 10,000-service
  // dump has 60,000 chains, and a lookup in a map that size misses the cache).
  let lastChain: LoadedChain<R> | null = null;
  const ensure = (name: string, line: number): LoadedChain<R> => {
    if (lastChain !== null && lastChain.name === name) return lastChain;
    let chain = chains.get(name);
    if (!chain) {
      chain = { name, builtin: false, policy: null, counters: null, rules: [], declaredAt: line, policyAt: 0 };
      chains.set(name, chain);
    }
    lastChain = chain;
    return chain;
  };

  // Per chain, the rules a `-F` of the whole table removed (see the nf_tables quirk under delete-chain).
  const flushedWithTable = new Map<string, R[]>();

  // The first rule jumping to each chain, for `-X`; made when first needed and dropped whenever rules change.
  let jumps: Map<string, { chain: string; rule: R }> | null = null;

  for (const statement of table.statements) {
    if (statement.kind === "rule" || (statement.kind === "chainCommand" && statement.command !== "delete-chain")) jumps = null;
    switch (statement.kind) {
      case "chainDecl": {
        const chain = ensure(statement.name, statement.line);
        if (chain.builtin && statement.policy) {
          chain.policy = statement.policy;
          chain.policyAt = statement.line;
        }
        chain.counters = statement.counters;
        break;
      }
      case "rule": {
        const chain = ensure(statement.chain, statement.line);
        const n = statement.ruleNumber;
        const rules = chain.rules.length;
        switch (statement.command) {
          case "append":
            chain.rules.push(statement);
            break;
          case "insert":
            if (n !== null && n > rules + 1) refuse(statement, `'-I ${neutralize(chain.name)} ${n}': the chain has ${rules} rule${rules === 1 ? "" : "s"}, so a rule can go at 1 to ${rules + 1}; iptables-restore fails ("Index of insertion too big")`);
            else chain.rules.splice(n === null ? 0 : n - 1, 0, statement);
            break;
          case "replace":
            if (n !== null && n <= rules) chain.rules[n - 1] = statement;
            else if (n !== null) refuse(statement, `'-R ${neutralize(chain.name)} ${n}': the chain has ${rules} rule${rules === 1 ? "" : "s"} at this point; iptables-restore fails ("Index of replacement too big")`);
            break;
          case "delete": {
            if (n !== null) {
              if (n <= rules) chain.rules.splice(n - 1, 1);
              else refuse(statement, `'-D ${neutralize(chain.name)} ${n}': the chain has ${rules} rule${rules === 1 ? "" : "s"} at this point; iptables-restore fails ("Index of deletion too big")`);
            } else {
              const canonical = ruleSpecKey(statement);
              const at = chain.rules.findIndex((r) => ruleSpecKey(r) === canonical);
              if (at >= 0) chain.rules.splice(at, 1);
              else refuse(statement, `'-D ${neutralize(chain.name)}' names a rule the chain does not have at this point; iptables-restore fails ("Bad rule (does a matching rule exist in that chain?)")`);
            }
            break;
          }
        }
        break;
      }
      case "chainCommand": {
        const name = statement.chain;
        switch (statement.command) {
          case "new-chain":
            if (name && chains.has(name)) refuse(statement, `'-N ${neutralize(name)}': the chain exists already; iptables-restore fails ("Chain already exists")`);
            else if (name) ensure(name, statement.line);
            break;
          case "delete-chain": {
            // Checked with the tool: a chain is deleted only when it is empty and no
            // rule jumps to it; `-X` alone deletes every user chain, or none when
            // one of them cannot go (the whole command fails).
            const named = name === null ? undefined : chains.get(name);
            const doomed = name === null ? [...chains.values()].filter((c) => !c.builtin) : named && !named.builtin ? [named] : [];
            const written = name === null ? "'-X'" : `'-X ${neutralize(name)}'`;
            const busy = (why: string): void => refuse(statement, `${written}: ${why}; iptables-restore fails ("CHAIN_DEL failed (Device or resource busy)")`);
            const full = doomed.find((c) => c.rules.length > 0);
            if (full) {
              busy(`${name === null ? `chain '${neutralize(full.name)}'` : "the chain"} still has ${full.rules.length} rule${full.rules.length === 1 ? "" : "s"} (flush it first with '-F ${neutralize(full.name)}')`);
              break;
            }
            const gone = new Set(doomed.map((c) => c.name));
            // A restore payload may end in thousands of `-X` of stale chains: look each name up in an index of jumps.
            const jump = name === null ? firstJumpInto(chains.values(), gone) : ((jumps ??= firstJumps(chains.values())).get(name) ?? null);
            if (jump) {
              busy(`a rule still jumps to ${name === null ? `chain '${neutralize(jump.rule.target!.name)}'` : "it"} (line ${jump.rule.line}, in ${neutralize(jump.chain)})`);
              break;
            }
            // nf_tables quirk: rules a `-F` of the whole table removed still hold their chains and targets until their own chain is flushed by name.
            const held = [...flushedWithTable].find(([chainName, rules]) => gone.has(chainName) || rules.some((r) => isJumpInto(r, gone)));
            if (held) {
              const [chainName, rules] = held;
              const what = gone.has(chainName) ? `chain '${neutralize(chainName)}' was emptied` : `the jump in ${neutralize(chainName)} (line ${rules.find((r) => isJumpInto(r, gone))!.line}) was removed`;
              busy(`${what} by '-F' of the whole table, which the nf_tables backend does not count until '-F ${neutralize(chainName)}' (legacy iptables accepts it)`);
              break;
            }
            // Only empty chains nothing jumps to are deleted: the index of jumps stays true.
            for (const c of doomed) chains.delete(c.name);
            lastChain = null;
            break;
          }
          case "flush":
            for (const c of chains.values()) {
              if (name !== null && c.name !== name) continue;
              if (name === null && c.rules.length > 0) flushedWithTable.set(c.name, [...(flushedWithTable.get(c.name) ?? []), ...c.rules]);
              if (name !== null) flushedWithTable.delete(c.name);
              c.rules = [];
            }
            break;
          case "zero":
            for (const c of chains.values()) if (name === null || c.name === name) c.counters = null;
            break;
          case "policy": {
            const c = name ? chains.get(name) : undefined;
            if (c?.builtin && statement.argument) {
              c.policy = statement.argument;
              c.policyAt = statement.line;
            }
            break;
          }
          case "rename-chain": {
            const c = name ? chains.get(name) : undefined;
            if (c && statement.argument && chains.has(statement.argument)) {
              refuse(statement, `'-E ${neutralize(name!)} ${neutralize(statement.argument)}': chain '${neutralize(statement.argument)}' exists already; iptables-restore fails ("File exists")`);
              break;
            }
            // Checked with the tool: both back ends refuse to rename a built-in chain (CHAIN_RENAME failed).
            if (c && c.builtin && statement.argument) {
              refuse(statement, `'-E ${neutralize(name!)} ${neutralize(statement.argument)}': ${neutralize(name!)} is a built-in chain, which cannot be renamed; iptables-restore fails ("CHAIN_RENAME failed (No such file or directory)")`);
              break;
            }
            if (c && !c.builtin && statement.argument) {
              chains.delete(c.name);
              lastChain = null;
              const renamed = { ...c, name: statement.argument };
              chains.set(renamed.name, renamed);
              for (const other of chains.values()) {
                other.rules = other.rules.map((r): R =>
                  r.chain === c.name || r.target?.name === c.name
                    ? ({
                        ...r,
                        chain: r.chain === c.name ? renamed.name : r.chain,
                        target: r.target && r.target.name === c.name && !r.target.extension ? { ...r.target, name: renamed.name } : r.target,
                      } as R)
                    : r,
                );
              }
            }
            break;
          }
        }
        break;
      }
    }
  }

  const ordered = [
    ...builtins.map((b) => chains.get(b)!),
    ...[...chains.values()].filter((c) => !c.builtin).sort((a, b) => byteOrder(a.name, b.name)),
  ];
  return {
    name: table.name,
    refusals,
    chains: ordered,
    chainsByName: chains,
    leadingComments: table.leadingComments,
    trailingComments: table.trailingComments,
  };
}

/**
 * How `-D CHAIN rule-spec` finds its rule: by the rule's canonical text, so
 * `-p tcp -s 3.3.3.3` deletes the rule saved as `-s 3.3.3.3/32 -p tcp`, as in
 * the kernel. Rules printed by a worker carry that text already (`tail`).
 */
function ruleSpecKey(rule: LoadableRule): string {
  const printed = (rule as { tail?: string }).tail;
  return printed !== undefined ? printed.trimStart() : ruleSpec(rule as unknown as RuleNode);
}

/** Load every table of a dump. */
export function load(dump: DumpNode): Ruleset {
  return { family: dump.family, tables: dump.tables.map(loadTable) };
}

/** A rule that jumps or goes to one of `names` (a chain, not a target extension). */
function isJumpInto(rule: LoadableRule, names: ReadonlySet<string>): boolean {
  return rule.target !== null && !rule.target.extension && names.has(rule.target.name);
}

/** Per chain name, the first rule (in chain order) that jumps or goes to it, with its chain. */
function firstJumps<R extends LoadableRule>(chains: Iterable<LoadedChain<R>>): Map<string, { chain: string; rule: R }> {
  const out = new Map<string, { chain: string; rule: R }>();
  for (const c of chains) for (const r of c.rules) if (r.target !== null && !r.target.extension && !out.has(r.target.name)) out.set(r.target.name, { chain: c.name, rule: r });
  return out;
}

/** The first rule, in chain order, that jumps or goes to one of `names`, with its chain. */
function firstJumpInto<R extends LoadableRule>(chains: Iterable<LoadedChain<R>>, names: ReadonlySet<string>): { chain: string; rule: R } | null {
  for (const c of chains) for (const r of c.rules) if (isJumpInto(r, names)) return { chain: c.name, rule: r };
  return null;
}
