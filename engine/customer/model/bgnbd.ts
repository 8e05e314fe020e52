/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases follow a
 * Poisson process with rate λ ~ Gamma(r, α) while the customer is alive; after each repeat purchase
 * the customer drops out with probability p ~ Beta(a, b).
 *
 * Inputs per customer, in one time unit: x = repeat transactions (distinct purchase days after the
 * first), tx = time of the last one since the first purchase (0 when x = 0), T = time from the
 * first purchase to the end of observation. α is measured in that unit; r, a, b are unit-free.
 */
import { hyp2f1, lgamma, logAddExp } from "./special";
import { nelderMead } from "./optimize";
import type { MinimizeOptions } from "./optimize";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface RepeatSummary {
  x: number;
  tx: number;
  T: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLik: number;
  customers: number;
  evaluations: number;
  converged: boolean;
  /**
   * Set when the optimum had no dropout (a → 0, b → ∞: a and b are not identified): the fit returned is the
   * NBD limit (a = 0, P(alive) = 1 for everyone), and this keeps what the four-parameter search reached.
   */
  boundary?: { reached: { a: number; b: number; logLik: number } };
}

/**
 * ln[B(a, b + x) / B(a, b)] = Σ_{k<x} ln(1 − a / (a + b + k)) for a whole x ≥ 0: the Beta term of the
 * likelihood, exact for any b (lgamma differences lose it once b ≳ 1e10). 0 when a = 0 (no dropout).
 */
export function logBetaRatio(a: number, b: number, x: number): number {
  // Where b is moderate the lgamma differences are exact enough and cost O(1) for a long history.
  if (x > 64 && b < 1e7) return lgamma(a + b) - lgamma(b) + lgamma(b + x) - lgamma(a + b + x);
  let s = 0;
  for (let k = 0; k < x; k++) s += Math.log1p(-a / (a + b + k));
  return s;
}

/** Expected dropout probability a / (a + b) below which a fit counts as having no dropout. */
export const NO_DROPOUT = 1e-6;

/**
 * The data grouped by x, with the sufficient statistics laid out for a fast likelihood. T and tx take few
 * distinct values in practice (whole days, a cohort's first purchases), so each cell points into tables of
 * distinct values and an evaluation takes each logarithm once per distinct value, not once per cell.
 */
interface Prepared {
  xs: number[];
  groups: { ti: Int32Array; txi: Int32Array; w: Float64Array; total: number }[];
  tVals: Float64Array;
  txVals: Float64Array;
  customers: number;
}

function prepare(data: readonly RepeatSummary[]): Prepared {
  const byX = new Map<number, Map<string, { tx: number; T: number; w: number }>>();
  for (const d of data) {
    if (!(d.x >= 0 && Number.isInteger(d.x)) || !(d.T >= d.tx && d.tx >= 0)) {
      throw new RangeError(`bad summary x=${d.x} tx=${d.tx} T=${d.T}`);
    }
    let g = byX.get(d.x);
    if (!g) byX.set(d.x, (g = new Map<string, { tx: number; T: number; w: number }>()));
    const key = `${d.tx}|${d.T}`;
    const cell = g.get(key);
    if (cell) cell.w++;
    else g.set(key, { tx: d.tx, T: d.T, w: 1 });
  }
  const tIndex = new Map<number, number>();
  const txIndex = new Map<number, number>();
  const indexOf = (m: Map<number, number>, v: number): number => {
    let i = m.get(v);
    if (i === undefined) m.set(v, (i = m.size));
    return i;
  };
  const xs = [...byX.keys()].sort((p, q) => p - q);
  const groups = xs.map((x) => {
    const cells = [...(byX.get(x) as Map<string, { tx: number; T: number; w: number }>).values()];
    const w = Float64Array.from(cells, (c) => c.w);
    return {
      ti: Int32Array.from(cells, (c) => indexOf(tIndex, c.T)),
      txi: Int32Array.from(cells, (c) => indexOf(txIndex, c.tx)),
      w,
      total: w.reduce((u, v) => u + v, 0),
    };
  });
  return {
    xs,
    groups,
    tVals: Float64Array.from(tIndex.keys()),
    txVals: Float64Array.from(txIndex.keys()),
    customers: data.length,
  };
}

