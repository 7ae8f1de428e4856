/**
 * Rewrites for target extensions (see ../canonical.ts).
 *
 * Many targets store something other than what was written: the kernel
 * keeps a struct, and iptables-save prints that struct back. Each rewrite
 * here replays the extension's parse (in option order, as iptables does)
 * into that struct and emits the options its `save` prints. Values whose
 * printed form is not what the value type prints (`0x%02x`, `%.4x:%.4x`,
 * times) are emitted as raw text.
 */
import type { OptionNode, RawValue, Value } from "../../ast/types.js";
import { dscpClassValue } from "../../extensions/dscp.js";
import { rateestKept, rateestShow, rateestTime } from "../../extensions/rateest.js";
import { DEFAULT_REJECT_TYPE, rejectType } from "../../extensions/reject.js";
import { canonicalIp } from "../values.js";
import { mark, numberOf, option, type Rewrite, type RewriteContext } from "./util.js";

// ---------------------------------------------------------------------------
// Helpers

function raw(text: string): RawValue {
  return { type: "raw", text };
}

function hexPad(n: number, digits: number): string {
  return `0x${(n >>> 0).toString(16).padStart(digits, "0")}`;
}

/** strtoul(3) with base 0 over the whole word, as xtables reads numbers; null if not a number. */
function strtoul(text: string): number | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return parseInt(text, 8);
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  return null;
}

/** The option's single number, whether typed as an integer or kept as text. */
function num(o: OptionNode): number | null {
  const n = numberOf(o);
  if (n !== null) return n;
  const v = o.values[0];
  return v ? strtoul(v.text) : null;
}

function text(o: OptionNode): string {
  return o.values[0]?.text ?? "";
}

/** Replace the options named in `names` by `out`; everything else (options kipt does not know) is kept. */
function replace(options: OptionNode[], names: readonly string[], out: OptionNode[]): OptionNode[] {
  return [...options.filter((o) => !names.includes(o.name)), ...out];
}

function flag(name: string): OptionNode {
  return option(name, []);
}

// ---------------------------------------------------------------------------
// MARK and CONNMARK: every way of writing a mark change is stored as value/mask

/** `--set-xmark V/M` means mark = (mark & ~M) ^ V; the other spellings are special cases of it. */
function markChange(o: OptionNode): { value: number; mask: number } | null {
  const v = o.values[0];
  switch (o.name) {
    case "--set-xmark":
      return v?.type === "mark" ? { value: v.value, mask: v.hasMask ? v.mask : 0xffffffff } : null;
    case "--set-mark":
      // Bits of the value are always cleared first, so the stored mask is value | mask.
      return v?.type === "mark" ? { value: v.value, mask: v.hasMask ? (v.value | v.mask) >>> 0 : 0xffffffff } : null;
    case "--and-mark": {
      const n = num(o);
      return n === null ? null : { value: 0, mask: ~n >>> 0 };
    }
    case "--or-mark": {
      const n = num(o);
      return n === null ? null : { value: n, mask: n };
    }
    case "--xor-mark": {
      const n = num(o);
      return n === null ? null : { value: n, mask: 0 };
    }
    default:
      return null;
  }
}

const MARK_SPELLINGS = ["--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark"];

function rewriteMark(options: OptionNode[]): OptionNode[] {
  let change: { value: number; mask: number } | null = null;
  for (const o of options) change = markChange(o) ?? change;
  if (!change) return options;
  return replace(options, MARK_SPELLINGS, [option("--set-xmark", [mark(change.value, change.mask)])]);
}

function rewriteConnmark(options: OptionNode[]): OptionNode[] {
  let mode: "set" | "save" | "restore" | null = null;
  let ctmark = 0;
  let ctmask = 0xffffffff;
  let nfmask = 0xffffffff;
  let shift: { name: string; bits: number } | null = null;
  for (const o of options) {
    const change = markChange(o);
    if (change) {
      mode = "set";
      ctmark = change.value;
      ctmask = change.mask;
      continue;
    }
    switch (o.name) {
      case "--save-mark":
        mode = "save";
        break;
      case "--restore-mark":
        mode = "restore";
        break;
      case "--mask":
        nfmask = ctmask = num(o) ?? nfmask;
        break;
      case "--nfmask":
        nfmask = num(o) ?? nfmask;
        break;
      case "--ctmask":
        ctmask = num(o) ?? ctmask;
        break;
      case "--left-shift-mark":
      case "--right-shift-mark":
        shift = { name: o.name, bits: num(o) ?? 0 };
        break;
    }
  }
  if (!mode) return options;
  const hex = (n: number): Value => raw(`0x${(n >>> 0).toString(16)}`);
  const out =
    mode === "set"
      ? [option("--set-xmark", [mark(ctmark, ctmask)])]
      : [flag(mode === "save" ? "--save-mark" : "--restore-mark"), option("--nfmask", [hex(nfmask)]), option("--ctmask", [hex(ctmask)])];
  if (shift && shift.bits !== 0) out.push(option(shift.name, [raw(String(shift.bits))]));
  return replace(options, [...MARK_SPELLINGS, "--save-mark", "--restore-mark", "--mask", "--nfmask", "--ctmask", "--left-shift-mark", "--right-shift-mark"], out);
}

