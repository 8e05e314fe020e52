import { createRng } from "./model/random.ts";
import { simulateCustomer } from "./model/simulate.ts";
import { fitBgNbd } from "./model/bgnbd.ts";
import { fitGammaGamma } from "./model/gamma-gamma.ts";
const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const gg = { p: 6, q: 4, gamma: 15 };
for (const seed of [1, 2, 3, 4, 5, 6]) {
  const rng = createRng(seed);
  const data = [];
  const sp = [];
  for (let i = 0; i < 10000; i++) {
    const T = 26 + rng.next() * 52;
    const c = simulateCustomer(rng, truth, T, gg);
    const x = c.times.length;
    data.push({ x, tx: x ? c.times[x - 1] : 0, T });
    if (x > 0) sp.push({ x, m: c.values.slice(1).reduce((a, b) => a + b, 0) / x });
  }
  const t = performance.now();
  const f = fitBgNbd(data);
  const g = fitGammaGamma(sp);
  console.log(
    seed,
    [
      f.r / truth.r,
      f.alpha / truth.alpha,
      f.a / truth.a,
      f.b / truth.b,
      g.p / gg.p,
      g.q / gg.q,
      g.gamma / gg.gamma,
    ]
      .map((v) => v.toFixed(3))
      .join(" "),
    (performance.now() - t).toFixed(0),
  );
}
