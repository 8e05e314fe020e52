/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), on standardised features.
 *
 * Hand-written because no well-kept TypeScript library fits (measured in docs/models.md): the one maintained
 * logistic regression on npm (ml-logistic-regression) runs a fixed number of unregularised full-batch
 * gradient steps with no intercept and no convergence test; gradient boosting exists only as unmaintained
 * WebAssembly builds or inside TensorFlow.js. With under 20 features, Newton's method converges in a handful
 * of passes over the rows, each solving one small symmetric system (Cholesky).
 */

export interface LogisticModel {
  /** Per-feature mean and standard deviation used to standardise (std 1 for a constant feature). */
  mean: number[];
  std: number[];
  /** Coefficients on the standardised features, and the intercept. */
  coef: number[];
  intercept: number;
  /** The L2 penalty (on the mean log-loss scale) it was fitted with. */
  l2: number;
  iterations: number;
}

export interface LogisticOptions {
  /** Penalty λ on Σβ² added to the mean log-loss (λ/2 Σβ²); default 1e-3. */
  l2?: number;
  maxIterations?: number;
  /** Stop when no coefficient moves more than this. */
  tolerance?: number;
  /** Per-row weight (0 leaves the row out: how cross-fitting trains on some folds of one matrix). */
  weight?: Float64Array;
  /** Start Newton's method from this fit (a fit on similar rows converges in fewer passes from there). */
  start?: LogisticModel;
}

/** Solves A x = b in place for a symmetric positive definite A (row-major d×d); returns x. */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError("matrix is not positive definite");
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Fits P(y = 1 | x). `rows` is row-major (n × d), `y` holds 0/1. Throws on empty data or a single class
 * (there is nothing to learn; the caller reports it).
 */
export function fitLogistic(
  rows: Float64Array,
  y: Uint8Array,
  d: number,
  opts: LogisticOptions = {},
): LogisticModel {
  const rowsN = y.length;
  if (rowsN === 0 || rows.length !== rowsN * d)
    throw new RangeError(`fitLogistic: ${rowsN} labels for ${rows.length} values`);
  const wt = opts.weight;
  if (wt && wt.length !== rowsN) throw new RangeError(`fitLogistic: ${wt.length} weights for ${rowsN} rows`);
  // n: the total weight (the row count when unweighted).
  let n = 0;
  let pos = 0;
  for (let i = 0; i < rowsN; i++) {
    const wi = wt ? wt[i]! : 1;
    n += wi;
    pos += wi * y[i]!;
  }
  if (!(pos > 0 && pos < n)) throw new RangeError("fitLogistic: every label is the same");
  const l2 = opts.l2 ?? 1e-3;
  const maxIt = opts.maxIterations ?? 50;
  const tol = opts.tolerance ?? 1e-8;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = 0; i < rowsN; i++) {
    const wi = wt ? wt[i]! : 1;
    if (wi !== 0) for (let j = 0; j < d; j++) mean[j]! += wi * rows[i * d + j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < rowsN; i++) {
    const wi = wt ? wt[i]! : 1;
    if (wi === 0) continue;
    for (let j = 0; j < d; j++) {
      const v = rows[i * d + j]! - mean[j]!;
      std[j]! += wi * v * v;
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j]! / n);
    std[j] = s > 1e-12 ? s : 1;
  }
  // Parameters: [intercept, β1..βd].
  const D = d + 1;
  const beta = new Float64Array(D);
  beta[0] = Math.log(pos / (n - pos));
  const st = opts.start;
  if (st && st.coef.length === d) {
    // The start's coefficients in raw units, then on this fit's standardisation.
    beta[0] = st.intercept;
    for (let j = 0; j < d; j++) {
      const raw = st.coef[j]! / st.std[j]!;
      beta[0] += raw * (mean[j]! - st.mean[j]!);
      beta[j + 1] = raw * std[j]!;
    }
  }
  const z = new Float64Array(D);
  let it = 0;
  for (; it < maxIt; it++) {
    const h = new Float64Array(D * D);
    const g = new Float64Array(D);
    for (let i = 0; i < rowsN; i++) {
      const wi = wt ? wt[i]! : 1;
      if (wi === 0) continue;
      z[0] = 1;
      for (let j = 0; j < d; j++) z[j + 1] = (rows[i * d + j]! - mean[j]!) / std[j]!;
      let eta = 0;
      for (let j = 0; j < D; j++) eta += beta[j]! * z[j]!;
      const p = sigmoid(eta);
      const w = wi * Math.max(p * (1 - p), 1e-12);
      const r = wi * (y[i]! - p);
      for (let a = 0; a < D; a++) {
        const za = z[a]!;
        g[a]! += r * za;
        const wa = w * za;
        for (let b = 0; b <= a; b++) h[a * D + b]! += wa * z[b]!;
      }
    }
    // Mean log-loss scale, plus the penalty (not on the intercept).
    for (let a = 0; a < D; a++) {
      g[a] = g[a]! / n - (a > 0 ? l2 * beta[a]! : 0);
      for (let b = 0; b <= a; b++) {
        const v = h[a * D + b]! / n + (a === b && a > 0 ? l2 : 0);
        h[a * D + b] = v;
        h[b * D + a] = v;
      }
      h[a * D + a]! += 1e-10;
    }
    const step = choleskySolve(h, g, D);
    let moved = 0;
    for (let a = 0; a < D; a++) {
      beta[a]! += step[a]!;
      moved = Math.max(moved, Math.abs(step[a]!));
    }
    if (moved < tol) {
      it++;
      break;
    }
  }
  return { mean, std, coef: Array.from(beta.subarray(1)), intercept: beta[0], l2, iterations: it };
}

/** The linear predictor of one row. */
export function logit(m: LogisticModel, x: ArrayLike<number>): number {
  let eta = m.intercept;
  for (let j = 0; j < m.coef.length; j++) eta += (m.coef[j]! * (x[j]! - m.mean[j]!)) / m.std[j]!;
  return eta;
}

export function probability(m: LogisticModel, x: ArrayLike<number>): number {
  return sigmoid(logit(m, x));
}

/** Each feature's share of the linear predictor against the average customer (coef × standardised value). */
export function contributions(m: LogisticModel, x: ArrayLike<number>): number[] {
  return m.coef.map((c, j) => (c * (x[j]! - m.mean[j]!)) / m.std[j]!);
}
