/**
 * Checks on one rule that need its parts together rather than one option at
 * a time: the protocol a match needs, options an extension cannot do
 * without or must not combine, and extensions of the other address family.
 * Each is what iptables-restore (or the kernel, when loading) refuses, and
 * each table here was found and is kept true with the real tool in a
 * network namespace (test/oracle/*-oracle.test.ts). Pure functions: the
 * parser reports what they return.
 */
import { rateestKept, rateestTime } from "../extensions/rateest.js";
import { sctpChunkProblem } from "../extensions/sctp.js";
import { dependentMatchOptions, dependentTargetOptions, exclusiveMatchOptions, exclusiveTargetOptions, requiredMatchOptions, requiredTargetOptions } from "../../grammar/extensions/required.js";
import type { MatchNode, ProtocolMatch, TargetNode } from "../ast/types.js";
import { quote } from "../diagnostics/diagnostic.js";
import { readIcmpType } from "../extensions/icmp.js";
import { strtoulBase0 } from "./values.js";
import { REJECT_TYPES, rejectType } from "../extensions/reject.js";
import { registry } from "../extensions/registry.js";
import { utf8Length } from "../text/utf8.js";

/** A problem at a node of the rule. */
export interface RuleProblem {
  readonly at: { readonly offset: number; readonly length: number };
  readonly message: string;
  /** For the checks that report both kinds (matchProblems): an option missing or in conflict (KIPT1026), or a wrong value (KIPT1004). */
  readonly kind?: "missing" | "value";
}

type Family = "ipv4" | "ipv6" | null;

/**
 * Protocols (by number) each protocol-bound match needs with `-p`: tcp and
 * udp are refused by iptables itself when `-p` is missing or different but
 * load under `! -p tcp`; the rest are refused by the kernel unless `-p` names
 * their protocol without `!` (test/parser/needs-protocol.cases.ts).
 */
const NEEDS_PROTOCOL: ReadonlyMap<string, { readonly protocols: readonly number[]; readonly spelled: string; readonly negationAllowed: boolean; readonly ipv4Only?: boolean; readonly before?: boolean }> = new Map(
  Object.entries({
    tcp: { protocols: [6], spelled: "'-p tcp'", negationAllowed: true },
    udp: { protocols: [17], spelled: "'-p udp'", negationAllowed: true },
    icmp: { protocols: [1], spelled: "'-p icmp'", negationAllowed: false },
    icmp6: { protocols: [58], spelled: "'-p icmpv6'", negationAllowed: false },
    sctp: { protocols: [132], spelled: "'-p sctp'", negationAllowed: false },
    dccp: { protocols: [33], spelled: "'-p dccp'", negationAllowed: false },
    // multiport checks the protocol as it reads its options: the `-p` must come first.
    multiport: { protocols: [6, 17, 136, 132, 33], spelled: "'-p tcp', 'udp', 'udplite', 'sctp' or 'dccp'", negationAllowed: false, before: true },
    tcpmss: { protocols: [6], spelled: "'-p tcp'", negationAllowed: false },
    esp: { protocols: [50], spelled: "'-p esp'", negationAllowed: false },
    ipcomp: { protocols: [108], spelled: "'-p ipcomp'", negationAllowed: false },
    // IPv4 only: ip6tables' ah matches the IPv6 extension header and needs no `-p`.
    ah: { protocols: [51], spelled: "'-p ah'", negationAllowed: false, ipv4Only: true },
  }),
);

const TCP_TARGETS: ReadonlySet<string> = new Set(["TCPMSS", "TCPOPTSTRIP", "SYNPROXY"]);

function protocolText(protocol: ProtocolMatch | null): string {
  return protocol === null || protocol.number === 0 ? "no '-p'" : `'${protocol.negated ? "! " : ""}-p ${protocol.text}'`;
}

/**
 * Matches (and REJECT's tcp-reset) used without the `-p` they need. A dump
 * that has not shown its family yet counts as IPv4, iptables-restore being
 * the usual reader.
 */
