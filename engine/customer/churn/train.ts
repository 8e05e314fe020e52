/**
 * Training the churn model on the base's own history: rows are customers as they were `horizonDays` before
 * `now` (features at that cut), labelled by whether they ordered in the horizon that followed (which ends at
 * `now`, so nothing after `now` is read). The regression sees a seeded 70% of the rows; the other 30% give
 * the hold-out AUC and the isotonic calibration.
 */
import { fitBgNbd } from "../model/bgnbd";
import type { BgNbdParams, RepeatSummary } from "../model/bgnbd";
import { createRng, hashString } from "../model/random";
import { dayOf } from "../time";
import type { CustomerProfile } from "../types";
import { CHURN_FEATURES, FEATURE_COUNT, baseQuantiles, churnFeatures, orderedWithin } from "./features";
import { fitIsotonic } from "./isotonic";
import { fitLogistic, probability } from "./logistic";
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
  /** Past cuts the rows are taken at (30 days apart by default). Default 3. */
  windows?: number;
  windowStepDays?: number;
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
  // Rows at several past cuts (the latest first), each labelled by the horizon after it, so the model sees
  // customers at more ages and gaps than one cut shows. The split is by customer: a hold-out customer's
  // rows never reach the regression.
  const windows = Math.max(1, opts.windows ?? 3);
  const step = opts.windowStepDays ?? 30;
  const quantiles = Array.from({ length: windows }, (_, w) => baseQuantiles(eligible, cut - w * step));
  const trainX: number[] = [];
  const trainY: number[] = [];
  const holdX: number[] = [];
  const holdY: number[] = [];
  const row = { x: new Float64Array(FEATURE_COUNT), raw: new Float64Array(FEATURE_COUNT) };
  let churned = 0;
  let rowsAtCut = 0;
  for (let i = 0; i < n; i++) {
    const p = eligible[i]!;
    const inTrain = hashString(`${seed}:${i}`) % 10 < 7;
    for (let w = 0; w < windows; w++) {
      const c = cut - w * step;
      if (!churnFeatures(p, c, { ...ctx, quantiles: quantiles[w] }, row)) break;
      const label = orderedWithin(p, c, horizon) ? 0 : 1;
      if (w === 0) {
        rowsAtCut++;
        churned += label;
      }
      // Hold-out rows are the customers at the latest cut only: the AUC and calibration describe scoring.
      if (inTrain) {
        for (let j = 0; j < FEATURE_COUNT; j++) trainX.push(row.x[j]!);
        trainY.push(label);
      } else if (w === 0) {
        for (let j = 0; j < FEATURE_COUNT; j++) holdX.push(row.x[j]!);
        holdY.push(label);
      }
    }
  }
  if (churned < MIN_PER_CLASS || rowsAtCut - churned < MIN_PER_CLASS) {
    return {
      skipped: `${rowsAtCut - churned} customers ordered and ${churned} did not in the training horizon (a fit needs ${MIN_PER_CLASS} of each)`,
    };
  }
  const nTrain = trainY.length;
  const logistic = fitLogistic(Float64Array.from(trainX), Uint8Array.from(trainY), FEATURE_COUNT, {
    l2: opts.l2 ?? 0.03,
  });
  const holdScore = new Float64Array(holdY.length);
  for (let k = 0; k < holdY.length; k++) {
    holdScore[k] = probability(logistic, holdX.slice(k * FEATURE_COUNT, (k + 1) * FEATURE_COUNT));
  }
  const holdoutAuc = auc(holdScore, holdY);
  const calibration = fitIsotonic(holdScore, holdY);
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
      customers: { train: nTrain, holdout: holdY.length },
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
