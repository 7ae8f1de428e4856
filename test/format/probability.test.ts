/**
 * `statistic --probability` as iptables-save prints it: the kernel keeps
 * k = lround(p * 2^31) and iptables-save prints k / 2^31 with `%.11f`,
 * which rounds the exact binary value half-to-even. Expected values were
 * read back from iptables 1.8.9 (nf_tables) after iptables-restore.
 */
import { describe, expect, it } from "vitest";
import { canonicalProbability } from "../../src/format/values.js";

const cases: [input: string, saved: string][] = [
  ["0.5", "0.50000000000"],
  ["1", "1.00000000000"],
  ["0", "0.00000000000"],
  ["0.25", "0.25000000000"],
  ["0.1", "0.10000000009"],
  [".2", "0.20000000019"],
  ["0.3", "0.29999999981"],
  // kube-proxy writes 10 decimals; 1/3 comes back as 0.33333333349.
  ["0.3333333333", "0.33333333349"],
  ["0.33333333349", "0.33333333349"],
  // Ties: k/2^31 = j/4096 has exactly 12 decimals ending in 5; printf rounds to even.
  ["0.0002441406", "0.00024414062"],
  ["0.000244140625", "0.00024414062"],
  ["0.000732421875", "0.00073242188"],
  ["0.001220703125", "0.00122070312"],
  ["0.999755859375", "0.99975585938"],
  // Below half of 1/2^31 the kernel stores 0; near 1 it stores 2^31.
  ["0.0000000002", "0.00000000000"],
  ["0.99999999999", "1.00000000000"],
];

describe("canonicalProbability", () => {
  for (const [input, saved] of cases) {
    it(`${input} prints as ${saved}`, () => {
      expect(canonicalProbability(Number(input))).toBe(saved);
    });
  }

  it("differs from toFixed exactly on ties", () => {
    // toFixed rounds the exact value half-up: the reason canonicalProbability does its own decimal arithmetic.
    expect((524288 / 2 ** 31).toFixed(11)).toBe("0.00024414063");
    expect(canonicalProbability(524288 / 2 ** 31)).toBe("0.00024414062");
  });
});