export function protocolProblems(protocol: ProtocolMatch | null, matches: readonly MatchNode[], target: TargetNode | null, family: Family): readonly RuleProblem[] {
  let problems: RuleProblem[] | null = null; // made only when there is one: this runs for every rule
  const given = protocol?.number ?? 0;
  for (const match of matches) {
    const need = NEEDS_PROTOCOL.get(match.name);
    if (!need || (need.ipv4Only && family === "ipv6")) continue;
    const late = need.before === true && protocol !== null && protocol.offset > match.offset;
    if (given !== 0 && need.protocols.includes(given) && !(protocol!.negated && !need.negationAllowed) && !late) continue;
    (problems ??= []).push({ at: match, message: `'-m ${match.name}' needs ${need.spelled}${late ? " before it" : ""}, found ${protocolText(protocol)}${late ? " after it" : ""}; iptables-restore refuses the rule` });
  }
  // Targets that rewrite TCP headers (the kernel refuses them otherwise: "Invalid argument").
  if (target !== null && TCP_TARGETS.has(target.name) && !(given === 6 && !protocol!.negated)) {
    (problems ??= []).push({ at: target, message: `'-j ${target.name}' needs '-p tcp', found ${protocolText(protocol)}; iptables-restore refuses the rule` });
  }
  // ECN's TCP flags, in the match and in the target, are TCP header bits.
  const ecnTcp = (o: { name: string }) => o.name.startsWith("--ecn-tcp-");
  for (const ext of [...matches.filter((m) => m.name === "ecn"), ...(target?.name === "ECN" ? [target] : [])]) {
    if (ext.options.some(ecnTcp) && !(given === 6 && !protocol!.negated)) {
      const option = ext.options.find(ecnTcp)!;
      (problems ??= []).push({ at: option, message: `'${option.name}' needs '-p tcp', found ${protocolText(protocol)}; iptables-restore refuses the rule` });
    }
  }
  // TPROXY redirects TCP or UDP (the kernel refuses it otherwise: "Invalid argument").
  if (target?.name === "TPROXY" && !((given === 6 || given === 17) && !protocol!.negated)) {
    (problems ??= []).push({ at: target, message: `'-j TPROXY' needs '-p tcp' or '-p udp', found ${protocolText(protocol)}; iptables-restore refuses the rule` });
  }
  if (target?.name === "REJECT" && target.options.some((o) => o.name === "--reject-with" && rejectType(o.values[0]?.text ?? "", family ?? "ipv4") === "tcp-reset") && !(given === 6 && !protocol!.negated)) {
    (problems ??= []).push({ at: target, message: `'--reject-with tcp-reset' needs '-p tcp', found ${protocolText(protocol)}; iptables-restore refuses the rule` });
  }
  return problems ?? NONE;
}

const NONE: readonly RuleProblem[] = [];

/** NAT targets whose translation may set a port. */
const NAT_PORT_TARGETS: ReadonlySet<string> = new Set(["DNAT", "SNAT", "MASQUERADE", "REDIRECT"]);

/**
 * Protocols (by number) after which a NAT target may set a port: tcp, udp,
 * sctp, dccp, and icmp (whose id NAT maps like a port), in both families;
 * icmpv6 is not one. Checked with the tool (iptables and ip6tables 1.8.9):
 * the `-p` must come before the option, and its `!` does not matter.
 */
const NAT_PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 132, 33, 1]);

/** Whether a NAT target's option may set a port after `-p` with this number (null: no `-p` before it). */
export function natPortsAllowed(protocol: number | null): boolean {
  return protocol !== null && NAT_PORT_PROTOCOLS.has(protocol);
}

/**
 * DNAT, SNAT, MASQUERADE or REDIRECT setting a port without a `-p` that has
 * ports before the option: iptables refuses the rule ("Need TCP, UDP, SCTP
 * or DCCP with port specification"). iptables reads the line in order, so a
 * `-p tcp` after the option is too late.
 */
