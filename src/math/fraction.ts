/**
 * Non-negative fractions over BigInt, always in lowest terms: the
 * probabilities of `-m statistic` cascades (kipt trace, kipt explain, the
 * probability-cascade lint rule) are products of the kernel's 31-bit fixed
 * point values and of 1/n, and must add up to exactly 1.
 *
 * Exact up to a size bound. Each level of a kube-proxy cascade adds 31 bits
 * to the kernel's share, so a 10,000-endpoint service would need
 * 310,000-bit fractions per endpoint: 200 MB of BigInts and a quadratic
 * walk, for digits no one reads. A fraction whose denominator would pass
 * MAX_BITS is rounded instead to KEEP_BITS significant bits over a power of
 * two and marked inexact (`exact === false`); everything computed from an
 * inexact fraction is inexact too, so printers can say "approximately"
 * instead of printing a wrong exact value. Real dumps stay exact: a
 * 130-endpoint cascade is still under the bound.
 *
 * A small class rather than an npm library: kipt needs only +, -, ×,
 * compare and printing, and the fraction packages either lack BigInt or
 * change their BigInt API between majors.
 */
/** Denominators up to 2^MAX_BITS stay exact. */
export const MAX_BITS = 4096;
/** Significant bits an inexact fraction keeps (a relative error below 2^-250). */
const KEEP_BITS = 256;
const LIMIT = 1n << BigInt(MAX_BITS);

/** Number of bits of a positive BigInt. */
function bitLength(n: bigint): number {
  // toString(16) is linear and allocation-light; only called past the bound.
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + Math.floor(Math.log2(parseInt(hex[0]!, 16))) + 1;
}

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
  /** False once a value was rounded to stay within MAX_BITS (see the file comment). */
  readonly exact: boolean;

  constructor(num: bigint, den: bigint = 1n, exact = true) {
    if (den === 0n) throw new RangeError("Fraction with a zero denominator");
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num === 0n) {
      this.num = 0n;
      this.den = 1n;
      this.exact = exact;
      return;
    }
    // Kernel shares are dyadic (k / 2^31 and products of them): reduce by the
    // common power of two without a gcd, which on a 1,000-endpoint cascade's
    // 31,000-bit terms would be slow.
    const dyadic = (den & (den - 1n)) === 0n;
    const g = dyadic ? lowestBit(num < 0n ? -num : num, den) : gcd(num, den) || 1n;
    if (g !== 1n) {
      num /= g;
      den /= g;
    }
    if (den > LIMIT) {
      // Round to KEEP_BITS significant bits over 2^scale (scale at most MAX_BITS).
      const negative = num < 0n;
      const magnitude = negative ? -num : num;
      const scale = Math.max(0, Math.min(MAX_BITS, KEEP_BITS + bitLength(den) - bitLength(magnitude)));
      let rounded = dyadic ? magnitude >> BigInt(bitLength(den) - 1 - scale) : (magnitude << BigInt(scale)) / den;
      if (rounded === 0n) {
        this.num = 0n;
        this.den = 1n;
        this.exact = false;
        return;
      }
      let pow = 1n << BigInt(scale);
      const low = lowestBit(rounded, pow);
      rounded /= low;
      pow /= low;
      this.num = negative ? -rounded : rounded;
      this.den = pow;
      this.exact = false;
      return;
    }
    this.num = num;
    this.den = den;
    this.exact = exact;
  }

  static of(num: number | bigint, den: number | bigint = 1n): Fraction {
    return new Fraction(BigInt(num), BigInt(den));
  }

  add(o: Fraction): Fraction {
    const exact = this.exact && o.exact;
    if (this.den === o.den) return new Fraction(this.num + o.num, this.den, exact);
    return new Fraction(this.num * o.den + o.num * this.den, this.den * o.den, exact);
  }
  sub(o: Fraction): Fraction {
    return new Fraction(this.num * o.den - o.num * this.den, this.den * o.den, this.exact && o.exact);
  }
  mul(o: Fraction): Fraction {
    if (o.num === 1n && o.den === 1n && o.exact) return this;
    if (this.num === 1n && this.den === 1n && this.exact) return o;
    return new Fraction(this.num * o.num, this.den * o.den, this.exact && o.exact);
  }
  /** 1 - this. */
  complement(): Fraction {
    return new Fraction(this.den - this.num, this.den, this.exact);
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isOne(): boolean {
    return this.num === this.den;
  }
  equals(o: Fraction): boolean {
    return this.num === o.num && this.den === o.den && this.exact === o.exact;
  }
  compare(o: Fraction): number {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  /** Nearest double (for display; the exact value is `toString`). */
  toNumber(): number {
    // Scale huge terms down first so Number() keeps precision.
    const shift = this.den < 1n << 1000n ? 0n : BigInt(bitLength(this.den) - 1000);
    return Number(this.num >> shift) / Number(this.den >> shift);
  }
  /**
   * `n/d`, always a fraction (`1/1`, `0/1`), so a JSON reader needs one
   * parser; `~n/d` for an inexact value (the rounded value, never passed
   * off as exact). Printers that promise exactness use `toExactString`.
   */
  toString(): string {
    return `${this.exact ? "" : "~"}${this.num}/${this.den}`;
  }
  /** `n/d`, or null when the value had to be rounded (see MAX_BITS). */
  toExactString(): string | null {
    return this.exact ? `${this.num}/${this.den}` : null;
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
