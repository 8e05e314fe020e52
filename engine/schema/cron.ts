import { CronExpressionParser } from "cron-parser";

/**
 * A cron schedule is 5 fields (minute hour day month weekday) or 6 with seconds first, as node-cron takes.
 * Returns a reason when invalid, `null` when valid.
 */
export function cronProblem(expr: unknown, timezone?: string): string | null {
  if (typeof expr !== "string" || expr.trim() === "") {
    return `a schedule needs a cron expression; got ${JSON.stringify(expr) ?? "nothing"}`;
  }
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `bad cron ${JSON.stringify(expr)}: expected 5 fields (minute hour day month weekday), got ${fields.length}`;
  }
  // cron-parser reads "H" as a hashed value that is random on every parse (node-cron rejects it): the
  // fire times would change from one scheduling to the next, so it is not a valid schedule here.
  if (fields.some((f) => /(?:^|,)H(?:$|[/(,])/i.test(f))) {
    return `bad cron ${JSON.stringify(expr)}: "H" (a random, hashed value) is not supported`;
  }
  try {
    CronExpressionParser.parse(expr, { strict: false, ...(timezone ? { tz: timezone } : {}) });
    return null;
  } catch (e) {
    return `bad cron ${JSON.stringify(expr)}: ${(e as Error).message}`;
  }
}

/** The cron fire times after `from` (exclusive) up to `until` (inclusive), in the given zone. */
export function cronTimesBetween(
  expr: string,
  timezone: string,
  from: Date,
  until: Date,
  limit = 10_000,
): Date[] {
  const it = CronExpressionParser.parse(expr, { currentDate: from, endDate: until, tz: timezone });
  const out: Date[] = [];
  while (out.length < limit && it.hasNext()) out.push(it.next().toDate());
  return out;
}

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
