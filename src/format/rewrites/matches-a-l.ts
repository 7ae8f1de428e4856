/**
 * Rewrites for match extensions a-l (see ../canonical.ts).
 *
 * Each one turns the options as written into the options iptables-save
 * prints after iptables-restore stored them: the logic of the extension's
 * parse function (what it stores) followed by its save function (how it
 * prints what it stored), in libxt_NAME.c / libipt_NAME.c / libip6t_NAME.c
 * of iptables 1.8.9. Values whose printed text needs computing are replaced
 * by raw values holding that text.
 */
import type { OptionNode, Value } from "../../ast/types.js";
import { DEVICE_GROUP_NAMES } from "../../../grammar/extensions/iproute2-names.js";
import { dscpClassValue } from "../../extensions/dscp.js";
import { readIcmpType } from "../../extensions/icmp.js";
import { protocolNumber } from "../../parser/protocols.js";
import { strtoulBase0 } from "../../parser/values.js";
import { numberOf, type Rewrite, type RewriteContext } from "./util.js";

const UINT32_MAX = 0xffffffff;

function raw(text: string): Value {
  return { type: "raw", text };
}

/** The option with its value replaced by printed text (and optionally renamed or re-negated). */
function printed(o: OptionNode, text: string, name = o.name, negated = o.negated): OptionNode {
  return { ...o, name, negated, values: [raw(text)] };
}

/** A flag option (no value) iptables-save prints although the input did not give it. */
function flag(name: string, like: OptionNode): OptionNode {
  return { ...like, name, negated: false, values: [] };
}

function find(options: readonly OptionNode[], name: string): OptionNode | undefined {
  return options.find((o) => o.name === name);
}

function textOf(o: OptionNode | undefined): string {
  return o?.values[0]?.text ?? "";
}

/** xtables_strtoul with base 0 on a whole word: `0x` hex, leading-0 octal, decimal (the parser's own). */
const strtoul = strtoulBase0;

/** The [first, last] of a typed uint range or port range value. */
function rangeOf(o: OptionNode): [number, number] | null {
  const v = o.values[0];
  return v && v.type === "portRange" ? [v.first, v.last] : null;
}

/**
 * ah, esp, ipcomp and frag keep `0:4294967295` as "no SPI / id test" and
 * iptables 1.8.9 prints nothing for it, even negated (later versions keep
 * the negated form).
 */
function dropFullRange(name: string): (o: OptionNode) => boolean {
  return (o) => {
    if (o.name !== name) return true;
    const r = rangeOf(o);
    return !(r && r[0] === 0 && r[1] === UINT32_MAX);
  };
}

// ---------------------------------------------------------------------------
// ICMP

/** What `icmp_save` / `icmp6_save` print for a `--icmp-type` / `--icmpv6-type` argument. */
function icmpText(text: string, v6: boolean): string {
  const entry = readIcmpType(text, v6);
  // The parser refuses what iptables refuses (KIPT1004); keep the text then.
  if ("error" in entry) return text;
  // icmp_save's "special hack for 'any'": type 255 prints as `any`, whatever its codes.
  if (!v6 && entry.type === 0xff) return "any";
  return entry.codeMin !== 0 || entry.codeMax !== 0xff ? `${entry.type}/${entry.codeMin}` : String(entry.type);
}

function icmpRewrite(v6: boolean): Rewrite {
  return (options) => options.map((o) => (o.values[0] ? printed(o, icmpText(textOf(o), v6)) : o));
}

// ---------------------------------------------------------------------------
// Rates (limit, hashlimit)

const RATE_UNITS: readonly (readonly [string, number])[] = [
  ["day", 24 * 60 * 60],
  ["hour", 60 * 60],
  ["min", 60],
  ["sec", 1],
];

/**
 * iptables stores a rate as a period (`scale * seconds-per-unit / count`,
 * integer division) and prints it in the largest unit that divides it
 * evenly enough (`print_rate`): `24/day` prints `1/hour`, `7000/sec`
 * prints `10000/sec`. Returns the text and the printed unit in seconds.
 */
