import { Z_975 } from "./distributions";
import type { Interval } from "./proportions";

/**
 * Revenue per customer over an arm's `n` members (non-converters count as 0) from the sum and the sum of
 * squares of each member's revenue, with a normal-approximation 95% interval (the sample mean of many
 * customers; revenue is skewed, so for tiny arms the interval is rough).
 */
export function revenuePerCustomer(
  sum: number,
  sumOfSquares: number,
  n: number,
  z = Z_975,
): { mean: number; ci95: Interval } {
  if (n <= 0) return { mean: 0, ci95: [0, 0] };
  const mean = sum / n;
  if (n === 1) return { mean, ci95: [mean, mean] };
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  const half = z * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}
