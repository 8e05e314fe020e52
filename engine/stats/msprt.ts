import type { Counts } from "./proportions";

/**
 * Always-valid p-value for the difference of two conversion rates: the mixture sequential probability ratio
 * test of Johari, Pekelis & Walsh, "Always valid inference" (2017), on the normal approximation of the
 * difference θ̂ = rate(b) − rate(a) with variance v = p̄(1 − p̄)(1/n_a + 1/n_b) (pooled, as under the null
 * θ = 0). With a normal mixing distribution N(0, τ²) over θ the mixture likelihood ratio is
 *
 *   Λ = √(v / (v + τ²)) · exp(τ² θ̂² / (2 v (v + τ²)))
 *
 * and 1 / Λ is a p-value that stays valid however often it is looked at: under the null Λ is a
 * non-negative martingale, so by Ville's inequality P(Λ ever reaches 1/α) ≤ α.
 *
 * The mixing variance: τ = 0.05 (τ² = 0.0025), i.e. true differences of a few conversion points in either
 * direction are what the prior expects. The test is most powerful for effects near √(τ² + v) in size
 * (JPW §4), and win-back, wake-up and survey plays move rates of 20–50% by about 2–10 points; a much smaller
 * τ would wait for thousands of customers per arm before it could name any winner, a much larger one
 * would spend its power on effects of 20+ points that these plays do not produce. Any τ keeps the error
 * guarantee; τ only trades when a real effect is detected.
 *
 * The report computes Λ at the moment it is asked, not as a running minimum over past looks; 1/Λ_now is
 * never below the running-minimum p-value, so it is the conservative form of the same test.
 */
export const MIXING_VARIANCE = 0.0025;

export function mixtureLikelihoodRatio(a: Counts, b: Counts, tau2 = MIXING_VARIANCE): number {
  if (a.n <= 0 || b.n <= 0) return 1;
  const pooled = (a.x + b.x) / (a.n + b.n);
  const v = pooled * (1 - pooled) * (1 / a.n + 1 / b.n);
  if (!(v > 0)) return 1;
  const theta = b.x / b.n - a.x / a.n;
  return Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * theta * theta) / (2 * v * (v + tau2)));
}

/** `min(1, 1/Λ)`: below α only when the sequential test has rejected "no difference" at level α. */
export function alwaysValidPValue(a: Counts, b: Counts, tau2 = MIXING_VARIANCE): number {
  return Math.min(1, 1 / mixtureLikelihoodRatio(a, b, tau2));
}
