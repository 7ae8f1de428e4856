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

import { kernelProbability } from "../extensions/statistic.js";
import { Fraction } from "../math/fraction.js";

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
  readonly kernel: readonly Fraction[];
  /** What falls through past the last step (non-zero when the last rule has a statistic match). */
  readonly fallthrough: Fraction;
  /**
   * True when the cascade is kube-proxy's equal split: n steps, the i-th
   * written as 1/(n−i) with 10 or 5 decimals (as the kernel read it back),
   * the last unconditional.
   */
  readonly equalSplit: boolean;
  /** 1/n for every step when `equalSplit`, else the kernel shares. */
  readonly intended: readonly Fraction[];
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
  const kernel: Fraction[] = [];
  let remaining = Fraction.ONE;
  for (const step of steps) {
    if (step.probability === null) {
      kernel.push(remaining);
      remaining = Fraction.ZERO;
      continue;
    }
    const p = kernelProbability(step.probability);
    kernel.push(remaining.mul(p));
    remaining = remaining.mul(p.complement());
  }
  const n = steps.length;
  const equalSplit = isEqualSplit(steps);
  const intended = equalSplit ? steps.map(() => Fraction.of(1, n)) : kernel;
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
