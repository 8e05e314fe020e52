/**
 * Training the churn model on the base's own history: rows are customers as they were at past cuts — the
 * latest `horizonDays` before `now`, then every `windowStepDays` further back as far as the history goes —
 * each labelled by whether the customer ordered in the horizon after that cut (every such horizon ends by
 * `now`, so nothing after `now` is read). Stacking the cuts shows the model and its calibration many windows,
 * not one: a single window's base rate is one season's (on Online Retail, the summer before the cut returned
 * 7 points fewer customers than the months around it), and the calibration inherited it (docs/models.md).
 * Cross-fitting by customer: the customers fall into `folds` seeded folds, and each fold's rows (at every
 * cut) are scored by a regression fitted on the other folds only. Those out-of-fold scores give the hold-out
 * AUC (at the latest cut: what scoring looks like) and the isotonic calibration (every cut, each weighing the
 * same); the stored regression is fitted on every row. A single 70/30 split left the calibration to a few
 * hundred hold-out customers on a small base, and its top block moved by up to 15 points between seeds.
 */
import { fitBgNbd } from "../model/bgnbd";
import type { BgNbdParams, RepeatSummary } from "../model/bgnbd";
import { createRng, hashString } from "../model/random";
import { dayOf } from "../time";
import type { CustomerProfile } from "../types";
import { CHURN_FEATURES, FEATURE_COUNT, baseQuantiles, churnFeatures, orderedWithin } from "./features";
import { fitIsotonic } from "./isotonic";
import { fitLogistic, probability } from "./logistic";
import type { LogisticModel } from "./logistic";
import { auc } from "./metrics";
import type { ChurnModel } from "./model";

export interface ChurnTrainOptions {
  horizonDays?: number;
  /** Customers the training sees at most (a seeded sample beyond that). Default 100,000. */
  maxCustomers?: number;
  seed?: number;
  l2?: number;
  /** Starting point of the BG/NBD fit at the training cut (yesterday's, say). */
  bgnbdStart?: BgNbdParams | undefined;
  /** Most past cuts the rows are taken at, `windowStepDays` apart. Default 12. */
  windows?: number;
  /** Default 30. */
  windowStepDays?: number;
  /** Most training rows over all cuts (older cuts are dropped beyond it). Default 400,000. */
  maxRows?: number;
  /** Customer folds of the cross-fitting (default 3). */
  folds?: number;
  /** Least share of the hold-out a calibration block holds (default 1%). */
  calibrationMinBlock?: number;
  /** Customers the BG/NBD fit at the cut sees at most. Default 25,000. */
  maxBgNbdCustomers?: number;
}

export interface ChurnTrainResult {
  model?: ChurnModel;
  /** Why there is no model, when there is none. */
  skipped?: string;
}

/** Fewest rows of each outcome for a fit worth storing. */
const MIN_PER_CLASS = 20;
const NIGHTLY_OPTIMIZER = { fTol: 1e-10, xTol: 1e-5, restarts: 2 };

