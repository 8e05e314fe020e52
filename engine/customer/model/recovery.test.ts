/**
 * Parameter recovery: 10,000 customers simulated with known BG/NBD and Gamma-Gamma parameters,
 * observed 26–78 weeks after their first purchase. Stated tolerance (checked over seeds 1–6 during
 * development, worst cases: r 3%, α 4%, a 17%, b 23%, p 11%, q 4%, γ 16%): r and α within 10%, a and
 * b within 30% (the dropout Beta is the least identified part), the mean dropout probability a/(a+b)
 * within 10%, p and γ within 25%, q within 10%. The fitted log-likelihood is at least that at the truth.
 */
import { describe, expect, it } from "vitest";
import { bgnbdConditionalExpected, bgnbdLogLik, fitBgNbd } from "./bgnbd";
import type { RepeatSummary } from "./bgnbd";
import { fitGammaGamma, gammaGammaLogLik } from "./gamma-gamma";
import type { SpendSummary } from "./gamma-gamma";
import { createRng } from "./random";
import { simulateCustomer } from "./simulate";

const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const spendTruth = { p: 6, q: 4, gamma: 15 };
const rel = (x: number, y: number): number => Math.abs(x / y - 1);

describe("maximum likelihood recovers known parameters (10k simulated customers)", () => {
  const rng = createRng(1);
  const data: RepeatSummary[] = [];
  const spend: SpendSummary[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const T = 26 + rng.next() * 52;
    const c = simulateCustomer(rng, truth, T + 26, spendTruth);
    const cal = c.times.filter((t) => t <= T);
    const x = cal.length;
    data.push({ x, tx: x ? cal[x - 1]! : 0, T });
    holdout.push(c.times.length - x);
    if (x > 0) spend.push({ x, m: c.values.slice(1, x + 1).reduce((a, b) => a + b, 0) / x });
  }

  it("BG/NBD", () => {
    const fit = fitBgNbd(data);
    expect(rel(fit.r, truth.r)).toBeLessThan(0.1);
    expect(rel(fit.alpha, truth.alpha)).toBeLessThan(0.1);
    expect(rel(fit.a, truth.a)).toBeLessThan(0.3);
    expect(rel(fit.b, truth.b)).toBeLessThan(0.3);
    expect(rel(fit.a / (fit.a + fit.b), truth.a / (truth.a + truth.b))).toBeLessThan(0.1);
    expect(fit.logLik).toBeGreaterThanOrEqual(bgnbdLogLik(truth, data));
    // And it predicts the next 26 weeks in aggregate within 5%.
    const predicted = data.reduce((s, d) => s + bgnbdConditionalExpected(fit, 26, d), 0);
    const actual = holdout.reduce((s, v) => s + v, 0);
    expect(rel(predicted, actual)).toBeLessThan(0.05);
  });

  it("Gamma-Gamma", () => {
    const fit = fitGammaGamma(spend);
    expect(rel(fit.p, spendTruth.p)).toBeLessThan(0.25);
    expect(rel(fit.q, spendTruth.q)).toBeLessThan(0.1);
    expect(rel(fit.gamma, spendTruth.gamma)).toBeLessThan(0.25);
    expect(fit.logLik).toBeGreaterThanOrEqual(gammaGammaLogLik(spendTruth, spend));
  });
});
