/**
 * A rule's matching conditions in short form, for graph edge labels and
 * trace steps: `-d 10.0.33.45/32 tcp dpt:80`, `statistic p=0.5`,
 * `! ctstate RELATED,ESTABLISHED`, and a short comment between C comment
 * delimiters. Close to what `iptables -L` prints, but on one line and
 * without the target. The result is
 * plain text quoting the dump: callers escape or neutralize it for their
 * output.
 */
import type { MatchNode, OptionNode, RuleNode } from "../ast/types.js";
import { canonicalAddress } from "../format/values.js";

/** Comments longer than this are left out of the short form: they would dwarf the conditions. */
export const SHORT_COMMENT = 40;

/** Matches whose options name themselves (`ctstate NEW`); the match name would only repeat it. */
const SELF_NAMED = new Set(["conntrack", "state", "mark", "connmark"]);

/** Protocol matches (`-m tcp`): their options follow the protocol word, as in `tcp dpt:80`. */
const PORT_ABBREVIATIONS: Readonly<Record<string, string>> = { "--dport": "dpt:", "--sport": "spt:" };

function optionText(option: OptionNode, abbreviate: boolean): string {
  const values = option.values.map((v) => v.text);
  const short = abbreviate ? PORT_ABBREVIATIONS[option.name] : undefined;
  let body: string;
  if (short !== undefined && values.length === 1) body = `${short}${values[0]}`;
  else if (abbreviate && option.name === "--tcp-flags" && values.length === 2) body = `flags:${values[0]}/${values[1]}`;
  else body = [option.name.replace(/^--?/, ""), ...values].join(" ");
  return option.negated ? `! ${body}` : body;
}

/**
 * Options iptables-save always prints with their default value, which say
 * nothing in a short form: `recent`'s `--mask 255.255.255.255 --rsource`.
 */
function isNoise(match: MatchNode, option: OptionNode): boolean {
  if (match.name !== "recent" || option.negated) return false;
  if (option.name === "--rsource") return true;
  const mask = option.values[0]?.text;
  return option.name === "--mask" && (mask === "255.255.255.255" || mask === "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

function statisticText(match: MatchNode): string {
  const value = (name: string) => match.options.find((o) => o.name === name);
  const probability = value("--probability");
  const every = value("--every");
  if (probability && probability.values[0]?.type === "probability") {
    return `statistic ${probability.negated ? "! " : ""}p=${probability.values[0].value}`;
  }
  if (every) {
    const packet = value("--packet");
    return `statistic ${every.negated ? "! " : ""}every ${every.values[0]?.text ?? "?"}${packet ? ` packet ${packet.values[0]?.text ?? "?"}` : ""}`;
  }
  return ["statistic", ...match.options.map((o) => optionText(o, false))].join(" ");
}

/** The rule's conditions in short form; empty when the rule matches every packet. */
export function summarizeRule(rule: RuleNode): string {
  const parts: string[] = [];
  const not = (negated: boolean) => (negated ? "! " : "");
  if (rule.source && rule.source.value.prefixLength > 0) parts.push(`${not(rule.source.negated)}-s ${canonicalAddress(rule.source.value)}`);
  if (rule.destination && rule.destination.value.prefixLength > 0) parts.push(`${not(rule.destination.negated)}-d ${canonicalAddress(rule.destination.value)}`);
  if (rule.inInterface) parts.push(`${not(rule.inInterface.negated)}-i ${rule.inInterface.value.text}`);
  if (rule.outInterface) parts.push(`${not(rule.outInterface.negated)}-o ${rule.outInterface.value.text}`);
  const protocol = rule.protocol && rule.protocol.number !== 0 ? rule.protocol : null;
  if (protocol) parts.push(`${not(protocol.negated)}${protocol.name}`);
  if (rule.fragment) parts.push(`${not(rule.fragment.negated)}-f`);

  const comments: string[] = [];
  for (const match of rule.matches) {
    if (match.name === "comment") {
      for (const o of match.options) if (o.name === "--comment" && o.values[0]) comments.push(o.values[0].text);
      continue;
    }
    if (match.name === "statistic") {
      parts.push(statisticText(match));
      continue;
    }
    // `-p tcp -m tcp --dport 80` reads `tcp dpt:80`: the protocol word already names the match.
    const isProtocolMatch = protocol !== null && !protocol.negated && match.name === protocol.name;
    const options = match.options.filter((o) => !isNoise(match, o)).map((o) => optionText(o, isProtocolMatch));
    if (isProtocolMatch || SELF_NAMED.has(match.name)) {
      if (options.length > 0) parts.push(options.join(" "));
      else if (!isProtocolMatch) parts.push(match.name);
    } else {
      parts.push([match.name, ...options].join(" "));
    }
  }
  for (const comment of comments) if (comment.length <= SHORT_COMMENT) parts.push(`/* ${comment} */`);
  return parts.join(" ");
}
