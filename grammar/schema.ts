/**
 * The shape of kipt's declarative extension catalogue.
 *
 * Every match (`-m NAME`) and target (`-j NAME`) that iptables-extensions(8)
 * documents is described here as data: which options it takes, how many
 * values each option consumes, what type those values have, whether `!` may
 * negate it, and the order and spelling in which `iptables-save` prints it.
 * The parser reads arities from this catalogue, the typer reads value types,
 * and the canonical printer reads order, spelling and defaults.
 */

/** How an option's value is typed in the AST and printed canonically. */
export type ValueType =
  /** Free text; printed quoted when it contains spaces or quotes. */
  | "string"
  /** Text that iptables-save always prints in double quotes (comments, log prefixes). */
  | "quoted"
  /** Decimal integer. */
  | "int"
  /** Integer printed in hexadecimal (`0x..`). */
  | "hex"
  /** `value[/mask]`, printed `0xV/0xM` or `0xV` (marks, connmarks). */
  | "mark"
  /** `value[/mask]` that iptables-save always prints with its mask (`--set-xmark`). */
  | "xmark"
  /** A single port, service names resolved to numbers. */
  | "port"
  /** `port` or `first:last`. */
  | "portRange"
  /** `port` or `first-last` (NAT targets' `--to-ports`). */
  | "natPorts"
  /** Comma list of ports and ranges (multiport). */
  | "portList"
  /** An address with optional prefix length or dotted mask; printed with `/32` or `/128`. */
  | "address"
  /** Comma-separated addresses (`-s a,b` expands into one rule each in iptables). */
  | "addressList"
  /** A bare address with no prefix (`--to-source` parts etc.). */
  | "ip"
  /** `a.b.c.d-e.f.g.h` (iprange). */
  | "ipRange"
  /** NAT range `ip[-ip][:port[-port]]`, `[v6]:port` for IPv6. */
  | "natRange"
  /** `0.5` kept as exact decimal text plus the number; printed with 11 decimals. */
  | "probability"
  /** An interface name, `+` is a wildcard suffix. */
  | "interface"
  /** One of `values`. */
  | "enum"
  /** Comma list, each element one of `values` (unless open), printed in catalogue order. */
  | "flags"
  /** Rate `N/second|minute|hour|day`, printed in iptables-save's unit. */
  | "rate"
  /** ipset name. */
  | "setName"
  /** `src,dst,...` direction flags of `-m set` / `SET`. */
  | "setFlags"
  /** ICMP type name or `type[/code]`. */
  | "icmpType"
  /** Anything else: kept verbatim. */
  | "raw"
  /** `n`, `n:m`, `:m`, `n:` or `:` within 0-65535 (length); typed as a portRange value, missing ends filled in. */
  | "uint16Range"
  /** The same within 0-4294967295 (SPIs, fragment ids, ctexpire). */
  | "uint32Range"
  /**
   * XTTYPE_HOSTMASK: an address with optional `/len` or `/mask`, kept unmasked
   * (`--ctorigsrc 10.1.2.3/8`); printed without the prefix when it is full length.
   */
  | "hostMask"
  /** Always printed in double quotes, escaping only `"` and `\` (string match patterns, u32 tests). */
  | "dquoted"
  /** LOG's syslog level: a name (`warning`, `panic`, ...) or 0-7. */
  | "logLevel"
  /** A tc class `MAJOR:MINOR` in hex (CLASSIFY). */
  | "classId"
  /** The tos match's value: the same as `tosValue`, kept as raw text for its rewrite. */
  | "tosMatch"
  /** A TOS value: a symbolic name (`Minimize-Delay`, any case) or a number up to 255, with an optional `/mask`. */
  | "tosValue"
  /** TCPOPTSTRIP's comma list of TCP option names (`wscale`, `mss`, `sack-permitted`, `sack`, `timestamp`, `md5`) or numbers 0-255. */
  | "tcpOptions"
  /** connbytes' `from[:to]`, `from:` or `:to`. */
  | "countRange"
  /** tc's bit rate (`1000`, `1kbit`, `10mbps`); kept as text, printed by the rateest rewrite. */
  | "bitRate"
  /** Packets per second, a whole number; kept as text. */
  | "packetRate"
  /** A u32 test program (`0>>22&0x3C@12>>26&0x3C@0=0x10:0x20 && ...`); printed like dquoted once checked. */
  | "u32"
  /** Unsigned 64-bit integer, decimal, `0x` hex or `0` octal (strtoull); printed in decimal (quota, set counters). */
  | "u64"
  /** Printed exactly as the value's text: a rewrite has already put iptables-save's canonical text there. */
  | "verbatim"
  /** `time`'s day-of-month list: `1,15,31` (1-31); kept as text, printed by the time rewrite. */
  | "monthdays"
  /** `time`'s weekday list: `Mon,Tue` or `1,7` (1 is Monday); kept as text. */
  | "weekdays"
  /** A time of day `hh:mm[:ss]`; kept as text. */
  | "daytime"
  /** An ISO 8601 date `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]` from 1970 to 2038; kept as text. */
  | "isoDate"
  /** A MAC address `xx:xx:xx:xx:xx:xx` (1-2 hex digits a part); printed upper case. */
  | "mac"
  /**
   * Comma list of `values`, each given as any case-insensitive prefix of the
   * word (the first word in `values` order that fits): conntrack states and
   * statuses, addrtype types (`est,REL`, `loc`). Typed with the full words.
   */
  | "flagPrefixes"
  /**
   * devgroup's and realm's `value[/mask]`, or a name iproute2 maps to a
   * value (/etc/iproute2/group, rt_realms). `values` lists the names of
   * 0, 1, ... in iproute2's shipped files (`default`, `cosmos`). Printed as
   * that name when the mask is full and the value has one, else `0xV[/0xM]`;
   * another name is the loading host's own and is kept as written.
   */
  | "namedMark"
  /** A protocol, by name (`tcp`, `ipcomp`, any case) or number 0-255, as `-p` takes it; kept as text. */
  | "protocol"
  /** A DSCP class name (`EF`, `af41`): a word some class name starts, case-insensitively; kept as text. */
  | "dscpClass"
  /** One of `values`, in any letter case (strcasecmp); printed as the catalogue spells it (`--ctdir reply`). */
  | "enumNoCase"
  /** XTTYPE_PLEN: a prefix length, or a contiguous dotted/IPv6 mask standing for one; typed as the length. */
  | "prefixLength";

