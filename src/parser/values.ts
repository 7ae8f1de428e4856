/**
 * Typing option values: turns the text of a value into a typed AST value,
 * or explains why it is not one. Hand-written because this runs for
 * millions of values on a large dump; `ipaddr.js` validates IPv6, which is
 * rare in IPv4 dumps and intricate enough not to re-implement.
 */
import { dscpClassValue } from "../extensions/dscp.js";
import { protocolNumber } from "./protocols.js";
import { utf8Length } from "../text/utf8.js";
import ipaddr from "ipaddr.js";
import type { ValueType } from "../../grammar/schema.js";
import type {
  AddressFamily,
  AddressValue,
  FlagsValue,
  InterfaceValue,
  IpRangeValue,
  MarkValue,
  NatRangeValue,
  PortListValue,
  PortRangeValue,
  RateValue,
  Value,
} from "../ast/types.js";
import { serviceNamePort } from "./services.js";

export type Typed = Value | { readonly error: string };

export function isTypeError(v: Typed): v is { readonly error: string } {
  return (v as { error?: string }).error !== undefined;
}

/** Dotted-quad IPv4 with each part 0-255 (inet_pton rules: no leading-zero octal tricks accepted here). */
export function parseIPv4(text: string): number | null {
  let value = 0;
  let part = -1;
  let parts = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part < 0 ? c - 48 : part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46) {
      if (part < 0 || parts === 3) return null;
      value = value * 256 + part;
      parts++;
      part = -1;
      digits = 0;
    } else return null;
  }
  if (part < 0 || parts !== 3) return null;
  return value * 256 + part;
}

/** One number as xtables_strtoui reads it with base 0: `0x1f` hex, `017` octal, else decimal; null if not one. */
export function strtoulBase0(text: string): number | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return text.length === 1 ? 0 : parseInt(text.slice(1), 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return null;
}

/**
 * An IPv4 address the way iptables reads `-s`/`-d` (xtables
 * `numeric_to_ipaddr`): one to four dot-separated parts, each a number in
 * C's base 0 (`010` is 8, `0x0a` is 10), missing trailing parts zero (`10/8`
 * is 10.0.0.0/8, `192.168/16` is 192.168.0.0/16). Masks (`autocomplete`
 * false) need all four parts. Checked against iptables 1.8.9 with the oracle.
 */
export function parseIptablesIPv4(text: string, autocomplete: boolean): number | null {
  const parts = text.split(".");
  if (parts.length > 4 || (!autocomplete && parts.length !== 4)) return null;
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const part = i < parts.length ? strtoulBase0(parts[i]!) : 0;
    if (part === null || part > 255) return null;
    value = value * 256 + part;
  }
  return value;
}

