/**
 * The overview's back-fill after an import of history: for each past date without a snapshot, the `stage`
 * rows (customers and net spend per stage) and the `transition` rows (stage changes from the date before),
 * recomputed from each customer's order days as they stood at the end of that date with the stage rules'
 * day thresholds. Today's base counts on every date (a customer with no order by then is a prospect). RFM,
 * churn-risk and CLV rows are not back-filled: they need the models as they were then, so the charts of those
 * start with the first nightly snapshot. Dates that already have a snapshot are left as they are.
 */
import type { Store } from "../../store/types";
import { DEFAULT_CONFIG } from "../config";
import type { CustomerConfig } from "../config";
import { emptyProfile } from "../profile";
import { computeStage } from "../stages";
import { DAY_MS } from "../time";
import type { CustomerProfile, OrderDay, Stage } from "../types";
import { LIFECYCLE_STAGES } from "../../schema/journey";

/** A profile's order history cut at the end of `day` (what the stage rules read). */
export function profileAtDay(p: CustomerProfile, day: number): CustomerProfile {
  const days: OrderDay[] = [];
  let orders = 0;
  let spent = 0;
  for (const d of p.days) {
    if (d.day > day) break;
    days.push(d);
    orders += d.orders;
    spent += d.revenue - d.refunded;
  }
  const withOrders = days.filter((d) => d.orders > 0);
  const cut = emptyProfile();
  cut.days = days;
  cut.ordersCount = orders;
  cut.totalSpent = spent;
  // Order days only: the instant within the first and last day is not kept in the day list.
  cut.firstOrderAt = withOrders.length > 0 ? withOrders[0]!.day * DAY_MS : null;
  cut.lastOrderAt = withOrders.length > 0 ? withOrders[withOrders.length - 1]!.day * DAY_MS : null;
  return cut;
}

/** Stage and net spend of each customer at the end of `day`. */
function stageAt(p: CustomerProfile, day: number, config: CustomerConfig): { stage: Stage; value: number } {
  const cut = profileAtDay(p, day);
  return { stage: computeStage(cut, config.stages, (day + 1) * DAY_MS - 1).stage, value: cut.totalSpent };
}

export interface BackfillResult {
  /** Dates stored (YYYY-MM-DD count). */
  days: number;
  customers: number;
}

/**
 * Back-fills the `days` dates before `today` (a day number) that have no snapshot. Keeps every customer's
 * profile in memory for the pass (the order days only), so it is meant for the import command, not the server.
 */
export async function backfillSnapshots(
  store: Store,
  opts: { today: number; days: number; config?: CustomerConfig },
): Promise<BackfillResult> {
  const config = opts.config ?? DEFAULT_CONFIG;
  const first = opts.today - opts.days;
  const have = new Set(
    (await store.listSnapshots({ from: first, to: opts.today - 1, dimensions: ["stage"] })).map((r) => r.day),
  );
  const profiles: CustomerProfile[] = [];
  for (let after: string | null = null; ;) {
    const page = await store.scanCustomerStates(after, 2000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const c of page) {
      const p = c.state.version === 1 ? (c.state as unknown as CustomerProfile) : emptyProfile();
      profiles.push(p);
    }
  }
  let previous: Stage[] | null = null;
  let stored = 0;
  for (let day = first; day < opts.today; day++) {
    const counts = new Map<string, { customers: number; value: number }>(
      LIFECYCLE_STAGES.map((s) => [s, { customers: 0, value: 0 }]),
    );
    const moves = new Map<string, { customers: number; value: number }>();
    const stages: Stage[] = [];
    profiles.forEach((p, i) => {
      const { stage, value } = stageAt(p, day, config);
      stages.push(stage);
      const c = counts.get(stage)!;
      c.customers++;
      c.value += value;
      const before = previous?.[i];
      if (before !== undefined && before !== stage) {
        const m = moves.get(`${before}>${stage}`) ?? { customers: 0, value: 0 };
        m.customers++;
        m.value += value;
        moves.set(`${before}>${stage}`, m);
      }
    });
    previous = stages;
    if (have.has(day)) continue;
    const round = (n: number) => Math.round(n * 100) / 100;
    await store.putSnapshot(day, (day + 1) * DAY_MS - 1, [
      ...[...counts].map(([bucket, c]) => ({
        dimension: "stage",
        bucket,
        customers: c.customers,
        value: round(c.value),
        clv: 0,
      })),
      ...[...moves].map(([bucket, c]) => ({
        dimension: "transition",
        bucket,
        customers: c.customers,
        value: round(c.value),
        clv: 0,
      })),
    ]);
    stored++;
  }
  return { days: stored, customers: profiles.length };
}