export function natPortProblems(protocol: ProtocolMatch | null, target: TargetNode | null): readonly RuleProblem[] {
  if (target === null || !NAT_PORT_TARGETS.has(target.name)) return NONE;
  for (const o of target.options) {
    const setsPort = o.name === "--to-ports" || ((o.name === "--to-destination" || o.name === "--to-source") && o.values.some((v) => v.type === "natRange" && v.fromPort !== null));
    if (!setsPort) continue;
    const before = protocol !== null && protocol.offset < o.offset;
    if (natPortsAllowed(before ? protocol.number : null)) continue;
    const found = protocol === null ? "no '-p'" : `'${protocol.negated ? "! " : ""}-p ${protocol.text}'${before ? "" : " after it"}`;
    return [{ at: o, message: `'${o.name} ${o.values[0]?.text ?? ""}' sets a port, which needs '-p tcp', 'udp', 'sctp', 'dccp' or 'icmp' before it, found ${found}; iptables-restore refuses the rule ("Need TCP, UDP, SCTP or DCCP with port specification")` }];
  }
  return NONE;
}

const REQUIRED_MATCH_OPTIONS = new Map(Object.entries(requiredMatchOptions));
const REQUIRED_TARGET_OPTIONS = new Map(Object.entries(requiredTargetOptions));
const EXCLUSIVE_MATCH_OPTIONS = new Map(Object.entries(exclusiveMatchOptions));
const EXCLUSIVE_TARGET_OPTIONS = new Map(Object.entries(exclusiveTargetOptions));
const DEPENDENT_MATCH_OPTIONS = new Map(Object.entries(dependentMatchOptions));
const DEPENDENT_TARGET_OPTIONS = new Map(Object.entries(dependentTargetOptions));

/** `'a'`, `one of 'a' or 'b'`, `one of 'a', 'b' or 'c'`. */
function oneOf(names: readonly string[]): string {
  return names.length === 1 ? `'${names[0]}'` : `one of ${names.slice(0, -1).map((n) => `'${n}'`).join(", ")} or '${names[names.length - 1]}'`;
}

/**
 * An extension given without an option it cannot do without, or with two
 * that exclude each other (grammar/extensions/required.ts).
 */
export function optionProblems(ext: MatchNode | TargetNode): readonly RuleProblem[] {
  const exclusive = ext.kind === "match" ? EXCLUSIVE_MATCH_OPTIONS.get(ext.name) : EXCLUSIVE_TARGET_OPTIONS.get(ext.name);
  const groups = ext.kind === "match" ? REQUIRED_MATCH_OPTIONS.get(ext.name) : REQUIRED_TARGET_OPTIONS.get(ext.name);
  const dependent = ext.kind === "target" ? DEPENDENT_TARGET_OPTIONS.get(ext.name) : DEPENDENT_MATCH_OPTIONS.get(ext.name);
  if (!exclusive && !groups && !dependent) return NONE;
  const problems: RuleProblem[] = [];
  const has = (name: string) => ext.options.some((o) => o.name === name);
  for (const group of exclusive ?? []) {
    const both = group.filter(has);
    if (both.length > 1) problems.push({ at: ext, message: `'${ext.kind === "match" ? "-m" : "-j"} ${ext.name}' takes only one of ${both.map((b) => `'${b}'`).join(" and ")}; iptables-restore refuses the rule` });
  }
  for (const [option, needs] of dependent ?? []) {
    const any = typeof needs === "string" ? [needs] : needs;
    if (has(option) && !any.some(has)) problems.push({ at: ext, message: `'${ext.kind === "match" ? "-m" : "-j"} ${ext.name}': '${option}' needs ${oneOf(any)}; iptables-restore refuses the rule` });
  }
  for (const group of groups ?? []) {
    const present = group[0] === "*" ? ext.options.length > 0 : group.some(has);
    if (present) continue;
    const what = group[0] === "*" ? "an option" : oneOf(group);
    problems.push({ at: ext, message: `'${ext.kind === "match" ? "-m" : "-j"} ${ext.name}' needs ${what}; iptables-restore refuses the rule` });
  }
  return problems;
}

