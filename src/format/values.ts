/**
 * Canonical printing of values: the text iptables-save prints for a value
 * after the kernel stored it (service names become numbers, addresses are
 * masked and get a prefix length, probabilities come back from fixed point).
 */
import { utf8Prefix } from "../text/utf8.js";
import ipaddr from "ipaddr.js";
import type { OptionSpec } from "../../grammar/schema.js";
import type { AddressValue, Value } from "../ast/types.js";
import { kernelFixedPoint } from "../extensions/statistic.js";
import { dottedQuad } from "../parser/values.js";
import { icmpTypeCanonical } from "./icmp.js";

/** `xtables_save_string`: bare when only [A-Za-z0-9_-], else double-quoted with `"`, `\` and `'` escaped. */
export function saveString(text: string): string {
  if (text.length > 0 && /^[A-Za-z0-9_-]+$/.test(text)) return text;
  return `"${text.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** Strings that are not run through xtables_save_string are printed raw, quoted only if they would not survive re-reading. */
function plainString(text: string): string {
  return /^[^\s"]+$/.test(text) ? text : saveString(text);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * The kernel keeps `--probability` as k = lround(p * 2^31); iptables-save
 * prints k / 2^31 with printf's `%.11f`, which rounds the exact binary value
 * half-to-even. `toFixed` is not exact on ties (0.0002441406 -> k = 524288,
 * exactly 0.000244140625, must print 0.00024414062), so the rounding is done
 * in exact decimal: k / 2^31 = k * 5^31 / 10^31.
 */
export function canonicalProbability(p: number): string {
  // A dump repeats a handful of probabilities (1/n for small n) thousands of times.
  let printed = probabilityCache.get(p);
  if (printed === undefined) {
    printed = exactProbability(p);
    if (probabilityCache.size < 4096) probabilityCache.set(p, printed);
  }
  return printed;
}

const probabilityCache = new Map<number, string>();

function exactProbability(p: number): string {
  // p * 2^31 is exact in binary; Math.round is lround for the non-negative values a probability has.
  const k = kernelFixedPoint(p);
  const scaled = k * 5n ** 31n; // the value times 10^31
  const unit = 10n ** 20n; // keep 11 of the 31 decimals
  let q = scaled / unit;
  const r = scaled % unit;
  if (r * 2n > unit || (r * 2n === unit && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(12, "0");
  return `${digits.slice(0, -11)}.${digits.slice(-11)}`;
}

const LEADING_ZERO = /(?:^|\.)0\d/;
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function ipv4ToNumber(text: string): number {
  const parts = text.split(".").map(Number);
  return ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!;
}


/**
 * The 16 bytes of a valid IPv6 address. Written here because ipaddr.js
 * reads `::1.2.3.4` (IPv4-compatible) as `::ffff:1.2.3.4` (IPv4-mapped).
 */
function ipv6Bytes(text: string): number[] {
  const words = (part: string): number[] => {
    if (part === "") return [];
    const out: number[] = [];
    for (const group of part.split(":")) {
      if (group.includes(".")) {
        const [a, b, c, d] = group.split(".").map(Number);
        out.push(a! * 256 + b!, c! * 256 + d!);
      } else out.push(parseInt(group, 16));
    }
    return out;
  };
  const gap = text.indexOf("::");
  const head = words(gap < 0 ? text : text.slice(0, gap));
  const tail = gap < 0 ? [] : words(text.slice(gap + 2));
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

/**
 * IPv6 text as glibc's inet_ntop writes it: RFC 5952 compression, except
 * that IPv4-mapped and IPv4-compatible addresses end in dotted quad
 * (`::ffff:1.2.3.4`, `::1.2.3.4`).
 */
function inet6Text(bytes: number[]): string {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const quad = () => bytes.slice(12).join(".");
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${quad()}`;
  if (zeros(0, 12) && !(bytes[12] === 0 && bytes[13] === 0)) return `::${quad()}`;
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/** An address as iptables-save prints it: host bits cleared, canonical text, `/len` always. */
export function canonicalAddress(value: AddressValue, withPrefix = true): string {
  const len = value.prefixLength;
  // Fast path for the common host address: nothing to mask, and the text is
  // canonical unless an octet has a leading zero.
  if (len === 32 && value.family === "ipv4" && !LEADING_ZERO.test(value.address)) return withPrefix ? `${value.address}/32` : value.address;
  if (value.family === "ipv4") {
    const n = ipv4ToNumber(value.address);
    const masked = len === 0 ? 0 : n - (n % 2 ** (32 - len));
    return withPrefix ? `${dottedQuad(masked)}/${len}` : dottedQuad(masked);
  }
  const bytes = ipv6Bytes(value.address);
  for (let bit = len; bit < 128; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  const text = inet6Text(bytes);
  return withPrefix ? `${text}/${len}` : text;
}

export function canonicalIp(text: string): string {
  // Dotted quads without leading zeros are already canonical: the common case.
  if (CANONICAL_IPV4.test(text)) return text;
  if (text.includes(":")) {
    try {
      return inet6Text(ipv6Bytes(text));
    } catch {
      return text;
    }
  }
  return text.split(".").map((p) => String(Number(p))).join(".");
}

const RATE_UNIT: Record<string, string> = { second: "sec", minute: "min", hour: "hour", day: "day" };

const TCP_FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 };
const TCP_FLAG_ORDER = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"];

function canonicalTcpFlags(flags: readonly string[]): string {
  let bits = 0;
  for (const f of flags) bits |= TCP_FLAG_BITS[f.toUpperCase()] ?? 0;
  if (bits === 0) return "NONE";
  return TCP_FLAG_ORDER.filter((f) => bits & TCP_FLAG_BITS[f]!).join(",");
}

/** XTTYPE_HOSTMASK as iptables-save prints it: the address as given (not masked), `/len` unless full length. */
function hostMask(value: AddressValue): string {
  const full = value.family === "ipv4" ? 32 : 128;
  return value.prefixLength === full ? canonicalIp(value.address) : `${canonicalIp(value.address)}/${value.prefixLength}`;
}

/** Print one value of `option` canonically. */
export function formatValue(value: Value, option: OptionSpec | null, position = 0): string {
  const type = option?.argTypes?.[position] ?? option?.type;
  // A rewrite already put iptables-save's exact text there (possibly empty).
  if (type === "verbatim") return value.text;
  switch (value.type) {
    case "string": {
      // What the kernel kept of a value longer than its field (KIPT1027).
      const keeps = option?.keepsBytes;
      const text = keeps !== undefined && value.text.length > keeps / 3 ? utf8Prefix(value.text, keeps) : value.text;
      if (type === "quoted") return saveString(text);
      // The string match and u32 print their own quotes, escaping only `"` and `\`.
      if (type === "dquoted" || type === "u32") return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
      if (type === "icmpType") return icmpTypeCanonical(text, option?.name === "--icmpv6-type" ? "ipv6" : "ipv4");
      return plainString(text);
    }
    case "integer":
      return type === "hex" ? hex(value.value) : String(value.value);
    case "mark":
      return value.mask === 0xffffffff && type !== "xmark" ? hex(value.value) : `${hex(value.value)}/${hex(value.mask)}`;
    case "portRange":
      if (type === "natPorts") return value.first === value.last ? String(value.first) : `${value.first}-${value.last}`;
      return value.first === value.last ? String(value.first) : `${value.first}:${value.last}`;
    case "portList":
      return value.ranges.map((r) => (r.first === r.last ? String(r.first) : `${r.first}:${r.last}`)).join(",");
    case "address":
      if (type === "hostMask") return hostMask(value);
      return type === "ip" ? canonicalIp(value.address) : canonicalAddress(value);
    case "ipRange":
      return `${canonicalIp(value.from)}-${canonicalIp(value.to)}`;
    case "natRange": {
      let text = "";
      if (value.fromAddress !== null) {
        const v6 = value.family === "ipv6";
        const from = canonicalIp(value.fromAddress);
        const to = value.toAddress !== null && value.toAddress !== value.fromAddress ? canonicalIp(value.toAddress) : null;
        text = to ? `${from}-${to}` : from;
        // IPv6 addresses (and ranges) are bracketed only when a port follows: `[a-b]:80`.
        if (v6 && value.fromPort !== null) text = `[${text}]`;
      }
      if (value.fromPort !== null) {
        text += `:${value.fromPort}`;
        if (value.toPort !== null && value.toPort !== value.fromPort) text += `-${value.toPort}`;
        if (value.basePort != null) text += `/${value.basePort}`;
      }
      return text;
    }
    case "probability":
      return canonicalProbability(value.value);
    case "interface":
      return value.text;
    case "flags": {
      if (option?.name === "--tcp-flags") return canonicalTcpFlags(value.flags);
      const order = option?.values;
      if (!order) return value.text;
      const upper = new Set(value.flags.map((f) => f.toUpperCase()));
      return order.filter((f) => upper.has(f.toUpperCase())).join(",");
    }
    case "rate":
      return `${value.count}/${RATE_UNIT[value.unit]}`;
    case "enum":
      if (type === "enumNoCase") return option?.values?.find((w) => w.toUpperCase() === value.text.toUpperCase()) ?? value.text;
      return plainString(value.text);
    case "raw":
      if (type === "u64") return u64Decimal(value.text);
      return plainString(value.text);
  }
}

/** strtoull(text, 0) printed in decimal (`0x10` -> `16`, `010` -> `8`). */
function u64Decimal(text: string): string {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text).toString();
  if (/^0[0-7]+$/.test(text)) return BigInt(`0o${text.slice(1)}`).toString();
  return /^\d+$/.test(text) ? BigInt(text).toString() : text;
}