/** An unsigned 32-bit number as a dotted quad. */
export function dottedQuad(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export function isIPv6(text: string): boolean {
  // Cheap rejections first: ipaddr.js validation is costly and most callers try IPv4 first.
  if (text.length < 2 || text.indexOf(":") < 0 || text.includes("%")) return false;
  return ipaddr.IPv6.isValid(text);
}

export function familyOf(address: string): AddressFamily | null {
  if (parseIPv4(address) !== null) return "ipv4";
  if (isIPv6(address)) return "ipv6";
  return null;
}

/** Prefix length of a dotted or IPv6 mask, or null if the mask is not contiguous. */
function maskToPrefix(mask: string): number | null {
  const v4 = parseIPv4(mask) ?? parseIptablesIPv4(mask, false);
  if (v4 !== null) {
    let bits = 0;
    let seenZero = false;
    for (let b = 31; b >= 0; b--) {
      const set = Math.floor(v4 / 2 ** b) % 2 === 1;
      if (set && seenZero) return null;
      if (set) bits++;
      else seenZero = true;
    }
    return bits;
  }
  if (isIPv6(mask)) {
    try {
      return ipaddr.IPv6.parse(mask).prefixLengthFromSubnetMask();
    } catch {
      return null;
    }
  }
  return null;
}

function parseAddress(text: string): AddressValue | { error: string } {
  const slash = text.indexOf("/");
  let address = slash < 0 ? text : text.slice(0, slash);
  let family = familyOf(address);
  if (!family) {
    // iptables' own forms: `10/8`, `192.168/16`, octal and hex parts. Kept in
    // standard notation, so that every later stage reads a plain dotted quad.
    const v4 = parseIptablesIPv4(address, true);
    if (v4 !== null) {
      address = dottedQuad(v4);
      family = "ipv4";
    }
  } else if (family === "ipv4" && /(?:^|\.)0\d/.test(address)) {
    // A leading zero makes a part octal for iptables (`010.0.0.1` is 8.0.0.1), not decimal.
    const v4 = parseIptablesIPv4(address, true);
    if (v4 === null) return { error: `${JSON.stringify(address)} is not an IPv4 address: ${address.split(".").find((p) => /^0\d/.test(p))} is octal for iptables, and not a valid octal number` };
    address = dottedQuad(v4);
  }
  if (!family) {
    // iptables resolves host names at load time; a dump never contains one,
    // restore input may. Keep the name and say it depends on DNS.
    if (/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(address) && /[A-Za-z]/.test(address)) {
      return { error: `${JSON.stringify(address)} is a host name; iptables resolves it once at load time, so write the address` };
    }
    return { error: `${JSON.stringify(text)} is not an IPv4 or IPv6 address` };
  }
  const full = family === "ipv4" ? 32 : 128;
  if (slash < 0) return { type: "address", text, family, address, prefixLength: full, hasPrefix: false };
  const rest = text.slice(slash + 1);
  let prefixLength: number | null = null;
  if (/^(?:\d{1,3}|0[xX][0-9a-fA-F]{1,2})$/.test(rest)) {
    // Base 0 as well: `/010` is /8.
    prefixLength = strtoulBase0(rest);
    if (prefixLength === null) return { error: `${JSON.stringify(rest)} is not a prefix length (a leading 0 makes it octal)` };
    if (prefixLength > full) return { error: `prefix length /${rest} is longer than ${full}` };
  } else {
    prefixLength = maskToPrefix(rest);
    if (prefixLength === null) return { error: `${JSON.stringify(rest)} is not a prefix length or contiguous mask` };
  }
  return { type: "address", text, family, address, prefixLength, hasPrefix: true };
}

/**
 * libxt_u32's grammar: tests joined by `&&`; a test is a location (a number
 * followed by `&n`, `<<n`, `>>n` or `@n` steps), `=`, and ranges `a[:b]`
 * joined by `,`; numbers decimal or 0x hex; blanks anywhere between tokens.
 */
const U32_NUM = String.raw`\s*(?:0[xX][0-9a-fA-F]+|\d+)\s*`;
const U32_TEST = `${U32_NUM}(?:(?:&|<<|>>|@)${U32_NUM})*=${U32_NUM}(?::${U32_NUM})?(?:,${U32_NUM}(?::${U32_NUM})?)*`;
const U32_PROGRAM = new RegExp(`^${U32_TEST}(?:&&${U32_TEST})*$`);

const PORT_RE = /^\d{1,5}$/;

export function parsePort(text: string, protocol: string | null): number | null {
  // xtables_parse_port reads numbers with strtoul base 0: `010` is 8, `0x1bb` is 443.
  if (/^0\d+$/.test(text)) {
    // `08` is not octal: the tool refuses it ("invalid port/service `08' specified").
    if (!/^0[0-7]+$/.test(text)) return null;
    return parseInt(text.slice(1), 8) <= 65535 ? parseInt(text.slice(1), 8) : null;
  }
  if (/^0[xX][0-9a-fA-F]{1,4}$/.test(text)) return parseInt(text.slice(2), 16);
  if (PORT_RE.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : null;
  }
  return serviceNamePort(text, protocol);
}

function parsePortRange(text: string, protocol: string | null): PortRangeValue | { error: string } {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const p = parsePort(text, protocol);
    if (p === null) return { error: `${JSON.stringify(text)} is not a port number or known service name` };
    return { type: "portRange", text, first: p, last: p };
  }
  const a = colon === 0 ? 0 : parsePort(text.slice(0, colon), protocol);
  const b = colon === text.length - 1 ? 65535 : parsePort(text.slice(colon + 1), protocol);
  if (a === null || b === null) return { error: `${JSON.stringify(text)} is not a port range` };
  if (a > b) return { error: `port range ${JSON.stringify(text)} runs backwards` };
  return { type: "portRange", text, first: a, last: b };
}

