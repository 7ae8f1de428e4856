/**
 * Lookup over the declarative extension catalogue in `grammar/extensions`.
 */
import type { ExtensionSpec, OptionSpec } from "../../grammar/schema.js";
import { allExtensions } from "../../grammar/extensions/index.js";

export type { ExtensionSpec, OptionSpec };

/** iptables' own long options (original_opts in iptables/xtables.c), which getopt matches prefixes against too. */
const BASE_LONG_OPTIONS = [
  "append", "delete", "check", "insert", "replace", "list", "list-rules", "flush", "zero", "new-chain", "delete-chain",
  "rename-chain", "policy", "source", "destination", "src", "dst", "protocol", "in-interface", "jump", "table", "match",
  "numeric", "out-interface", "verbose", "wait", "wait-interval", "exact", "fragments", "version", "help", "line-numbers",
  "modprobe", "set-counters", "goto", "ipv4", "ipv6",
].map((name) => `--${name}`);

export class ExtensionRegistry {
  private readonly matches = new Map<string, ExtensionSpec>();
  private readonly targets = new Map<string, ExtensionSpec>();
  /** The longest target name: a longer word (a kube-proxy chain's 25 characters) is no target, without hashing it. */
  private longestTarget = 0;
  /** Per extension: option spelling (canonical or alias) -> spec. */
  private readonly optionIndex = new Map<ExtensionSpec, Map<string, OptionSpec>>();

  constructor(specs: readonly ExtensionSpec[]) {
    for (const spec of specs) {
      const map = spec.kind === "match" ? this.matches : this.targets;
      // A family-specific entry (icmp vs icmp6 share no name, but REJECT exists for
      // both families with different option sets) keeps the first registration per
      // name; family variants are merged by the catalogue itself.
      for (const name of [spec.name, ...(spec.aliases ?? [])]) if (!map.has(name)) map.set(name, spec);
      if (spec.kind !== "match") for (const name of [spec.name, ...(spec.aliases ?? [])]) this.longestTarget = Math.max(this.longestTarget, name.length);
      const index = new Map<string, OptionSpec>();
      for (const option of spec.options) {
        index.set(option.name, option);
        for (const alias of option.aliases ?? []) if (!index.has(alias)) index.set(alias, option);
      }
      this.optionIndex.set(spec, index);
    }
  }

  match(name: string): ExtensionSpec | undefined {
    return this.matches.get(name);
  }

  target(name: string): ExtensionSpec | undefined {
    return name.length > this.longestTarget ? undefined : this.targets.get(name);
  }

  /** Exact spelling or alias. */
  option(spec: ExtensionSpec, spelling: string): OptionSpec | undefined {
    return this.optionIndex.get(spec)?.get(spelling);
  }

  /**
   * getopt_long accepts any unambiguous prefix of a long option (`--to` for
   * `--to-destination`); iptables inherits that.
   */
  optionByPrefix(spec: ExtensionSpec, spelling: string): OptionSpec | "ambiguous" | undefined {
    if (!spelling.startsWith("--")) return undefined;
    let found: OptionSpec | undefined;
    for (const [name, option] of this.optionIndex.get(spec) ?? []) {
      if (!name.startsWith(spelling)) continue;
      if (found && found !== option) return "ambiguous";
      found = option;
    }
    // getopt also sees iptables' own options: `--se` prefixes --set-counters as well as --set.
    if (found && BASE_LONG_OPTIONS.some((o) => o.startsWith(spelling))) return "ambiguous";
    return found;
  }

  allMatches(): ExtensionSpec[] {
    return [...new Set(this.matches.values())];
  }

  allTargets(): ExtensionSpec[] {
    return [...new Set(this.targets.values())];
  }
}

export const registry = new ExtensionRegistry(allExtensions);

/** The match `-p NAME` loads implicitly when an option is not found elsewhere. */
export function protocolMatchName(protocol: string): string | null {
  switch (protocol) {
    case "tcp":
    case "6":
      return "tcp";
    case "udp":
    case "17":
      return "udp";
    case "icmp":
    case "1":
      return "icmp";
    case "icmpv6":
    case "ipv6-icmp":
    case "icmp6":
    case "58":
      return "icmp6";
    case "sctp":
    case "132":
      return "sctp";
    case "udplite":
    case "136":
      return "udplite";
    case "dccp":
    case "33":
      return "dccp";
    case "esp":
    case "50":
      return "esp";
    case "ah":
    case "51":
      return "ah";
    case "ipcomp":
    case "108":
      return "ipcomp";
    case "mh":
    case "ipv6-mh":
    case "135":
      return "mh";
    default:
      return null;
  }
}