function printRate(period: number, scale: number): { text: string; unitSeconds: number } {
  let i = 1;
  for (; i < RATE_UNITS.length; i++) {
    const mult = scale * RATE_UNITS[i]![1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, seconds] = RATE_UNITS[i - 1]!;
  return { text: `${Math.floor((scale * seconds) / period)}/${name}`, unitSeconds: seconds };
}

/** Seconds per unit of `N/unit` (unit any case-insensitive prefix of second|minute|hour|day), and N. */
function parseRateText(text: string): { count: number; seconds: number } | null {
  const slash = text.indexOf("/");
  const count = parseInt(text, 10);
  if (!(count > 0)) return null;
  if (slash < 0) return { count, seconds: 1 };
  const unit = text.slice(slash + 1).toLowerCase();
  if (unit === "") return null;
  for (const [name, seconds] of [["second", 1], ["minute", 60], ["hour", 3600], ["day", 86400]] as const) {
    if (name.startsWith(unit)) return { count, seconds };
  }
  return null;
}

const LIMIT_SCALE = 10000;

const limit: Rewrite = (options) =>
  options.flatMap((o) => {
    // 5 is the default; iptables-nft stores limit as an nft limit expression, and the
    // kernel turns a burst of 0 into its default 5 as well.
    if (o.name === "--limit-burst") return numberOf(o) === 5 || numberOf(o) === 0 ? [] : [o];
    if (o.name !== "--limit") return [o];
    const rate = parseRateText(textOf(o));
    if (!rate) return [o];
    const period = Math.floor((LIMIT_SCALE * rate.seconds) / rate.count);
    return period === 0 ? [o] : [printed(o, printRate(period, LIMIT_SCALE).text)];
  });

// hashlimit (revision 3, the one iptables 1.8.9 uses)

const HASHLIMIT_SCALE = 1000000;
const BYTE_SHIFT = 4n;
const U32 = 0xffffffffn;

function sizeFactor(c: string | undefined): bigint {
  return c === "m" ? 1048576n : c === "k" ? 1024n : 1n;
}

/** `bytes_to_cost`: the token cost of one byte at this many bytes per second. */
function bytesToCost(bytes: bigint): bigint {
  const r = (bytes >> BYTE_SHIFT) & U32;
  return U32 / (r + 1n);
}

function costToBytes(cost: bigint): bigint {
  const r = cost ? U32 / cost : U32;
  return (r - 1n) << BYTE_SHIFT;
}

const BYTE_UNITS: readonly (readonly [string, bigint])[] = [
  ["m", 1048576n],
  ["k", 1024n],
  ["", 1n],
];

/** `print_bytes`: the byte rate, and the burst in bytes when there is one. */
function printBytes(avg: bigint, burst: bigint): { rate: string; burst: string | null } {
  let r = costToBytes(avg);
  let i = 0;
  for (; i < BYTE_UNITS.length - 1; i++) {
    const t = BYTE_UNITS[i]![1];
    if (r >= t && bytesToCost(r & ~(t - 1n)) === avg) break;
  }
  const rate = `${r / BYTE_UNITS[i]![1]}${BYTE_UNITS[i]![0]}b/s`;
  if (burst === 0n) return { rate, burst: null };
  r *= burst;
  for (i = 0; i < BYTE_UNITS.length - 1; i++) if (r >= BYTE_UNITS[i]![1]) break;
  return { rate, burst: `${r / BYTE_UNITS[i]![1]}${BYTE_UNITS[i]![0]}b` };
}

const HASH_MODES = ["srcip", "srcport", "dstip", "dstport"] as const;

const hashlimit: Rewrite = (options, { family }) => {
  const upto = find(options, "--hashlimit-upto");
  const above = find(options, "--hashlimit-above");
  const rateOption = upto ?? above;
  const name = find(options, "--hashlimit-name");
  if (!rateOption || !name) return options;
  const invert = above ? !above.negated : upto!.negated;
  const rateText = textOf(rateOption);

  // parse_bytes, else parse_rate: the stored avg and the unit multiplier (seconds, or 15 for bytes).
  let bytes = false;
  let avg: number;
  let mult: number;
  const b = rateText.indexOf("b/s");
  if (b > 0) {
    const count = BigInt(parseInt(rateText, 10) || 0);
    if (count === 0n) return options;
    avg = Number(bytesToCost(count * sizeFactor(rateText[b - 1])));
    mult = 15;
    bytes = true;
  } else {
    const rate = parseRateText(rateText);
    if (!rate) return options;
    avg = Math.floor((HASHLIMIT_SCALE * rate.seconds) / rate.count);
    mult = rate.seconds;
  }
  if (avg === 0) return options;

  const burstOption = find(options, "--hashlimit-burst");
  let burst = 5n;
  let expire = mult * 1000;
  if (burstOption) {
    // A number (strtoul, base 0); only the character after it counts as a unit (k, m: "400kb").
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)(.?)/.exec(textOf(burstOption));
    burst = m ? BigInt(strtoul(m[1]!) ?? 5) * sizeFactor(m[2]) : 5n;
  }
  if (bytes) {
    if (burstOption) {
      const unit = costToBytes(BigInt(avg));
      burst = (burst + unit - 1n) / unit;
      expire = 60000;
    } else burst = 0n;
  }
  const expireOption = find(options, "--hashlimit-htable-expire");
  if (expireOption) expire = numberOf(expireOption) ?? expire;

  const rateMatch = find(options, "--hashlimit-rate-match");
  const intervalOption = find(options, "--hashlimit-rate-interval");
  let interval = intervalOption ? (numberOf(intervalOption) ?? 0) : 0;
  if (rateMatch) {
    if (!bytes) avg = Math.floor(avg / mult);
    if (interval === 0) interval = bytes ? 1 : mult;
  }

  const out: OptionNode[] = [];
  let quantum: number;
  const rateName = invert ? "--hashlimit-above" : "--hashlimit-upto";
  if (bytes) {
    const p = printBytes(BigInt(avg), burst);
    out.push(printed(rateOption, p.rate, rateName, false));
    if (p.burst !== null) out.push(printed(burstOption ?? rateOption, p.burst, "--hashlimit-burst", false));
    quantum = p.burst !== null ? 60000 : 15000;
  } else {
    const p = printRate(avg, HASHLIMIT_SCALE);
    out.push(printed(rateOption, p.text, rateName, false));
    out.push(printed(burstOption ?? rateOption, String(burst), "--hashlimit-burst", false));
    quantum = p.unitSeconds * 1000;
  }
  const modes = new Set(
    options
      .filter((o) => o.name === "--hashlimit-mode")
      .flatMap((o) => textOf(o).split(/[,|]/)),
  );
  const modeOption = find(options, "--hashlimit-mode");
  if (modeOption && HASH_MODES.some((m) => modes.has(m))) {
    out.push(printed(modeOption, HASH_MODES.filter((m) => modes.has(m)).join(",")));
  }
  out.push(name);
  for (const n of ["--hashlimit-htable-size", "--hashlimit-htable-max"]) {
    const o = find(options, n);
    if (o && numberOf(o) !== 0) out.push(o);
  }
  const gc = find(options, "--hashlimit-htable-gcinterval");
  if (gc && numberOf(gc) !== 1000) out.push(gc);
  if (expire !== quantum) out.push(printed(expireOption ?? rateOption, String(expire), "--hashlimit-htable-expire", false));
  const fullMask = family === "ipv6" ? 128 : 32;
  for (const n of ["--hashlimit-srcmask", "--hashlimit-dstmask"]) {
    const o = find(options, n);
    if (o && numberOf(o) !== fullMask) out.push(o);
  }
  if (rateMatch) {
    out.push(rateMatch);
    if (interval !== 1) out.push(printed(intervalOption ?? rateMatch, String(interval), "--hashlimit-rate-interval", false));
  }
  return out;
};

