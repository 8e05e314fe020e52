/** Draws customer histories from BG/NBD + Gamma-Gamma with known parameters (tests and demo data). */
import type { BgNbdParams } from "./bgnbd";
import type { GammaGammaParams } from "./gamma-gamma";
import { beta, exponential, gamma } from "./random";
import type { Rng } from "./random";

export interface SimulatedCustomer {
  /** Repeat purchase times since the first purchase (time 0), in the model's unit, ascending, all <= T. */
  times: number[];
  /** Value of the first purchase and of each repeat purchase (same order as [0, ...times]). */
  values: number[];
  T: number;
  lambda: number;
  p: number;
  /** Time of dropout, or Infinity when still alive at T. */
  deathAt: number;
}

/** One customer observed for T after the first purchase. Values are drawn only when `spend` is given. */
export function simulateCustomer(
  rng: Rng,
  bg: BgNbdParams,
  T: number,
  spend?: GammaGammaParams,
): SimulatedCustomer {
  const lambda = gamma(rng, bg.r, bg.alpha);
  const p = beta(rng, bg.a, bg.b);
  const nu = spend ? gamma(rng, spend.q, spend.gamma) : 0;
  const times: number[] = [];
  const values: number[] = spend ? [gamma(rng, spend.p, nu)] : [];
  let t = 0;
  let deathAt = Infinity;
  for (;;) {
    t += exponential(rng, lambda);
    if (t > T) break;
    times.push(t);
    if (spend) values.push(gamma(rng, spend.p, nu));
    if (rng.next() < p) {
      deathAt = t;
      break;
    }
  }
  return { times, values, T, lambda, p, deathAt };
}