/** A `--reject-with` word that names no reply type of the family ("unknown reject type"). */
export function rejectProblems(target: TargetNode | null, family: Family): readonly RuleProblem[] {
  if (target?.name !== "REJECT") return NONE;
  const option = target.options.find((o) => o.name === "--reject-with");
  const word = option?.values[0]?.text;
  if (option === undefined || word === undefined || rejectType(word, family ?? "ipv4") !== null) return NONE;
  const names = REJECT_TYPES[family ?? "ipv4"].map(([name]) => name);
  return [{ at: option, message: `--reject-with: ${quote(word)} is not a reply type (${names.join(", ")}, or a prefix of one); iptables-restore refuses it ("unknown reject type")` }];
}

/**
 * The statistic match's mode and its options: random mode needs
 * `--probability` ("--probability must be specified when using random
 * mode"), nth mode `--every` and `--packet`, and the packet counter runs
 * from 0 to every-1 ("the --packet p must be 0 <= p <= n-1").
 */
function statisticProblems(match: MatchNode): readonly RuleProblem[] {
  const value = (name: string) => match.options.find((o) => o.name === name)?.values[0];
  const mode = value("--mode")?.text;
  if (mode === "random" && value("--probability") === undefined) {
    return [{ kind: "missing", at: match, message: "'-m statistic --mode random' needs '--probability'; iptables-restore refuses the rule (\"--probability must be specified when using random mode\")" }];
  }
  if (mode === "nth" && (value("--every") === undefined || value("--packet") === undefined)) {
    return [{ kind: "missing", at: match, message: "'-m statistic --mode nth' needs '--every' and '--packet'; iptables-restore refuses the rule (\"--every and --packet must be specified when using nth mode\")" }];
  }
  const every = value("--every");
  const packet = match.options.find((o) => o.name === "--packet");
  if (every?.type === "integer" && packet?.values[0]?.type === "integer" && packet.values[0].value > every.value - 1) {
    return [{ kind: "value", at: packet, message: `--packet ${packet.values[0].value}: the packet counter runs from 0 to ${every.value - 1} (--every ${every.value} minus 1); iptables-restore refuses it ("the --packet p must be 0 <= p <= n-1")` }];
  }
  return NONE;
}

/** Seconds of a `hh:mm[:ss]` time of day, or null. */
function daySeconds(text: string | undefined): number | null {
  const m = text === undefined ? null : /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : null;
}

/** `--contiguous` spans midnight only ("--contiguous only makes sense when stoptime is smaller than starttime"). */
function timeProblems(match: MatchNode): readonly RuleProblem[] {
  const contiguous = match.options.find((o) => o.name === "--contiguous");
  if (!contiguous) return NONE;
  const start = daySeconds(match.options.find((o) => o.name === "--timestart")?.values[0]?.text ?? "00:00");
  const stop = daySeconds(match.options.find((o) => o.name === "--timestop")?.values[0]?.text ?? "23:59:59");
  if (start !== null && stop !== null && stop < start) return NONE;
  return [{ kind: "missing", at: contiguous, message: `'--contiguous' is for a time span over midnight: --timestop must be earlier than --timestart; iptables-restore refuses the rule ("--contiguous only makes sense when stoptime is smaller than starttime")` }];
}

/**
 * The policy match's protocol is one of the three IPsec ones, spelled as
 * getprotobyname takes it (case-sensitive) or by number; tunnel addresses
 * belong to tunnel mode ("--tunnel-src/--tunnel-dst is only valid in tunnel
 * mode"), per policy element (`--next` starts one).
 */
function policyProblems(match: MatchNode): readonly RuleProblem[] {
  const badProto = match.options.find((o) => o.name === "--proto" && !/^(?:ah|esp|ipcomp|50|51|108)$/.test(o.values[0]?.text ?? ""));
  if (badProto) return [{ kind: "value", at: badProto, message: `--proto: ${quote(badProto.values[0]?.text ?? "")} is not ah, esp or ipcomp (lower case, or 51, 50, 108); iptables-restore refuses the rule` }];
  let tunnel: OptionLike | null = null;
  let tunnelMode = false;
  for (const o of [...match.options, null]) {
    if (o === null || o.name === "--next") {
      if (tunnel !== null && !tunnelMode) return [{ kind: "missing", at: tunnel, message: `'${tunnel.name}' needs '--mode tunnel' in its policy element; iptables-restore refuses the rule ("--tunnel-src/--tunnel-dst is only valid in tunnel mode")` }];
      tunnel = null;
      tunnelMode = false;
    } else if (o.name === "--tunnel-src" || o.name === "--tunnel-dst") tunnel ??= o;
    else if (o.name === "--mode") tunnelMode = !o.negated && o.values[0]?.text === "tunnel";
  }
  return NONE;
}