export function trainChurnModel(
  profiles: readonly CustomerProfile[],
  nowMs: number,
  opts: ChurnTrainOptions = {},
): ChurnTrainResult {
  const horizon = opts.horizonDays ?? 90;
  const seed = opts.seed ?? 1;
  const cut = dayOf(nowMs) - horizon;
  // Customers who had ordered by the cut; a seeded sample when there are too many.
  let eligible = profiles.filter((p) => p.days.some((d) => d.orders > 0 && d.day <= cut));
  const max = opts.maxCustomers ?? 100_000;
  if (eligible.length > max) {
    const rng = createRng(seed + 11);
    const a = eligible.slice();
    for (let i = 0; i < max; i++) {
      const j = i + Math.floor(rng.next() * (a.length - i));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    eligible = a.slice(0, max);
  }
  const n = eligible.length;
  if (n === 0) return { skipped: `no customer had ordered ${horizon} days before now` };

  const bgnbd = fitAtCut(eligible, cut, opts, seed);
  const ctx = { bgnbd: bgnbd ?? undefined, horizonDays: horizon };
  // A cut is used when the base has at least one step of history before it (an older one sees a few days of
  // first orders only), down to `windows` cuts or `maxRows` training rows.
  const step = opts.windowStepDays ?? 30;
  let earliest = Infinity;
  for (const p of eligible) {
    const d = p.days.find((x) => x.orders > 0);
    if (d && d.day < earliest) earliest = d.day;
  }
  const maxWindows = Math.max(1, opts.windows ?? 12);
  const cuts: number[] = [cut];
  while (cuts.length < maxWindows && cut - cuts.length * step >= earliest + step)
    cuts.push(cut - cuts.length * step);
  const maxRows = opts.maxRows ?? 400_000;
  // The latest cut always fits (it holds at most n rows).
  const cap = Math.min(Math.max(maxRows, n), n * cuts.length);
  const X = new Float64Array(cap * FEATURE_COUNT);
  const Y = new Uint8Array(cap);
  const fold = new Uint8Array(cap);
  const cutOf = new Uint8Array(cap);
  const folds = Math.max(2, opts.folds ?? 3);
  const foldOf = eligible.map((_, i) => hashString(`${seed}:${i}`) % folds);
  let rows = 0;
  const row = { x: new Float64Array(FEATURE_COUNT), raw: new Float64Array(FEATURE_COUNT) };
  let churned = 0;
  let rowsAtCut = 0;
  let used = 0;
  for (let w = 0; w < cuts.length; w++) {
    const c = cuts[w]!;
    // Each cut takes all its rows or none, so no cut is half a sample.
    let rowsHere = 0;
    for (const p of eligible) if (p.days.some((d) => d.orders > 0 && d.day <= c)) rowsHere++;
    if (rows + rowsHere > cap) break;
    const ctxAt = { ...ctx, quantiles: baseQuantiles(eligible, c) };
    used++;
    for (let i = 0; i < n; i++) {
      const p = eligible[i]!;
      if (!churnFeatures(p, c, ctxAt, row)) continue;
      const label = orderedWithin(p, c, horizon) ? 0 : 1;
      if (w === 0) {
        rowsAtCut++;
        churned += label;
      }
      X.set(row.x, rows * FEATURE_COUNT);
      Y[rows] = label;
      fold[rows] = foldOf[i]!;
      cutOf[rows++] = w;
    }
  }
  if (churned < MIN_PER_CLASS || rowsAtCut - churned < MIN_PER_CLASS) {
    return {
      skipped: `${rowsAtCut - churned} customers ordered and ${churned} did not in the training horizon (a fit needs ${MIN_PER_CLASS} of each)`,
    };
  }
  const x = X.subarray(0, rows * FEATURE_COUNT);
  const y = Y.subarray(0, rows);
  const l2 = opts.l2 ?? 0.1;
  // Cross-fitting: each fold is scored by a regression that never saw its customers (at any cut); those
  // out-of-fold scores give the hold-out AUC and the calibration, and the stored regression sees every row.
  let logistic: LogisticModel;
  const oof = new Float64Array(rows);
  try {
    logistic = fitLogistic(x, y, FEATURE_COUNT, { l2 });
    const wt = new Float64Array(rows);
    for (let k = 0; k < folds; k++) {
      for (let r = 0; r < rows; r++) wt[r] = fold[r] === k ? 0 : 1;
      const m = fitLogistic(x, y, FEATURE_COUNT, { l2, weight: wt, start: logistic });
      for (let r = 0; r < rows; r++) {
        if (fold[r] === k) oof[r] = probability(m, x.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT));
      }
    }
  } catch (err) {
    // A fold with a single outcome (a tiny base) or a singular system: the caller keeps yesterday's model.
    return { skipped: `churn regression failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const perCut = new Array<number>(used).fill(0);
  for (let r = 0; r < rows; r++) perCut[cutOf[r]!]!++;
  const latest = perCut[0]!;
  // Rows are in cut order, so the latest cut's come first.
  const holdoutAuc = auc(oof.subarray(0, latest), y.subarray(0, latest));
  // Every cut weighs the same in the calibration, however many customers it held: one season each.
  const calibration = fitIsotonic(oof, y, {
    weight: Array.from(cutOf.subarray(0, rows), (w) => 1 / perCut[w]!),
    minBlock: (opts.calibrationMinBlock ?? 0.01) * used,
  });
  return {
    model: {
      version: 1,
      horizonDays: horizon,
      fittedAt: new Date(nowMs).toISOString(),
      trainedAt: new Date(cut * 86_400_000).toISOString().slice(0, 10),
      features: [...CHURN_FEATURES],
      logistic,
      calibration,
      bgnbd,
      quantiles: baseQuantiles(profiles, dayOf(nowMs)),
      holdoutAuc,
      baseRate: churned / rowsAtCut,
      customers: { train: rows, holdout: latest },
      cuts: used,
    },
  };
}

/** BG/NBD at the training cut (days), or null with too few repeat buyers or a failed fit. */
function fitAtCut(
  profiles: readonly CustomerProfile[],
  cut: number,
  opts: ChurnTrainOptions,
  seed: number,
): BgNbdParams | null {
  const data: RepeatSummary[] = [];
  let repeaters = 0;
  for (const p of profiles) {
    let first = -1;
    let last = -1;
    let x = -1;
    for (const d of p.days) {
      if (d.day > cut) break;
      if (d.orders === 0) continue;
      if (first < 0) first = d.day;
      last = d.day;
      x++;
    }
    if (first < 0) continue;
    data.push({ x, tx: last - first, T: cut - first });
    if (x > 0) repeaters++;
  }
  if (repeaters < 20) return null;
  const max = opts.maxBgNbdCustomers ?? 25_000;
  let sample = data;
  if (data.length > max) {
    const rng = createRng(seed + 5);
    sample = data.slice();
    for (let i = 0; i < max; i++) {
      const j = i + Math.floor(rng.next() * (sample.length - i));
      [sample[i], sample[j]] = [sample[j]!, sample[i]!];
    }
    sample = sample.slice(0, max);
  }
  try {
    const fit = fitBgNbd(sample, {
      optimizer: NIGHTLY_OPTIMIZER,
      ...(opts.bgnbdStart ? { starts: [opts.bgnbdStart] } : {}),
    });
    return { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b };
  } catch {
    return null;
  }
}