// ---------------------------------------------------------------------------
// The others, alphabetically

/** IPv6 extension header names, as `ipv6header` parses them (getprotobyname first, then its own table). */
const IPV6_HEADERS: Record<string, number> = {
  // /etc/protocols names and aliases
  hopopt: 0, HOPOPT: 0, "ipv6-route": 43, "IPv6-Route": 43, "ipv6-frag": 44, "IPv6-Frag": 44, esp: 50, "IPSEC-ESP": 50,
  ah: 51, "IPSEC-AH": 51, "ipv6-nonxt": 59, "IPv6-NoNxt": 59, "ipv6-opts": 60, "IPv6-Opts": 60,
  // libip6t_ipv6header.c's chain_protos
  "hop-by-hop": 0, protocol: 255, hop: 0, dst: 60, route: 43, frag: 44, auth: 51, none: 59, prot: 255,
  "0": 0, "60": 60, "43": 43, "44": 44, "51": 51, "50": 50, "59": 59, "255": 255,
};

/** Header numbers in print order, with the name iptables-save prints (from /etc/protocols, else its table). */
const IPV6_HEADER_PRINT: readonly (readonly [number, string])[] = [
  [0, "hop-by-hop"],
  [60, "ipv6-opts"],
  [43, "ipv6-route"],
  [44, "ipv6-frag"],
  [51, "ah"],
  [50, "esp"],
  [59, "ipv6-nonxt"],
  [255, "protocol"],
];