/** The cluster match's local node and node mask fit its node count. */
function clusterProblems(match: MatchNode): readonly RuleProblem[] {
  const value = (name: string) => {
    const v = match.options.find((o) => o.name === name)?.values[0];
    return v?.type === "integer" ? v.value : null;
  };
  const total = value("--cluster-total-nodes");
  const node = value("--cluster-local-node");
  const mask = value("--cluster-local-nodemask");
  const at = match.options.find((o) => o.name === "--cluster-local-node" || o.name === "--cluster-local-nodemask") ?? match;
  if (total !== null && node !== null && node > total) return [{ kind: "value", at, message: `--cluster-local-node ${node} is past --cluster-total-nodes ${total}; iptables-restore refuses the rule ("\`--cluster-local-node' must be <= \`--cluster-total-nodes'")` }];
  if (total !== null && mask !== null && total < 32 && mask >= 2 ** total) return [{ kind: "value", at, message: `--cluster-local-nodemask ${mask} names nodes past --cluster-total-nodes ${total}; iptables-restore refuses the rule ("\`--cluster-local-nodemask' too big for \`--cluster-total-nodes'")` }];
  return NONE;
}

type OptionLike = MatchNode["options"][number];

/** The sctp match's chunk list: names and flags the tool knows. */
function sctpProblems(match: MatchNode): readonly RuleProblem[] {
  const o = match.options.find((x) => x.name === "--chunk-types");
  const list = o?.values[1]?.text;
  if (o === undefined || list === undefined) return NONE;
  const problem = sctpChunkProblem(list);
  return problem === null ? NONE : [{ kind: "value", at: o, message: `--chunk-types: ${problem}; iptables-restore refuses the rule` }];
}

/** `--icmp-type` / `--icmpv6-type` as the tool reads it (extensions/icmp.ts). */
function icmpProblems(v6: boolean): (match: MatchNode) => readonly RuleProblem[] {
  const name = v6 ? "--icmpv6-type" : "--icmp-type";
  return (match) => {
    const o = match.options.find((x) => x.name === name);
    const text = o?.values[0]?.text;
    if (o === undefined || text === undefined) return NONE;
    const read = readIcmpType(text, v6);
    if (!("error" in read)) return NONE;
    const family = v6 ? "ICMPv6" : "ICMP";
    return [{ kind: "value", at: o, message: `${name}: ${quote(text)} is not an ${family} type iptables reads (one name, or a unique prefix of one, such as echo-request; a number 0-255; or type/code); ${v6 ? "ip6tables-restore" : "iptables-restore"} refuses it ("${read.error}")` }];
  };
}

/**
 * owner's `--uid-owner`/`--gid-owner` numbers: an id or a range `a-b` up to
 * 4294967294, running upwards (the tool refuses 4294967295, "Bad value", and
 * `5-3`). Names are looked up on the loading host and not judged here.
 */
function ownerProblems(match: MatchNode): readonly RuleProblem[] {
  for (const o of match.options) {
    if (o.name !== "--uid-owner" && o.name !== "--gid-owner") continue;
    const text = o.values[0]?.text ?? "";
    const m = /^(\d+)(?:-(\d+))?$/.exec(text);
    if (!m) continue;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (first <= 4294967294 && last <= 4294967294 && first <= last) continue;
    return [{ kind: "value", at: o, message: `${o.name}: ${quote(text)} is not an id or an upward range of ids up to 4294967294; iptables-restore refuses it ("Bad value for \"${o.name}\" option")` }];
  }
  return NONE;
}

