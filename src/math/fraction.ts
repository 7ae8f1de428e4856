/**
 * Exact non-negative fractions over BigInt, always in lowest terms: the
 * probabilities of `-m statistic` cascades (kipt trace, kipt explain, the
 * probability-cascade lint rule) are products of the kernel's 31-bit fixed
 * point values and of 1/n, and must add up to exactly 1.
 *
 * A small class rather than an npm library: kipt needs only +, -, ×,
 * compare and printing, and the fraction packages either lack BigInt or
 * change their BigInt API between majors.
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

export class Fraction {
  static readonly ZERO = new Fraction(0n, 1n);
  static readonly ONE = new Fraction(1n, 1n);
  static readonly HALF = new Fraction(1n, 2n);

  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError("Fraction with a zero denominator");
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num === 0n) {
      this.num = 0n;
      this.den = 1n;
      return;
    }
    // Kernel shares are dyadic (k / 2^31 and products of them): reduce by the
    // common power of two without a gcd, which on a 1,000-endpoint cascade's
    // 31,000-bit terms would be slow.
    const g = (den & (den - 1n)) === 0n ? lowestBit(num < 0n ? -num : num, den) : gcd(num, den) || 1n;
    this.num = g === 1n ? num : num / g;
    this.den = g === 1n ? den : den / g;
  }

  static of(num: number | bigint, den: number | bigint = 1n): Fraction {
    return new Fraction(BigInt(num), BigInt(den));
  }

  add(o: Fraction): Fraction {
    if (this.den === o.den) return new Fraction(this.num + o.num, this.den);
    return new Fraction(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Fraction): Fraction {
    return new Fraction(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Fraction): Fraction {
    if (o.num === 1n && o.den === 1n) return this;
    if (this.num === 1n && this.den === 1n) return o;
    return new Fraction(this.num * o.num, this.den * o.den);
  }
  /** 1 - this. */
  complement(): Fraction {
    return new Fraction(this.den - this.num, this.den);
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isOne(): boolean {
    return this.num === this.den;
  }
  equals(o: Fraction): boolean {
    return this.num === o.num && this.den === o.den;
  }
  compare(o: Fraction): number {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  /** Nearest double (for display; the exact value is `toString`). */
  toNumber(): number {
    // Scale huge terms down first so Number() keeps precision.
    const shift = BigInt(Math.max(0, this.den.toString(2).length - 1000));
    return Number(this.num >> shift) / Number(this.den >> shift);
  }
  /** `n/d`, always a fraction (`1/1`, `0/1`), so a JSON reader needs one parser. */
  toString(): string {
    return `${this.num}/${this.den}`;
  }
  /** A compact percentage for sentences: `50%`, `33.3%`, `<0.1%`. */
  toPercent(): string {
    if (this.isZero()) return "0%";
    const p = this.toNumber() * 100;
    if (Number.isInteger(p)) return `${p}%`;
    if (p < 0.1) return "<0.1%";
    const s = p.toFixed(1);
    return `${s.endsWith(".0") ? s.slice(0, -2) : s}%`;
  }
  /** A percentage with one decimal, for aligned columns: `50.0%`, `33.3%`, `<0.1%`. */
  toPercentFixed(): string {
    if (this.isZero()) return "0%";
    const pct = this.toNumber() * 100;
    if (pct < 0.05) return "<0.1%";
    return `${pct.toFixed(1)}%`;
  }
}