function parsePortList(text: string, protocol: string | null): PortListValue | { error: string } {
  const ranges: { first: number; last: number }[] = [];
  // libxt_multiport keeps 15 slots and a range written `a:b` takes two (checked with the oracle).
  let slots = 0;
  for (const part of text.split(",")) {
    // multiport's ranges need both ends, the first below the last ("invalid portrange specified"; checked with the tool).
    const colon = part.indexOf(":");
    if (colon === 0 || colon === part.length - 1) return { error: `${JSON.stringify(part)}: a multiport range needs both ends` };
    const r = parsePortRange(part, protocol);
    if ("error" in r) return r;
    if (colon > 0 && r.first >= r.last) return { error: `${JSON.stringify(part)}: a multiport range must run upwards (iptables: "invalid portrange specified")` };
    ranges.push({ first: r.first, last: r.last });
    slots += part.includes(":") ? 2 : 1;
  }
  if (slots > 15) return { error: `multiport takes at most 15 ports, a range counting as two; found ${slots}` };
  return { type: "portList", text, ranges };
}

/** strtoul(3) with base 0, as xtables reads numbers: `0x` hex, a leading `0` octal (`010` is 8), else decimal. */
function parseUint32(text: string): number | null {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^(?:0|[1-9]\d*)$/.test(text)) n = Number(text);
  else return null;
  return n <= 0xffffffff ? n : null;
}

function parseMark(text: string): MarkValue | { error: string } {
  const slash = text.indexOf("/");
  const value = parseUint32(slash < 0 ? text : text.slice(0, slash));
  const mask = slash < 0 ? 0xffffffff : parseUint32(text.slice(slash + 1));
  if (value === null || mask === null) return { error: `${JSON.stringify(text)} is not a 32-bit value[/mask]` };
  return { type: "mark", text, value, mask, hasMask: slash >= 0 };
}

function parseInterface(text: string): InterfaceValue | { error: string } {
  if (text.length > 15) return { error: `interface name ${JSON.stringify(text)} is longer than 15 characters` };
  const wildcard = text.endsWith("+");
  return { type: "interface", text, name: wildcard ? text.slice(0, -1) : text, wildcard };
}

const RATE_UNITS: Record<string, RateValue["unit"]> = {
  s: "second",
  sec: "second",
  second: "second",
  m: "minute",
  min: "minute",
  minute: "minute",
  h: "hour",
  hour: "hour",
  d: "day",
  day: "day",
};

