/** Derivative-free minimisation: Nelder–Mead with adaptive coefficients and restarts. */

export interface MinimizeOptions {
  /** Initial step along each axis (same units as x). */
  step?: number;
  /** Stop when the spread of function values in the simplex is below this. */
  fTol?: number;
  /** ...and the simplex diameter is below this. */
  xTol?: number;
  maxEvaluations?: number;
  /** Restart from the best point until a restart improves by less than fTol (at most this many). */
  restarts?: number;
}

export interface MinimizeResult {
  x: number[];
  fx: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Minimises `f` from `x0`. Non-finite values are treated as +Infinity, so a likelihood that
 * over- or underflows in some region simply pushes the simplex away from it.
 * Coefficients follow Gao & Han (2012), which behave better than the textbook ones beyond 2 dimensions.
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  opts: MinimizeOptions = {},
): MinimizeResult {
  const step = opts.step ?? 0.5;
  const fTol = opts.fTol ?? 1e-10;
  const xTol = opts.xTol ?? 1e-8;
  const maxEval = opts.maxEvaluations ?? 20_000;
  const maxRestarts = opts.restarts ?? 4;
  let evaluations = 0;
  const g = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };

  let best = x0.slice();
  let bestF = g(best);
  let converged = false;
  for (let restart = 0; restart <= maxRestarts; restart++) {
    const res = run(g, best, restart === 0 ? step : step / 4, fTol, xTol, () => evaluations < maxEval);
    const improvement = bestF - res.fx;
    if (res.fx <= bestF) {
      best = res.x;
      bestF = res.fx;
    }
    converged = res.converged;
    if (restart > 0 && improvement < fTol * Math.max(1, Math.abs(bestF))) break;
    if (evaluations >= maxEval) break;
  }
  return { x: best, fx: bestF, evaluations, converged };
}

function run(
  g: (x: number[]) => number,
  x0: number[],
  step: number,
  fTol: number,
  xTol: number,
  budget: () => boolean,
): { x: number[]; fx: number; converged: boolean } {
  const n = x0.length;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] = (p[i] as number) + step;
    pts.push(p);
  }
  const vals = pts.map(g);
  const order = (): void => {
    const idx = pts.map((_, i) => i).sort((i, j) => (vals[i] as number) - (vals[j] as number));
    const p2 = idx.map((i) => pts[i] as number[]);
    const v2 = idx.map((i) => vals[i] as number);
    for (let i = 0; i <= n; i++) {
      pts[i] = p2[i] as number[];
      vals[i] = v2[i] as number;
    }
  };
  const combine = (a: number[], b: number[], t: number): number[] =>
    a.map((ai, i) => ai + t * ((b[i] as number) - ai));

  while (budget()) {
    order();
    const fBest = vals[0] as number;
    const fWorst = vals[n] as number;
    let diam = 0;
    for (let i = 1; i <= n; i++) {
      for (let k = 0; k < n; k++)
        diam = Math.max(diam, Math.abs((pts[i] as number[])[k]! - (pts[0] as number[])[k]!));
    }
    if (Math.abs(fWorst - fBest) <= fTol * Math.max(1, Math.abs(fBest)) && diam <= xTol) {
      return { x: pts[0] as number[], fx: fBest, converged: true };
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) centroid[k] = centroid[k]! + (pts[i] as number[])[k]! / n;
    }
    const worst = pts[n] as number[];
    const xr = combine(centroid, worst, -alpha);
    const fr = g(xr);
    if (fr < fBest) {
      const xe = combine(centroid, worst, -alpha * beta);
      const fe = g(xe);
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
      continue;
    }
    if (fr < (vals[n - 1] as number)) {
      pts[n] = xr;
      vals[n] = fr;
      continue;
    }
    const outside = fr < fWorst;
    const xc = outside ? combine(centroid, worst, -alpha * gamma) : combine(centroid, worst, gamma);
    const fc = g(xc);
    if (fc < (outside ? fr : fWorst)) {
      pts[n] = xc;
      vals[n] = fc;
      continue;
    }
    for (let i = 1; i <= n; i++) {
      pts[i] = combine(pts[0] as number[], pts[i] as number[], delta);
      vals[i] = g(pts[i] as number[]);
    }
  }
  order();
  return { x: pts[0] as number[], fx: vals[0] as number, converged: false };
}
