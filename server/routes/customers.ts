import { z } from "zod";
import { timestampSchema } from "../../engine/schema/events";
import type { ServerContext } from "../context";
import { badRequest, conflict, notFound } from "../errors";
import { OPS, VIEWER, cursorQuery, route } from "../route";
import type { RouteDef } from "../route";
import { iso, outboxView, runView, stepView } from "../views";

const intCursor = (c: string | undefined, field = "cursor"): number | undefined => {
  if (c === undefined || c === "") return undefined;
  const n = Number(c);
  if (!Number.isSafeInteger(n) || n < 0)
    throw badRequest(`bad ${field}`, [{ path: field, message: `bad cursor ${JSON.stringify(c)}` }]);
  return n;
};

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

function querySteps(ctx: ServerContext, q: StepsQuery, after: number | undefined, limit: number) {
  return ctx.store.listSteps({
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

async function runWithSteps(ctx: ServerContext, id: number) {
  const run = await ctx.store.getRun(id);
  if (!run) throw notFound(`run ${id}`);
  const steps = await ctx.store.listSteps({ runId: id, limit: 10_000 });
  const deliveries = (
    await ctx.store.listOutbox({ customerId: run.customerId, journeyId: run.journeyId, limit: 10_000 })
  ).filter((o) => o.runId === id);
  return { ...runView(run), steps: steps.map(stepView), deliveries: deliveries.map(outboxView) };
}

export function customerRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/customers",
      access: VIEWER,
      tag: "customers",
      summary: "Search and page through customers (by id, email, name or phone)",
      query: z.object({ q: z.string().max(200).optional(), ...cursorQuery }),
      handler: ({ ctx, query }) => {
        const rows = ctx.srv.searchCustomers(query.q, query.cursor || undefined, query.limit + 1);
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
        const c = (await ctx.store.getCustomers([params.id!])).get(params.id!);
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
        const c = (await ctx.store.getCustomers([params.id!])).get(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        return (await ctx.store.listEvents(c.id, query.limit)).map((e) => ({
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
        const c = (await ctx.store.getCustomers([params.id!])).get(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        const runs = await ctx.store.listRuns({ customerId: c.id, limit: 1000 });
        const out = [];
        for (const r of runs.reverse()) out.push(await runWithSteps(ctx, r.id));
        return out;
      },
    }),
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
          res.write(`${CSV_COLUMNS.join(",")}\n`);
          let cursor = after;
          let left = query.limit === 100 ? 100_000 : query.limit;
          while (left > 0) {
            const page = await querySteps(ctx, query, cursor, Math.min(5000, left));
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
        const rows = await querySteps(ctx, query, after, query.limit + 1);
        const more = rows.length > query.limit;
        const items = rows.slice(0, query.limit).map(stepView);
        return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
      },
    }),
    route({
      method: "get",
      path: "/api/runs/:id",
      access: VIEWER,
      tag: "runs",
      summary: "A run with its steps and deliveries",
      handler: ({ ctx, params }) => {
        const id = Number(params.id);
        if (!Number.isSafeInteger(id)) throw notFound(`run ${params.id}`);
        return runWithSteps(ctx, id);
      },
    }),
    route({
      method: "post",
      path: "/api/runs/:id/retry",
      access: OPS,
      tag: "runs",
      summary: "Put a failed run back on the node where it failed (same idempotency key)",
      handler: async ({ ctx, params, audit }) => {
        const id = Number(params.id);
        if (!Number.isSafeInteger(id)) throw notFound(`run ${params.id}`);
        await ctx.engine.retryRun(id);
        audit("run.retry", String(id));
        return runWithSteps(ctx, id);
      },
    }),
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
        const rows = await ctx.store.listOutbox({
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
        const o = await ctx.store.getOutbox(key);
        if (!o) throw notFound(`delivery ${key}`);
        if (o.status !== "failed") throw conflict(`delivery ${key} is ${o.status}, not failed`);
        const run = await ctx.store.getRun(o.runId);
        if (run && run.status === "failed" && run.nodeId === o.nodeId) {
          try {
            await ctx.engine.retryRun(run.id);
          } catch (e) {
            throw conflict((e as Error).message);
          }
        } else if (o.resumesRun) {
          throw conflict(`run ${o.runId} already went on through its failed port; retry the run instead`);
        } else {
          ctx.store.db
            .prepare(
              "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, error = NULL, lease_until = NULL WHERE idempotency_key = ? AND status = 'failed'",
            )
            .run(ctx.engine.clock.now(), key);
        }
        audit("delivery.retry", key);
        return outboxView((await ctx.store.getOutbox(key))!);
      },
    }),
  ];
}
