/**
 * Isotonic calibration (pool-adjacent-violators): the monotone step function of a score that best fits the
 * observed outcomes, read with linear interpolation between the blocks' centres as scikit-learn does.
 */

export interface IsotonicMap {
  /** Block centres (ascending score) and the calibrated probability at each. */
  x: number[];
  y: number[];
}

export interface IsotonicOptions {
  /** Each row counts this many times (default 1 each). */
  weight?: ArrayLike<number>;
  /**
   * Least total weight of a block (default 0: plain PAV). Without it the highest and lowest scores end in
   * blocks of a handful of rows, and every customer scored beyond them inherits their 0% or 100%.
   */
  minBlock?: number;
}

/** Fits a non-decreasing map from `score` to P(y = 1). */
export function fitIsotonic(
  score: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: IsotonicOptions = {},
): IsotonicMap {
  const { weight, minBlock = 0 } = opts;
  const n = score.length;
  if (n === 0) throw new RangeError("fitIsotonic: no data");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  // Blocks: sum of y, weight, sum of score.
  const sy: number[] = [];
  const w: number[] = [];
  const sx: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const wi = weight ? weight[i]! : 1;
    // Ties in the score share one block from the start, and so do rows until the block is big enough.
    if (k > 0 && (score[i] === score[order[k - 1]!] || w.at(-1)! < minBlock)) {
      sy[sy.length - 1]! += wi * y[i]!;
      w[w.length - 1]! += wi;
      sx[sx.length - 1]! += wi * score[i]!;
    } else {
      sy.push(wi * y[i]!);
      w.push(wi);
      sx.push(wi * score[i]!);
    }
    while (sy.length > 1 && sy.at(-2)! / w.at(-2)! >= sy.at(-1)! / w.at(-1)!) {
      const ly = sy.pop()!;
      const lw = w.pop()!;
      const lx = sx.pop()!;
      sy[sy.length - 1]! += ly;
      w[w.length - 1]! += lw;
      sx[sx.length - 1]! += lx;
    }
  }
  // The last block may still be short: it joins the one before (their mean stays in order).
  if (sy.length > 1 && w.at(-1)! < minBlock) {
    sy[sy.length - 2]! += sy.pop()!;
    w[w.length - 2]! += w.pop()!;
    sx[sx.length - 2]! += sx.pop()!;
  }
  return { x: sx.map((v, i) => v / w[i]!), y: sy.map((v, i) => v / w[i]!) };
}

/** The calibrated probability of a score (flat beyond the first and last block). */
export function applyIsotonic(m: IsotonicMap, s: number): number {
  const { x, y } = m;
  if (s <= x[0]!) return y[0]!;
  if (s >= x[x.length - 1]!) return y[y.length - 1]!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= s) lo = mid;
    else hi = mid;
  }
  const t = (s - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}
