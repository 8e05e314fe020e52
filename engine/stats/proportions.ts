import { twoSidedP, Z_80, Z_975 } from "./distributions";

export type Interval = [number, number];

/** Wilson score interval of `x` successes in `n` trials; [0, 0] with no trials. */
export function wilsonInterval(x: number, n: number, z = Z_975): Interval {
  if (n <= 0) return [0, 0];
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** One arm's counts: `x` conversions among `n` members. */
export interface Counts {
  x: number;
  n: number;
}

/**
 * Fixed-horizon two-sided p-value of the pooled two-proportion z-test of `b` against `a`. 1 when either arm
 * is empty or the pooled rate is 0 or 1 (no variance: nothing can be told apart).
 */
export function twoProportionPValue(a: Counts, b: Counts): number {
  if (a.n <= 0 || b.n <= 0) return 1;
  const pooled = (a.x + b.x) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (se === 0) return 1;
  return twoSidedP((b.x / b.n - a.x / a.n) / se);
}

/** Unpooled Wald 95% interval of the absolute lift `rate(b) − rate(a)`. */
export function waldLiftInterval(a: Counts, b: Counts, z = Z_975): Interval {
  if (a.n <= 0 || b.n <= 0) return [0, 0];
  const pa = a.x / a.n;
  const pb = b.x / b.n;
  const se = Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  const d = pb - pa;
  return [d - z * se, d + z * se];
}

/** `rate(b) / rate(a) − 1`; null when the baseline rate is 0 (undefined). */
export function relativeLift(a: Counts, b: Counts): number | null {
  if (a.n <= 0 || b.n <= 0 || a.x === 0) return null;
  return b.x / b.n / (a.x / a.n) - 1;
}

/**
 * Members per arm a fixed-horizon pooled z-test (two-sided α 0.05, power 0.8) needs to detect a true
 * difference between rates `p1` and `p2` (the classic Fleiss formula without continuity correction).
 * Null when the rates are equal (no finite sample detects no difference).
 */
export function sampleSizePerArm(p1: number, p2: number, zAlpha = Z_975, zBeta = Z_80): number | null {
  const d = Math.abs(p2 - p1);
  if (!(d > 0)) return null;
  const pBar = (p1 + p2) / 2;
  const root = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / (d * d));
}