/** `--dst-opts` / `--hbh-opts`: `type[:length]` pairs, printed as numbers. */
function optsText(text: string): string {
  return text
    .split(",")
    .map((part) => {
      const [type, length] = part.split(":");
      const t = strtoul(type ?? "");
      const l = length === undefined ? null : strtoul(length);
      if (t === null || (length !== undefined && l === null)) return part;
      return l === null ? String(t & 0xff) : `${t & 0xff}:${l & 0xff}`;
    })
    .join(",");
}

const optsRewrite =
  (optsName: string): Rewrite =>
  (options) =>
    options.map((o) => (o.name === optsName ? printed(o, optsText(textOf(o))) : o));

/** `xtables_parse_val_mask` then `xtables_print_val_mask`: a name when one is known and there is no mask, else hex. */
function devgroupText(text: string): string {
  const slash = text.indexOf("/");
  let value = strtoul(slash < 0 ? text : text.slice(0, slash));
  const mask = slash < 0 ? UINT32_MAX : strtoul(text.slice(slash + 1));
  if (value === null && slash < 0 && DEVICE_GROUP_NAMES.includes(text)) value = DEVICE_GROUP_NAMES.indexOf(text);
  if (value === null || mask === null) return text;
  const hex = (n: number) => `0x${n.toString(16)}`;
  if (mask !== UINT32_MAX) return `${hex(value)}/${hex(mask)}`;
  return DEVICE_GROUP_NAMES[value] ?? hex(value);
}

const dscpHex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

/** bpf's `--bytecode`: the instruction count, then `code jt jf k` per instruction, all decimal. */
function bytecodeText(text: string): string {
  const parts = text.split(",");
  const count = parseInt(parts[0] ?? "", 10);
  const instructions = parts
    .slice(1)
    .filter((p) => p.trim() !== "")
    .map((p) => p.trim().split(/\s+/).map((n) => String(parseInt(n, 10))).join(" "));
  if (!(count > 0) || instructions.length !== count || instructions.some((i) => i.includes("NaN"))) return text;
  return `${count},${instructions.join(",")}`;
}

/** `connbytes`: from[:to] over 64-bit counters; a `!` is stored as swapped bounds and printed back as `!`. */
function connbytesText(text: string): string {
  const parts = text.split(":");
  if (parts.length > 2) return text;
  const max = 0xffffffffffffffffn;
  const from = parts[0] ? strtoull(parts[0]) : 0n;
  const to = parts[1] ? strtoull(parts[1]) : max;
  if (from === null || to === null) return text;
  return to !== 0n && to < max ? `${from}:${to}` : String(from);
}

/** strtoull with base 0 on a whole word. */
function strtoull(text: string): bigint | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  if (/^0[0-7]+$/.test(text)) return BigInt(`0o${text.slice(1)}`);
  if (/^\d+$/.test(text)) return BigInt(text);
  return null;
}

function protocolValue(o: OptionNode): OptionNode {
  const n = protocolNumber(textOf(o));
  return n === null ? o : printed(o, String(n));
}