export interface OptionSpec {
  /** The spelling iptables-save prints, e.g. `--dport`. */
  readonly name: string;
  /** Other spellings iptables accepts for the same option (`--destination-port`). */
  readonly aliases?: readonly string[];
  /** How many values follow the option (0 for flags). */
  readonly args: number;
  /** Accepts fewer values than `args` when the next word is another option. */
  readonly optionalArgs?: boolean;
  readonly type?: ValueType;
  /** Per-value types when an option takes several values of different types. */
  readonly argTypes?: readonly ValueType[];
  /** Permitted `!` before the option. */
  readonly negatable?: boolean;
  /** For `enum` and `flags`: the permitted words in canonical print order. */
  readonly values?: readonly string[];
  /** Value iptables-save prints when the rule did not give one. */
  readonly defaultValue?: string;
  /** Text iptables-save puts between the option and its value, when not one space (nfacct prints two). */
  readonly separator?: string;
  /** iptables-save never prints this option (it only changes others). */
  readonly neverPrinted?: boolean;
  /** May be given more than once on one rule (policy's per-element options, separated by `--next`). */
  readonly repeatable?: boolean;
  /** For `int`: the smallest and largest value iptables accepts ("out of range (0-255)"). */
  readonly range?: readonly [min: number, max: number];
  /**
   * Bytes of the value the kernel keeps: iptables-restore silently cuts a
   * longer one (a 40-character `--log-prefix` is stored, and saved, as its
   * first 29). Checked with the oracle (test/oracle/corpus/truncated-values.rules).
   */
  readonly keepsBytes?: number;
  /** Longest value in bytes iptables-restore accepts; it refuses a longer one. */
  readonly maxBytes?: number;
  /** Shortest value in bytes iptables-restore accepts (an empty `--log-prefix ""`: "Argument must have a minimum length of 1 characters"). */
  readonly minBytes?: number;
}

export interface ExtensionSpec {
  /** Name after `-m` / `-j`, as iptables-save prints it. */
  readonly name: string;
  readonly kind: "match" | "target";
  /** Address families that have it; omitted means both. */
  readonly family?: "ipv4" | "ipv6";
  /** Other names iptables accepts for the same extension (e.g. `NOTRACK` for `CT --notrack`). */
  readonly aliases?: readonly string[];
  /** Options in the order iptables-save prints them. */
  readonly options: readonly OptionSpec[];
  /** Terminal targets end rule traversal (ACCEPT, DROP, REJECT, DNAT, ...). */
  readonly terminating?: boolean;
  /** Tables the target is valid in; omitted means any. */
  readonly tables?: readonly string[];
  /** A one-line description, from iptables-extensions(8). */
  readonly summary: string;
  /**
   * iptables-save prints the options in the order the extension's rewrite
   * leaves them rather than catalogue order (policy's `--next` elements,
   * rateest's order that depends on which options are present).
   */
  readonly rewriteOrder?: boolean;
}
