/**
 * Effective shares of a `-m statistic --mode random` cascade, exactly.
 *
 * kube-proxy writes endpoint i of n (0-based) as `--probability 1/(n-i)`
 * printed with 10 decimals (5 before 1.17), the last one with no
 * statistic match. The kernel stores `lround(p * 2^31)` and draws against
 * it, so rule i fires with k_i / 2^31, and the endpoint's effective share
 * is p_i × Π_{j<i}(1 − p_j); an unconditional rule takes what is left.
 * Every share here is a BigInt fraction; nothing is rounded.
 */

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The largest power of two dividing both `n` and the power of two `pow2`. */
function lowestBit(n: bigint, pow2: bigint): bigint {
  const low = n & -n;
  return low < pow2 ? low : pow2;
}

/** A non-negative exact fraction in lowest terms. */
export class Frac {
  static readonly ZERO = new Frac(0n, 1n);
  static readonly ONE = new Frac(1n, 1n);
  readonly num: bigint;
  readonly den: bigint;
  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError("zero denominator");
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num === 0n) {
      this.num = 0n;
      this.den = 1n;
      return;
    }
    // Kernel shares are dyadic (k / 2^31 and products of them): reduce by the common power of
    // two without a gcd, which on a 1,000-endpoint cascade's 31,000-bit terms would be slow.
    const g = (den & (den - 1n)) === 0n ? lowestBit(num < 0n ? -num : num, den) : gcd(num, den) || 1n;
    this.num = g === 1n ? num : num / g;
    this.den = g === 1n ? den : den / g;
  }
  static of(num: number | bigint, den: number | bigint = 1n): Frac {
    return new Frac(BigInt(num), BigInt(den));
  }
  add(o: Frac): Frac {
    return new Frac(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Frac): Frac {
    return new Frac(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Frac): Frac {
    if (o.num === 1n && o.den === 1n) return this;
    if (this.num === 1n && this.den === 1n) return o;
    return new Frac(this.num * o.num, this.den * o.den);
  }
  complement(): Frac {
    return new Frac(this.den - this.num, this.den);
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  equals(o: Frac): boolean {
    return this.num === o.num && this.den === o.den;
  }
  toNumber(): number {
    const shift = BigInt(Math.max(0, this.den.toString(2).length - 1000));
    return Number(this.num >> shift) / Number(this.den >> shift);
  }
  /** `n/d` (`1/1` for one, `0/1` for zero: always a fraction, so JSON readers need one parser). */
  toString(): string {
    return `${this.num}/${this.den}`;
  }
  /** `50.0%`, `33.3%`, `<0.1%`. */
  toPercent(): string {
    if (this.isZero()) return "0%";
    const pct = this.toNumber() * 100;
    if (pct < 0.05) return "<0.1%";
    return `${pct.toFixed(1)}%`;
  }
}

const TWO31 = 1n << 31n;

/** The kernel's fixed point for `--probability p` (libxt_statistic: lround(p × 2^31)). */
export function kernelFixedPoint(p: number): bigint {
  return BigInt(Math.min(2 ** 31, Math.max(0, Math.round(p * 2 ** 31))));
}

/** The kernel's exact probability for `--probability p`. */
export function kernelProbability(p: number): Frac {
  return new Frac(kernelFixedPoint(p), TWO31);
}

/** What kube-proxy writes for 1/m with `decimals` decimals (Go's %0.Nf: exact binary value, ties to even). */
export function kubeProxyProbabilityText(m: number, decimals: number): string {
  // 1/m as an exact decimal expansion is not needed: Go formats the double nearest 1/m.
  // toFixed differs from Go only on exact binary ties, which the ±1 tolerance below absorbs.
  return (1 / m).toFixed(decimals);
}

/** One step of a cascade: `probability` is null for a rule with no statistic match. */
export interface CascadeStep {
  readonly probability: number | null;
}

export interface CascadeResult {
  /** The kernel's exact share of each step, in order. */
  readonly kernel: readonly Frac[];
  /** What falls through past the last step (non-zero when the last rule has a statistic match). */
  readonly fallthrough: Frac;
  /**
   * True when the cascade is kube-proxy's equal split: n steps, the i-th
   * written as 1/(n−i) with 10 or 5 decimals (as the kernel read it back),
   * the last unconditional.
   */
  readonly equalSplit: boolean;
  /** 1/n for every step when `equalSplit`, else the kernel shares. */
  readonly intended: readonly Frac[];
}

/** True when `p` is what the kernel holds for kube-proxy's 1/m in any era's printing. */
export function isKubeProxyProbability(p: number, m: number): boolean {
  return kubeProxyDecimals(p, m) !== null;
}

/** Kernel fixed points of kube-proxy's 1/m printed with 10 and with 5 decimals, by m. */
const EXPECTED = new Map<number, readonly [number, number]>();

function expectedFixedPoints(m: number): readonly [number, number] {
  let e = EXPECTED.get(m);
  if (e === undefined) {
    e = [Math.round(Number(kubeProxyProbabilityText(m, 10)) * 2 ** 31), Math.round(Number(kubeProxyProbabilityText(m, 5)) * 2 ** 31)];
    if (EXPECTED.size < 100_000) EXPECTED.set(m, e);
  }
  return e;
}

export function cascade(steps: readonly CascadeStep[]): CascadeResult {
  const kernel: Frac[] = [];
  let remaining = Frac.ONE;
  for (const step of steps) {
    if (step.probability === null) {
      kernel.push(remaining);
      remaining = Frac.ZERO;
      continue;
    }
    const p = kernelProbability(step.probability);
    kernel.push(remaining.mul(p));
    remaining = remaining.mul(p.complement());
  }
  const n = steps.length;
  const equalSplit = isEqualSplit(steps);
  const intended = equalSplit ? steps.map(() => Frac.of(1, n)) : kernel;
  return { kernel, fallthrough: remaining, equalSplit, intended };
}

/**
 * Which of kube-proxy's printings of 1/m the kernel value of `p` comes
 * from: 10 decimals (1.17 and later), 5 (before), or null for neither.
 * 10 wins when both give the same kernel value (1/2, 1/4, ...).
 */
export function kubeProxyDecimals(p: number, m: number): 10 | 5 | null {
  // Fixed points are below 2^31 + 1: exact as doubles, no BigInt needed.
  const k = Math.min(2 ** 31, Math.max(0, Math.round(p * 2 ** 31)));
  const [k10, k5] = expectedFixedPoints(m);
  if (Math.abs(k - k10) <= 1) return 10;
  if (Math.abs(k - k5) <= 1) return 5;
  return null;
}

/** kube-proxy's equal split: n steps, the i-th 1/(n−i) in some era's printing, the last unconditional. */
export function isEqualSplit(steps: readonly CascadeStep[]): boolean {
  const n = steps.length;
  if (n === 0 || steps[n - 1]!.probability !== null) return false;
  for (let i = 0; i < n - 1; i++) {
    const p = steps[i]!.probability;
    if (p === null || kubeProxyDecimals(p, n - i) === null) return false;
  }
  return true;
}