/**
 * string's `--hex-string`: every `|...|` block closed, of hex digits in pairs
 * (spaces between them allowed), as the tool reads it ("Invalid hex block",
 * "Invalid hex char", "Odd number of hex digits"; checked with the tool). A
 * pattern with a backslash escape is left to the tool.
 */
function stringProblems(match: MatchNode): readonly RuleProblem[] {
  const o = match.options.find((x) => x.name === "--hex-string");
  const text = o?.values[0]?.text;
  if (o === undefined || text === undefined || text.includes("\\")) return NONE;
  let why: string | null = null;
  for (let i = text.indexOf("|"); i >= 0 && why === null; i = text.indexOf("|", i + 1)) {
    const close = text.indexOf("|", i + 1);
    if (close < 0) {
      why = `a '|' block that is never closed ("Invalid hex block")`;
      break;
    }
    const digits = text.slice(i + 1, close).replace(/ /g, "");
    const bad = /[^0-9A-Fa-f]/.exec(digits);
    if (digits.length === 0) why = `an empty '||' block ("Odd number of hex digits")`;
    else if (bad) why = `${quote(bad[0])} in a '|' block is not a hex digit ("Invalid hex char '${bad[0]}'")`;
    else if (digits.length % 2 === 1) why = `an odd number of hex digits in a '|' block ("Invalid hex block")`;
    i = close;
  }
  return why === null ? NONE : [{ kind: "value", at: o, message: `--hex-string: ${why}; iptables-restore refuses it` }];
}

/** CT's `--zone`: an id 0-65535 (C's base 0) or `mark` in any case ("Cannot parse X as a zone ID"; checked with the tool). */
export function ctProblems(target: TargetNode | null): readonly RuleProblem[] {
  if (target?.name !== "CT") return NONE;
  for (const o of target.options) {
    if (o.name !== "--zone" && o.name !== "--zone-orig" && o.name !== "--zone-reply") continue;
    const text = o.values[0]?.text ?? "";
    if (text.toLowerCase() === "mark") continue;
    const n = strtoulBase0(text);
    if (n !== null && n <= 65535) continue;
    return [{ at: o, message: `${o.name}: ${quote(text)} is not a zone id (0-65535) or 'mark'; iptables-restore refuses it ("Cannot parse ${text} as a zone ID")` }];
  }
  return NONE;
}

/** Checks of one match's options together, by match name. */
const MATCH_CHECKS: ReadonlyMap<string, (match: MatchNode) => readonly RuleProblem[]> = new Map([
  ["owner", ownerProblems],
  ["string", stringProblems],
  ["icmp", icmpProblems(false)],
  ["icmp6", icmpProblems(true)],
  ["statistic", statisticProblems],
  ["time", timeProblems],
  ["policy", policyProblems],
  ["cluster", clusterProblems],
  ["sctp", sctpProblems],
]);

/**
 * What is wrong in a match's options taken together (modes, values that
 * depend on others), each problem with its kind. Run once the match's
 * option groups add up (optionProblems): one message for one mistake.
 */
export function matchProblems(match: MatchNode): readonly RuleProblem[] {
  return MATCH_CHECKS.get(match.name)?.(match) ?? NONE;
}

/** iptables' own verdicts, which no chain may be named after. */
const STANDARD_TARGETS: ReadonlySet<string> = new Set(["ACCEPT", "DROP", "QUEUE", "RETURN"]);

/** XT_EXTENSION_MAXNAMELEN less the NUL: a chain name has at most 28 bytes. */
export const MAX_CHAIN_NAME_BYTES = 28;

/**
 * What iptables-restore 1.8.9 says of a chain name it creates, by `:NAME`
 * (`declare`) or `-N NAME` (`new`); null for a name it takes. Checked with
 * the tool, both back ends (test/oracle/chain-names-oracle.test.ts):
 * - longer than 28 bytes: refused by both;
 * - a verdict (ACCEPT, DROP, QUEUE, RETURN): refused by both; with `-N`, any
 *   target extension's name is refused too ("may not clash with target name");
 * - starting with `-` or `!`: refused by both with `-N`; with `:NAME`, refused
 *   by the nf_tables back end only (`legacyOnly`).
 */
