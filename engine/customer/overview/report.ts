/**
 * `GET /api/overview`: the stored daily snapshots over the period (stage counts per day, the newest day's
 * buckets, the period's stage flows) and the lifecycle KPIs (kpis.ts), over the Store interface only.
 */
import { LIFECYCLE_STAGES } from "../../schema/journey";
import type { LifecycleStage } from "../../schema/journey";
import { SNAPSHOT_DIMENSIONS } from "../../schema/overview";
import type { OverviewBucket, OverviewDay, OverviewResponse, SnapshotDimension } from "../../schema/overview";
import type { SnapshotRow, Store } from "../../store/types";
import { DEFAULT_CONFIG } from "../config";
import type { CustomerConfig } from "../config";
import { emptyProfile } from "../profile";
import { DAY_MS } from "../time";
import type { CustomerProfile } from "../types";
import { KpiCollector, baseKpis, churnSignalKpis, surveyResponseKpi, wakeUpRate } from "./kpis";
import { dayText } from "./snapshot";

export interface OverviewQuery {
  /** The period's length in days, ending with today (UTC). Default 30. */
  days?: number;
  now: number;
  config?: CustomerConfig;
}

const profileOf = (state: Record<string, unknown>): CustomerProfile =>
  state.version === 1 ? (state as unknown as CustomerProfile) : emptyProfile();

const bucketOf = (r: SnapshotRow): OverviewBucket => ({
  bucket: r.bucket,
  customers: r.customers,
  value: r.value,
  clv: r.clv,
});

export async function overviewReport(store: Store, q: OverviewQuery): Promise<OverviewResponse> {
  const days = q.days ?? 30;
  const config = q.config ?? DEFAULT_CONFIG;
  // Whole UTC days: the period ends with the end of today and starts `days` days before.
  const to = (Math.floor(q.now / DAY_MS) + 1) * DAY_MS;
  const from = to - days * DAY_MS;
  const lastDay = to / DAY_MS; // snapshot dates in zones ahead of UTC can be a day later
  const rows = await store.listSnapshots({ from: from / DAY_MS, to: lastDay });

  const byDay = new Map<number, SnapshotRow[]>();
  for (const r of rows) (byDay.get(r.day) ?? byDay.set(r.day, []).get(r.day)!).push(r);
  const series: OverviewDay[] = [...byDay.keys()]
    .sort((a, b) => a - b)
    .map((d) => {
      const stages = Object.fromEntries(LIFECYCLE_STAGES.map((s) => [s, 0])) as Record<
        LifecycleStage,
        number
      >;
      for (const r of byDay.get(d)!)
        if (r.dimension === "stage" && r.bucket in stages) stages[r.bucket as LifecycleStage] = r.customers;
      return { day: dayText(d), stages };
    });

  const newest = series.length > 0 ? Math.max(...byDay.keys()) : null;
  const latest = Object.fromEntries(SNAPSHOT_DIMENSIONS.map((d) => [d, [] as OverviewBucket[]])) as Record<
    SnapshotDimension,
    OverviewBucket[]
  >;
  const flows = new Map<string, OverviewBucket>();
  for (const r of rows) {
    if (r.dimension === "transition") {
      const f = flows.get(r.bucket) ?? { bucket: r.bucket, customers: 0, value: 0, clv: 0 };
      f.customers += r.customers;
      f.value += r.value;
      f.clv += r.clv;
      flows.set(r.bucket, f);
    } else if (r.day === newest && r.dimension in latest)
      latest[r.dimension as SnapshotDimension].push(bucketOf(r));
  }
  latest.transition = [...flows.values()].sort((a, b) => b.customers - a.customers);

  const w = { from, to, now: q.now };
  const collector = new KpiCollector(w);
  for (let after: string | null = null; ;) {
    const page = await store.scanCustomerStates(after, 2000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const c of page) collector.add(c.id, profileOf(c.state));
  }
  const { repurchase, retention } = baseKpis(collector);
  const wakeUp = await wakeUpRate(store, collector.episodes, w, config.orderEvent);
  const signals = await churnSignalKpis(store, w, config.orderEvent);
  const survey = await surveyResponseKpi(store, config.surveyEvent);

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    asOf: newest === null ? null : dayText(newest),
    days: series,
    latest,
    kpis: [wakeUp, signals.winBack, signals.answered, survey, repurchase, retention],
  };
}