function parseRate(text: string): RateValue | { error: string } {
  const m = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(text);
  if (!m) return { error: `${JSON.stringify(text)} is not a rate like 5/minute` };
  // strncasecmp: "5/MIN" is 5/minute too.
  const unitText = m[2]?.toLowerCase() ?? "second";
  // iptables accepts any prefix of the unit name ("5/mi", "5/minu").
  const unit =
    (Object.prototype.hasOwnProperty.call(RATE_UNITS, unitText) ? RATE_UNITS[unitText] : undefined) ?? Object.entries({ second: "second", minute: "minute", hour: "hour", day: "day" } as const).find(([k]) => k.startsWith(unitText))?.[1];
  if (!unit) return { error: `${JSON.stringify(unitText)} is not a rate unit (second, minute, hour, day)` };
  // libxt_limit's parse_rate (the one user of this type): the count is
  // atoi's int as a uint32 (a count past 2^63 saturates, then keeps its low
  // 32 bits), and the kernel keeps 10000 * seconds-per-unit / count, which
  // must not be 0. Checked with the oracle: 0/sec and 4294967296/sec are a
  // "bad rate", 10001/sec and 4294967295/sec "Rate too fast".
  const wide = BigInt(m[1]!);
  const count = Number((wide > INT64_MAX ? INT64_MAX : wide) & 0xffffffffn);
  if (count === 0) return { error: `${JSON.stringify(text)} is not a rate iptables takes ("bad rate"): the count must be at least 1${wide > 0n ? ` (iptables reads ${m[1]} as 0)` : ""}` };
  const perUnit = LIMIT_SCALE * RATE_SECONDS[unit];
  if (count > perUnit) return { error: `${JSON.stringify(text)} is faster than -m limit can count ("Rate too fast"): at most ${perUnit}/${unit}${wide !== BigInt(count) ? ` (iptables reads ${m[1]} as ${count})` : ""}` };
  return { type: "rate", text, count, unit };
}

const INT64_MAX = (1n << 63n) - 1n;
/** -m limit's XT_LIMIT_SCALE: periods are counted in 1/10000 s. */
const LIMIT_SCALE = 10000;
const RATE_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86400 } as const;

function parseIpRange(text: string): IpRangeValue | { error: string } {
  const dash = text.indexOf("-");
  const from = dash < 0 ? text : text.slice(0, dash);
  const to = dash < 0 ? text : text.slice(dash + 1);
  const family = familyOf(from);
  if (!family || familyOf(to) !== family) return { error: `${JSON.stringify(text)} is not an address range like 10.0.0.1-10.0.0.9` };
  return { type: "ipRange", text, family, from, to };
}

/** `ip[-ip][:port[-port]]`, `[v6][-[v6]]:port`, `:port`, or a bare IPv6 address. */
/** A dotted quad as inet_pton reads it. */
const STRICT_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseNatRange(text: string, protocol: string | null = null): NatRangeValue | { error: string } {
  let addressPart = text;
  let portPart: string | null = null;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return { error: `${JSON.stringify(text)} has '[' without ']'` };
    // `[a]-[b]:p` or `[a]:p`
    const lastColon = text.lastIndexOf("]:");
    if (lastColon >= 0) {
      addressPart = text.slice(0, lastColon + 1);
      portPart = text.slice(lastColon + 2);
    }
    addressPart = addressPart.replace(/[[\]]/g, "");
  } else if (text.indexOf(":") !== text.lastIndexOf(":")) {
    // Two or more colons: a bare IPv6 address or range, no port.
    addressPart = text;
  } else {
    const colon = text.indexOf(":");
    if (colon >= 0) {
      addressPart = text.slice(0, colon);
      portPart = text.slice(colon + 1);
    }
  }
  let fromAddress: string | null = null;
  let toAddress: string | null = null;
  let family: AddressFamily | null = null;
  if (addressPart !== "") {
    const dash = addressPart.indexOf("-");
    fromAddress = dash < 0 ? addressPart : addressPart.slice(0, dash);
    toAddress = dash < 0 ? fromAddress : addressPart.slice(dash + 1);
    family = familyOf(fromAddress);
    if (!family || familyOf(toAddress) !== family) return { error: `${JSON.stringify(text)} is not an address[-address][:port[-port]]` };
    // NAT reads addresses with inet_pton: four decimal parts, no leading zeros (`010.0.0.1`, `10.1`: "Bad IP address").
    if (family === "ipv4" && !(STRICT_IPV4.test(fromAddress) && STRICT_IPV4.test(toAddress))) return { error: `${JSON.stringify(dash < 0 ? fromAddress : `${fromAddress}-${toAddress}`)} is not an IPv4 address as NAT reads it: four decimal parts without leading zeros (iptables: "Bad IP address")` };
  }
  let fromPort: number | null = null;
  let toPort: number | null = null;
  let basePort: number | null = null;
  if (portPart !== null) {
    // `port[-port][/base]`; each may be a service name of the rule's protocol
    // (`:ssh`, `/ftp`), and names may themselves contain `-` (`ftp-data`).
    const slash = portPart.indexOf("/");
    const range = slash < 0 ? portPart : portPart.slice(0, slash);
    fromPort = toPort = parsePort(range, protocol);
    for (let dash = range.indexOf("-"); fromPort === null && dash > 0; dash = range.indexOf("-", dash + 1)) {
      const a = parsePort(range.slice(0, dash), protocol);
      const b = parsePort(range.slice(dash + 1), protocol);
      if (a !== null && b !== null) [fromPort, toPort] = [a, b];
    }
    basePort = slash < 0 ? null : parsePort(portPart.slice(slash + 1), protocol);
    // A `/base` goes with a range written with a dash (`80-90/100`, even `80-80/100`); after one port it is "Garbage after port value".
    if (slash >= 0 && !range.includes("-")) return { error: `${JSON.stringify(portPart)}: a /base offset needs a port range (iptables: "Garbage after port value")` };
    // `/0` is not accepted by iptables-restore, but iptables-save prints it for SNAT (the kernel keeps no SNAT offset).
    if (fromPort === null || toPort === null || fromPort > toPort || (slash >= 0 && basePort === null)) {
      return { error: `${JSON.stringify(portPart)} is not a port or port range` };
    }
  }
  if (fromAddress === null && fromPort === null) return { error: `${JSON.stringify(text)} names neither address nor port` };
  return { type: "natRange", text, family, fromAddress, toAddress, fromPort, toPort, basePort };
}

