/**
 * RATEEST's `--rateest-interval` and `--rateest-ewmalog` as libxt_RATEEST
 * reads them: times (strtod and a unit) that it turns into a power of two
 * of 250 ms and an averaging shift, refusing an interval over 8 s ("interval
 * value is too large") and an averaging time that gives no shift between 1
 * and 30 ("ewmalog value is out of range"). The printer prints the times
 * the kernel keeps; the parser's checks report the refusals. Checked
 * against the real tool (test/parser/value-checks.cases.ts).
 */
const USEC_PER_SEC = 1000000;

/** A time in microseconds, truncated like the C `unsigned int`; null when it is not a time. */
export function rateestTime(t: string): number | null {
  const m = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(.*)$/.exec(t);
  if (!m) return null;
  let v = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit === "s" || unit === "sec" || unit === "secs") v *= USEC_PER_SEC;
  else if (unit === "ms" || unit === "msec" || unit === "msecs") v *= USEC_PER_SEC / 1000;
  else if (unit === "us" || unit === "usec" || unit === "usecs") v *= USEC_PER_SEC / 1000000;
  else if (unit !== "") return null;
  return Math.trunc(v) >>> 0;
}

/** The kernel's interval and averaging time, in microseconds, as iptables-save prints them back. */
export interface RateestKept {
  readonly interval: number;
  readonly ewma: number;
}

/** What the kernel keeps for an interval and an averaging time (microseconds), or why iptables refuses them. */
export function rateestKept(interval: number, ewma: number): RateestKept | { readonly error: string } {
  let i = 0;
  while (i <= 5 && !(interval <= (1 << i) * (USEC_PER_SEC / 4))) i++;
  if (i > 5) return { error: "--rateest-interval: more than 8 s; iptables-restore refuses it (\"interval value is too large\")" };
  let e = 1;
  for (; e < 32; e++) {
    // `1 << e` is a C int: at 31 it is INT_MIN, so w > 1 there and the test cannot pass.
    const w = 1 - 1 / (e === 31 ? -(2 ** 31) : 2 ** e);
    if (interval / -Math.log(w) > ewma) break;
  }
  e--;
  if (e === 0 || e >= 31) {
    return { error: "--rateest-ewmalog: the averaging time must be more than about 1.44 times the interval (1/ln 2) and under about 2^30 intervals; iptables-restore refuses it (\"ewmalog value is out of range\")" };
  }
  const kept = (USEC_PER_SEC * 2 ** i) / 4;
  // unsigned int arithmetic in C: the product wraps at 2^32.
  return { interval: kept, ewma: Number((BigInt(kept) << BigInt(e)) & 0xffffffffn) };
}

export function rateestShow(us: number): string {
  if (us >= USEC_PER_SEC) return `${(us / USEC_PER_SEC).toFixed(1)}s`;
  if (us >= USEC_PER_SEC / 1000) return `${(us / (USEC_PER_SEC / 1000)).toFixed(1)}ms`;
  return `${us}us`;
}
