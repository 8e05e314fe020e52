import { chiSquaredSf } from "./distributions";

/**
 * Sample-ratio mismatch: the chi-squared goodness-of-fit p-value of observed arm sizes against the
 * configured weights. A small value (the report warns below 0.001) means assignment is broken, so no
 * comparison between the arms can be trusted. 1 when there is nothing to test (fewer than two arms with
 * weight, or no members); 0 when an arm configured with weight 0 has members.
 */
export function srmPValue(observed: readonly number[], weights: readonly number[]): number {
  if (observed.length !== weights.length) throw new RangeError("one weight per arm is needed");
  const total = observed.reduce((s, o) => s + o, 0);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  if (total <= 0 || !(weightSum > 0)) return 1;
  let stat = 0;
  let df = -1;
  for (let i = 0; i < observed.length; i++) {
    const expected = (total * weights[i]!) / weightSum;
    if (expected === 0) {
      if (observed[i]! > 0) return 0;
      continue;
    }
    df++;
    stat += (observed[i]! - expected) ** 2 / expected;
  }
  return df < 1 ? 1 : chiSquaredSf(stat, df);
}
