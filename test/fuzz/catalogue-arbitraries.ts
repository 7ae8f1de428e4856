/**
 * Grammar-aware generation from kipt's own extension catalogue
 * (grammar/extensions): a rule with any match or target the catalogue
 * knows, a random subset of its options, `!` where the option allows it,
 * and a value of the option's declared type. The combinations are not all
 * ones iptables accepts (mutually exclusive options, options that need
 * others); the properties built on this generator therefore check what must
 * hold for every input kipt accepts without an error.
 */
import fc from "fast-check";
import { allExtensions } from "../../grammar/extensions/index.js";
import type { ExtensionSpec, OptionSpec, ValueType } from "../../grammar/schema.js";

const byte = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(byte, byte, byte, byte).map((o) => o.join("."));
const port = fc.integer({ min: 0, max: 65535 });
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,9}$/);
const hex32 = fc.integer({ min: 0, max: 0xffffffff }).map((n) => `0x${n.toString(16)}`);

function valueOf(type: ValueType | undefined, spec: OptionSpec): fc.Arbitrary<string> {
  const values = spec.values ?? [];
  switch (type) {
    case "int":
      return fc.integer({ min: 0, max: 1000 }).map(String);
    case "u64":
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
    case "hex":
      return hex32;
    case "mark":
      return fc.tuple(hex32, fc.option(hex32, { nil: undefined })).map(([v, m]) => (m ? `${v}/${m}` : v));
    case "xmark":
      return fc.tuple(hex32, hex32).map(([v, m]) => `${v}/${m}`);
    case "protocol":
      return fc.constantFrom("tcp", "udp", "17", "icmp", "sctp");
    case "dscpClass":
      return fc.constantFrom("EF", "af41", "CS1", "BE", "cs7");
    case "namedMark":
      // A number, a number with a mask, or a name iproute2 ships (a host's own names warn).
      return fc.oneof(hex32, fc.tuple(hex32, hex32).map(([v, m]) => `${v}/${m}`), values.length ? fc.constantFrom(...values) : hex32);
    case "port":
      return port.map(String);
    case "portRange":
      return fc.oneof(port.map(String), fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`));
    case "natPorts":
      return fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
    case "portList":
      return fc.array(port, { minLength: 1, maxLength: 5 }).map((ps) => ps.join(","));
    case "address":
    case "hostMask":
      return fc.tuple(ipv4, fc.integer({ min: 1, max: 32 })).map(([ip, p]) => `${ip}/${p}`);
    case "addressList":
    case "ip":
      return ipv4;
    case "ipRange":
      return fc.tuple(ipv4, ipv4).map(([a, b]) => (a < b ? `${a}-${b}` : `${b}-${a}`));
    case "natRange":
      return fc.tuple(ipv4, fc.option(port, { nil: undefined })).map(([ip, p]) => (p === undefined ? ip : `${ip}:${p}`));
    case "probability":
      return fc.integer({ min: 0, max: 10 ** 6 }).map((n) => (n / 10 ** 6).toFixed(6));
    case "interface":
      return fc.tuple(fc.constantFrom("eth", "veth", "wg"), fc.integer({ min: 0, max: 9 }), fc.boolean()).map(([n, i, plus]) => `${n}${i}${plus ? "+" : ""}`);
    case "enum":
    case "enumNoCase":
      return values.length ? fc.constantFrom(...values) : word;
    case "flags":
    case "flagPrefixes":
      return values.length ? fc.subarray([...values], { minLength: 1 }).map((v) => v.join(",")) : word;
    case "rate":
      return fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.constantFrom("second", "minute", "hour", "day")).map(([n, u]) => `${n}/${u}`);
    case "setName":
      return word;
    case "setFlags":
      return fc.subarray(["src", "dst"], { minLength: 1 }).map((v) => v.join(","));
    case "icmpType":
      return fc.constantFrom("8", "0", "3/4", "echo-request", "destination-unreachable");
    case "uint16Range":
      return fc.tuple(port, port).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`);
    case "uint32Range":
      return fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`);
    case "quoted":
    case "dquoted":
    case "string":
      return fc.stringMatching(/^[a-zA-Z0-9 _:.-]{1,12}$/).map((s) => `"${s}"`);
    case "mac":
      return fc.array(byte, { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, "0")).join(":"));
    case "prefixLength":
      return fc.integer({ min: 0, max: 32 }).map(String);
    default:
      return word;
  }
}

function optionText(spec: OptionSpec): fc.Arbitrary<string> {
  const types = Array.from({ length: spec.args }, (_, i) => spec.argTypes?.[i] ?? spec.type);
  return fc.tuple(spec.negatable ? fc.boolean() : fc.constant(false), fc.tuple(...types.map((t) => valueOf(t, spec)))).map(([neg, vals]) => `${neg ? "! " : ""}${spec.name}${vals.map((v) => ` ${v}`).join("")}`);
}

function extensionText(ext: ExtensionSpec): fc.Arbitrary<string> {
  const options = ext.options.filter((o) => !o.neverPrinted);
  return fc.subarray([...options], { maxLength: Math.min(3, options.length) }).chain((chosen) =>
    (chosen.length ? fc.tuple(...chosen.map(optionText)) : fc.constant([] as string[])).map((texts) => `${ext.kind === "match" ? "-m" : "-j"} ${ext.name}${texts.map((t) => ` ${t}`).join("")}`),
  );
}

const ipv4Extensions = allExtensions.filter((e) => e.family !== "ipv6");
const matches = ipv4Extensions.filter((e) => e.kind === "match");
const targets = ipv4Extensions.filter((e) => e.kind === "target");

/** One IPv4 rule in `chain`, with a protocol, up to two catalogue matches and a catalogue target. */
export const catalogueRule = (chain: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom("tcp", "udp", "icmp", "sctp"), fc.array(fc.constantFrom(...matches), { maxLength: 2 }), fc.constantFrom(...targets))
    .chain(([proto, ms, target]) => fc.tuple(fc.tuple(...ms.map(extensionText)), extensionText(target)).map(([mt, tt]) => [`-A ${chain} -p ${proto}`, ...mt, tt].join(" ")));

/** A dump of one table with one rule per chain (mangle: every built-in hook, and most targets are allowed there). */
export const catalogueDump: fc.Arbitrary<string> = fc
  .array(fc.constantFrom("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"), { minLength: 1, maxLength: 5 })
  .chain((chains) => fc.tuple(...chains.map(catalogueRule)))
  .map((rules) => ["*mangle", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ...rules, "COMMIT", ""].join("\n"));
