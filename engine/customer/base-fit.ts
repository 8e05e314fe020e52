// Longer than the house limit on purpose: the base-wide fit is one pass over per-customer summaries, and its
// columns, subsample and likelihood evaluation share those typed arrays.
/**
 * The base-wide fit of the nightly job, from small per-customer summaries instead of whole profiles:
 * RFM quintile boundaries over every buyer, and BG/NBD + Gamma-Gamma by maximum likelihood.
 *
 * Memory is a few typed arrays (about 56 bytes per buyer: 1M buyers ≈ 56 MB), whatever the size of the
 * profiles. RFM boundaries are exact over every buyer. The likelihood maximisation runs on a seeded
 * random subsample of at most `maxFitCustomers` buyers (default 25,000): the maximum-likelihood estimate
 * on 25k customers has a sampling error far below the parameters' own uncertainty, and the optimiser's
 * cost grows with the customers it sees. The stored log-likelihoods are then evaluated on the whole base.
 * With at most `maxFitCustomers` buyers the fit equals `fitModelFromProfiles` on the same profiles.
 */
import type { BaseSnapshot } from "./base-snapshot";
import { bgnbdLogLikColumns, fitBgNbd } from "./model/bgnbd";
import type { BgNbdParams, RepeatSummary } from "./model/bgnbd";
import { fitGammaGamma, gammaGammaLogLik } from "./model/gamma-gamma";
import type { GammaGammaParams, SpendSummary } from "./model/gamma-gamma";
import { profileSummary } from "./model/predict";
import type { CustomerModel } from "./model/predict";
import { createRng } from "./model/random";
import { UNIT_DAYS } from "./model/summary";
import { percentile, rfmInputs } from "./rfm";
import type { Quartet, RfmBoundaries } from "./rfm";
import type { CustomerProfile } from "./types";
import { trainChurnModel } from "./churn/train";

export interface BaseFitOptions {
  /** Buyers the likelihood maximisation sees at most (a seeded subsample beyond that). Default 25,000. */
  maxFitCustomers?: number;
  /** Seed of the subsample (deterministic for a given base). */
  seed?: number;
  /** Yesterday's model: the optimiser starts from it (one start instead of three). */
  previous?: CustomerModel | undefined;
  /** Fewest customers with a repeat purchase for a model fit (below: no model). Default 20. */
  minRepeaters?: number;
  /** Buyers the churn model trains on at most (a seeded reservoir sample beyond that). Default 50,000. */
  maxChurnCustomers?: number;
  /** Train the churn model (default true; false: the bench's floor, BG/NBD and RFM only). */
  trainChurn?: boolean;
  /** The churn model's horizon in days (default 90). */
  churnHorizonDays?: number;
}

export interface BaseFitStats {
  /** Customers seen (prospects included). */
  customers: number;
  /** Customers with at least one order: the RFM base and the BG/NBD data. */
  buyers: number;
  repeaters: number;
  /** Customers the two likelihood maximisations used. */
  fitCustomers: { bgnbd: number; gammaGamma: number };
  fitMs: number;
  /** Why there is no model (too little data, or the fit failed), when there is none. */
  modelSkipped?: string;
  /** The churn model's hold-out AUC, or why none was trained. */
  churn?: { holdoutAuc: number; horizonDays: number; customers: number } | { skipped: string };
  churnMs?: number;
  /** Set when the BG/NBD optimum had no dropout: where the search went; the NBD limit (a = 0) is used. */
  noDropout?: { a: number; b: number; logLik: number };
}

export interface BaseFitResult {
  snapshot: BaseSnapshot;
  stats: BaseFitStats;
}

/**
 * The optimiser's stopping rule for the nightly fit: a little looser than the command line's (the
 * log-likelihood at the optimum differs by under 1e-8 on CDNOW; parameters agree to 6 digits), for about a
 * third fewer evaluations.
 */
const NIGHTLY_OPTIMIZER = { fTol: 1e-10, xTol: 1e-5, restarts: 2 };
/** Customers of the pilot fit that finds the starting point of a cold fit on a large base. */
const PILOT_CUSTOMERS = 5000;

