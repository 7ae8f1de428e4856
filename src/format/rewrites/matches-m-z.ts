/**
 * Rewrites for match extensions m-z (see ../canonical.ts): what iptables
 * stores for an option differs from what was written (names become
 * numbers, defaults are filled in, values are reordered), and printing the
 * rewritten options gives iptables-save's text. Options whose catalogue
 * type is `verbatim` get their final text here. Each behaviour was checked
 * against iptables 1.8.9 (nf_tables) with the oracle corpus
 * test/oracle/corpus/matches-m-z-*.rules.
 */
import ipaddr from "ipaddr.js";
import type { FlagsValue, OptionNode, Value } from "../../ast/types.js";
import { REALM_NAMES } from "../../../grammar/extensions/iproute2-names.js";
import { SCTP_CHUNKS, SCTP_FLAGS } from "../../extensions/sctp.js";
import { canonicalIp } from "../values.js";
import { option, type Rewrite } from "./util.js";

/** A value whose text is final (options the catalogue types `verbatim`). */
function raw(text: string): Value {
  return { type: "raw", text };
}

/** A text value the printer still quotes as the option's type says (`dquoted`, `string`). */
function str(text: string): Value {
  return { type: "string", text };
}

/** The same option with new values (keeps name, negation and position). */
function withValues(o: OptionNode, values: Value[], name = o.name): OptionNode {
  return { ...o, name, values };
}

function textOf(o: OptionNode, i = 0): string {
  return o.values[i]?.text ?? "";
}

/** xtables_strtoui(text, base 0): decimal, `0x` hex, leading-`0` octal. */
function uint(text: string): number | null {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^\d+$/.test(text)) n = Number(text);
  else return null;
  return n <= 0xffffffff ? n : null;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const hex2 = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

/**
 * tcp/udp ports as iptables-nft stores them: a range covering 0:65535
 * matches every packet and is dropped; a negated range starting at 0
 * becomes the complementary range (`! --sport 0:1023` is `--sport 1024:65535`).
 */
/** Whether nftPorts would change this option. */
function portNeedsRewrite(o: OptionNode): boolean {
  const v = o.values[0];
  if ((o.name !== "--sport" && o.name !== "--dport") || v?.type !== "portRange") return false;
  return (v.first === 0 && v.last === 65535) || (o.negated && v.first === 0 && v.last > 0);
}

function nftPorts(options: OptionNode[]): OptionNode[] {
  // The common case changes nothing: return the same array without copying.
  if (!options.some(portNeedsRewrite)) return options;
  return options.flatMap((o) => {
    const v = o.values[0];
    if ((o.name !== "--sport" && o.name !== "--dport") || v?.type !== "portRange") return [o];
    if (v.first === 0 && v.last === 65535) return [];
    if (o.negated && v.first === 0 && v.last > 0) {
      const first = v.last + 1;
      return [{ ...o, negated: false, values: [{ type: "portRange", text: `${first}:65535`, first, last: 65535 }] }];
    }
    return [o];
  });
}

// ---------------------------------------------------------------------------
// mh

/** libip6t_mh's names (and short aliases) for Mobility Header types. */
const MH_TYPES: Record<string, number> = {
  "binding-refresh-request": 0, brr: 0, "home-test-init": 1, hoti: 1, "careof-test-init": 2, coti: 2,
  "home-test": 3, hot: 3, "careof-test": 4, cot: 4, "binding-update": 5, bu: 5,
  "binding-acknowledgement": 6, ba: 6, "binding-error": 7, be: 7,
};

function mhType(text: string, fallback: number): number | null {
  if (text === "") return fallback;
  const named = MH_TYPES[text.toLowerCase()];
  return named ?? uint(text);
}

// ---------------------------------------------------------------------------
// sctp

/**
 * `CHUNK[:FLAGS],...`: chunks are stored in a bitmap (order and repeats
 * vanish); a flag letter in upper case must be set, in lower case must be
 * clear, and a set requirement wins over a clear one given for the same chunk.
 */
