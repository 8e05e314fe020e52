import { z } from "zod";
import { cursorQuery, route, VIEWER } from "../route";
import type { RouteDef } from "../route";
import { notFound } from "../errors";
import { iso, runTraceView } from "../views";
import { customerListCsv, listCustomers } from "../../engine/index";
import { customerListQuerySchema, customerListSchema } from "../../engine/schema/customer-list";

/** Customers: search, profile and computed state, events, and every run with its steps and deliveries. */
export function customerRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/customer-list",
      access: VIEWER,
      tag: "customers",
      summary:
        "Customers filtered by stage, RFM segment, churn-risk band and tag, sorted and paged; format=csv exports every match (UTF-8 with a BOM)",
      query: customerListQuerySchema,
      response: customerListSchema,
      produces: ["text/csv"],
      handler: async ({ ctx, query, res }) => {
        const list = await listCustomers(ctx.store, ctx.engine.model, query, ctx.engine.clock.now());
        if (query.format === "csv") {
          res.status(200).type("text/csv; charset=utf-8");
          res.setHeader("Content-Disposition", 'attachment; filename="customers.csv"');
          res.send(customerListCsv(list.rows));
          return undefined;
        }
        const { rows: _rows, ...page } = list;
        return page;
      },
    }),
    route({
      method: "get",
      path: "/api/customers",
      access: VIEWER,
      tag: "customers",
      summary: "Search and page through customers (by id, email, name or phone)",
      query: z.object({ q: z.string().max(200).optional(), ...cursorQuery }),
      handler: async ({ ctx, query }) => {
        const rows = await ctx.read.searchCustomers({
          q: query.q,
          after: query.cursor || undefined,
          limit: query.limit + 1,
        });
        const more = rows.length > query.limit;
        const items = rows.slice(0, query.limit).map((r) => ({
          id: r.id,
          traits: r.traits,
          stage: typeof r.state.stage === "string" ? r.state.stage : null,
          updatedAt: iso(r.updatedAt),
        }));
        return { items, nextCursor: more ? items[items.length - 1]!.id : null };
      },
    }),
    route({
      method: "get",
      path: "/api/customers/:id",
      access: VIEWER,
      tag: "customers",
      summary: "A customer's profile, computed state and the `customer` fact conditions see",
      handler: async ({ ctx, params }) => {
        const c = await ctx.read.customer(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        return {
          id: c.id,
          traits: c.traits,
          state: c.state,
          fact: ctx.engine.model.fact(c, ctx.engine.clock.now()),
          createdAt: iso(c.createdAt),
          updatedAt: iso(c.updatedAt),
        };
      },
    }),
    route({
      method: "get",
      path: "/api/customers/:id/events",
      access: VIEWER,
      tag: "customers",
      summary: "A customer's events, newest first",
      query: z.object({ limit: z.coerce.number().int().min(1).max(5000).default(200) }),
      handler: async ({ ctx, params, query }) => {
        const c = await ctx.read.customer(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        return (await ctx.read.events(c.id, query.limit)).map((e) => ({
          name: e.name,
          type: e.type,
          properties: e.properties,
          timestamp: iso(e.timestamp),
          messageId: e.messageId,
          receivedAt: iso(e.receivedAt),
        }));
      },
    }),
    route({
      method: "get",
      path: "/api/customers/:id/runs",
      access: VIEWER,
      tag: "customers",
      summary:
        "Every journey run of a customer with its steps and deliveries: where is this customer, and why",
      handler: async ({ ctx, params }) => {
        const c = await ctx.read.customer(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        return (await ctx.read.customerTrace(c.id)).map(runTraceView);
      },
    }),
  ];
}