export function chainNameProblem(name: string, how: "declare" | "new"): { message: string; legacyOnly: boolean } | null {
  const bytes = name.length > MAX_CHAIN_NAME_BYTES / 3 ? utf8Length(name) : name.length;
  if (bytes > MAX_CHAIN_NAME_BYTES) {
    return { message: `chain name ${quote(name)} is ${bytes} bytes long; iptables-restore refuses more than ${MAX_CHAIN_NAME_BYTES} ("chain name too long (must be under 29 chars)")`, legacyOnly: false };
  }
  if (STANDARD_TARGETS.has(name) || (how === "new" && registry.target(name) !== undefined)) {
    return { message: `chain name ${quote(name)} is the name of a target; iptables-restore refuses it ("chain name may not clash with target name")`, legacyOnly: false };
  }
  const c0 = name.charCodeAt(0);
  if (c0 === 45 /* - */ || c0 === 33 /* ! */) {
    const start = name[0]!;
    return how === "new"
      ? { message: `chain name ${quote(name)} starts with '${start}'; iptables-restore refuses it ("chain name not allowed to start with \`${start}'")`, legacyOnly: false }
      : { message: `chain name ${quote(name)} starts with '${start}': the nf_tables backend of iptables-restore refuses it ("chain name not allowed to start with \`${start}'"); legacy iptables creates the chain (name it otherwise)`, legacyOnly: true };
  }
  return null;
}

/**
 * What only legacy iptables loads. `-j QUEUE`: iptables-nft 1.8.9 has no
 * translation for it and the restore fails ("RULE_APPEND failed (No such
 * file or directory)"); legacy loads it and iptables-save prints it back
 * (both checked with the tool). NFQUEUE's queue 0 is the same target.
 */
export function legacyOnlyProblems(target: TargetNode | null): readonly RuleProblem[] {
  if (target?.name !== "QUEUE" || !target.extension) return NONE;
  return [{ at: target, message: "'-j QUEUE' loads with legacy iptables only: the nf_tables backend (iptables-nft, the default of current distributions) refuses the rule (\"RULE_APPEND failed (No such file or directory)\"); '-j NFQUEUE --queue-num 0' is the same target and loads with both" }];
}

/** RATEEST's interval and averaging time, which iptables turns into a power of two and a shift, refusing some. */
export function rateestProblems(target: TargetNode | null): readonly RuleProblem[] {
  if (target?.name !== "RATEEST") return NONE;
  const intervalOption = target.options.find((o) => o.name === "--rateest-interval");
  const ewmaOption = target.options.find((o) => o.name === "--rateest-ewmalog");
  const interval = intervalOption ? rateestTime(intervalOption.values[0]?.text ?? "") : null;
  const ewma = ewmaOption ? rateestTime(ewmaOption.values[0]?.text ?? "") : null;
  if (interval === null || ewma === null) return NONE;
  const kept = rateestKept(interval, ewma);
  if (!("error" in kept)) return NONE;
  return [{ at: kept.error.startsWith("--rateest-interval") ? intervalOption! : ewmaOption!, message: kept.error }];
}

/**
 * An extension of the other address family: `-m rt` in an iptables dump
 * ("Couldn't load match `rt'"), `-j HL` ("Chain 'HL' does not exist": the
 * tool takes an unknown target name for a chain).
 */
export function familyProblem(kind: "match" | "target", name: string, extensionFamily: "ipv4" | "ipv6", dumpFamily: "ipv4" | "ipv6"): string {
  const tool = extensionFamily === "ipv6" ? "ip6tables" : "iptables";
  const here = dumpFamily === "ipv6" ? "an ip6tables (IPv6)" : "an iptables (IPv4)";
  const restore = dumpFamily === "ipv6" ? "ip6tables-restore" : "iptables-restore";
  const says = kind === "match" ? `Couldn't load match \`${name}'` : `Chain '${name}' does not exist`;
  return `${kind} ${quote(name)} exists only in ${tool}, and this is ${here} dump; ${restore} refuses it ("${says}")`;
}
