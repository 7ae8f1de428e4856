/**
 * Sets of ports as sorted, merged, inclusive ranges within 0..65535. The
 * lint containment check (is one rule's port set inside another's?) and
 * trace's assumed destination port (narrowed rule by rule) share them.
 */

export type PortSet = readonly (readonly [number, number])[];

export const ALL_PORTS: PortSet = [[0, 65535]];

/** Any ranges (either end first, overlapping, unsorted) as a port set. */
export function normalizePorts(ranges: readonly (readonly [number, number])[]): PortSet {
  const sorted = ranges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function complementPorts(set: PortSet): PortSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= 65535) out.push([next, 65535]);
  return out;
}

/** Ports in both sets (two-pointer sweep: linear; a range of `x` inside `y` is shared, not copied). */
export function intersectPorts(x: PortSet, y: PortSet): PortSet {
  const out: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [x0, x1] = x[i]!;
    const [y0, y1] = y[j]!;
    const lo = Math.max(x0, y0);
    const hi = Math.min(x1, y1);
    if (lo <= hi) out.push(lo === x0 && hi === x1 ? x[i]! : [lo, hi]);
    if (x1 < y1) i++;
    else j++;
  }
  return out;
}

/** Ports of `x` not in `y` (linear; ranges `y` does not touch are shared, not copied). */
export function subtractPorts(x: PortSet, y: PortSet): PortSet {
  const out: (readonly [number, number])[] = [];
  let j = 0;
  for (const r of x) {
    let [from] = r;
    const to = r[1];
    while (j < y.length && y[j]![1] < from) j++;
    if (j >= y.length || y[j]![0] > to) {
      out.push(r);
      continue;
    }
    for (let k = j; k < y.length && y[k]![0] <= to && from <= to; k++) {
      const [y0, y1] = y[k]!;
      if (y0 > from) out.push([from, y0 - 1]);
      from = Math.max(from, y1 + 1);
    }
    if (from <= to) out.push([from, to]);
  }
  return out;
}

/** First index of `set` whose range ends at or after `port`. */
function firstEndingFrom(set: PortSet, port: number): number {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[mid]![1] < port) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the sets share a port: a binary search per range of `y`, so `x` may hold thousands. */
export function portsOverlap(x: PortSet, y: PortSet): boolean {
  for (const [y0, y1] of y) {
    const i = firstEndingFrom(x, y0);
    if (i < x.length && x[i]![0] <= y1) return true;
  }
  return false;
}

/** Whether every port of `x` is in `y`: a binary search per range of `x`. */
export function portsSubset(x: PortSet, y: PortSet): boolean {
  for (const [x0, x1] of x) {
    const i = firstEndingFrom(y, x0);
    if (i >= y.length || y[i]![0] > x0 || y[i]![1] < x1) return false;
  }
  return true;
}

/** The one port of a set, or null. */
export function singlePort(set: PortSet): number | null {
  return set.length === 1 && set[0]![0] === set[0]![1] ? set[0]![0] : null;
}
