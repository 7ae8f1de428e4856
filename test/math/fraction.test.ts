import { describe, expect, it } from "vitest";
import { Fraction, MAX_BITS } from "../../src/math/fraction.js";
import { kernelProbability } from "../../src/extensions/statistic.js";

describe("Fraction", () => {
  it("keeps lowest terms and does exact arithmetic", () => {
    expect(Fraction.of(2, 4).toString()).toBe("1/2");
    expect(Fraction.of(1, 3).add(Fraction.of(1, 6)).toString()).toBe("1/2");
    expect(Fraction.of(1, 3).mul(Fraction.of(3, 4)).toString()).toBe("1/4");
    expect(Fraction.of(1, 3).complement().toString()).toBe("2/3");
    expect(Fraction.of(5, 1).toString()).toBe("5/1");
    expect(Fraction.of(1, 3).sub(Fraction.of(1, 3)).isZero()).toBe(true);
    expect(Fraction.of(1, 3).compare(Fraction.of(1, 2))).toBe(-1);
  });
  it("prints percentages for people", () => {
    expect(Fraction.HALF.toPercent()).toBe("50%");
    expect(Fraction.of(1, 3).toPercent()).toBe("33.3%");
    expect(Fraction.of(1, 10000).toPercent()).toBe("<0.1%");
    expect(Fraction.ONE.toPercent()).toBe("100%");
  });
  it("turns a probability into the kernel's 31-bit fixed point", () => {
    expect(kernelProbability(0.5).toString()).toBe("1/2");
    expect(kernelProbability(1).toString()).toBe("1/1");
    expect(kernelProbability(0.33333333349).toString()).toBe("715827883/2147483648");
    expect(kernelProbability(0.25).toString()).toBe("1/4");
  });
});

describe("Fraction past MAX_BITS", () => {
  const big = (bits: number) => new Fraction(1n, 1n << BigInt(bits));
  it("stays exact up to a 2^MAX_BITS denominator", () => {
    const f = big(MAX_BITS);
    expect(f.exact).toBe(true);
    expect(f.toExactString()).toBe(`1/${1n << BigInt(MAX_BITS)}`);
  });
  it("rounds a larger dyadic value to a power-of-two denominator, marks it and never prints it as exact", () => {
    const wide = BigInt(MAX_BITS + 1000);
    const f = new Fraction((1n << wide) + 1n, 3n << wide); // about 1/3, with a denominator over the bound
    expect(f.exact).toBe(false);
    expect(f.den <= 1n << BigInt(MAX_BITS)).toBe(true);
    expect(f.toExactString()).toBeNull();
    expect(f.toString().startsWith("~")).toBe(true);
    // 256 significant bits: 3f is 1 within 2^-250.
    const back = f.mul(Fraction.of(3));
    expect(Math.abs(back.toNumber() - 1)).toBeLessThan(1e-70);
  });
  it("inexactness is contagious through +, -, × and complement", () => {
    const f = Fraction.of(1, 3).mul(big(MAX_BITS));
    for (const g of [f.add(Fraction.HALF), Fraction.ONE.sub(f), f.mul(Fraction.HALF), f.complement(), Fraction.HALF.mul(f)]) expect(g.exact).toBe(false);
    expect(f.mul(Fraction.ONE).exact).toBe(false);
    expect(Fraction.ONE.mul(f).exact).toBe(false);
  });
  it("a value too small to keep rounds to an inexact zero", () => {
    const tiny = big(MAX_BITS).mul(big(MAX_BITS)).mul(big(MAX_BITS));
    expect(tiny.exact).toBe(false);
    expect(tiny.toNumber()).toBeLessThan(1e-300);
  });
});
