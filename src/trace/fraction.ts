/**
 * Exact non-negative fractions over BigInt, always in lowest terms.
 *
 * A tiny class rather than an npm library: trace needs only +, -, *, compare
 * and printing, and the common fraction packages either lack BigInt
 * (fraction.js' BigInt build changes its API between majors) or are unkept.
 * Probabilities of statistic rules are powers-of-two fractions (the kernel's
 * 31-bit fixed point) and 1/n (nth mode), so the numbers stay small.
 */
function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
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
    const g = gcd(num, den) || 1n;
    this.num = num / g;
    this.den = den / g;
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
  /** Nearest double (exact enough for display; the exact value is `toString`). */
  toNumber(): number {
    // Scale down huge terms first so Number() keeps precision.
    const shift = BigInt(Math.max(0, this.den.toString(2).length - 1000));
    return Number(this.num >> shift) / Number(this.den >> shift);
  }
  /** `n/d`, or `n` when the denominator is 1. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
  /** Percentage for people: `50%`, `33.3%`, `<0.1%`. */
  toPercent(): string {
    if (this.isZero()) return "0%";
    const p = this.toNumber() * 100;
    if (Number.isInteger(p)) return `${p}%`;
    if (p < 0.1) return "<0.1%";
    const s = p.toFixed(1);
    return `${s.endsWith(".0") ? s.slice(0, -2) : s}%`;
  }
}
