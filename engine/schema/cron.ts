import { CronExpressionParser } from "cron-parser";
import { validateDetailed } from "node-cron";

/**
 * node-cron is the syntax gate: a schedule is valid exactly when node-cron 4 accepts it (5 fields, minute hour
 * day month weekday, or 6 with seconds first; names, ranges, steps, `L`, `#`, `@daily`-style nicknames).
 * Fire times come from cron-parser, because node-cron only computes them from the wall clock (`getNextRun`
 * reads `new Date()`), and time here is the engine's clock: scheduling is rows with due times, never a running
 * cron task. An expression node-cron accepts but cron-parser cannot read is refused too, with why.
 * Returns a reason when invalid, `null` when valid.
 */
export function cronProblem(expr: unknown, timezone?: string): string | null {
  if (typeof expr !== "string" || expr.trim() === "") {
    return `a schedule needs a cron expression; got ${JSON.stringify(expr) ?? "nothing"}`;
  }
  const checked = validateDetailed(expr);
  if (!checked.valid) {
    const why = checked.errors.map((e) => e.message).join("; ");
    return `bad cron ${JSON.stringify(expr)}: ${why}`;
  }
  try {
    CronExpressionParser.parse(expr, { strict: false, ...(timezone ? { tz: timezone } : {}) });
    return null;
  } catch (e) {
    return `bad cron ${JSON.stringify(expr)}: ${(e as Error).message}`;
  }
}

// cron-parser, not node-cron: node-cron 4 computes next runs only from the wall clock, not from a given instant.
export function nextCronTime(expr: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(expr, { currentDate: after, tz: timezone }).next().toDate();
}

/** The next `count` fire times strictly after `after`, in the given zone, earliest first. */
export function nextCronTimes(expr: string, timezone: string, after: Date, count: number): Date[] {
  const it = CronExpressionParser.parse(expr, { currentDate: after, tz: timezone });
  const out: Date[] = [];
  while (out.length < count) out.push(it.next().toDate());
  return out;
}
