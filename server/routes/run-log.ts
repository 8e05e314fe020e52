import { z } from "zod";
import { timestampSchema } from "../../engine/schema/events";
import type { ServerContext } from "../context";
import { intCursor } from "../cursor";
import { cursorQuery, route, VIEWER } from "../route";
import type { RouteDef } from "../route";
import { stepView } from "../views";

export const stepsQuery = z.object({
  journeyId: z.string().optional(),
  versionId: z.coerce.number().int().optional(),
  nodeId: z.string().optional(),
  customerId: z.string().optional(),
  runId: z.coerce.number().int().optional(),
  outcome: z.string().optional(),
  reason: z.string().optional(),
  error: z.enum(["true", "false"]).optional().meta({ description: "true: failed steps only" }),
  from: timestampSchema.optional(),
  to: timestampSchema.optional(),
  format: z.enum(["json", "csv"]).default("json"),
  ...cursorQuery,
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});
type StepsQuery = z.output<typeof stepsQuery>;

function queryRunLog(ctx: ServerContext, q: StepsQuery, after: number | undefined, limit: number) {
  return ctx.read.runLog({
    journeyId: q.journeyId,
    versionId: q.versionId,
    nodeId: q.nodeId,
    customerId: q.customerId,
    runId: q.runId,
    outcome: q.outcome,
    reason: q.reason,
    failed: q.error === undefined ? undefined : q.error === "true",
    from: q.from === undefined ? undefined : Date.parse(q.from),
    to: q.to === undefined ? undefined : Date.parse(q.to),
    after,
    limit,
  });
}

const CSV_COLUMNS = [
  "id",
  "at",
  "journeyId",
  "versionId",
  "runId",
  "customerId",
  "nodeId",
  "nodeType",
  "visit",
  "outcome",
  "port",
  "reason",
  "dueAt",
  "lateMs",
  "detail",
] as const;
const csvCell = (v: unknown): string => {
  const s =
    v === null || v === undefined
      ? ""
      : typeof v === "string"
        ? v
        : typeof v === "number" || typeof v === "boolean"
          ? `${v}`
          : JSON.stringify(v);
  // Cells that a spreadsheet would run as a formula are prefixed with a quote.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The run log: every step of every run, filtered and cursor-paginated, or exported as CSV. */
export function runLogRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/steps",
      access: VIEWER,
      tag: "runs",
      summary: "The run log, filtered and cursor-paginated; format=csv exports",
      query: stepsQuery,
      produces: ["text/csv"],
      handler: async ({ ctx, query, res }) => {
        const after = intCursor(query.cursor);
        if (query.format === "csv") {
          res.status(200).type("text/csv; charset=utf-8");
          res.setHeader("Content-Disposition", 'attachment; filename="steps.csv"');
          // A byte-order mark first: Excel on Chinese Windows reads a CSV without one as GBK and garbles it.
          res.write(`\uFEFF${CSV_COLUMNS.join(",")}\n`);
          let cursor = after;
          let left = query.limit === 100 ? 100_000 : query.limit;
          while (left > 0) {
            const page = await queryRunLog(ctx, query, cursor, Math.min(5000, left));
            if (page.length === 0) break;
            let chunk = "";
            for (const s of page) {
              const v = stepView(s) as Record<string, unknown>;
              chunk += `${CSV_COLUMNS.map((c) => csvCell(v[c])).join(",")}\n`;
            }
            res.write(chunk);
            cursor = page[page.length - 1]!.id;
            left -= page.length;
          }
          res.end();
          return;
        }
        const rows = await queryRunLog(ctx, query, after, query.limit + 1);
        const more = rows.length > query.limit;
        const items = rows.slice(0, query.limit).map(stepView);
        return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
      },
    }),
  ];
}
