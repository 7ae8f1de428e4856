/**
 * Token vocabulary of the iptables-save / iptables-restore language.
 *
 * These are Chevrotain token types: the grammar in `src/parser/grammar.ts`
 * is written against them and the syntax diagrams in `grammar/` are drawn
 * from them. Their `pattern`s are never run: a Chevrotain `Lexer` measured
 * 25x slower than the hand scanner in `scanner.ts` on a 35 MB kube-proxy
 * dump (2.8 s vs 0.11 s), so the scanner classifies words into these types
 * itself. The patterns document what each type looks like.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Anything that can stand as an option's value. */
export const AnyArg = createToken({ name: "AnyArg", pattern: Lexer.NA, label: "a value" });
/** A plain value: a word or a quoted string. */
export const Value = createToken({ name: "Value", pattern: Lexer.NA, categories: [AnyArg], label: "a value" });
export const Word = createToken({ name: "Word", pattern: /[^\s"]+/, categories: [Value, AnyArg], label: "a word" });
export const Quoted = createToken({
  name: "Quoted",
  pattern: /[^\s"]*"(?:[^"\\]|\\.)*"[^\s]*/,
  categories: [Value, AnyArg],
  label: "a quoted string",
});

export const TableName = createToken({ name: "TableName", pattern: /\*[^\s]+/, label: "'*table'" });
export const ChainDecl = createToken({ name: "ChainDecl", pattern: /:[^\s]+/, label: "':CHAIN'" });
export const Commit = createToken({ name: "Commit", pattern: /COMMIT/, label: "'COMMIT'" });
export const Counters = createToken({ name: "Counters", pattern: /\[\d+:\d+\]/, label: "'[packets:bytes]'" });
export const Bang = createToken({ name: "Bang", pattern: /!/, label: "'!'" });

/** Every token that starts with a dash. */
export const Flag = createToken({ name: "Flag", pattern: Lexer.NA, categories: [AnyArg], label: "an option" });
export const CommandFlag = createToken({
  name: "CommandFlag",
  pattern: /-[AIDRNXFZPE]|--(?:append|insert|delete|replace|new-chain|delete-chain|flush|zero|policy|rename-chain)/,
  categories: [Flag, AnyArg],
  label: "a command (-A, -I, -N, ...)",
});
export const MatchFlag = createToken({ name: "MatchFlag", pattern: /-m|--match/, categories: [Flag, AnyArg], label: "'-m'" });
export const JumpFlag = createToken({ name: "JumpFlag", pattern: /-j|--jump/, categories: [Flag, AnyArg], label: "'-j'" });
export const GotoFlag = createToken({ name: "GotoFlag", pattern: /-g|--goto/, categories: [Flag, AnyArg], label: "'-g'" });
export const ProtocolFlag = createToken({
  name: "ProtocolFlag",
  pattern: /-p|--protocol/,
  categories: [Flag, AnyArg],
  label: "'-p'",
});
export const SourceFlag = createToken({
  name: "SourceFlag",
  pattern: /-s|--source|--src/,
  categories: [Flag, AnyArg],
  label: "'-s'",
});
export const DestinationFlag = createToken({
  name: "DestinationFlag",
  pattern: /-d|--destination|--dst/,
  categories: [Flag, AnyArg],
  label: "'-d'",
});
export const InInterfaceFlag = createToken({
  name: "InInterfaceFlag",
  pattern: /-i|--in-interface/,
  categories: [Flag, AnyArg],
  label: "'-i'",
});
export const OutInterfaceFlag = createToken({
  name: "OutInterfaceFlag",
  pattern: /-o|--out-interface/,
  categories: [Flag, AnyArg],
  label: "'-o'",
});
export const FragmentFlag = createToken({
  name: "FragmentFlag",
  pattern: /-f|--fragment/,
  categories: [Flag, AnyArg],
  label: "'-f'",
});
export const SetCountersFlag = createToken({
  name: "SetCountersFlag",
  pattern: /-c|--set-counters/,
  categories: [Flag, AnyArg],
  label: "'-c'",
});
/** IPv4/IPv6-only switches iptables accepts and ignores in the other family (`-4`, `-6`). */
export const FamilyFlag = createToken({ name: "FamilyFlag", pattern: /-4|-6|--ipv4|--ipv6/, categories: [Flag, AnyArg], label: "'-4'" });
/** Any other option: belongs to a match or target extension. */
export const OptionFlag = createToken({
  name: "OptionFlag",
  pattern: /--?[A-Za-z][\w-]*/,
  categories: [Flag, AnyArg],
  label: "an option",
});

export const allTokenTypes: TokenType[] = [
  AnyArg,
  Value,
  Flag,
  TableName,
  ChainDecl,
  Commit,
  Counters,
  Bang,
  CommandFlag,
  MatchFlag,
  JumpFlag,
  GotoFlag,
  ProtocolFlag,
  SourceFlag,
  DestinationFlag,
  InInterfaceFlag,
  OutInterfaceFlag,
  FragmentFlag,
  SetCountersFlag,
  FamilyFlag,
  OptionFlag,
  Quoted,
  Word,
];

/** Flag spellings with a dedicated token type; everything else dashed is an OptionFlag. */
export const flagTokenTypes: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ...["-A", "--append", "-I", "--insert", "-D", "--delete", "-R", "--replace", "-N", "--new-chain", "--new"].map(
    (s) => [s, CommandFlag] as const,
  ),
  ...["-X", "--delete-chain", "-F", "--flush", "-Z", "--zero", "-P", "--policy", "-E", "--rename-chain"].map(
    (s) => [s, CommandFlag] as const,
  ),
  ["-m", MatchFlag],
  ["--match", MatchFlag],
  ["-j", JumpFlag],
  ["--jump", JumpFlag],
  ["-g", GotoFlag],
  ["--goto", GotoFlag],
  ["-p", ProtocolFlag],
  ["--protocol", ProtocolFlag],
  ["-s", SourceFlag],
  ["--source", SourceFlag],
  ["--src", SourceFlag],
  ["-d", DestinationFlag],
  ["--destination", DestinationFlag],
  ["--dst", DestinationFlag],
  ["-i", InInterfaceFlag],
  ["--in-interface", InInterfaceFlag],
  ["-o", OutInterfaceFlag],
  ["--out-interface", OutInterfaceFlag],
  ["-f", FragmentFlag],
  ["--fragment", FragmentFlag],
  ["-c", SetCountersFlag],
  ["--set-counters", SetCountersFlag],
  ["-4", FamilyFlag],
  ["-6", FamilyFlag],
  ["--ipv4", FamilyFlag],
  ["--ipv6", FamilyFlag],
]);
