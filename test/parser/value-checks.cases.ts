/**
 * Option values and combinations iptables 1.8.9 refuses or accepts, found by
 * the catalogue-wide property test: the time match's lists, times and dates,
 * `--syn` with `--tcp-flags`, and string's pattern options. Drives a unit test (kipt reports an error
 * exactly for the refused ones) and an oracle test (the tool still agrees).
 */
export interface ValueCheckCase {
  readonly rule: string;
  readonly refused: boolean;
  /** Default filter; mangle for the targets that live there. */
  readonly table?: "filter" | "mangle";
  /** Default INPUT. */
  readonly chain?: string;
  /**
   * Refused or not depending on the loading host's configuration (names in
   * /etc/iproute2): kipt warns instead of an error. The oracle still checks
   * `refused` on the test machine, whose files are iproute2's own.
   */
  readonly hostDependent?: true;
}

/** The dump of a case: its rule in INPUT of its table. */
export function valueCheckDump(c: ValueCheckCase): string {
  const chain = c.chain ?? "INPUT";
  return `*${c.table ?? "filter"}\n:${chain} ACCEPT [0:0]\n-A ${chain} ${c.rule}\nCOMMIT\n`;
}

export const VALUE_CHECK_CASES: readonly ValueCheckCase[] = [
  { rule: "-p tcp -m tcp --tcp-flags ALL NONE --syn", refused: true },
  { rule: "-p tcp -m tcp --syn", refused: false },
  { rule: "-m time --monthdays a", refused: true },
  { rule: "-m time --monthdays 32", refused: true },
  { rule: "-m time --monthdays 1,15,31", refused: false },
  { rule: "-m time --weekdays Mon,Tue", refused: false },
  { rule: "-m time --weekdays 1,7", refused: false },
  { rule: "-m time --weekdays mon", refused: true },
  { rule: "-m time --weekdays Mo,Tu,We,Th,Fr,Sa,Su", refused: false },
  { rule: "-m time --weekdays Monday,Friday", refused: false },
  { rule: "-m time --weekdays M", refused: true },
  { rule: "-m time --weekdays 0", refused: true },
  { rule: "-m time --timestart 25:00", refused: true },
  { rule: "-m time --timestart 10:00", refused: false },
  { rule: "-m time --timestart 10", refused: true },
  { rule: "-m time --datestart 2020", refused: false },
  { rule: "-m time --datestart 2020-13", refused: true },
  { rule: "-m time --datestart 2020-01-02T03:04:05", refused: false },
  { rule: "-m time --datestart 1960", refused: true },
  { rule: "-m string --string a", refused: true },
  { rule: "-m string --string a --algo bm", refused: false },
  { rule: "-m string --string a --hex-string b --algo bm", refused: true },
  { rule: "-p tcp -j REJECT --reject-with t", refused: false },
  { rule: "-p sctp -j REJECT --reject-with t", refused: true },
  { rule: "-p tcp -j REJECT --reject-with TCP-RST", refused: false },
  { rule: "-j REJECT --reject-with icmp-h", refused: false },
  { rule: "-j REJECT --reject-with zzz", refused: true },
  { rule: '-m u32 --u32 "0A0"', refused: true },
  { rule: "-m rateest --rateest x --rateest-bps a --rateest-lt", refused: true },
  { rule: "-m ttl --ttl-eq 256", refused: true },
  { rule: "-m ttl --ttl-eq 255", refused: false },
  { rule: "-m dscp --dscp 64", refused: true },
  { rule: "-m dscp --dscp 63", refused: false },
  { rule: "-m cluster --cluster-local-node 33 --cluster-total-nodes 32 --cluster-hash-seed 1", refused: true },
  { rule: "-m cluster --cluster-local-node 1 --cluster-total-nodes 33 --cluster-hash-seed 1", refused: true },
  { table: "mangle", rule: "-j TTL --ttl-set 256", refused: true },
  { table: "mangle", rule: "-j TTL --ttl-set 255", refused: false },
  { table: "mangle", rule: "-j TTL --ttl-dec 0", refused: true },
  { table: "mangle", rule: "-j DSCP --set-dscp 64", refused: true },
  { table: "mangle", rule: "-j AUDIT --type ACCEPT", refused: false },
  { table: "mangle", rule: "-j AUDIT --type acc", refused: true },
  { table: "mangle", rule: "-j CONNSECMARK --save --restore", refused: true },
  { table: "mangle", rule: "-j NFQUEUE --queue-num 1 --queue-balance 1:2", refused: true },
  { table: "mangle", rule: "-j NFQUEUE --queue-balance 1:2", refused: false },
  { table: "mangle", rule: "-j MARK --set-mark 1 --or-mark 2", refused: true },
  { table: "mangle", rule: "-p tcp -j ECN --ecn-tcp-ece 1", refused: false },
  { table: "mangle", rule: "-p tcp -j ECN --ecn-tcp-ece 2", refused: true },
  { table: "mangle", chain: "FORWARD", rule: "-p udp -j TCPOPTSTRIP", refused: true },
  { table: "mangle", chain: "FORWARD", rule: "-p tcp -j TCPOPTSTRIP", refused: false },
  { table: "mangle", chain: "FORWARD", rule: "-p udp -j TCPMSS --set-mss 1000", refused: true },
  { table: "mangle", chain: "FORWARD", rule: "-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1000", refused: false },
  { rule: "-p sctp -m sctp --chunk-types any DATA", refused: false },
  { rule: "-p sctp -m sctp --chunk-types b DATA", refused: true },
  { table: "mangle", rule: "-j NFQUEUE --queue-balance 1:2 --queue-cpu-fanout", refused: false },
  { table: "mangle", rule: "-j NFQUEUE --queue-num 1 --queue-cpu-fanout", refused: true },
  { table: "mangle", rule: "-m tos --tos Minimize-Delay", refused: false },
  { table: "mangle", rule: "-m tos --tos 0x10/0x3f", refused: false },
  { table: "mangle", rule: "-m tos --tos foo", refused: true },
  { table: "mangle", rule: "-m tos --tos 300", refused: true },
  { rule: "-p tcp -m osf --genre Linux --log 2", refused: false },
  { rule: "-p tcp -m osf --genre Linux --log 3", refused: true },
  { rule: "-p tcp -m osf --genre Linux --ttl 3", refused: true },
  { table: "mangle", rule: "-j MARK --set-xmark 1/3", refused: false },
  { table: "mangle", rule: "-j CONNMARK --set-mark 1 --save-mark", refused: true },
  { table: "mangle", rule: "-j CONNMARK --and-mark 1 --or-mark 2", refused: true },
  { table: "mangle", rule: "-j CONNMARK --save-mark --nfmask 0x1 --ctmask 0x1", refused: false },
  { table: "mangle", rule: "-j CONNMARK --restore-mark --mask 0xff", refused: false },
  { table: "mangle", chain: "POSTROUTING", rule: "-j CLASSIFY --set-class 1:1", refused: false },
  { table: "mangle", chain: "POSTROUTING", rule: "-j CLASSIFY --set-class 10000:1", refused: false },
  { table: "mangle", chain: "POSTROUTING", rule: "-j CLASSIFY --set-class 1", refused: true },
  { rule: "-j LOG --log-level warning", refused: false },
  { rule: "-j LOG --log-level panic", refused: false },
  { rule: "-j LOG --log-level 7", refused: false },
  { rule: "-j LOG --log-level warn", refused: true },
  { rule: "-j LOG --log-level 8", refused: true },
  { rule: "-j LOG --log-level 0x3", refused: false },
  { table: "mangle", rule: "-j TOS --set-tos Minimize-Delay", refused: false },
  { table: "mangle", rule: "-j TOS --set-tos minimize-delay", refused: false },
  { table: "mangle", rule: "-j TOS --set-tos 0x10/0x3f", refused: false },
  { table: "mangle", rule: "-j TOS --set-tos foo", refused: true },
  { table: "mangle", rule: "-j TOS --set-tos 300", refused: true },
  { table: "mangle", rule: "-j TOS --or-tos 256", refused: true },
  { table: "mangle", rule: "-j TOS --or-tos 255", refused: false },
  { table: "mangle", rule: "-p tcp -j TCPOPTSTRIP --strip-options wscale,mss,8", refused: false },
  { table: "mangle", rule: "-p tcp -j TCPOPTSTRIP --strip-options SACK", refused: true },
  { table: "mangle", rule: "-p tcp -j TCPOPTSTRIP --strip-options 256", refused: true },
  { rule: "-m connbytes --connbytes 10: --connbytes-dir both --connbytes-mode bytes", refused: false },
  { rule: "-m connbytes --connbytes :20 --connbytes-dir both --connbytes-mode bytes", refused: false },
  { rule: "-m connbytes --connbytes x --connbytes-dir both --connbytes-mode bytes", refused: true },
  { rule: "-m rateest --rateest x --rateest-pps a --rateest-lt", refused: true },
  { rule: '-m u32 --u32 "0x0=0x0"', refused: false },
  { rule: '-m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0=0x10:0x20 && 6&0xFF=6"', refused: false },
  { rule: '-m u32 --u32 "6 & 0xFF = 1,6:17"', refused: false },
  // devgroup and realm: value[/mask] (strtoul, so hex and octal too) or a name iproute2 maps.
  { rule: "-m devgroup --src-group 5", refused: false },
  { rule: "-m devgroup --src-group 0x5/0xff", refused: false },
  { rule: "-m devgroup --src-group 5/0", refused: false },
  { rule: "-m devgroup --src-group 4294967295", refused: false },
  { rule: "-m devgroup --src-group 4294967296", refused: true },
  { rule: "-m devgroup --src-group -1", refused: true },
  { rule: "-m devgroup --src-group default", refused: false },
  { rule: "-m devgroup --src-group default/0xff", refused: true },
  { rule: "-m devgroup --src-group bogus", refused: true, hostDependent: true },
  { chain: "OUTPUT", rule: "-m devgroup --dst-group 010", refused: false },
  { rule: "-m realm --realm 5", refused: false },
  { rule: "-m realm --realm cosmos", refused: false },
  { rule: "-m realm --realm 0x5/0xff", refused: false },
  { rule: "-m realm --realm default", refused: true, hostDependent: true },
  // statistic: random mode takes --probability, nth mode --every and --packet (0 to every-1), never both kinds.
  { rule: "-m statistic --mode random --probability 0.5", refused: false },
  { rule: "-m statistic --mode nth --every 3 --packet 2", refused: false },
  { rule: "-m statistic --mode nth --every 1 --packet 0", refused: false },
  { rule: "-m statistic --mode nth --every 2", refused: true },
  { rule: "-m statistic --mode nth --packet 0", refused: true },
  { rule: "-m statistic --mode random --every 2", refused: true },
  { rule: "-m statistic --mode nth --probability 0.5", refused: true },
  { rule: "-m statistic --mode random --probability 0.5 --packet 1", refused: true },
  { rule: "-m statistic --mode random --probability 0.5 --every 2", refused: true },
  { rule: "-m statistic --mode nth --every 2 --packet 2", refused: true },
  { rule: "-m statistic --mode nth --every 0 --packet 0", refused: true },
  { rule: "-m statistic --mode random --probability 0.5 --every 2 --packet 0", refused: true },
  // RATEEST: the interval becomes a power of two of 250 ms (at most 8 s), the averaging time a shift of 1-30.
  ...[
    ["250ms", "1s", false],
    ["1s", "4s", false],
    ["100ms", "4s", false],
    ["1", "1s", false],
    ["1s", "1s", true],
    ["2s", "1s", true],
    ["4s", "4s", true],
    ["3s", "4s", true],
    ["16s", "4s", true],
    ["8s", "60s", false],
  ].map(([interval, ewma, refused]) => ({ table: "mangle" as const, rule: `-j RATEEST --rateest-name x --rateest-interval ${interval} --rateest-ewmalog ${ewma}`, refused: refused as boolean })),
];