export const matchRewritesAtoL: Record<string, Rewrite> = {
  ah: (options) =>
    options
      .filter(dropFullRange("--ahspi"))
      .filter((o) => !(o.name === "--ahlen" && !o.negated && numberOf(o) === 0)),

  bpf: (options) => options.map((o) => (o.name === "--bytecode" ? { ...o, values: [{ type: "string", text: bytecodeText(textOf(o)) }] } : o)),

  cluster: (options) =>
    options.map((o) => {
      const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
      if (o.name === "--cluster-local-node") return printed(o, hex8(2 ** ((numberOf(o) ?? 1) - 1)), "--cluster-local-nodemask");
      if (o.name === "--cluster-local-nodemask" || o.name === "--cluster-hash-seed") return printed(o, hex8(numberOf(o) ?? 0));
      return o;
    }),

  connbytes: (options) =>
    options.map((o) => (o.name === "--connbytes" ? printed(o, connbytesText(textOf(o))) : o)),

  connlabel: (options) =>
    options.map((o) => {
      if (o.name !== "--label") return o;
      const n = strtoul(textOf(o));
      return n === null ? o : { ...o, values: [{ type: "string", text: String(n) }] };
    }),

  connlimit: (options, { family }: RewriteContext) => {
    const upto = find(options, "--connlimit-upto");
    const above = find(options, "--connlimit-above");
    const limitOption = upto ?? above;
    if (!limitOption) return options;
    // `! --connlimit-upto N` is `--connlimit-above N` and the other way round.
    const isUpto = upto ? !upto.negated : above!.negated;
    const out: OptionNode[] = [printed(limitOption, textOf(limitOption), isUpto ? "--connlimit-upto" : "--connlimit-above", false)];
    const mask = find(options, "--connlimit-mask");
    out.push(mask ?? printed(limitOption, family === "ipv6" ? "128" : "32", "--connlimit-mask", false));
    out.push(flag(find(options, "--connlimit-daddr") ? "--connlimit-daddr" : "--connlimit-saddr", limitOption));
    return out;
  },

  conntrack: (options) =>
    options.map((o) => {
      if (o.name === "--ctproto") return protocolValue(o);
      if (o.name === "--ctstatus") {
        const v = o.values[0];
        const words = new Set(v?.type === "flags" ? v.flags.map((f) => f.toUpperCase()) : []);
        const set = ["EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"].filter((w) => words.has(w));
        return printed(o, set.length ? set.join(",") : "NONE");
      }
      return o;
    }),

  devgroup: (options) => options.map((o) => printed(o, devgroupText(textOf(o)))),

  dscp: (options) =>
    options.map((o) => {
      if (o.name === "--dscp-class") {
        const n = dscpClassValue(textOf(o));
        return n === null ? o : printed(o, dscpHex(n), "--dscp");
      }
      if (o.name === "--dscp") return printed(o, dscpHex(numberOf(o) ?? 0));
      return o;
    }),

  dst: optsRewrite("--dst-opts"),

  esp: (options) => options.filter(dropFullRange("--espspi")),

  frag: (options) => options.filter(dropFullRange("--fragid")),

  hashlimit,

  hbh: optsRewrite("--hbh-opts"),

  hl: (options) => options.map((o) => (o.name === "--hl" ? { ...o, name: "--hl-eq" } : o)),

  icmp: icmpRewrite(false),

  icmp6: icmpRewrite(true),

  // Unlike ah and esp, ipcomp's kernel data holds 0:0 when no SPI is given,
  // and iptables-save prints that (oracle: `-m ipcomp` saves as `-m ipcomp --ipcompspi 0`).
  ipcomp: (options) =>
    options.some((o) => o.name === "--ipcompspi")
      ? options.filter(dropFullRange("--ipcompspi"))
      : [{ name: "--ipcompspi", negated: false, values: [raw("0")], line: 0, column: 0, offset: -1, length: 0 }, ...options],

  ipv6header: (options) =>
    options.map((o) => {
      if (o.name !== "--header") return o;
      const numbers = new Set<number>();
      for (const name of textOf(o).split(",")) {
        const n = IPV6_HEADERS[name];
        if (n === undefined) return o;
        numbers.add(n);
      }
      return printed(o, IPV6_HEADER_PRINT.filter(([n]) => numbers.has(n)).map(([, name]) => name).join(","));
    }),

  ipvs: (options) => {
    // `--ipvs` is printed only when it is the only option (any other implies it).
    const others = options.filter((o) => o.name !== "--ipvs");
    return (others.length ? others : options).map((o) => {
      if (o.name === "--vproto") return protocolValue(o);
      return o;
    });
  },

  limit,
};
