/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): the value
 * of each transaction is Gamma(p, ν) with ν ~ Gamma(q, γ) across customers. Fitted on customers with
 * x > 0 repeat transactions and their mean repeat-transaction value m.
 */
import { lgamma } from "./special";
import { nelderMead } from "./optimize";
import type { MinimizeOptions } from "./optimize";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendSummary {
  /** Number of repeat transactions (> 0). */
  x: number;
  /** Mean value of those transactions (> 0). */
  m: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLik: number;
  customers: number;
  converged: boolean;
}

function ll1(pp: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = pp;
  const px = p * x;
  return (
    lgamma(px + q) -
    lgamma(px) -
    lgamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + m * x)
  );
}

/** Log-likelihood over customers with x > 0 and m > 0 (others contribute nothing). */
export function gammaGammaLogLik(params: GammaGammaParams, data: readonly SpendSummary[]): number {
  if (!(params.p > 0 && params.q > 0 && params.gamma > 0)) return -Infinity;
  let s = 0;
  for (const d of data) if (d.x > 0 && d.m > 0) s += ll1(params, d.x, d.m);
  return s;
}

/**
 * The data grouped by x: the lgamma terms depend on x only, and Σ log m is summed once, so an evaluation
 * costs one logarithm per customer.
 */
interface PreparedSpend {
  groups: { x: number; n: number; sumLogM: number; m: Float64Array }[];
}

function prepareSpend(used: readonly SpendSummary[]): PreparedSpend {
  const byX = new Map<number, number[]>();
  for (const d of used) {
    const l = byX.get(d.x);
    if (l) l.push(d.m);
    else byX.set(d.x, [d.m]);
  }
  return {
    groups: [...byX.entries()].map(([x, ms]) => ({
      x,
      n: ms.length,
      sumLogM: ms.reduce((s, m) => s + Math.log(m), 0),
      m: Float64Array.from(ms),
    })),
  };
}

function logLikSpend(pp: GammaGammaParams, d: PreparedSpend): number {
  const { p, q, gamma } = pp;
  if (!(p > 0 && q > 0 && gamma > 0)) return -Infinity;
  const lq = lgamma(q);
  const qlg = q * Math.log(gamma);
  let total = 0;
  for (const g of d.groups) {
    const px = p * g.x;
    let tail = 0;
    for (let i = 0; i < g.m.length; i++) tail += Math.log(gamma + (g.m[i] as number) * g.x);
    total +=
      g.n * (lgamma(px + q) - lgamma(px) - lq + qlg + px * Math.log(g.x)) +
      (px - 1) * g.sumLogM -
      (px + q) * tail;
  }
  return total;
}

/** Maximum-likelihood fit in log-parameter space (Nelder–Mead with restarts, several starts). */
export function fitGammaGamma(
  data: readonly SpendSummary[],
  opts: { starts?: GammaGammaParams[]; optimizer?: MinimizeOptions } = {},
): GammaGammaFit {
  const used = data.filter((d) => d.x > 0 && d.m > 0 && Number.isFinite(d.m));
  if (used.length === 0)
    throw new RangeError("fitGammaGamma: no customer with repeat transactions and positive value");
  const meanM = used.reduce((s, d) => s + d.m, 0) / used.length;
  const prepared = prepareSpend(used);
  const f = (v: number[]): number =>
    -logLikSpend({ p: Math.exp(v[0]!), q: Math.exp(v[1]!), gamma: Math.exp(v[2]!) }, prepared) / used.length;
  let best: { x: number[]; fx: number; converged: boolean } | undefined;
  const starts = opts.starts?.map((s) => [s.p, s.q, s.gamma]) ?? [
    [1, 1, meanM],
    [5, 3, meanM / 2],
    [0.5, 5, meanM * 4],
  ];
  for (const s of starts) {
    const res = nelderMead(f, s.map(Math.log), {
      step: 0.7,
      fTol: 1e-12,
      xTol: 1e-7,
      maxEvaluations: 6000,
      restarts: 6,
      ...opts.optimizer,
    });
    if (!best || res.fx < best.fx) best = res;
  }
  const b = best as { x: number[]; fx: number; converged: boolean };
  const params = { p: Math.exp(b.x[0]!), q: Math.exp(b.x[1]!), gamma: Math.exp(b.x[2]!) };
  return {
    ...params,
    logLik: gammaGammaLogLik(params, used),
    customers: used.length,
    converged: b.converged,
  };
}

/**
 * E[M | x, m]: the expected value of a customer's next transaction, a weighted mean of the population
 * mean pγ/(q−1) and the customer's own mean m. Needs q > 1; returns NaN otherwise.
 */
export function gammaGammaExpectedValue(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  if (!(q > 1)) return NaN;
  if (!(x > 0) || !(m > 0)) return (p * gamma) / (q - 1);
  return (p * (gamma + x * m)) / (p * x + q - 1);
}
