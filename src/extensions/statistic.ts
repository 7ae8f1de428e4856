/**
 * What the kernel does with `-m statistic --mode random --probability p`:
 * libxt_statistic stores lround(p × 2^31) as a 32-bit value and the kernel
 * draws against it, so the rule fires with exactly that value over 2^31.
 * The printer, the simulator and the Kubernetes model all start from here.
 */
import { Fraction } from "../math/fraction.js";

const TWO31 = 1n << 31n;

/** The kernel's fixed point for `--probability p`, clamped to [0, 2^31]. */
export function kernelFixedPoint(p: number): bigint {
  return BigInt(Math.min(2 ** 31, Math.max(0, Math.round(p * 2 ** 31))));
}

/** A cascade of n endpoints uses n distinct probabilities, and every walk of it asks again. */
const byProbability = new Map<number, Fraction>();

/** The exact probability with which the kernel fires a rule written `--probability p`. */
export function kernelProbability(p: number): Fraction {
  let f = byProbability.get(p);
  if (f === undefined) {
    f = new Fraction(kernelFixedPoint(p), TWO31);
    // Bounded: a hostile dump may use a different probability on every rule.
    if (byProbability.size >= 65_536) byProbability.clear();
    byProbability.set(p, f);
  }
  return f;
}
