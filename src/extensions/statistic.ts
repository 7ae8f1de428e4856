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

/** The exact probability with which the kernel fires a rule written `--probability p`. */
export function kernelProbability(p: number): Fraction {
  return new Fraction(kernelFixedPoint(p), TWO31);
}
