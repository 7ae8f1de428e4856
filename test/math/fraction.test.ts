import { describe, expect, it } from "vitest";
import { Fraction } from "../../src/math/fraction.js";
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