function logLikPrepared(p: BgNbdParams, d: Prepared): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a >= 0 && b > 0)) return -Infinity;
  const base = r * Math.log(alpha) - lgamma(r);
  const logT = d.tVals.map((t) => Math.log(alpha + t));
  const logTx = d.txVals.map((t) => Math.log(alpha + t));
  let total = 0;
  for (let gi = 0; gi < d.xs.length; gi++) {
    const x = d.xs[gi] as number;
    const g = d.groups[gi] as Prepared["groups"][number];
    const c = base + lgamma(r + x) + logBetaRatio(a, b, x);
    const rx = r + x;
    const logA4 = x > 0 && a > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
    let s = 0;
    for (let i = 0; i < g.w.length; i++) {
      const l3 = -rx * (logT[g.ti[i]!] as number);
      const ll = x > 0 ? logAddExp(l3, logA4 - rx * (logTx[g.txi[i]!] as number)) : l3;
      s += (g.w[i] as number) * ll;
    }
    total += g.total * c + s;
  }
  return total;
}

/** The BG/NBD log-likelihood of the data (sum over customers). */
export function bgnbdLogLik(params: BgNbdParams, data: readonly RepeatSummary[]): number {
  return logLikPrepared(params, prepare(data));
}

/**
 * The same log-likelihood over column arrays (customer i is `x[i], tx[i], T[i]`, i < n), without grouping:
 * the nightly job evaluates a fit on the whole base this way in one pass, with no per-customer objects.
 */
export function bgnbdLogLikColumns(
  p: BgNbdParams,
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
  n: number = x.length,
): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a >= 0 && b > 0)) return -Infinity;
  const base = r * Math.log(alpha) - lgamma(r);
  const logA = a > 0 ? Math.log(a) : -Infinity;
  const constByX = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    let c = constByX.get(xi);
    if (c === undefined) {
      c = base + lgamma(r + xi) + logBetaRatio(a, b, xi);
      constByX.set(xi, c);
    }
    const rx = r + xi;
    const l3 = -rx * Math.log(alpha + T[i]!);
    total +=
      c + (xi > 0 && a > 0 ? logAddExp(l3, logA - Math.log(b + xi - 1) - rx * Math.log(alpha + tx[i]!)) : l3);
  }
  return total;
}

/**
 * Maximum-likelihood fit. Optimises in log-parameter space (so every parameter stays positive)
 * with Nelder–Mead and restarts, from a few starting points; returns the best.
 */
export function fitBgNbd(
  data: readonly RepeatSummary[],
  opts: { starts?: BgNbdParams[]; optimizer?: MinimizeOptions } = {},
): BgNbdFit {
  if (data.length === 0) throw new RangeError("fitBgNbd: no customers");
  const d = prepare(data);
  const meanT = data.reduce((s, c) => s + c.T, 0) / data.length;
  const meanX = data.reduce((s, c) => s + c.x, 0) / data.length;
  // Method-of-moments-ish start: λ mean ≈ x/T ⇒ r/α ≈ meanX/meanT.
  const alpha0 = Math.max(1e-3, meanT / Math.max(meanX, 1e-3)) * 0.5;
  const given = opts.starts?.filter((s) => s.a > 0 && s.b > 0 && s.r > 0 && s.alpha > 0);
  const starts = given?.length
    ? given
    : [
        { r: 0.5, alpha: alpha0, a: 0.5, b: 2 },
        { r: 1, alpha: alpha0 * 2, a: 1, b: 1 },
        { r: 0.2, alpha: alpha0 / 4, a: 2, b: 5 },
      ];
  const n = d.customers;
  const f = (v: number[]): number =>
    -logLikPrepared(
      { r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!) },
      d,
    ) / n;
  let best: { x: number[]; fx: number; evaluations: number; converged: boolean } | undefined;
  let evaluations = 0;
  for (const s of starts) {
    const res = nelderMead(f, [Math.log(s.r), Math.log(s.alpha), Math.log(s.a), Math.log(s.b)], {
      step: 0.7,
      fTol: 1e-12,
      xTol: 1e-7,
      maxEvaluations: 8000,
      restarts: 6,
      ...opts.optimizer,
    });
    evaluations += res.evaluations;
    if (!best || res.fx < best.fx) best = res;
  }
  const b = best as { x: number[]; fx: number; converged: boolean };
  const params = {
    r: Math.exp(b.x[0]!),
    alpha: Math.exp(b.x[1]!),
    a: Math.exp(b.x[2]!),
    b: Math.exp(b.x[3]!),
  };
  const logLik = logLikPrepared(params, d);
  if (params.a / (params.a + params.b) >= NO_DROPOUT) {
    return { ...params, logLik, customers: n, evaluations, converged: b.converged };
  }
  // No dropout: fit the NBD limit (r, α with a = 0) and report where the search went.
  const g = (v: number[]): number =>
    -logLikPrepared({ r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: 0, b: 1 }, d) / n;
  const nbd = nelderMead(g, [Math.log(params.r), Math.log(params.alpha)], {
    step: 0.5,
    fTol: 1e-12,
    xTol: 1e-7,
    maxEvaluations: 4000,
    restarts: 4,
    ...opts.optimizer,
  });
  const limit = { r: Math.exp(nbd.x[0]!), alpha: Math.exp(nbd.x[1]!), a: 0, b: 1 };
  return {
    ...limit,
    logLik: logLikPrepared(limit, d),
    customers: n,
    evaluations: evaluations + nbd.evaluations,
    converged: nbd.converged,
    boundary: { reached: { a: params.a, b: params.b, logLik } },
  };
}

