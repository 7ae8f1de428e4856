/**
 * The typed AST of an iptables-save / iptables-restore dump.
 *
 * Every node carries its source position flat on the node (`line`,
 * `column`, `offset`, `length`) rather than in a nested location object:
 * a 10,000-service dump has millions of nodes and the nested objects alone
 * would cost more memory than the input. Lines and columns are 1-based,
 * offsets 0-based UTF-16 code units into the whole input.
 */

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** 0-based offset into the input text. */
  readonly offset: number;
}

export interface SourceSpan extends SourcePosition {
  /** Length in UTF-16 code units. */
  readonly length: number;
}

export type AddressFamily = "ipv4" | "ipv6";

// ---------------------------------------------------------------------------
// Values

interface ValueBase {
  /** The value's text after quote removal, exactly as written. */
  readonly text: string;
}

/** Free text (comments, log prefixes, names). */
export interface StringValue extends ValueBase {
  readonly type: "string";
}
/** An integer (decimal or 0x hex in the source). */
export interface IntegerValue extends ValueBase {
  readonly type: "integer";
  readonly value: number;
}
/** `value[/mask]` with both as unsigned 32-bit numbers; mask 0xffffffff when absent. */
export interface MarkValue extends ValueBase {
  readonly type: "mark";
  readonly value: number;
  readonly mask: number;
  readonly hasMask: boolean;
}
/** A port or inclusive range; `first === last` for a single port. */
export interface PortRangeValue extends ValueBase {
  readonly type: "portRange";
  readonly first: number;
  readonly last: number;
}
export interface PortListValue extends ValueBase {
  readonly type: "portList";
  readonly ranges: readonly { readonly first: number; readonly last: number }[];
}
/** An address or network. `prefixLength` is the full length when none was written. */
export interface AddressValue extends ValueBase {
  readonly type: "address";
  readonly family: AddressFamily;
  /** The address part as written (no prefix). */
  readonly address: string;
  readonly prefixLength: number;
  /** Whether the source gave a prefix or mask. */
  readonly hasPrefix: boolean;
}
export interface IpRangeValue extends ValueBase {
  readonly type: "ipRange";
  readonly family: AddressFamily;
  readonly from: string;
  readonly to: string;
}
/** A NAT range: `ip[-ip][:port[-port]]`, `[v6]:port`, or `:port`. */
export interface NatRangeValue extends ValueBase {
  readonly type: "natRange";
  readonly family: AddressFamily | null;
  readonly fromAddress: string | null;
  readonly toAddress: string | null;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  /** `/base` after the ports (port offset mapping, iptables 1.8.6+); absent or null when not given. */
  readonly basePort?: number | null;
}
/** `--probability`: the exact decimal text and the number. */
export interface ProbabilityValue extends ValueBase {
  readonly type: "probability";
  readonly value: number;
}
/** An interface name; `wildcard` when it ends in `+`. */
export interface InterfaceValue extends ValueBase {
  readonly type: "interface";
  readonly name: string;
  readonly wildcard: boolean;
}
/** A comma list of words (ctstate, tcp flags, addrtype types, set flags). */
export interface FlagsValue extends ValueBase {
  readonly type: "flags";
  readonly flags: readonly string[];
}
/** One of a fixed set of words. */
export interface EnumValue extends ValueBase {
  readonly type: "enum";
}
/** A rate `N/unit` with packets per second. */
export interface RateValue extends ValueBase {
  readonly type: "rate";
  readonly count: number;
  readonly unit: "second" | "minute" | "hour" | "day";
}
/** Anything kipt keeps verbatim. */
export interface RawValue extends ValueBase {
  readonly type: "raw";
}

export type Value =
  | StringValue
  | IntegerValue
  | MarkValue
  | PortRangeValue
  | PortListValue
  | AddressValue
  | IpRangeValue
  | NatRangeValue
  | ProbabilityValue
  | InterfaceValue
  | FlagsValue
  | EnumValue
  | RateValue
  | RawValue;

// ---------------------------------------------------------------------------
// Rules

/** One option of a match or target, e.g. `! --dport 80`. */
export interface OptionNode extends SourceSpan {
  /** Canonical spelling, e.g. `--dport` even when written `--destination-port`. */
  readonly name: string;
  readonly negated: boolean;
  readonly values: readonly Value[];
}

export interface MatchNode extends SourceSpan {
  readonly kind: "match";
  /** Extension name (`tcp`, `comment`, ...). */
  readonly name: string;
  /** Loaded by `-p tcp` without `-m tcp` (restore input only; iptables-save always prints `-m`). */
  readonly implicit: boolean;
  /** Whether kipt's catalogue knows the extension. */
  readonly known: boolean;
  readonly options: OptionNode[];
}