// ---------------------------------------------------------------------------
// Logging

/** xtables' syslog level names (exact, lower case); numbers 0-7 are taken as they are. */
const SYSLOG_LEVELS: Record<string, number> = { emerg: 0, panic: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

function rewriteLog(options: OptionNode[]): OptionNode[] {
  return options.flatMap((o) => {
    if (o.name !== "--log-level") return [o];
    const n = strtoul(text(o)) ?? SYSLOG_LEVELS[text(o)];
    if (n === undefined || n === null) return [o];
    // 4 (warning) is the default and not printed.
    return n === 4 ? [] : [option("--log-level", [raw(String(n))], o)];
  });
}

function rewriteNflog(options: OptionNode[]): OptionNode[] {
  return options.filter((o) => {
    // iptables-nft stores NFLOG as an nft `log` statement: --nflog-range has no
    // place there and is dropped, and zero group / threshold read back as unset.
    if (o.name === "--nflog-range") return false;
    if (o.name === "--nflog-group" || o.name === "--nflog-threshold") return num(o) !== 0;
    return true;
  });
}

/** ULOG keeps the netlink group as a bit (printed back as its number) and prints only non-defaults. */
function rewriteUlog(options: OptionNode[]): OptionNode[] {
  return options.filter((o) => {
    if (o.name === "--ulog-nlgroup" || o.name === "--ulog-qthreshold") return num(o) !== 1;
    if (o.name === "--ulog-cprange") return num(o) !== 0;
    return true;
  });
}

// ---------------------------------------------------------------------------
// REJECT: per-family reply types, matched as iptables does

function rewriteReject(options: OptionNode[], context: RewriteContext): OptionNode[] {
  const out = options.map((o) => {
    if (o.name !== "--reject-with") return o;
    const type = rejectType(text(o), context.family);
    return type ? option("--reject-with", [raw(type)], o) : o;
  });
  if (!out.some((o) => o.name === "--reject-with")) out.push(option("--reject-with", [raw(DEFAULT_REJECT_TYPE[context.family])]));
  return out;
}

// ---------------------------------------------------------------------------
// Header field targets

/** `--set-mss` and `--clamp-mss-to-pmtu` set the same field: the last one given is what the kernel keeps (oracle). */
function rewriteTcpmss(options: OptionNode[]): OptionNode[] {
  let last: OptionNode | undefined;
  for (const o of options) if (o.name === "--set-mss" || o.name === "--clamp-mss-to-pmtu") last = o;
  return last === undefined ? options : options.filter((o) => (o.name !== "--set-mss" && o.name !== "--clamp-mss-to-pmtu") || o === last);
}

function rewriteDscp(options: OptionNode[]): OptionNode[] {
  return options.map((o) => {
    let value: number | null = null;
    if (o.name === "--set-dscp") value = num(o);
    else if (o.name === "--set-dscp-class") {
      value = dscpClassValue(text(o));
    } else return o;
    return value === null ? o : option("--set-dscp", [raw(hexPad(value, 2))], o);
  });
}

/** IPv4 TOS names; a name sets only the six TOS bits (mask 0x3f). */
const TOS_NAMES: Record<string, number> = {
  "minimize-delay": 0x10,
  "maximize-throughput": 0x08,
  "maximize-reliability": 0x04,
  "minimize-cost": 0x02,
  "normal-service": 0x00,
};

function tosChange(o: OptionNode): { value: number; mask: number } | null {
  const n = num(o);
  switch (o.name) {
    case "--set-tos": {
      const t = text(o);
      const named = TOS_NAMES[t.toLowerCase()];
      if (named !== undefined) return { value: named, mask: 0x3f };
      const [v, m] = t.split("/");
      const value = strtoul(v ?? "");
      const mask = m === undefined ? 0xff : strtoul(m);
      return value === null || mask === null ? null : { value, mask };
    }
    case "--and-tos":
      return n === null ? null : { value: 0, mask: ~n & 0xff };
    case "--or-tos":
      return n === null ? null : { value: n, mask: n };
    case "--xor-tos":
      return n === null ? null : { value: n, mask: 0 };
    default:
      return null;
  }
}

function rewriteTos(options: OptionNode[]): OptionNode[] {
  let change: { value: number; mask: number } | null = null;
  for (const o of options) change = tosChange(o) ?? change;
  if (!change) return options;
  return replace(options, ["--set-tos", "--and-tos", "--or-tos", "--xor-tos"], [
    option("--set-tos", [raw(`${hexPad(change.value, 2)}/${hexPad(change.mask, 2)}`)]),
  ]);
}

/** ECN: --ecn-tcp-remove is stored as "set ECE and CWR to 0", and printed back only when that is all there is. */
function rewriteEcn(options: OptionNode[]): OptionNode[] {
  let ece: number | null = null;
  let cwr: number | null = null;
  let ect: number | null = null;
  for (const o of options) {
    if (o.name === "--ecn-tcp-remove") {
      ece = 0;
      cwr = 0;
      ect = null;
    } else if (o.name === "--ecn-tcp-ece") ece = num(o);
    else if (o.name === "--ecn-tcp-cwr") cwr = num(o);
    else if (o.name === "--ecn-ip-ect") ect = num(o);
  }
  const out: OptionNode[] = [];
  if (ece === 0 && cwr === 0 && ect === null) out.push(flag("--ecn-tcp-remove"));
  else {
    if (ece !== null) out.push(option("--ecn-tcp-ece", [raw(String(ece))]));
    if (cwr !== null) out.push(option("--ecn-tcp-cwr", [raw(String(cwr))]));
    if (ect !== null) out.push(option("--ecn-ip-ect", [raw(String(ect))]));
  }
  return replace(options, ["--ecn-tcp-remove", "--ecn-tcp-ece", "--ecn-tcp-cwr", "--ecn-ip-ect"], out);
}

/** `major:minor` in hex (sscanf "%x:%x"), printed `%.4x:%.4x`. */
function rewriteClassify(options: OptionNode[]): OptionNode[] {
  return options.map((o) => {
    if (o.name !== "--set-class") return o;
    const m = /^\s*(?:0[xX])?([0-9a-fA-F]+):\s*(?:0[xX])?([0-9a-fA-F]+)/.exec(text(o));
    if (!m) return o;
    const part = (h: string) => (parseInt(h, 16) & 0xffff).toString(16).padStart(4, "0");
    return option("--set-class", [raw(`${part(m[1]!)}:${part(m[2]!)}`)], o);
  });
}

/** TCP option names of TCPOPTSTRIP; iptables-save prints the option numbers, ascending. */
const TCP_OPTIONS: Record<string, number> = { wscale: 3, mss: 2, "sack-permitted": 4, sack: 5, timestamp: 8, md5: 19 };

function rewriteTcpoptstrip(options: OptionNode[]): OptionNode[] {
  return options.map((o) => {
    if (o.name !== "--strip-options") return o;
    const numbers = new Set<number>();
    for (const word of text(o).split(",")) {
      const n = TCP_OPTIONS[word] ?? strtoul(word);
      if (n === null) return o;
      numbers.add(n);
    }
    return option("--strip-options", [raw([...numbers].sort((a, b) => a - b).join(","))], o);
  });
}

// ---------------------------------------------------------------------------
// HMARK

/** `--hmark-tuple` words, in the order iptables tries them (a word may be any prefix). */
const HMARK_TUPLE = ["ct", "src", "dst", "sport", "dport", "proto", "spi"] as const;

function rewriteHmark(options: OptionNode[], context: RewriteContext): OptionNode[] {
  const full = context.family === "ipv6" ? 128 : 32;
  // Which options end up set, and their numbers; the tuple sets full masks.
  const set = new Map<string, number>();
  let ct = false;
  for (const o of options) {
    if (o.name !== "--hmark-tuple") {
      const n = num(o);
      if (n !== null) set.set(o.name, n);
      continue;
    }
    for (const word of text(o).toLowerCase().split(",")) {
      const kind = HMARK_TUPLE.find((k) => word !== "" && k.startsWith(word));
      if (kind === "ct") ct = true;
      else if (kind === "src") set.set("--hmark-src-prefix", full);
      else if (kind === "dst") set.set("--hmark-dst-prefix", full);
      else if (kind === "sport") set.set("--hmark-sport-mask", 0xffff);
      else if (kind === "dport") set.set("--hmark-dport-mask", 0xffff);
      else if (kind === "proto") set.set("--hmark-proto-mask", 0xffff);
      else if (kind === "spi") set.set("--hmark-spi-mask", 0xffffffff);
    }
  }
  const printed: [string, (n: number) => string][] = [
    ["--hmark-src-prefix", String],
    ["--hmark-dst-prefix", String],
    ["--hmark-sport-mask", (n) => hexPad(n, 4)],
    ["--hmark-dport-mask", (n) => hexPad(n, 4)],
    ["--hmark-spi-mask", (n) => hexPad(n, 8)],
    ["--hmark-sport", (n) => hexPad(n, 4)],
    ["--hmark-dport", (n) => hexPad(n, 4)],
    ["--hmark-spi", (n) => hexPad(n, 8)],
    ["--hmark-proto-mask", (n) => hexPad(n, 2)],
    ["--hmark-rnd", (n) => hexPad(n, 8)],
    ["--hmark-mod", String],
    ["--hmark-offset", String],
  ];
  const out: OptionNode[] = [];
  for (const [name, show] of printed) {
    const n = set.get(name);
    if (n !== undefined) out.push(option(name, [raw(show(n))]));
  }
  if (ct) out.push(option("--hmark-tuple", [raw("ct")]));
  return replace(options, [...printed.map(([name]) => name), "--hmark-tuple"], out);
}

// ---------------------------------------------------------------------------
// Conntrack targets

const CT_EVENTS = ["new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo", "secmark"];

function rewriteCt(options: OptionNode[]): OptionNode[] {
  // --zone, --zone-orig and --zone-reply share one zone ID and OR their direction flags.
  let zone = 0;
  let byMark = false;
  let orig = false;
  let reply = false;
  let anyZone = false;
  const out: OptionNode[] = [];
  for (const o of options) {
    switch (o.name) {
      case "--zone":
      case "--zone-orig":
      case "--zone-reply": {
        anyZone = true;
        if (o.name === "--zone-orig") orig = true;
        if (o.name === "--zone-reply") reply = true;
        if (text(o).toLowerCase() === "mark") {
          byMark = true;
          zone = 0;
        } else zone = strtoul(text(o)) ?? 0;
        break;
      }
      case "--ctevents":
      case "--expevents": {
        const given = new Set(text(o).split(","));
        const table = o.name === "--ctevents" ? CT_EVENTS : ["new"];
        out.push(option(o.name, [raw(table.filter((e) => given.has(e)).join(","))], o));
        break;
      }
      default:
        out.push(o);
    }
  }
  if (anyZone && (byMark || zone !== 0)) {
    const name = orig && !reply ? "--zone-orig" : reply && !orig ? "--zone-reply" : "--zone";
    out.push(option(name, [raw(byMark ? "mark" : String(zone))]));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Queueing, rate estimation

function rewriteNfqueue(options: OptionNode[]): OptionNode[] {
  // Without --queue-num or --queue-balance the packet goes to queue 0, printed.
  if (options.some((o) => o.name === "--queue-num" || o.name === "--queue-balance")) return options;
  return [option("--queue-num", [raw("0")]), ...options];
}

/** The kernel keeps the interval as a power of two of 250ms and the averaging as a shift; both are printed back as times. */
function rewriteRateest(options: OptionNode[]): OptionNode[] {
  const intervalOpt = options.find((o) => o.name === "--rateest-interval");
  const ewmaOpt = options.find((o) => o.name === "--rateest-ewmalog");
  const interval = intervalOpt ? rateestTime(text(intervalOpt)) : null;
  const ewma = ewmaOpt ? rateestTime(text(ewmaOpt)) : null;
  if (interval === null || ewma === null) return options;
  const kept = rateestKept(interval, ewma);
  // Refused by iptables (the parser reports it): printed as written.
  if ("error" in kept) return options;
  return options.map((o) => {
    if (o === intervalOpt) return option(o.name, [raw(rateestShow(kept.interval))], o);
    if (o === ewmaOpt) return option(o.name, [raw(rateestShow(kept.ewma))], o);
    return o;
  });
}

// ---------------------------------------------------------------------------
// Addresses and ports

/** NPT prefixes are printed as given (not masked), always with their length. */
function rewriteNpt(options: OptionNode[]): OptionNode[] {
  return options.map((o) => {
    const v = o.values[0];
    if ((o.name !== "--src-pfx" && o.name !== "--dst-pfx") || v?.type !== "address") return o;
    return option(o.name, [raw(`${canonicalIp(v.address)}/${v.prefixLength}`)], o);
  });
}

/** The kernel keeps a port offset (`/base`) only for DNAT; SNAT reads it back as 0. */
function rewriteSnat(options: OptionNode[]): OptionNode[] {
  return options.map((o) => {
    const v = o.values[0];
    if (o.name !== "--to-source" || v?.type !== "natRange" || v.basePort == null) return o;
    return option(o.name, [{ ...v, basePort: 0 }], o);
  });
}

/** TPROXY (revision 1) always prints the address and mark, 0.0.0.0 / :: and 0x0/0x0 when not given. */
function rewriteTproxy(options: OptionNode[], context: RewriteContext): OptionNode[] {
  const out = [...options];
  if (!out.some((o) => o.name === "--on-ip")) out.push(option("--on-ip", [raw(context.family === "ipv6" ? "::" : "0.0.0.0")]));
  if (!out.some((o) => o.name === "--tproxy-mark")) out.push(option("--tproxy-mark", [mark(0, 0)]));
  return out;
}

// ---------------------------------------------------------------------------
// Targets printed only in part

/** The LED trigger delay: 0 (the default) is not printed, `inf...` is printed `inf`. */
function rewriteLed(options: OptionNode[]): OptionNode[] {
  return options.flatMap((o) => {
    if (o.name !== "--led-delay") return [o];
    if (text(o).toLowerCase().startsWith("inf")) return [option(o.name, [raw("inf")], o)];
    const n = strtoul(text(o));
    // The kernel's delay is a signed int; only positive values are printed.
    return n === null ? [o] : n === 0 || n > 0x7fffffff ? [] : [option(o.name, [raw(String(n))], o)];
  });
}

/** CLUSTERIP prints its parameters only on the rule that created the cluster (--new), then all of them. */
function rewriteClusterip(options: OptionNode[]): OptionNode[] {
  if (!options.some((o) => o.name === "--new")) return [];
  return [
    ...options.map((o) => (o.name === "--clustermac" ? option(o.name, [raw(text(o).toUpperCase())], o) : o)),
    ...(options.some((o) => o.name === "--hash-init") ? [] : [option("--hash-init", [raw("0")])]),
  ];
}

/** SET's direction words: anything starting `src` is src, anything else (only `dst...` is accepted) dst. */
function rewriteSet(options: OptionNode[]): OptionNode[] {
  return options.map((o) => {
    const [name, dirs] = o.values;
    if (!name || !dirs || !["--add-set", "--del-set", "--map-set"].includes(o.name)) return o;
    const words = dirs.text.split(",").map((w) => (w.startsWith("src") ? "src" : "dst"));
    return option(o.name, [name, raw(words.join(","))], o);
  });
}

/** AUDIT's type is matched in any case and printed in lower case. */
function rewriteAudit(options: OptionNode[]): OptionNode[] {
  return options.map((o) => (o.name === "--type" ? option(o.name, [raw(text(o).toLowerCase())], o) : o));
}

export const targetRewrites: Record<string, Rewrite> = {
  AUDIT: rewriteAudit,
  CLASSIFY: rewriteClassify,
  CLUSTERIP: rewriteClusterip,
  CONNMARK: rewriteConnmark,
  CT: rewriteCt,
  DNPT: rewriteNpt,
  DSCP: rewriteDscp,
  ECN: rewriteEcn,
  HMARK: rewriteHmark,
  LED: rewriteLed,
  LOG: rewriteLog,
  MARK: rewriteMark,
  NFLOG: rewriteNflog,
  NFQUEUE: rewriteNfqueue,
  RATEEST: rewriteRateest,
  REJECT: rewriteReject,
  SET: rewriteSet,
  SNAT: rewriteSnat,
  SNPT: rewriteNpt,
  TCPMSS: rewriteTcpmss,
  TCPOPTSTRIP: rewriteTcpoptstrip,
  TOS: rewriteTos,
  TPROXY: rewriteTproxy,
  ULOG: rewriteUlog,
};