/** P(alive at T | x, tx, T). A customer without repeat purchases is alive for sure in this model. */
export function bgnbdPAlive(p: BgNbdParams, c: RepeatSummary): number {
  if (c.x === 0 || p.a === 0) return 1;
  const logOdds =
    Math.log(p.a) - Math.log(p.b + c.x - 1) + (p.r + c.x) * Math.log((p.alpha + c.T) / (p.alpha + c.tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * (1 - z)^(a-1) · 2F1(a+b-1-r, a-1; a+b+x-1; z): the Euler-transformed form of
 * ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x-1; z). Its parameters stay small for any x,
 * so the series neither overflows nor cancels.
 */
function tail(p: BgNbdParams, x: number, z: number): number {
  return Math.pow(1 - z, p.a - 1) * hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z);
}

/** Nudges a = 1 (a removable singularity of the closed forms) off the exact point. */
function safe(p: BgNbdParams): BgNbdParams {
  return Math.abs(p.a - 1) < 1e-7 ? { ...p, a: 1 + 1e-7 } : p;
}

/** E[X(t)]: expected repeat transactions in (0, t] for a customer who has just made a first purchase. */
export function bgnbdExpected(params: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  if (params.a === 0) return (params.r * t) / params.alpha;
  const p = safe(params);
  const z = t / (p.alpha + t);
  return ((p.a + p.b - 1) / (p.a - 1)) * (1 - tail(p, 0, z));
}

/** E[Y(t) | x, tx, T]: expected transactions in (T, T + t] for a customer with this history. */
export function bgnbdConditionalExpected(params: BgNbdParams, t: number, c: RepeatSummary): number {
  if (t <= 0) return 0;
  // The NBD limit (no dropout): the Gamma-Poisson posterior mean rate times t.
  if (params.a === 0) return ((params.r + c.x) * t) / (params.alpha + c.T);
  const p = safe(params);
  const z = t / (p.alpha + c.T + t);
  const num = ((p.a + p.b + c.x - 1) / (p.a - 1)) * (1 - tail(p, c.x, z));
  if (c.x === 0) return num;
  const odds = Math.exp(
    Math.log(p.a) - Math.log(p.b + c.x - 1) + (p.r + c.x) * Math.log((p.alpha + c.T) / (p.alpha + c.tx)),
  );
  return num / (1 + odds);
}

/** Parameters for time measured in a unit `factor` times smaller (weeks → days: factor 7). */
export function rescaleBgNbd(p: BgNbdParams, factor: number): BgNbdParams {
  return { r: p.r, alpha: p.alpha * factor, a: p.a, b: p.b };
}
