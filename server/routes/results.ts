import { z } from "zod";
import { computeResults, resultsCsv } from "../../engine/index";
import type { ResultsOptions } from "../../engine/index";
import { timestampSchema } from "../../engine/schema/events";
import { resultsReportSchema } from "../../engine/schema/results";
import type { ServerContext } from "../context";
import { route, VIEWER } from "../route";
import type { RouteDef } from "../route";

const resultsQuery = z.object({
  from: timestampSchema.optional().meta({ description: "entries at or after this time (ISO 8601)" }),
  to: timestampSchema.optional().meta({ description: "entries before this time (ISO 8601)" }),
  asOf: timestampSchema.optional().meta({ description: "the report's moment (default: now)" }),
  version: z.coerce.number().int().min(1).optional().meta({ description: "one published version" }),
  format: z.enum(["json", "csv"]).default("json"),
});

function options(ctx: ServerContext, q: z.output<typeof resultsQuery>): ResultsOptions {
  return {
    asOf: q.asOf ? Date.parse(q.asOf) : ctx.engine.clock.now(),
    ...(q.from ? { from: Date.parse(q.from) } : {}),
    ...(q.to ? { to: Date.parse(q.to) } : {}),
    ...(q.version !== undefined ? { version: q.version } : {}),
  };
}

/** The results report (spec §4) and its per-customer CSV export. */
export function resultsRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/journeys/:id/results",
      access: VIEWER,
      tag: "journeys",
      summary:
        "What the journey achieved: conversions, revenue and each split's experiment (spec §4); format=csv exports one row per entry",
      query: resultsQuery,
      response: resultsReportSchema,
      produces: ["text/csv"],
      handler: async ({ ctx, query, params, res }) => {
        const opts = options(ctx, query);
        if (query.format !== "csv") return computeResults(ctx.store, params.id!, opts);
        const chunks = resultsCsv(ctx.store, params.id!, opts);
        const first = await chunks.next(); // a missing journey or version fails before any header is sent
        res.status(200).type("text/csv; charset=utf-8");
        res.setHeader("Content-Disposition", `attachment; filename="results-${params.id!}.csv"`);
        if (!first.done) res.write(first.value);
        for await (const chunk of chunks) res.write(chunk);
        res.end();
        return;
      },
    }),
  ];
}