function sctpChunks(list: string): string {
  const upper = list.toUpperCase();
  if (upper === "ALL" || upper === "NONE") return upper;
  const chunks = new Map<string, { set: Set<string>; clear: Set<string> }>();
  for (const item of list.split(",")) {
    const [name = "", flags = ""] = item.split(":");
    const key = name.toUpperCase();
    const entry = chunks.get(key) ?? { set: new Set<string>(), clear: new Set<string>() };
    for (const f of flags) (f === f.toUpperCase() ? entry.set : entry.clear).add(f.toUpperCase());
    chunks.set(key, entry);
  }
  return [...chunks.entries()]
    .sort(([a], [b]) => (SCTP_CHUNKS[a] ?? 256) - (SCTP_CHUNKS[b] ?? 256))
    .map(([name, { set, clear }]) => {
      const flags = [...(SCTP_FLAGS[name] ?? "")]
        .map((f) => (set.has(f) ? f : clear.has(f) ? f.toLowerCase() : ""))
        .join("");
      return flags ? `${name}:${flags}` : name;
    })
    .join(",");
}

// ---------------------------------------------------------------------------
// string

/** The pattern's bytes: `--string` is the text as UTF-8, `--hex-string` mixes text and `|hex|` blocks. */
function patternBytes(o: OptionNode): number[] | null {
  const text = textOf(o);
  if (o.name === "--string") return [...new TextEncoder().encode(text)];
  const bytes: number[] = [];
  let hexMode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "|") {
      hexMode = !hexMode;
    } else if (hexMode) {
      if (c === " ") continue;
      const pair = text.slice(i, i + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) return null;
      bytes.push(parseInt(pair, 16));
      i++;
    } else {
      // A backslash makes the next character literal (`\|`).
      const literal = c === "\\" && i + 1 < text.length ? text[++i]! : c;
      bytes.push(...new TextEncoder().encode(literal));
    }
  }
  return bytes;
}

/**
 * libxt_string prints a pattern of printable ASCII as --string, anything
 * else as --hex-string; also a pattern ending in a backslash, which would
 * otherwise escape the closing quote.
 */
function canonicalPattern(o: OptionNode): OptionNode {
  const bytes = patternBytes(o);
  if (!bytes) return o;
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e) && bytes[bytes.length - 1] !== 0x5c) return withValues(o, [str(String.fromCharCode(...bytes))], "--string");
  return withValues(o, [str(`|${bytes.map((b) => b.toString(16).padStart(2, "0")).join("")}|`)], "--hex-string");
}

// ---------------------------------------------------------------------------
// time

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ALL_WEEKDAYS = 0xfe; // bits 1..7
const ALL_MONTHDAYS = 0xfffffffe; // bits 1..31
const DEFAULT_DATESTOP = 0x7fffffff; // 2038-01-19T03:14:07, printed even when not given

function parseDaytime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return h < 24 && min < 60 && s < 60 ? h * 3600 + min * 60 + s : null;
}

