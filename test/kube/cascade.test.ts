import { describe, expect, it } from "vitest";
import { cascade, kubeProxyDecimals } from "../../src/kube/cascade.js";
import { kernelProbability } from "../../src/extensions/statistic.js";
import { Fraction } from "../../src/math/fraction.js";

const TWO31 = 2147483648n;

describe("statistic cascades", () => {
  it("reads probabilities the way the kernel stores them (lround(p * 2^31) / 2^31)", () => {
    expect(kernelProbability(0.33333333349).toString()).toBe("715827883/2147483648");
    expect(kernelProbability(0.3333333333).toString()).toBe("715827883/2147483648");
    expect(kernelProbability(0.5).toString()).toBe("1/2");
    expect(kernelProbability(0.33333).toString()).toBe(`${715820724n / 4n}/${TWO31 / 4n}`);
    expect(kernelProbability(1).toString()).toBe("1/1");
  });

  it("gives the kernel's exact share and kube-proxy's intended 1/n for an equal split of 3", () => {
    const r = cascade([{ probability: 0.33333333349 }, { probability: 0.5 }, { probability: null }]);
    expect(r.equalSplit).toBe(true);
    // 1st: 715827883/2^31; 2nd and 3rd: (1 - 715827883/2^31)/2 = 1431655765/2^32.
    expect(r.kernel.map(String)).toEqual(["715827883/2147483648", "1431655765/4294967296", "1431655765/4294967296"]);
    expect(r.intended.map(String)).toEqual(["1/3", "1/3", "1/3"]);
    expect(r.fallthrough.isZero()).toBe(true);
    expect(r.kernel.reduce((a, b) => a.add(b), Fraction.ZERO).toString()).toBe("1/1");
  });

  it("accepts the 10-decimal restore text and the pre-1.17 5-decimal text as equal splits", () => {
    const ten = cascade([{ probability: 0.25 }, { probability: 0.3333333333 }, { probability: 0.5 }, { probability: null }]);
    expect(ten.equalSplit).toBe(true);
    expect(ten.intended.map(String)).toEqual(["1/4", "1/4", "1/4", "1/4"]);
    const five = cascade([{ probability: 0.33333 }, { probability: 0.5 }, { probability: null }]);
    expect(five.equalSplit).toBe(true);
    // 0.33333 is stored as 715820724/2^31; the other two share the rest equally.
    expect(five.kernel.map(String)).toEqual(["178955181/536870912", "357915731/1073741824", "357915731/1073741824"]);
    expect(kubeProxyDecimals(0.33333, 3)).toBe(5);
    expect(kubeProxyDecimals(0.33332999982, 3)).toBe(5);
    expect(kubeProxyDecimals(0.33333333349, 3)).toBe(10);
    expect(kubeProxyDecimals(0.4, 3)).toBe(null);
  });

  it("reports an uneven split with kernel shares and a fall-through remainder", () => {
    const r = cascade([{ probability: 0.9 }, { probability: null }]);
    expect(r.equalSplit).toBe(false);
    expect(r.intended).toBe(r.kernel);
    expect(r.kernel[0]!.toString()).toBe("1932735283/2147483648");
    const open = cascade([{ probability: 0.5 }, { probability: 0.5 }]);
    expect(open.equalSplit).toBe(false);
    expect(open.fallthrough.toString()).toBe("1/4");
  });

  it("handles one endpoint and large n", () => {
    expect(cascade([{ probability: null }]).intended.map(String)).toEqual(["1/1"]);
    const n = 1000;
    const steps = Array.from({ length: n }, (_, i) => ({ probability: i === n - 1 ? null : Number((1 / (n - i)).toFixed(10)) }));
    const r = cascade(steps);
    expect(r.equalSplit).toBe(true);
    expect(r.intended[0]!.toString()).toBe("1/1000");
    expect(r.kernel.reduce((a, b) => a.add(b), Fraction.ZERO).toString()).toBe("1/1");
  });
});
