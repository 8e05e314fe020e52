/** Known answers for the numerics: the Beta term at extreme parameters, and fits with no dropout. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bgnbdConditionalExpected, bgnbdLogLik, bgnbdPAlive, fitBgNbd, logBetaRatio } from "./bgnbd";
import type { RepeatSummary } from "./bgnbd";
import { runModelFit } from "./fit-cli";
import { createRng, exponential, gamma } from "./random";
import { lgamma } from "./special";

describe("the Beta term ln B(a, b + x) / B(a, b)", () => {
  it("equals the exact product at ordinary parameters", () => {
    // B(a, b + x) / B(a, b) = Π_{k<x} (b + k) / (a + b + k).
    let p = 1;
    for (let k = 0; k < 5; k++) p *= (2.4 + k) / (0.8 + 2.4 + k);
    expect(logBetaRatio(0.8, 2.4, 5)).toBeCloseTo(Math.log(p), 14);
    expect(logBetaRatio(0.8, 2.4, 0)).toBe(0);
    // A long history takes the lgamma route; it agrees.
    const exact = lgamma(3.2) - lgamma(2.4) + lgamma(2.4 + 200) - lgamma(3.2 + 200);
    expect(logBetaRatio(0.8, 2.4, 200)).toBeCloseTo(exact, 10);
  });

  it("stays exact at b = 1e14, where lgamma differences lose it entirely", () => {
    // Σ ln(1 − a/(a+b+k)) ≈ −a Σ 1/(b+k) = −1.5e-14 for a = 0.5, x = 3.
    const v = logBetaRatio(0.5, 1e14, 3);
    expect(v / -1.5e-14).toBeCloseTo(1, 10);
    const viaLgamma = lgamma(0.5 + 1e14) - lgamma(1e14) + lgamma(1e14 + 3) - lgamma(0.5 + 1e14 + 3);
    expect(Math.abs(viaLgamma - v) / Math.abs(v)).toBeGreaterThan(0.5);
    // a = 0 (the NBD limit): no dropout, the term vanishes.
    expect(logBetaRatio(0, 1, 7)).toBe(0);
  });

  it("makes the likelihood continuous into the NBD limit", () => {
    const data: RepeatSummary[] = [
      { x: 0, tx: 0, T: 30 },
      { x: 4, tx: 20, T: 38 },
      { x: 12, tx: 35, T: 39 },
    ];
    const nbd = bgnbdLogLik({ r: 0.9, alpha: 6, a: 0, b: 1 }, data);
    const near = bgnbdLogLik({ r: 0.9, alpha: 6, a: 1e-4, b: 1e14 }, data);
    expect(Math.abs(near - nbd)).toBeLessThan(1e-9);
  });
});

/** Customers who never drop out: λ ~ Gamma(r, α), purchases a Poisson process, observed for T days. */
function nbdBase(n: number, r: number, alpha: number): RepeatSummary[] {
  const rng = createRng(11);
  const out: RepeatSummary[] = [];
  for (let i = 0; i < n; i++) {
    const T = 200 + Math.floor(rng.next() * 100);
    const lambda = gamma(rng, r, alpha);
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += exponential(rng, lambda);
      if (t > T) break;
      x++;
      last = t;
    }
    out.push({ x, tx: last, T });
  }
  return out;
}

describe("a fit with no dropout", () => {
  const data = nbdBase(3000, 1.2, 40);

  it("is reported as on the boundary and falls back to the NBD limit", () => {
    const fit = fitBgNbd(data);
    expect(fit.boundary).toBeDefined();
    expect(fit.a).toBe(0);
    // Where the four-parameter search went: dropout probability a/(a+b) ≈ 0.
    const { a, b } = fit.boundary!.reached;
    expect(a / (a + b)).toBeLessThan(1e-6);
    // The NBD limit is as likely as the boundary point, and recovers r and α.
    expect(fit.logLik).toBeGreaterThan(fit.boundary!.reached.logLik - 1e-3);
    expect(fit.r).toBeGreaterThan(1.0);
    expect(fit.r).toBeLessThan(1.45);
    expect(fit.r / fit.alpha).toBeCloseTo(1.2 / 40, 2);
    // Predictions in the limit: everyone alive; the Gamma-Poisson posterior mean rate.
    const c = { x: 6, tx: 150, T: 250 };
    expect(bgnbdPAlive(fit, c)).toBe(1);
    expect(bgnbdConditionalExpected(fit, 90, c)).toBeCloseTo(((fit.r + 6) * 90) / (fit.alpha + 250), 12);
  });

  it("says so in `model fit`'s output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rekindle-nbd-"));
    const file = join(dir, "nbd.csv");
    const start = Date.UTC(2024, 0, 1);
    const rng = createRng(5);
    const lines = ["customer_id,date,revenue"];
    for (let i = 0; i < 2000; i++) {
      const lambda = gamma(rng, 1.2, 40);
      let t = Math.floor(rng.next() * 30);
      for (;;) {
        lines.push(
          `c${i},${new Date(start + Math.floor(t) * 86_400_000).toISOString().slice(0, 10)},${(10 + rng.next() * 20).toFixed(2)}`,
        );
        t += exponential(rng, lambda);
        if (t > 300) break;
      }
    }
    writeFileSync(file, lines.join("\n") + "\n");
    let err = "";
    const out = await runModelFit(
      { ordersFile: file, unit: "day" },
      { write: (s: string) => ((err += s), true) },
    );
    expect(out.bgnbd.a).toBe(0);
    expect(out.bgnbd.noDropout?.fallback).toBe("nbd");
    expect(err).toMatch(/no dropout detected .* using the NBD limit \(a = 0, P\(alive\) = 1\)/);
  });
});
