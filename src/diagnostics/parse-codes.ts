/**
 * The parser's diagnostics. IDs are stable and never reused: a retired check
 * keeps its number. Each has a page in docs/rules/<ID>.md.
 */
import { defineCode as code, type DiagnosticCode } from "./diagnostic.js";

export type ParseCode = DiagnosticCode;

export const ParseCodes = {
  syntaxError: code("KIPT1001", "syntax-error", "error", "A line does not follow the iptables-save grammar."),
  unknownExtension: code("KIPT1002", "unknown-extension", "warning", "A match or target extension kipt's catalogue does not know."),
  unknownOption: code("KIPT1003", "unknown-option", "error", "An option that no loaded match or target accepts."),
  invalidValue: code("KIPT1004", "invalid-value", "error", "An option value of the wrong type (address, port, number, ...)."),
  missingValue: code("KIPT1005", "missing-value", "error", "An option without the value(s) it requires."),
  outsideTable: code("KIPT1006", "outside-table", "error", "A rule, chain or COMMIT line before any `*table` line."),
  missingCommit: code("KIPT1007", "missing-commit", "error", "A table that is never committed: iptables-restore fails on it."),
  undeclaredChain: code("KIPT1008", "undeclared-chain", "error", "A command for a chain that was never declared in its table."),
  duplicateChain: code("KIPT1009", "duplicate-chain", "error", "A chain declared twice in one table."),
  unterminatedQuote: code("KIPT1010", "unterminated-quote", "error", "A double quote that is never closed."),
  unknownTable: code("KIPT1011", "unknown-table", "error", "A table name the kernel does not have."),
  invalidPolicy: code("KIPT1012", "invalid-policy", "error", "A chain policy other than ACCEPT or DROP (or `-` for user chains)."),
  strayText: code("KIPT1013", "stray-text", "error", "Text that is not an iptables-save line (prose, a broken paste)."),
  leadingWhitespace: code("KIPT1014", "leading-whitespace", "warning", "An indented line (an error for table, chain and COMMIT lines, which iptables-restore rejects)."),
  invalidEncoding: code("KIPT1015", "invalid-encoding", "error", "NUL bytes or invalid UTF-8 in the input."),
  duplicateOption: code("KIPT1016", "duplicate-option", "error", "The same option given twice for one match or target."),
  misplacedNegation: code("KIPT1017", "misplaced-negation", "error", "`!` where iptables does not allow it."),
  deprecatedSyntax: code("KIPT1018", "deprecated-syntax", "warning", "Syntax only old iptables versions (before 1.4.3) accept; current ones reject it."),
  emptyInput: code("KIPT1019", "empty-input", "warning", "The input has no tables."),
  crlfLineEnds: code("KIPT1020", "crlf-line-ends", "warning", "Lines end in CR LF (a file from Windows); iptables-restore rejects them."),
  interfaceDirection: code("KIPT1021", "interface-direction", "error", "`-i` in OUTPUT/POSTROUTING or `-o` in INPUT/PREROUTING: the packet has no such interface there."),
  tooManyProblems: code("KIPT1022", "too-many-problems", "error", "More than 10,000 problems in one input: the rest are counted, not listed."),
  neverMatches: code("KIPT1023", "never-matches", "error", "A rule that can never match (`! -p all`, `! -s 0.0.0.0/0`): iptables-restore refuses it."),
  needsProtocol: code("KIPT1024", "needs-protocol", "error", "A match or target that needs a protocol the rule does not give (`-m tcp` without `-p tcp`, `-m icmp` with `-p udp`)."),
  wrongFamily: code("KIPT1025", "wrong-family", "error", "A match or target of the other address family (`-m rt` in an iptables dump, `-m ttl` in an ip6tables one)."),
  missingOption: code("KIPT1026", "missing-option", "error", "A match or target without an option it cannot do without (`-m comment` with no `--comment`, `-j DNAT` with no `--to-destination`)."),
  truncatedValue: code("KIPT1027", "truncated-value", "warning", "A value longer than the kernel keeps (a `--log-prefix` past 29 bytes, a comment past 255): iptables-restore silently cuts it."),
  legacyOnly: code("KIPT1028", "legacy-only", "warning", "A rule or command that legacy iptables loads and the nf_tables backend (the default of current distributions) refuses: `-j QUEUE`, `-R`, `-E` of a chain the input made, a declared chain name starting with `!` or `-`."),
  dropInNat: code("KIPT1029", "drop-in-nat", "error", "`-j DROP` or `-P CHAIN DROP` in the nat table: iptables refuses filtering there."),
} as const satisfies Record<string, ParseCode>;

export const allParseCodes: readonly ParseCode[] = Object.values(ParseCodes);
