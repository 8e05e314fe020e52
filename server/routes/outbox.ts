import { z } from "zod";
import { intCursor } from "../cursor";
import { notFound } from "../errors";
import { OPS, VIEWER, cursorQuery, route } from "../route";
import type { RouteDef } from "../route";
import { outboxView } from "../views";

export const retryManyBody = z.object({
  keys: z.array(z.string().min(1).max(500)).min(1, { error: "name at least one delivery" }).max(1000),
});

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
        channel: z.string().max(100).optional(),
        ...cursorQuery,
      }),
      handler: async ({ ctx, query }) => {
        const rows = await ctx.read.outbox({
          ...(query.status ? { status: query.status } : {}),
          ...(query.journeyId ? { journeyId: query.journeyId } : {}),
          ...(query.customerId ? { customerId: query.customerId } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          ...(intCursor(query.cursor) !== undefined ? { after: intCursor(query.cursor)! } : {}),
          limit: query.limit + 1,
        });
        const more = rows.length > query.limit;
        const items = rows.slice(0, query.limit).map(outboxView);
        return { items, nextCursor: more ? String(rows[query.limit - 1]!.id) : null };
      },
    }),
    route({
      method: "get",
      path: "/api/outbox/:key",
      access: VIEWER,
      tag: "runs",
      summary: "One delivery by its idempotency key",
      handler: async ({ ctx, params }) => {
        const d = await ctx.read.delivery(params.key!);
        if (!d) throw notFound(`delivery ${params.key}`);
        return outboxView(d);
      },
    }),
    route({
      method: "post",
      path: "/api/outbox/retry",
      access: OPS,
      tag: "runs",
      summary: "Send many failed deliveries again; answers, per delivery, whether it was requeued or why not",
      body: retryManyBody,
      bodyLimit: 256 * 1024,
      handler: async ({ ctx, body, audit }) => {
        const results = await ctx.engine.retryDeliveries(body.keys);
        const retried = results.filter((r) => r.ok).map((r) => r.key);
        if (retried.length > 0) await audit("delivery.retry_many", null, { keys: retried });
        return { results };
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
