/**
 * Holm's step-down adjusted p-values, in the input order: sorted ascending, the i-th smallest (0-based)
 * is multiplied by m − i, made monotone, capped at 1. Rejecting adjusted p < α controls the family-wise
 * error rate at α over all m comparisons.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
