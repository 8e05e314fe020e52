import { z } from "zod";
import { VIEWER, route } from "../route";
import type { RouteDef } from "../route";

const isoTime = z.iso.datetime({ offset: true });

/** Marketing outcome metrics: how fast churn signals are answered, how many surveys come back. */
export function metricRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/metrics/churn-response",
      access: VIEWER,
      tag: "metrics",
      summary:
        "Time from each churn signal to the first message delivered to that customer: share within 72 hours and median delay, overall and per journey",
      query: z.object({ from: isoTime.optional(), to: isoTime.optional() }),
      handler: ({ ctx, query }) => {
        const q = query;
        return ctx.read.churnResponse({
          ...(q.from ? { from: Date.parse(q.from) } : {}),
          ...(q.to ? { to: Date.parse(q.to) } : {}),
          now: ctx.engine.clock.now(),
        });
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id/survey-response-rate",
      access: VIEWER,
      tag: "metrics",
      summary: "Survey answers received per survey invitation delivered by this journey",
      handler: ({ ctx, params }) => ctx.read.surveyResponseRate(params.id!),
    }),
  ];
}