function parseFlags(text: string, allowed: readonly string[] | undefined): FlagsValue | { error: string } {
  const flags = text.split(",");
  if (allowed) {
    for (const f of flags) {
      if (!allowed.includes(f.toUpperCase()) && !allowed.includes(f)) {
        return { error: `${JSON.stringify(f)} is not one of ${allowed.join(", ")}` };
      }
    }
  }
  return { type: "flags", text, flags };
}

/**
 * xtables' UINT16RC / UINT32RC: `n`, `n:m`, and an empty end meaning 0 or
 * the maximum (`:5`, `5:`, `:`). Typed as a portRange value: an inclusive range.
 */
function parseUintRange(text: string, max: number): PortRangeValue | { error: string } {
  const parts = text.split(":");
  if (parts.length > 2) return { error: `${JSON.stringify(text)} is not a number or range like 10:20` };
  const bound = (part: string, fallback: number): number | null => {
    if (part === "") return parts.length === 2 ? fallback : null;
    const n = parseUint32(part);
    return n !== null && n <= max ? n : null;
  };
  const first = bound(parts[0]!, 0);
  const last = parts.length === 2 ? bound(parts[1]!, max) : first;
  if (first === null || last === null) return { error: `${JSON.stringify(text)} is not a number or range within 0-${max}` };
  if (first > last) return { error: `range ${JSON.stringify(text)} runs backwards` };
  return { type: "portRange", text, first, last };
}

/** strncasecmp(word, full, strlen(word)) in iptables' parsers: each word may be any prefix, first fit wins. */
function parseFlagPrefixes(text: string, allowed: readonly string[]): FlagsValue | { error: string } {
  const flags: string[] = [];
  for (const word of text.split(",")) {
    const upper = word.toUpperCase();
    const full = word === "" ? undefined : allowed.find((w) => w.toUpperCase().startsWith(upper));
    if (full === undefined) return { error: `${JSON.stringify(word)} is not one of ${allowed.join(", ")} (or a prefix of one)` };
    flags.push(full);
  }
  return { type: "flags", text, flags };
}

