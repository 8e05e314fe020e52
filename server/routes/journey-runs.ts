// Running a journey from the API: live per-node counts, entering customers by hand, running an audience now,
// the publish check and a test send before publishing, and the dry run (a simulation over stored events in a
// worker, within budgets).
import { z } from "zod";
import {
  ReplayTooLargeError,
  SimulationBudgetError,
  SimulationCancelledError,
  simulateInWorker,
} from "../../engine/index";
import type { NodeTally } from "../../engine/index";
import { timestampSchema } from "../../engine/schema/events";
import {
  audienceRunQueuedSchema,
  publishCheckSchema,
  testSendBodySchema,
  testSendResultSchema,
} from "../../engine/schema/publish-check";
import { badRequest, conflict, HttpError } from "../errors";
import { MARKETER, VIEWER, route } from "../route";
import type { RouteDef } from "../route";
import { getJourney } from "./journey-lookup";
import { docSchema } from "./journeys";

/** The stats API's shape of a node's tally (the builder's live counts). */
function nodeStatsView(n: NodeTally) {
  const skippedBy: Record<string, number> = {};
  for (const [reason, count] of n.skippedBy) skippedBy[reason ?? "unknown"] = count;
  return {
    entered: n.entered,
    waiting: n.waiting,
    active: n.active,
    ports: n.ports,
    executed: n.executed,
    failed: n.failed,
    skipped: n.skipped,
    skippedBy,
  };
}

export const dryRunBody = z.object({
  doc: docSchema.optional(),
  from: timestampSchema,
  to: timestampSchema,
  limitCustomers: z.number().int().min(1).max(10_000).default(1000),
});

export function journeyRunRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/journeys/:id/stats",
      access: VIEWER,
      tag: "journeys",
      summary: "Per-node and total counts from the run log",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        const stats = await ctx.read.journeyStats(j.id);
        const nodes: Record<string, ReturnType<typeof nodeStatsView>> = {};
        for (const [id, n] of stats.nodes) nodes[id] = nodeStatsView(n);
        return { nodes, totals: stats.totals };
      },
    }),
    route({
      method: "post",
      path: "/api/journeys/:id/enter",
      access: MARKETER,
      tag: "journeys",
      summary: "Enter customers by hand through the journey's manual (or first) trigger",
      body: z.object({ customerIds: z.array(z.string().min(1)).min(1).max(1000) }),
      handler: async ({ ctx, params, body, audit }) => {
        const j = await getJourney(ctx, params.id!);
        if (j.status !== "live")
          throw conflict(`journey ${j.id} is ${j.status}; only a live journey takes entries`);
        const out = await ctx.engine.enter(j.id, body.customerIds);
        await audit("journey.enter", j.id, {
          customers: body.customerIds.length,
          entered: out.filter((o) => o.runId !== null).length,
        });
        return out;
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id/publish-check",
      // Scans the customer base: for those who may publish, not for every viewer.
      access: MARKETER,
      tag: "journeys",
      summary:
        "Before publishing the draft: each trigger's audience now (or a stated proxy), next fire times, live journeys sharing a trigger, the diff against the live version",
      response: publishCheckSchema,
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        return ctx.engine.publishCheck(j.id);
      },
    }),
    route({
      method: "post",
      path: "/api/journeys/:id/audience/:nodeId/run",
      access: MARKETER,
      tag: "journeys",
      summary:
        "Run an audience trigger now: queues a slot due at once, which the scheduler fires like a scheduled one (202)",
      status: 202,
      response: audienceRunQueuedSchema,
      handler: async ({ ctx, params, audit }) => {
        const j = await getJourney(ctx, params.id!);
        const queued = await ctx.engine.queueAudienceRun(j.id, params.nodeId!);
        const dueAt = new Date(queued.dueAt).toISOString();
        await audit("journey.audience_run", j.id, { nodeId: queued.nodeId, dueAt });
        return { nodeId: queued.nodeId, dueAt };
      },
    }),
    route({
      method: "post",
      path: "/api/journeys/:id/test-send",
      access: MARKETER,
      tag: "journeys",
      summary:
        "Send one message step of the draft to one customer or address now, outside any run (nothing is logged as a delivery)",
      body: testSendBodySchema,
      response: testSendResultSchema,
      handler: async ({ ctx, params, body, audit }) => {
        const j = await getJourney(ctx, params.id!);
        const out = await ctx.engine.testSend(j.id, body);
        await audit("journey.test_send", j.id, {
          nodeId: body.nodeId,
          customerId: body.customerId ?? null,
          to: out.to,
          status: out.status,
        });
        return out;
      },
    }),
    route({
      method: "post",
      path: "/api/journeys/:id/dry-run",
      // A dry run replays stored history through the engine: heavy work, so not for every viewer.
      access: MARKETER,
      tag: "journeys",
      summary: "Simulate the draft (or the given document) over stored events in [from, to); nothing is sent",
      body: dryRunBody,
      bodyLimit: 2 * 1024 * 1024,
      handler: async ({ ctx, params, body, res }) => {
        const j = await getJourney(ctx, params.id!);
        const from = Date.parse(body.from);
        const to = Date.parse(body.to);
        if (!(to > from))
          throw badRequest("to must be after from", [{ path: "to", message: "to must be after from" }]);
        const events = await ctx.read
          .storedEventsForReplay({
            from,
            to,
            limitCustomers: body.limitCustomers,
            maxEvents: MAX_DRY_RUN_EVENTS,
          })
          .catch((e: unknown) => {
            if (e instanceof ReplayTooLargeError) throw new HttpError("too_large", e.message);
            throw e;
          });
        // Off the request thread and within budgets: a journey looping through a short wait over a long span
        // must neither freeze the server nor run forever. A client that goes away cancels it.
        const gone = new AbortController();
        const onClose = (): void => {
          if (!res.writableFinished) gone.abort();
        };
        res.on("close", onClose);
        try {
          const report = await simulateInWorker(
            {
              journeys: [{ source: j.id, doc: body.doc ?? j.draft }],
              events,
              until: to,
              budget: ctx.dryRunBudget,
              templates: ctx.templates
                .list()
                .flatMap((t) =>
                  ctx.templates.versions(t.name).flatMap((v) => ctx.templates.get(t.name, v) ?? []),
                ),
              model: { config: ctx.model.config, snapshot: ctx.model.snapshot() },
            },
            { signal: gone.signal },
          );
          return { ...report, input: { events: events.length, from: body.from, to: body.to } };
        } catch (e) {
          if (e instanceof SimulationBudgetError)
            throw new HttpError("too_large", `dry run: ${e.message}`, [
              { path: `budget.${e.budget}`, message: e.message, limit: e.limit },
            ]);
          if (e instanceof SimulationCancelledError) throw new HttpError("unavailable", e.message);
          throw e;
        } finally {
          res.off("close", onClose);
        }
      },
    }),
  ];
}

const MAX_DRY_RUN_EVENTS = 200_000;
