/**
 * The lifecycle overview's daily snapshot: customers and their value per stage, RFM segment, RFM
 * recency × frequency cell and churn-risk band, the risk and CLV bands within each stage, and the stage
 * changes since the previous snapshot. One pass over the base in pages; the result is ~80 small rows a day
 * whatever the base's size (engine/schema/overview.ts lists the dimensions and bands).
 */
import { LIFECYCLE_STAGES } from "../../schema/journey";
import { clvBand, snapshotRiskBand } from "../../schema/overview";
import type { SnapshotDimension } from "../../schema/overview";
import type { SnapshotBucketRow, Store } from "../../store/types";
import type { LifecycleModel } from "../engine-model";
import type { CustomerFact } from "../fact";
import { emptyProfile } from "../profile";
import { DAY_MS } from "../time";
import type { CustomerProfile, Stage, StageChange } from "../types";

/** What one customer adds to a snapshot. */
export interface SnapshotSubject {
  stage: Stage;
  /** Net spend to date. */
  value: number;
  rfm?: { r: number; f: number; segment: string } | undefined;
  churnRisk?: number | undefined;
  clv?: number | undefined;
  stageHistory: readonly StageChange[];
}

interface Cell {
  customers: number;
  value: number;
  clv: number;
}

/** Sums customers into buckets; transitions are the stage changes with `since < at <= until`. */
export class SnapshotCollector {
  private readonly cells = new Map<string, Cell>();
  customers = 0;

  constructor(
    private readonly since: number,
    private readonly until: number,
  ) {
    // Every stage has a row, zero or not, so a chart's series never has holes.
    for (const s of LIFECYCLE_STAGES) this.cells.set(key("stage", s), { customers: 0, value: 0, clv: 0 });
  }

  add(s: SnapshotSubject): void {
    this.customers++;
    const clv = s.clv !== undefined && Number.isFinite(s.clv) ? s.clv : 0;
    const bump = (dimension: SnapshotDimension, bucket: string) => {
      const k = key(dimension, bucket);
      const c = this.cells.get(k) ?? { customers: 0, value: 0, clv: 0 };
      c.customers++;
      c.value += s.value;
      c.clv += clv;
      this.cells.set(k, c);
    };
    bump("stage", s.stage);
    const band = snapshotRiskBand(s.churnRisk);
    bump("risk", band);
    bump("risk_stage", `${s.stage}|${band}`);
    bump("clv_stage", `${s.stage}|${clvBand(s.clv)}`);
    if (s.rfm) {
      bump("rfm", s.rfm.segment);
      bump("rfm_cell", `${s.rfm.r}-${s.rfm.f}`);
    }
    for (const h of s.stageHistory)
      if (h.at > this.since && h.at <= this.until) bump("transition", `${h.from}>${h.to}`);
  }

  rows(): SnapshotBucketRow[] {
    const out: SnapshotBucketRow[] = [];
    for (const [k, c] of this.cells) {
      const [dimension, bucket] = k.split("\u0000") as [string, string];
      out.push({ dimension, bucket, customers: c.customers, value: round2(c.value), clv: round2(c.clv) });
    }
    return out.sort((a, b) => a.dimension.localeCompare(b.dimension) || a.bucket.localeCompare(b.bucket));
  }
}

const key = (dimension: SnapshotDimension, bucket: string) => `${dimension}\u0000${bucket}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The calendar date of `at` in `timezone`, as a day number (days since 1970-01-01 of that date). */
export function localDay(at: number, timezone: string): number {
  const ymd = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(at));
  return Math.round(Date.parse(`${ymd}T00:00:00Z`) / DAY_MS);
}

/** A day number as YYYY-MM-DD. */
export const dayText = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export interface SnapshotResult {
  day: string;
  customers: number;
  rows: number;
  /** Transitions counted since this instant (the previous snapshot's; `now` when there is none). */
  since: number;
}

const profileOf = (state: Record<string, unknown>): CustomerProfile =>
  state.version === 1 ? (state as unknown as CustomerProfile) : emptyProfile();

/** Lets timers and I/O run between pages, so the server keeps answering during the job. */
const breathe = (): Promise<void> => new Promise((ok) => setImmediate(ok));

/**
 * Takes the snapshot of `now`'s date in `timezone` and stores it (replacing that date's rows: on demand twice
 * a day, the later one stands). Transitions count from the newest snapshot of an earlier date.
 */
export async function takeSnapshot(
  store: Store,
  model: LifecycleModel,
  now: number,
  timezone: string,
  pageSize = 1000,
): Promise<SnapshotResult> {
  const day = localDay(now, timezone);
  // With no earlier snapshot there is nothing to compare with: the first one counts no transitions (else
  // an import's or the demo's first classification of the whole base would show as one day's flows).
  const since = (await store.lastSnapshot(day))?.takenAt ?? now;
  const collector = new SnapshotCollector(since, now);
  for (let after: string | null = null; ;) {
    const page = await store.scanCustomers(after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const c of page) {
      const fact = model.fact(c, now) as unknown as CustomerFact;
      collector.add({
        stage: fact.stage,
        value: fact.totalSpent,
        rfm: fact.rfm,
        churnRisk: fact.churnRisk,
        clv: fact.clv,
        stageHistory: profileOf(c.state).stageHistory,
      });
    }
    await breathe();
  }
  const rows = collector.rows();
  await store.putSnapshot(day, now, rows);
  return { day: dayText(day), customers: collector.customers, rows: rows.length, since };
}