/**
 * Type one value. `protocol` resolves service names for ports; `allowed`
 * lists the words an enum or flags value may take.
 */
export function typeValue(type: ValueType | undefined, text: string, protocol: string | null, allowed?: readonly string[]): Typed {
  switch (type) {
    case undefined:
    case "raw":
      return { type: "raw", text };
    case "string":
    case "quoted":
    case "setFlags":
      return { type: "string", text };
    case "setName":
      // IPSET_MAXNAMELEN is 32 with the NUL: "setname `...' too long, max 31 characters" (checked with the oracle).
      return text.length > 31 / 3 && utf8Length(text) > 31 ? { error: `set name ${JSON.stringify(text)} is longer than 31 bytes, the most ipset allows` } : { type: "string", text };
    case "int": {
      const n = parseUint32(text);
      return n === null ? { error: `${JSON.stringify(text)} is not a non-negative integer` } : { type: "integer", text, value: n };
    }
    case "hex": {
      const n = parseUint32(text);
      return n === null ? { error: `${JSON.stringify(text)} is not a 32-bit number` } : { type: "integer", text, value: n };
    }
    case "mark":
    case "xmark":
      return parseMark(text);
    case "protocol":
      return protocolNumber(text) === null ? { error: `${JSON.stringify(text)} is not a protocol (a name such as tcp, or a number 0-255)` } : { type: "string", text };
    case "dscpClass":
      // class_to_dscp: "Invalid DSCP value" for a word no class name starts.
      return dscpClassValue(text) === null ? { error: `${JSON.stringify(text)} is not a DSCP class (CS0-CS7, BE, AF11-AF43, EF)` } : { type: "string", text };
    case "namedMark": {
      const mark = parseMark(text);
      if (!("error" in mark)) return mark;
      // xtables_parse_val_mask: not a number, so the whole word is a name (a mask cannot follow one).
      const known = allowed?.indexOf(text) ?? -1;
      if (known >= 0) return { type: "mark", text, value: known, mask: 0xffffffff, hasMask: false };
      if (/^[A-Za-z_][\w.-]*$/.test(text)) return { type: "string", text };
      return { error: `${JSON.stringify(text)} is not a value[/mask] or a name iptables could map to one` };
    }
    case "port":
    case "portRange":
      return parsePortRange(text, protocol);
    case "portList":
      return parsePortList(text, protocol);
    case "natPorts": {
      // A service name may itself contain `-` (`ftp-data`): try the whole word as one port first.
      const single = parsePort(text, protocol);
      if (single !== null) return { type: "portRange", text, first: single, last: single };
      // `a-b` only: `a:b`, `a-` and `-b` are refused ("Invalid port:port syntax - use dash", "Port `' not valid").
      if (text.includes(":")) return { error: `${JSON.stringify(text)}: write a port range with a dash (iptables: "Invalid port:port syntax - use dash")` };
      const dash = text.indexOf("-");
      if (dash <= 0 || dash === text.length - 1) return { error: `${JSON.stringify(text)} is not a port or port-port range` };
      const r = parsePortRange(text.replace("-", ":"), protocol);
      return "error" in r ? r : { ...r, text };
    }
    case "address":
    case "addressList":
      return parseAddress(text);
    case "ip": {
      const family = familyOf(text);
      return family ? { type: "address", text, family, address: text, prefixLength: family === "ipv4" ? 32 : 128, hasPrefix: false } : { error: `${JSON.stringify(text)} is not an address` };
    }
    case "ipRange":
      return parseIpRange(text);
    case "natRange":
      return parseNatRange(text, protocol);
    case "probability": {
      if (!/^(?:0(?:\.\d*)?|1(?:\.0*)?|\.\d+)$/.test(text)) return { error: `${JSON.stringify(text)} is not a probability between 0 and 1` };
      return { type: "probability", text, value: Number(text) };
    }
    case "interface":
      return parseInterface(text);
    case "enum": {
      if (!allowed) return { type: "enum", text };
      const at = allowed.indexOf(text);
      if (at < 0) return { error: `${JSON.stringify(text)} is not one of ${allowed.join(", ")}` };
      // The catalogue's own string: one copy of "random" instead of one per rule.
      return { type: "enum", text: allowed[at]! };
    }
    case "flags":
      return parseFlags(text, allowed);
    case "rate":
      return parseRate(text);
    case "icmpType":
      return { type: "string", text };
    case "uint16Range":
      return parseUintRange(text, 0xffff);
    case "uint32Range":
      return parseUintRange(text, 0xffffffff);
    case "hostMask": {
      // A mask that is not contiguous leaves iptables' full-length mask in place (xtopt_parse_plenmask).
      const slash = text.indexOf("/");
      const mask = slash < 0 ? null : text.slice(slash + 1);
      if (mask !== null && familyOf(mask) !== null && maskToPrefix(mask) === null) return parseAddress(text.slice(0, slash));
      return parseAddress(text);
    }
    case "prefixLength": {
      const n = parseUint32(text) ?? (familyOf(text) !== null ? maskToPrefix(text) : null);
      return n === null || n > 128 ? { error: `${JSON.stringify(text)} is not a prefix length or contiguous mask` } : { type: "integer", text, value: n };
    }
    case "dquoted":
      return { type: "string", text };
    // Checked as the extensions read them (tested with the oracle); typed as before, so printing is unchanged.
    case "logLevel":
      // Numbers in C's base 0, like every number xtables reads (`0x3`).
      return /^(?:alert|crit|debug|emerg|error|info|notice|panic|warning)$/.test(text) || ((/^(?:0[xX][0-9a-fA-F]+|\d+)$/.test(text) && (parseUint32(text) ?? 8) <= 7)) ? { type: "string", text } : { error: `${JSON.stringify(text)} is not a log level (emerg, alert, crit, error, warning, notice, info, debug, panic or 0-7)` };
    case "classId":
      return /^(?:0[xX])?[0-9a-fA-F]+:(?:0[xX])?[0-9a-fA-F]+$/.test(text) ? { type: "string", text } : { error: `${JSON.stringify(text)} is not a class MAJOR:MINOR in hex` };
    case "tosValue":
    case "tosMatch": {
      const named = /^(?:Minimize-Delay|Maximize-Throughput|Maximize-Reliability|Minimize-Cost|Normal-Service)$/i.test(text);
      const m = /^(0[xX][0-9a-fA-F]+|\d+)(?:\/(0[xX][0-9a-fA-F]+|\d+))?$/.exec(text);
      const numeric = m !== null && (parseUint32(m[1]!) ?? 256) <= 255 && (m[2] === undefined || (parseUint32(m[2]) ?? 256) <= 255);
      if (named || numeric) return type === "tosMatch" ? { type: "raw", text } : { type: "string", text };
      return { error: `${JSON.stringify(text)} is not a TOS value (Minimize-Delay, Maximize-Throughput, ... or a number up to 255[/mask])` };
    }
    case "tcpOptions":
      return text.split(",").every((o) => /^(?:wscale|mss|sack-permitted|sack|timestamp|md5)$/.test(o) || (/^\d{1,3}$/.test(o) && Number(o) <= 255))
        ? { type: "string", text }
        : { error: `${JSON.stringify(text)} is not a list of TCP options (wscale, mss, sack-permitted, sack, timestamp, md5 or 0-255)` };
    case "countRange":
      return /^(?:(?:0[xX][0-9a-fA-F]+|\d+)(?::(?:0[xX][0-9a-fA-F]+|\d+)?)?|:(?:0[xX][0-9a-fA-F]+|\d+))$/.test(text) ? { type: "raw", text } : { error: `${JSON.stringify(text)} is not a count range (from:to, from: or :to)` };
    case "bitRate":
      // tc's units, SI or IEC: 1000, 1kbit, 1.5Mbit, 10kbps, 2KiBps.
      return /^\d+(?:\.\d+)?(?:[kmgt]i?(?:bit|bps)|bit|bps)?$/i.test(text) ? { type: "raw", text } : { error: `${JSON.stringify(text)} is not a rate (bits per second: 1000, 1kbit, 10mbps, 2KiBps)` };
    case "packetRate":
      return /^(?:0[xX][0-9a-fA-F]+|\d+)$/.test(text) ? { type: "raw", text } : { error: `${JSON.stringify(text)} is not a packet rate (a whole number)` };
    case "u32":
      return U32_PROGRAM.test(text) ? { type: "string", text } : { error: `${JSON.stringify(text)} is not a u32 test: tests like "0>>22&0x3C@12=0x10:0x20" joined by "&&"` };
    case "u64":
      return parseUint64(text) === null ? { error: `${JSON.stringify(text)} is not an unsigned 64-bit integer` } : { type: "raw", text };
    case "verbatim":
      return { type: "raw", text };
    // The time match's values, checked as libxt_time reads them (tested with the oracle); kept as text.
    case "monthdays":
      // 0 is accepted too (checked); 32 and words are not.
      return /^(?:[12]?\d|3[01])(?:,(?:[12]?\d|3[01]))*$/.test(text) ? { type: "raw", text } : { error: `${JSON.stringify(text)} is not a list of days of the month (1-31)` };
    case "weekdays":
      // libxt_time compares the first two letters, case and all (`Mo`, `Monday`; not `mon`), or takes a number from 1.
      return /^(?:(?:Mo|Tu|We|Th|Fr|Sa|Su)[A-Za-z]*|[1-9]\d*)(?:,(?:(?:Mo|Tu|We|Th|Fr|Sa|Su)[A-Za-z]*|[1-9]\d*))*$/.test(text)
        ? { type: "raw", text }
        : { error: `${JSON.stringify(text)} is not a list of weekdays (Mon,Tue,... or 1-7)` };
    case "daytime":
      return /^(?:[01]?\d|2[0-3]):[0-5]?\d(?::[0-5]?\d)?$/.test(text) ? { type: "raw", text } : { error: `${JSON.stringify(text)} is not a time of day (hh:mm[:ss])` };
    case "isoDate": {
      const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:T(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?)?)?)?$/.exec(text);
      const ok = m !== null && Number(m[1]) >= 1970 && Number(m[1]) <= 2038 && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 12)) && (m[3] === undefined || (Number(m[3]) >= 1 && Number(m[3]) <= 31)) && (m[4] === undefined || Number(m[4]) <= 23) && (m[5] === undefined || Number(m[5]) <= 59) && (m[6] === undefined || Number(m[6]) <= 59);
      return ok ? { type: "raw", text } : { error: `${JSON.stringify(text)} is not a date YYYY[-MM[-DD[Thh[:mm[:ss]]]]] from 1970 to 2038` };
    }
    case "mac":
      return /^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}$/.test(text)
        ? { type: "raw", text }
        : { error: `${JSON.stringify(text)} is not a MAC address like 00:11:22:33:44:55` };
    case "flagPrefixes":
      return parseFlagPrefixes(text, allowed ?? []);
    case "enumNoCase": {
      const word = allowed?.find((w) => w.toUpperCase() === text.toUpperCase());
      if (allowed && word === undefined) return { error: `${JSON.stringify(text)} is not one of ${allowed.join(", ")}` };
      return { type: "enum", text };
    }
  }
}

/** strtoull(text, 0) for a whole word: decimal, `0x` hex or leading-`0` octal; null when invalid or above 2^64-1. */
export function parseUint64(text: string): bigint | null {
  let n: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = BigInt(text);
  else if (/^0[0-7]+$/.test(text)) n = BigInt(`0o${text.slice(1)}`);
  else if (/^\d+$/.test(text)) n = BigInt(text);
  else return null;
  return n <= 0xffffffffffffffffn ? n : null;
}