/** YYYY[-MM[-DD[Thh[:mm[:ss]]]]] in UTC; out-of-range days roll over like mktime (02-30 is 03-01). */
function parseDate(text: string): number | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?)?)?)?$/.exec(text);
  if (!m) return null;
  const n = (i: number, d: number) => (m[i] === undefined ? d : Number(m[i]));
  const ms = Date.UTC(n(1, 1970), n(2, 1) - 1, n(3, 1), n(4, 0), n(5, 0), n(6, 0));
  return Math.floor(ms / 1000);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function formatDaytime(s: number): string {
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

function formatDate(s: number): string {
  const d = new Date(s * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${formatDaytime(s % 86400)}`;
}

function weekdayBits(list: string): number {
  let bits = 0;
  for (const day of list.split(",")) {
    const n = /^[1-7]$/.test(day) ? Number(day) : WEEKDAYS.findIndex((w) => day.length >= 2 && w.startsWith(day.slice(0, 2))) + 1;
    if (n > 0) bits |= 1 << n;
  }
  return bits;
}

function monthdayBits(list: string): number {
  let bits = 0;
  for (const day of list.split(",")) {
    const n = Number(day);
    if (Number.isInteger(n) && n >= 1 && n <= 31) bits |= 1 << n;
  }
  return bits >>> 0;
}

/** Everything libxt_time stores, printed the way its save function does. */
function timeRewrite(options: OptionNode[]): OptionNode[] {
  let start = 0;
  let stop = 86399;
  let monthdays = ALL_MONTHDAYS;
  let weekdays = ALL_WEEKDAYS;
  let dateStart = 0;
  let dateStop = DEFAULT_DATESTOP;
  let kerneltz = false;
  let contiguous = false;
  const given = new Map<string, OptionNode>();
  for (const o of options) {
    given.set(o.name, o);
    const t = textOf(o);
    switch (o.name) {
      case "--timestart":
        start = parseDaytime(t) ?? start;
        break;
      case "--timestop":
        stop = parseDaytime(t) ?? stop;
        break;
      case "--monthdays":
        monthdays = (o.negated ? ~monthdayBits(t) & ALL_MONTHDAYS : monthdayBits(t)) >>> 0;
        break;
      case "--weekdays":
        weekdays = o.negated ? ~weekdayBits(t) & ALL_WEEKDAYS : weekdayBits(t);
        break;
      case "--datestart":
        dateStart = parseDate(t) ?? dateStart;
        break;
      case "--datestop":
        dateStop = parseDate(t) ?? dateStop;
        break;
      case "--kerneltz":
        kerneltz = true;
        break;
      case "--utc":
        kerneltz = false;
        break;
      case "--contiguous":
        contiguous = true;
        break;
    }
  }
  const like = (name: string) => given.get(name);
  const out: OptionNode[] = [];
  if (start !== 0 || stop !== 86399) {
    out.push(option("--timestart", [raw(formatDaytime(start))], like("--timestart")));
    out.push(option("--timestop", [raw(formatDaytime(stop))], like("--timestop")));
  }
  if (monthdays !== ALL_MONTHDAYS) {
    const days = Array.from({ length: 31 }, (_, i) => i + 1).filter((d) => monthdays & (1 << d));
    out.push(option("--monthdays", [raw(days.join(","))], like("--monthdays")));
  }
  if (weekdays !== ALL_WEEKDAYS) {
    out.push(option("--weekdays", [raw(WEEKDAYS.filter((_, i) => weekdays & (1 << (i + 1))).join(","))], like("--weekdays")));
  }
  if (dateStart !== 0) out.push(option("--datestart", [raw(formatDate(dateStart))], like("--datestart")));
  if (dateStop !== 0) out.push(option("--datestop", [raw(formatDate(dateStop))], like("--datestop")));
  if (kerneltz) out.push(option("--kerneltz", [], like("--kerneltz")));
  if (contiguous) out.push(option("--contiguous", [], like("--contiguous")));
  return out;
}

// ---------------------------------------------------------------------------
// tos

/** TOS names of RFC 1349; a name means value/0x3f. */
const TOS_NAMES: Record<string, number> = {
  "minimize-delay": 0x10, "maximize-throughput": 0x08, "maximize-reliability": 0x04, "minimize-cost": 0x02, "normal-service": 0x00,
};

function tosText(text: string): string {
  const named = TOS_NAMES[text.toLowerCase()];
  if (named !== undefined) return `${hex2(named)}/0x3f`;
  const [v = "", m] = text.split("/");
  const value = uint(v);
  const mask = m === undefined ? 0xff : uint(m);
  return value === null || mask === null ? text : `${hex2(value)}/${hex2(mask)}`;
}

// ---------------------------------------------------------------------------
// u32

/** Numbers print as lower-case hex, whitespace vanishes, a range `n:n` prints as `n`. */
function u32Text(text: string): string {
  const compact = text.replace(/\s+/g, "");
  const hexed = compact.replace(/0[xX][0-9a-fA-F]+|\d+/g, (n) => {
    const v = uint(n);
    return v === null ? n : hex(v);
  });
  return hexed.replace(/(0x[0-9a-f]+):(0x[0-9a-f]+)/g, (whole, a: string, b: string) => (a === b ? a : whole));
}

// ---------------------------------------------------------------------------
// policy

const POLICY_ELEMENT_ORDER = ["--reqid", "--spi", "--proto", "--mode", "--tunnel-dst", "--tunnel-src"];
const IPSEC_PROTOS: Record<string, string> = { "50": "esp", "51": "ah", "108": "ipcomp", esp: "esp", ah: "ah", ipcomp: "ipcomp" };

/** --dir, --pol, --strict, then each --next-separated element's options in libxt_policy's order. */
function policyRewrite(options: OptionNode[]): OptionNode[] {
  // The kernel's policy defaults to ipsec, and iptables-save prints it (oracle: `--dir in` saves as `--dir in --pol ipsec`).
  const pol = options.some((o) => o.name === "--pol") ? [] : [option("--pol", [raw("ipsec")])];
  const head = [...options.filter((o) => o.name === "--dir"), ...options.filter((o) => o.name === "--pol"), ...pol, ...options.filter((o) => o.name === "--strict")];
  const elements: OptionNode[][] = [[]];
  for (const o of options) {
    if (o.name === "--next") elements.push([o]);
    else if (POLICY_ELEMENT_ORDER.includes(o.name)) {
      let v: OptionNode = o;
      if (o.name === "--spi") {
        const n = uint(textOf(o));
        if (n !== null) v = withValues(o, [raw(hex(n))]);
      } else if (o.name === "--proto") {
        v = withValues(o, [raw(IPSEC_PROTOS[textOf(o).toLowerCase()] ?? textOf(o))]);
      }
      elements[elements.length - 1]!.push(v);
    }
  }
  const body = elements.flatMap((element) => {
    const next = element.filter((o) => o.name === "--next");
    const rest = element.filter((o) => o.name !== "--next");
    rest.sort((a, b) => POLICY_ELEMENT_ORDER.indexOf(a.name) - POLICY_ELEMENT_ORDER.indexOf(b.name));
    return [...next, ...rest];
  });
  return [...head, ...body];
}

// ---------------------------------------------------------------------------
// rateest

/** tc-style rate units (case-insensitive), as bits per second each. */
const RATE_SUFFIXES: [string, number][] = [
  ["bit", 1], ["kibit", 1024], ["kbit", 1000], ["mibit", 1024 ** 2], ["mbit", 1e6], ["gibit", 1024 ** 3], ["gbit", 1e9],
  ["tibit", 1024 ** 4], ["tbit", 1e12], ["bps", 8], ["kibps", 8 * 1024], ["kbps", 8000], ["mibps", 8 * 1024 ** 2],
  ["mbps", 8e6], ["gibps", 8 * 1024 ** 3], ["gbps", 8e9], ["tibps", 8 * 1024 ** 4], ["tbps", 8e12],
];

/** The rate the kernel stores: bytes per second, truncated to an integer; a bare number is bits. */
function rateBytes(text: string): number | null {
  const m = /^([0-9.]+(?:[eE][-+]?\d+)?)(.*)$/.exec(text);
  if (!m) return null;
  const scale = m[2] === "" ? 1 : RATE_SUFFIXES.find(([s]) => s === m[2]!.toLowerCase())?.[1];
  if (scale === undefined) return null;
  return Math.trunc((Number(m[1]) * scale) / 8);
}

/** printf("%.0f") of an integer divided by a power of ten: round half to even. */
function divRoundEven(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  return r * 2 > d || (r * 2 === d && q % 2 === 1) ? q + 1 : q;
}

function rateText(bytes: number): string {
  const bits = bytes * 8;
  if (bits >= 1e9) return `${divRoundEven(bits, 1e6)}Mbit`;
  if (bits >= 1e6) return `${divRoundEven(bits, 1e3)}Kbit`;
  return `${bits}bit`;
}

/** Rebuilds libxt_rateest's save output from what the options store. */
function rateestRewrite(options: OptionNode[]): OptionNode[] {
  const find = (...names: string[]) => options.find((o) => names.includes(o.name));
  const name1 = find("--rateest", "--rateest1");
  const name2 = find("--rateest2");
  const delta = find("--rateest-delta");
  const mode = find("--rateest-lt", "--rateest-gt", "--rateest-eq");
  const bpsOpts = options.filter((o) => /^--rateest-bps[12]?$/.test(o.name));
  const ppsOpts = options.filter((o) => /^--rateest-pps[12]?$/.test(o.name));
  // `--rateest-bps`/`--rateest-pps` set the second value (the one compared in absolute mode).
  const value = (opts: OptionNode[], second: boolean) => opts.find((o) => (second ? !o.name.endsWith("1") : o.name.endsWith("1")) && o.values.length);
  const bps = (second: boolean) => {
    const o = value(bpsOpts, second);
    return rateText(o ? (rateBytes(textOf(o)) ?? 0) : 0);
  };
  const pps = (second: boolean) => {
    const o = value(ppsOpts, second);
    return String(o ? (uint(textOf(o)) ?? 0) : 0);
  };
  const out: OptionNode[] = [];
  const push = (name: string, values: Value[] = [], like?: OptionNode) => out.push(option(name, values, like));
  const pushMode = () => {
    if (mode) out.push(withValues(mode, []));
  };
  if (delta) push("--rateest-delta", [], delta);
  if (name1) push(name2 ? "--rateest1" : "--rateest", [str(textOf(name1))], name1);
  if (delta) {
    if (bpsOpts.length) {
      push("--rateest-bps1", [raw(bps(false))]);
      pushMode();
      push("--rateest-bps2", [raw(bps(true))]);
    }
    if (ppsOpts.length) {
      push("--rateest-pps1", [raw(pps(false))]);
      pushMode();
      push("--rateest-pps2", [raw(pps(true))]);
    }
  } else if (name2) {
    if (bpsOpts.length) {
      pushMode();
      push("--rateest-bps");
    }
    if (ppsOpts.length) {
      pushMode();
      push("--rateest-pps");
    }
  } else {
    if (bpsOpts.length) {
      pushMode();
      push("--rateest-bps", [raw(bps(true))]);
    }
    if (ppsOpts.length) {
      pushMode();
      push("--rateest-pps", [raw(pps(true))]);
    }
  }
  if (name2) push("--rateest2", [str(textOf(name2))], name2);
  return out;
}

// ---------------------------------------------------------------------------
// realm

function realmText(text: string): string {
  if (REALM_NAMES.includes(text)) return text;
  const [v = "", m] = text.split("/");
  const value = uint(v);
  const mask = m === undefined ? 0xffffffff : uint(m);
  if (value === null || mask === null) return text;
  if (mask !== 0xffffffff) return `${hex(value)}/${hex(mask)}`;
  return REALM_NAMES[value] ?? hex(value);
}

// ---------------------------------------------------------------------------

/** `a[-b]` uid/gid ranges; `root` is the one name every system maps the same way. */
function ownerRange(text: string): string {
  const [a = "", b] = text.split("-");
  const id = (t: string) => (t === "root" ? 0 : uint(t));
  const first = id(a);
  const last = b === undefined ? first : id(b);
  if (first === null || last === null) return text;
  return first === last ? String(first) : `${first}-${last}`;
}

/** srh SIDs: the address as given (not masked), always with `/len`; a mask becomes its length. */
function sidText(text: string): string {
  const [address = "", mask] = text.split("/");
  let len = 128;
  if (mask !== undefined) {
    if (/^\d{1,3}$/.test(mask)) len = Number(mask);
    else {
      try {
        len = ipaddr.IPv6.parse(mask).prefixLengthFromSubnetMask() ?? 128;
      } catch {
        return text;
      }
    }
  }
  return `${canonicalIp(address)}/${len}`;
}

function macText(text: string): string {
  return text
    .split(":")
    .map((p) => p.toLowerCase().padStart(2, "0"))
    .join(":");
}

export const matchRewritesMtoZ: Record<string, Rewrite> = {
  mac: (options) => options.map((o) => (o.name === "--mac-source" ? withValues(o, [raw(macText(textOf(o)))]) : o)),

  mh: (options) =>
    options.flatMap((o) => {
      if (o.name !== "--mh-type") return [o];
      const t = textOf(o);
      const colon = t.indexOf(":");
      const first = mhType(colon < 0 ? t : t.slice(0, colon), 0);
      const last = colon < 0 ? first : mhType(t.slice(colon + 1), 255);
      if (first === null || last === null) return [o];
      // The whole range matches every packet: iptables-nft drops it, negated or not.
      if (first === 0 && last === 255) return [];
      return [withValues(o, [raw(first === last ? String(first) : `${first}:${last}`)])];
    }),

  owner: (options) => options.map((o) => (o.name === "--uid-owner" || o.name === "--gid-owner" ? withValues(o, [raw(ownerRange(textOf(o)))]) : o)),

  pkttype: (options) =>
    options.map((o) => {
      if (o.name !== "--pkt-type") return o;
      const t = textOf(o).toLowerCase();
      return withValues(o, [raw(t === "host" ? "unicast" : t)]);
    }),

  policy: policyRewrite,

  rateest: rateestRewrite,

  realm: (options) => options.map((o) => (o.name === "--realm" ? withValues(o, [raw(realmText(textOf(o)))]) : o)),

  recent: (options, context) => {
    // iptables-save always prints the list name, mask and direction; the last
    // of --rsource/--rdest wins, and a zero --hitcount is "not given".
    let dest = false;
    for (const o of options) if (o.name === "--rsource" || o.name === "--rdest") dest = o.name === "--rdest";
    const out = options.filter((o) => o.name !== "--rsource" && o.name !== "--rdest" && !(o.name === "--hitcount" && textOf(o) === "0"));
    if (!out.some((o) => o.name === "--name")) out.push(option("--name", [str("DEFAULT")]));
    if (!out.some((o) => o.name === "--mask")) {
      const full = context.family === "ipv6" ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" : "255.255.255.255";
      out.push(option("--mask", [raw(full)]));
    }
    out.push(option(dest ? "--rdest" : "--rsource", []));
    return out;
  },

  rt: (options) =>
    options.map((o) => (o.name === "--rt-0-addrs" ? withValues(o, [raw(textOf(o).split(",").map(canonicalIp).join(","))]) : o)),

  srh: (options) => options.map((o) => (/^--srh-[pnl]sid$/.test(o.name) ? withValues(o, [raw(sidText(textOf(o)))]) : o)),

  sctp: (options) =>
    options.map((o) => (o.name === "--chunk-types" ? withValues(o, [raw(textOf(o, 0).toLowerCase()), raw(sctpChunks(textOf(o, 1)))]) : o)),

  set: (options) => options.filter((o) => !((o.name === "--update-counters" || o.name === "--update-subcounters") && !o.negated)),

  string: (options) =>
    options
      .map((o) => (o.name === "--string" || o.name === "--hex-string" ? canonicalPattern(o) : o))
      .filter((o) => !(o.name === "--from" && uint(textOf(o)) === 0) && !(o.name === "--to" && uint(textOf(o)) === 65535)),

  tcp: (options) =>
    !options.some((o) => o.name === "--syn" || o.name === "--tcp-flags" || portNeedsRewrite(o))
      ? options
      : nftPorts(options).flatMap((o) => {
      if (o.name === "--syn") {
        // --syn is stored as --tcp-flags FIN,SYN,RST,ACK SYN.
        const mask: FlagsValue = { type: "flags", text: "FIN,SYN,RST,ACK", flags: ["FIN", "SYN", "RST", "ACK"] };
        const comp: FlagsValue = { type: "flags", text: "SYN", flags: ["SYN"] };
        return [withValues(o, [mask, comp], "--tcp-flags")];
      }
      if (o.name === "--tcp-flags" && !o.negated) {
        // An empty mask tests nothing: iptables-nft drops it.
        const m = o.values[0];
        if (m?.type === "flags" && m.flags.every((f) => f.toUpperCase() === "NONE")) return [];
      }
      return [o];
    }),

  time: timeRewrite,

  tos: (options) => options.map((o) => (o.name === "--tos" ? withValues(o, [raw(tosText(textOf(o)))]) : o)),

  u32: (options) => options.map((o) => (o.name === "--u32" ? withValues(o, [str(u32Text(textOf(o)))]) : o)),

  udp: nftPorts,
};
