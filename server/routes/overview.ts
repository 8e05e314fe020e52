import { z } from "zod";
import { localZone, takeSnapshot } from "../../engine/index";
import { OPERATOR, VIEWER, route } from "../route";
import type { RouteDef } from "../route";

/** The lifecycle overview: the base by stage, RFM and churn risk over time, and the lifecycle KPIs. */
export function overviewRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/overview",
      access: VIEWER,
      tag: "metrics",
      summary:
        "Customers per lifecycle stage over the period's daily snapshots, the newest snapshot's stage, RFM and churn-risk buckets, the period's stage flows, and the lifecycle KPIs beside their industry bands",
      query: z.object({ days: z.coerce.number().int().min(1).max(400).optional() }),
      handler: ({ ctx, query }) =>
        ctx.read.overview({
          ...(query.days !== undefined ? { days: query.days } : {}),
          now: ctx.engine.clock.now(),
          config: ctx.model.config,
        }),
    }),
    route({
      method: "post",
      path: "/api/overview/snapshot",
      access: OPERATOR,
      tag: "metrics",
      summary:
        "Takes today's lifecycle snapshot now (the daily job's work, on demand), replacing today's rows if it was taken already",
      handler: async ({ ctx, audit }) => {
        const r = await takeSnapshot(ctx.store, ctx.model, ctx.engine.clock.now(), localZone());
        await audit("overview.snapshot", r.day, { customers: r.customers, rows: r.rows });
        return r;
      },
    }),
  ];
}