export interface TargetNode extends SourceSpan {
  readonly kind: "target";
  /** `-j` jumps (and returns), `-g` goes to (and does not return). */
  readonly goto: boolean;
  /** Target extension or chain name. */
  readonly name: string;
  /** True for a target extension (ACCEPT, DNAT, ...); false for a jump to a chain. */
  readonly extension: boolean;
  readonly known: boolean;
  readonly options: OptionNode[];
}

/** A built-in match: `-s`, `-d`, `-i`, `-o`, `-p`, `-f`. */
export interface AddressMatch extends SourceSpan {
  readonly negated: boolean;
  readonly value: AddressValue;
}
export interface InterfaceMatch extends SourceSpan {
  readonly negated: boolean;
  readonly value: InterfaceValue;
}
export interface ProtocolMatch extends SourceSpan {
  readonly negated: boolean;
  /** Lower-case name (`tcp`) or the number as text when no name is known. */
  readonly name: string;
  /** IANA protocol number; 0 for `all`. */
  readonly number: number;
  readonly text: string;
}
export interface FlagMatch extends SourceSpan {
  readonly negated: boolean;
}

export interface Counters {
  readonly packets: bigint;
  readonly bytes: bigint;
}

export type CommandKind =
  | "append"
  | "insert"
  | "delete"
  | "replace"
  | "new-chain"
  | "delete-chain"
  | "flush"
  | "zero"
  | "policy"
  | "rename-chain";

/**
 * A rule line: `[counters] -A CHAIN matches... -j TARGET`. A line whose `-s`
 * or `-d` is a comma list (`-s 10.0.0.0/8,192.168.0.0/16`, restore input
 * only) gives one RuleNode per address, per pair when both are lists, as
 * iptables adds one rule for each: they share the line's position, text and
 * nodes, and differ in `source`/`destination`.
 */
export interface RuleNode extends SourceSpan {
  readonly kind: "rule";
  /** `append` for everything iptables-save prints; restore input may insert, delete or replace. */
  readonly command: "append" | "insert" | "delete" | "replace";
  readonly table: string;
  readonly chain: string;
  /** Rule number for `-I CHAIN n`, `-R CHAIN n`, `-D CHAIN n`. */
  readonly ruleNumber: number | null;
  readonly counters: Counters | null;
  readonly source: AddressMatch | null;
  readonly destination: AddressMatch | null;
  readonly inInterface: InterfaceMatch | null;
  readonly outInterface: InterfaceMatch | null;
  readonly protocol: ProtocolMatch | null;
  readonly fragment: FlagMatch | null;
  readonly matches: MatchNode[];
  readonly target: TargetNode | null;
  /** The source text of the rule without the leading counters. */
  readonly text: string;
}

/** A chain-level command in restore input: `-N`, `-X`, `-F`, `-Z`, `-P`, `-E`. */
export interface ChainCommandNode extends SourceSpan {
  readonly kind: "chainCommand";
  readonly command: Exclude<CommandKind, "append" | "insert" | "delete" | "replace">;
  readonly table: string;
  /** null for `-X`, `-F`, `-Z` with no chain (all chains). */
  readonly chain: string | null;
  /** `-P CHAIN POLICY` policy, `-E OLD NEW` new name. */
  readonly argument: string | null;
}

/** `:CHAIN POLICY [packets:bytes]`. */
export interface ChainDeclNode extends SourceSpan {
  readonly kind: "chainDecl";
  readonly name: string;
  /** `ACCEPT`/`DROP` for built-in chains; null for `-`. */
  readonly policy: string | null;
  readonly counters: Counters | null;
}

/** A `#` line. */
export interface CommentNode extends SourceSpan {
  readonly kind: "comment";
  readonly text: string;
}

export type TableStatement = RuleNode | ChainCommandNode | ChainDeclNode;

/** `*table` ... `COMMIT`. */
export interface TableNode extends SourceSpan {
  readonly kind: "table";
  readonly name: string;
  /** Everything between `*table` and `COMMIT`, in source order. */
  readonly statements: TableStatement[];
  /** Comment lines directly before `*table` (iptables-save's `# Generated by` line). */
  readonly leadingComments: CommentNode[];
  /** Comment lines directly after `COMMIT` (iptables-save's `# Completed on` line). */
  readonly trailingComments: CommentNode[];
  /** Position of `COMMIT`, or null when the table was never committed. */
  readonly commit: SourceSpan | null;
}

export interface DumpNode {
  readonly kind: "dump";
  /** File name used in diagnostics (`-` for standard input). */
  readonly file: string;
  /** Detected from the header (`ip6tables-save`) or the addresses used; null when unknown. */
  readonly family: AddressFamily | null;
  readonly tables: TableNode[];
  /** Comment lines not attached to a table. */
  readonly comments: CommentNode[];
  /** Number of lines in the input. */
  readonly lineCount: number;
}
