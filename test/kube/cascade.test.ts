import { describe, expect, it } from "vitest";
import { cascade, kubeProxyDecimals } from "../../src/kube/cascade.js";
import { kernelProbability } from "../../src/extensions/statistic.js";
import { Fraction, MAX_BITS } from "../../src/math/fraction.js";
import { explain } from "../../src/kube/explain.js";
import { frontend, rulesetOf, service, shares } from "./helpers.js";

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

  const equalSplit = (n: number) => Array.from({ length: n }, (_, i) => ({ probability: i === n - 1 ? null : Number((1 / (n - i)).toFixed(10)) }));

  it("handles one endpoint and 100 endpoints exactly", () => {
    expect(cascade([{ probability: null }]).intended.map(String)).toEqual(["1/1"]);
    const r = cascade(equalSplit(100));
    expect(r.equalSplit).toBe(true);
    expect(r.intended[0]!.toString()).toBe("1/100");
    expect(r.kernel.every((k) => k.exact)).toBe(true);
    expect(r.kernel.reduce((a, b) => a.add(b), Fraction.ZERO).toString()).toBe("1/1");
  });

  it("rounds the kernel shares deep in a 10,000-endpoint cascade, says so, and keeps them right", () => {
    const n = 10_000;
    const r = cascade(equalSplit(n));
    expect(r.equalSplit).toBe(true);
    expect(r.intended[n - 1]!.toString()).toBe("1/10000");
    // 31 bits per level: exact up to MAX_BITS (about 130 levels), rounded and marked after.
    expect(r.kernel[0]!.exact).toBe(true);
    expect(r.kernel[n - 1]!.exact).toBe(false);
    expect(r.kernel[n - 1]!.toExactString()).toBeNull();
    expect(r.kernel.every((k) => k.den <= 1n << BigInt(MAX_BITS))).toBe(true);
    const sum = r.kernel.reduce((a, b) => a.add(b), Fraction.ZERO);
    expect(Math.abs(sum.toNumber() - 1)).toBeLessThan(1e-12);
    for (const k of r.kernel) expect(Math.abs(k.toNumber() * n - 1)).toBeLessThan(1e-4);
  });
});

describe("a cascade whose endpoint jumps test the packet", () => {
  // The node-only middle endpoint (addrtype --src-type LOCAL) makes the
  // split differ by kind of traffic: the node sees kube-proxy's 3-way split
  // of A, B and C; outside traffic sees A at 0.333 and C with the rest,
  // which is not an equal split. kube-proxy never writes this; the model
  // must still not reuse one walk's intended shares for another.
  const h = "ATBLRR2NHN64JHPP";
  const [a, b, c] = ["UATM6PECZU3HGSA7", "QTK2ZBVHW42TDLJH", "QULJCYK2POLYTPKC"];
  const dump = [
    "*nat",
    ":PREROUTING ACCEPT [0:0]",
    ":INPUT ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ":POSTROUTING ACCEPT [0:0]",
    ":KUBE-NODEPORTS - [0:0]",
    ":KUBE-SERVICES - [0:0]",
    `:KUBE-EXT-${h} - [0:0]`,
    `:KUBE-SVC-${h} - [0:0]`,
    ...[a, b, c].map((x) => `:KUBE-SEP-${x} - [0:0]`),
    "-A PREROUTING -j KUBE-SERVICES",
    "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
    `-A KUBE-NODEPORTS -p tcp -m comment --comment "demo/split:http" -m tcp --dport 30080 -j KUBE-EXT-${h}`,
    `-A KUBE-EXT-${h} -j KUBE-SVC-${h}`,
    `-A KUBE-SVC-${h} -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-${a}`,
    `-A KUBE-SVC-${h} -m addrtype --src-type LOCAL -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-${b}`,
    `-A KUBE-SVC-${h} -j KUBE-SEP-${c}`,
    ...[a, b, c].map((x, i) => `-A KUBE-SEP-${x} -p tcp -m tcp -j DNAT --to-destination 10.240.1.${i + 1}:80`),
    "COMMIT",
    "",
  ].join("\n");

  it("gives the node 1/3 each, and outside traffic the kernel's shares of A and C with an uneven-split warning", () => {
    const x = explain(rulesetOf(dump));
    const fe = frontend(service(x, "demo/split:http"), "NodePort");
    expect(shares(fe.endpointsFromNode)).toEqual([`10.240.1.1:80 1/3 KUBE-SEP-${a}`, `10.240.1.2:80 1/3 KUBE-SEP-${b}`, `10.240.1.3:80 1/3 KUBE-SEP-${c}`]);
    expect(shares(fe.endpoints)).toEqual([`10.240.1.1:80 715827883/2147483648 KUBE-SEP-${a}`, `10.240.1.3:80 1431655765/2147483648 KUBE-SEP-${c}`]);
    expect(x.kube.findings.filter((f) => f.code === "uneven-split").map((f) => f.chain)).toEqual([`KUBE-SVC-${h}`]);
  });
});
