/** Scoring measures of the backtest and the fit: AUC, calibration by decile, rank correlation, capture. */

/** Mid-ranks (1-based; ties share their average rank). */
export function ranks(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && v[order[j + 1]!] === v[order[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]!] = mid;
    i = j + 1;
  }
  return r;
}

/** Area under the ROC curve of `score` for the positives `y = 1` (Mann–Whitney, ties count half). */
export function auc(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const r = ranks(score);
  let pos = 0;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]) {
      pos++;
      sum += r[i]!;
    }
  }
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface DecileRow {
  decile: number;
  customers: number;
  predicted: number;
  observed: number;
}

/** Customers sorted by predicted probability into ten equal groups: mean prediction beside the outcome rate. */
export function calibrationByDecile(pred: ArrayLike<number>, y: ArrayLike<number>): DecileRow[] {
  const n = pred.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pred[a]! - pred[b]!);
  const out: DecileRow[] = [];
  for (let d = 0; d < 10; d++) {
    const lo = Math.floor((d * n) / 10);
    const hi = Math.floor(((d + 1) * n) / 10);
    let p = 0;
    let o = 0;
    for (let k = lo; k < hi; k++) {
      p += pred[order[k]!]!;
      o += y[order[k]!]!;
    }
    const c = hi - lo;
    out.push({ decile: d + 1, customers: c, predicted: c ? p / c : NaN, observed: c ? o / c : NaN });
  }
  return out;
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += ra[i]!;
    mb += rb[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = ra[i]! - ma;
    const y = rb[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Share of the total `actual` that the top `share` of customers by `score` account for. Ties at the edge
 * are shared in proportion, so a score with many equal values is not favoured by the sort order.
 */
export function topCapture(score: ArrayLike<number>, actual: ArrayLike<number>, share = 0.1): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let total = 0;
  for (let i = 0; i < n; i++) total += actual[i]!;
  const k = share * n;
  let got = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]!] === score[order[i]!]) j++;
    const size = j - i + 1;
    let sum = 0;
    for (let t = i; t <= j; t++) sum += actual[order[t]!]!;
    const take = Math.min(size, Math.max(0, k - i));
    got += (sum * take) / size;
    if (i + size >= k) break;
    i = j + 1;
  }
  return total > 0 ? got / total : NaN;
}
