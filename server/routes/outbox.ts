import { z } from "zod";
import { intCursor } from "../cursor";
import { OPS, VIEWER, cursorQuery, route } from "../route";
import type { RouteDef } from "../route";
import { outboxView } from "../views";

/** The outbox: deliveries with their status, and sending a failed one again. */
export function outboxRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/outbox",
      access: VIEWER,
      tag: "runs",
      summary: "Deliveries with their status, cursor-paginated",
      query: z.object({
        status: z.enum(["pending", "sending", "sent", "failed", "retry"]).optional(),
        journeyId: z.string().optional(),
        customerId: z.string().optional(),
        ...cursorQuery,
      }),
      handler: async ({ ctx, query }) => {
        const rows = await ctx.read.outbox({
          ...(query.status ? { status: query.status } : {}),
          ...(query.journeyId ? { journeyId: query.journeyId } : {}),
          ...(query.customerId ? { customerId: query.customerId } : {}),
          ...(intCursor(query.cursor) !== undefined ? { after: intCursor(query.cursor)! } : {}),
          limit: query.limit + 1,
        });
        const more = rows.length > query.limit;
        const items = rows.slice(0, query.limit).map(outboxView);
        return { items, nextCursor: more ? String(rows[query.limit - 1]!.id) : null };
      },
    }),
    route({
      method: "post",
      path: "/api/outbox/:key/retry",
      access: OPS,
      tag: "runs",
      summary: "Send a failed delivery again (same idempotency key)",
      handler: async ({ ctx, params, audit }) => {
        const key = params.key!;
        const delivery = await ctx.engine.retryDelivery(key);
        await audit("delivery.retry", key);
        return outboxView(delivery);
      },
    }),
  ];
}