/** A growable typed column. */
class Column {
  private a: Float64Array;
  n = 0;
  constructor(capacity = 1024) {
    this.a = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  get(i: number): number {
    return this.a[i]!;
  }
  /** The filled part (a view: sorting it sorts the column). */
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

function quartetOf(values: Float64Array): Quartet {
  values.sort();
  return [percentile(values, 0.2), percentile(values, 0.4), percentile(values, 0.6), percentile(values, 0.8)];
}

/**
 * RFM boundaries from columns of recency (days), frequency and monetary values, one entry per buyer.
 * Equal to `computeRfmBoundaries` over the same buyers. The arrays are sorted in place.
 */
export function computeRfmBoundariesFromColumns(
  recency: Float64Array,
  frequency: Float64Array,
  monetary: Float64Array,
  nowMs: number,
): RfmBoundaries {
  return {
    recency: quartetOf(recency),
    frequency: quartetOf(frequency),
    monetary: quartetOf(monetary),
    computedAt: new Date(nowMs).toISOString(),
    customers: recency.length,
  };
}

/** `count` distinct indices of [0, n), drawn without replacement (partial Fisher–Yates), ascending. */
function sampleIndices(n: number, count: number, seed: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.subarray(0, count).sort();
}

/** Collects the summaries of the nightly fit one profile at a time; `finish` fits and returns the snapshot. */
export class BaseFitCollector {
  private readonly x = new Column();
  private readonly tx = new Column();
  private readonly T = new Column();
  /** Mean repeat-transaction value, NaN when none. */
  private readonly m = new Column();
  private readonly rec = new Column();
  private readonly freq = new Column();
  private readonly mon = new Column();
  private seen = 0;
  private repeaters = 0;
  /** A reservoir sample of the buyers' profiles: the churn model's training rows. */
  private readonly sample: CustomerProfile[] = [];
  private readonly rng;

  constructor(
    readonly nowMs: number,
    private readonly opts: BaseFitOptions = {},
  ) {
    this.rng = createRng((opts.seed ?? 1) + 17);
  }

  add(p: CustomerProfile): void {
    this.seen++;
    const r = rfmInputs(p, this.nowMs);
    const s = profileSummary(p, this.nowMs);
    if (!r || !s) return;
    this.rec.push(r.recencyDays);
    this.freq.push(r.frequency);
    this.mon.push(r.monetary);
    // Whole days, as the CLI fit and fitModelFromProfiles do.
    this.x.push(s.x);
    this.tx.push(s.tx);
    this.T.push(Math.max(s.tx, Math.floor(s.T)));
    this.m.push(s.m);
    if (s.x > 0) this.repeaters++;
    const max = this.opts.trainChurn === false ? 0 : (this.opts.maxChurnCustomers ?? 50_000);
    const k = this.x.n;
    if (this.sample.length < max) this.sample.push(p);
    else {
      const j = Math.floor(this.rng.next() * k);
      if (j < max) this.sample[j] = p;
    }
  }

  get customers(): number {
    return this.seen;
  }
  get buyers(): number {
    return this.x.n;
  }

  finish(): BaseFitResult {
    const t0 = performance.now();
    const n = this.x.n;
    const stats: BaseFitStats = {
      customers: this.seen,
      buyers: n,
      repeaters: this.repeaters,
      fitCustomers: { bgnbd: 0, gammaGamma: 0 },
      fitMs: 0,
    };
    const snapshot: BaseSnapshot = {};
    if (n === 0) {
      stats.modelSkipped = "no customer has ordered";
      return { snapshot, stats };
    }
    const minRepeaters = this.opts.minRepeaters ?? 20;
    if (this.repeaters < minRepeaters) {
      stats.modelSkipped = `${this.repeaters} customers with a repeat purchase (a fit needs ${minRepeaters})`;
    } else {
      try {
        snapshot.model = this.fitModel(stats);
      } catch (err) {
        stats.modelSkipped = `fit failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    if (snapshot.model && this.opts.trainChurn !== false) {
      const t = performance.now();
      const trained = trainChurnModel(this.sample, this.nowMs, {
        horizonDays: this.opts.churnHorizonDays ?? 90,
        seed: this.opts.seed ?? 1,
        bgnbdStart: this.opts.previous?.churn?.bgnbd ?? undefined,
      });
      if (trained.model) {
        snapshot.model.churn = trained.model;
        stats.churn = {
          holdoutAuc: trained.model.holdoutAuc,
          horizonDays: trained.model.horizonDays,
          customers: trained.model.customers.train + trained.model.customers.holdout,
        };
      } else {
        // Yesterday's churn model stays in use rather than none.
        const prev = this.opts.previous?.churn;
        if (prev) snapshot.model.churn = prev;
        stats.churn = { skipped: trained.skipped ?? "no churn model" };
      }
      stats.churnMs = Math.round(performance.now() - t);
    }
    this.sample.length = 0;
    // Last: sorting the RFM columns in place.
    snapshot.rfm = computeRfmBoundariesFromColumns(
      this.rec.view(),
      this.freq.view(),
      this.mon.view(),
      this.nowMs,
    );
    stats.fitMs = Math.round(performance.now() - t0);
    return { snapshot, stats };
  }

  private fitModel(stats: BaseFitStats): CustomerModel {
    const n = this.x.n;
    const max = Math.max(1, this.opts.maxFitCustomers ?? 25_000);
    const seed = this.opts.seed ?? 1;
    const prev = this.opts.previous;

    // BG/NBD on every buyer, or a subsample.
    const pick = n > max ? sampleIndices(n, max, seed) : undefined;
    const bgData: RepeatSummary[] = [];
    const count = pick ? pick.length : n;
    for (let k = 0; k < count; k++) {
      const i = pick ? pick[k]! : k;
      bgData.push({ x: this.x.get(i), tx: this.tx.get(i), T: this.T.get(i) });
    }
    const prevBg: BgNbdParams | undefined = prev
      ? {
          r: prev.bgnbd.r,
          alpha: prev.bgnbd.alpha * UNIT_DAYS[prev.unit],
          a: prev.bgnbd.a,
          b: prev.bgnbd.b,
        }
      : undefined;
    // Cold (no model yet) on a large base: the three default starts run on a pilot subsample, and the
    // whole fit starts from the pilot's optimum, which is close to the full one.
    let starts = prevBg ? [prevBg] : undefined;
    if (!starts && bgData.length > 2 * PILOT_CUSTOMERS) {
      const pilot = fitBgNbd(
        Array.from(sampleIndices(bgData.length, PILOT_CUSTOMERS, seed + 2), (i) => bgData[i]!),
        { optimizer: NIGHTLY_OPTIMIZER },
      );
      starts = [{ r: pilot.r, alpha: pilot.alpha, a: pilot.a, b: pilot.b }];
    }
    const bg = fitBgNbd(bgData, { optimizer: NIGHTLY_OPTIMIZER, ...(starts ? { starts } : {}) });
    stats.fitCustomers.bgnbd = bgData.length;
    const bgnbd = { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b };
    if (bg.boundary) stats.noDropout = bg.boundary.reached;
    const bgLogLik = pick
      ? bgnbdLogLikColumns(bgnbd, this.x.view(), this.tx.view(), this.T.view(), n)
      : bg.logLik;

    // Gamma-Gamma on the repeaters with a positive mean value, when values vary.
    const spendIdx: number[] = [];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const m = this.m.get(i);
      if (this.x.get(i) > 0 && m > 0 && Number.isFinite(m)) {
        spendIdx.push(i);
        if (m < lo) lo = m;
        if (m > hi) hi = m;
      }
    }
    let gammaGamma: GammaGammaParams | null = null;
    let ggLogLik: number | null = null;
    if (spendIdx.length >= 2 && hi > lo) {
      const sub =
        spendIdx.length > max
          ? Array.from(sampleIndices(spendIdx.length, max, seed + 1), (k) => spendIdx[k]!)
          : spendIdx;
      const spend: SpendSummary[] = sub.map((i) => ({ x: this.x.get(i), m: this.m.get(i) }));
      const gg = fitGammaGamma(spend, {
        optimizer: NIGHTLY_OPTIMIZER,
        ...(prev?.gammaGamma ? { starts: [prev.gammaGamma] } : {}),
      });
      stats.fitCustomers.gammaGamma = spend.length;
      gammaGamma = { p: gg.p, q: gg.q, gamma: gg.gamma };
      if (sub === spendIdx) ggLogLik = gg.logLik;
      else {
        ggLogLik = 0;
        for (let s = 0; s < spendIdx.length; s += 10_000) {
          const chunk = spendIdx.slice(s, s + 10_000).map((i) => ({ x: this.x.get(i), m: this.m.get(i) }));
          ggLogLik += gammaGammaLogLik(gammaGamma, chunk);
        }
      }
    }
    return {
      unit: "day",
      bgnbd,
      ...(bg.boundary ? { nbdLimit: true } : {}),
      gammaGamma,
      fittedAt: new Date(this.nowMs).toISOString(),
      customers: n,
      logLik: { bgnbd: bgLogLik, gammaGamma: ggLogLik },
    };
  }
}

/** The whole fit over an iterable of profiles (tests, small bases): RFM boundaries and the model. */
export function fitBaseFromProfiles(
  profiles: Iterable<CustomerProfile>,
  nowMs: number,
  opts: BaseFitOptions = {},
): BaseFitResult {
  const c = new BaseFitCollector(nowMs, opts);
  for (const p of profiles) c.add(p);
  return c.finish();
}
