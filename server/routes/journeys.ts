import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  ReplayTooLargeError,
  SimulationBudgetError,
  SimulationCancelledError,
  simulateInWorker,
  webhookDestinationIssues,
} from "../../engine/index";
import type { JourneyRow, NodeTally } from "../../engine/index";
import { timestampSchema } from "../../engine/schema/events";
import { limitProblems } from "../../engine/schema/limits";
import type { ServerContext } from "../context";
import { diffJourneys } from "../../engine/schema/diff";
import { badRequest, conflict, HttpError, notFound } from "../errors";
import { JOURNEY_LIBRARY, libraryJourney } from "../journey-library";
import { DEMO_NOTE, demoJourneyIds } from "../demo";
import { MARKETER, OPERATOR, VIEWER, route } from "../route";
import type { RouteDef } from "../route";
import { iso, journeyView, versionSummary } from "../views";

const docSchema = z
  .record(z.string(), z.unknown())
  .superRefine((doc, ctx) => {
    // Drafts may be invalid, but never unbounded: every later reader of a draft walks it recursively.
    for (const p of limitProblems(doc))
      ctx.addIssue({ code: "custom", path: p.keys, message: `${p.path || "(document)"}: ${p.message}` });
  })
  .meta({
    description: "A journey document (spec §1); drafts may be invalid, within the size and depth limits",
  });

async function getJourney(ctx: ServerContext, id: string): Promise<JourneyRow> {
  const j = await ctx.store.getJourney(id);
  if (!j) throw notFound(`journey ${id}`);
  return j;
}

async function liveVersionNumber(ctx: ServerContext, j: JourneyRow): Promise<number | null> {
  if (j.liveVersionId === null) return null;
  return (await ctx.store.getVersion(j.liveVersionId))?.version ?? null;
}

export async function journeyOut(ctx: ServerContext, j: JourneyRow) {
  const view = journeyView(j, await liveVersionNumber(ctx, j));
  // A live journey whose stored version cannot compile is not running; say so instead of hiding it.
  const unrunnable = ctx.engine.unrunnable().find((u) => u.journeyId === j.id);
  return unrunnable ? { ...view, problem: `not running: ${unrunnable.message}` } : view;
}

async function runCounts(ctx: ServerContext, journeyId: string) {
  return ctx.read.runTotals(journeyId);
}

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

/** Template pins for a publish: the current version and hash of every template the document uses. */
function templatePins(ctx: ServerContext, doc: unknown): Record<string, unknown> {
  const pins: Record<string, unknown> = {};
  const nodes = (doc as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return pins;
  for (const n of nodes as { data?: { template?: unknown } }[]) {
    const t = n.data?.template;
    if (typeof t === "string" && ctx.templates.has(t)) pins[t] = ctx.templates.pin(t);
  }
  return pins;
}

const demoNote = z
  .object({ en: z.string(), zh: z.string() })
  .optional()
  .meta({ description: "present on the demo's journeys: a note saying the data is generated" });
const journeySummary = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["draft", "live", "paused", "archived"]),
  liveVersion: z.number().nullable(),
  updatedAt: z.string(),
  demo: demoNote,
  counts: z.object({
    entered: z.number(),
    active: z.number(),
    converted: z.number(),
    exited: z.number(),
    failed: z.number(),
    completed: z.number(),
  }),
});
const journeyOutSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["draft", "live", "paused", "archived"]),
  draft: z.unknown(),
  problem: z.string().optional().meta({ description: "set when the live version cannot run" }),
  liveVersionId: z.number().nullable(),
  liveVersion: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  demo: demoNote,
});
const issueSchema = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.string(),
  message: z.string(),
  code: z.string().optional().meta({ description: "stable kind of issue (engine/schema/messages.ts)" }),
  params: z.record(z.string(), z.unknown()).optional().meta({ description: "values the message is made of" }),
});

export const createJourneyBody = z
  .object({
    doc: docSchema.optional(),
    template: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "a journey library id (GET /api/journey-library)" }),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => (b.doc === undefined) !== (b.template === undefined), {
    message: "send either doc or template",
    path: ["doc"],
  });

export const dryRunBody = z.object({
  doc: docSchema.optional(),
  from: timestampSchema,
  to: timestampSchema,
  limitCustomers: z.number().int().min(1).max(10_000).default(1000),
});

export function journeyRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/journeys",
      access: VIEWER,
      tag: "journeys",
      summary: "List journeys with run counts",
      response: z.array(journeySummary),
      handler: async ({ ctx }) => {
        const out = [];
        const demo = await demoJourneyIds(ctx);
        for (const j of await ctx.store.listJourneys()) {
          out.push({
            id: j.id,
            name: j.name,
            status: j.status,
            liveVersion: await liveVersionNumber(ctx, j),
            updatedAt: iso(j.updatedAt),
            counts: await runCounts(ctx, j.id),
            ...(demo.has(j.id) ? { demo: DEMO_NOTE } : {}),
          });
        }
        return out;
      },
    }),
    route({
      method: "get",
      path: "/api/journey-library",
      access: VIEWER,
      tag: "journeys",
      summary: "Built-in journeys to start from",
      handler: () => JOURNEY_LIBRARY,
    }),
    route({
      method: "post",
      path: "/api/journeys",
      access: MARKETER,
      tag: "journeys",
      summary: "Create a journey from a document or a library journey",
      body: createJourneyBody,
      response: journeyOutSchema,
      status: 201,
      bodyLimit: 2 * 1024 * 1024,
      handler: async ({ ctx, body, audit }) => {
        let doc: Record<string, unknown>;
        if (body.template !== undefined) {
          const lib = libraryJourney(body.template);
          if (!lib)
            throw badRequest(`unknown journey library id "${body.template}"`, [
              {
                path: "template",
                message: `unknown journey library id "${body.template}"; expected one of ${JOURNEY_LIBRARY.map((j) => j.id).join(", ")}`,
              },
            ]);
          doc = structuredClone(lib.doc);
        } else doc = body.doc!;
        if (body.name !== undefined) doc = { ...doc, name: body.name };
        const row = await ctx.engine.createJourney(doc, randomUUID());
        await audit("journey.create", row.id, { name: row.name, template: body.template ?? null });
        return journeyOut(ctx, row);
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id",
      access: VIEWER,
      tag: "journeys",
      summary: "One journey with its draft",
      response: journeyOutSchema,
      handler: async ({ ctx, params }) => {
        const out = await journeyOut(ctx, await getJourney(ctx, params.id!));
        return (await demoJourneyIds(ctx)).has(out.id) ? { ...out, demo: DEMO_NOTE } : out;
      },
    }),
    route({
      method: "put",
      path: "/api/journeys/:id/draft",
      access: MARKETER,
      tag: "journeys",
      summary: "Save the draft (autosave; drafts may be invalid)",
      body: z.object({ doc: docSchema }),
      response: journeyOutSchema,
      bodyLimit: 2 * 1024 * 1024,
      handler: async ({ ctx, params, body, audit }) => {
        const before = await ctx.store.getJourney(params.id!);
        const row = await ctx.engine.saveDraft(params.id!, body.doc);
        await audit("journey.draft", row.id, {
          name: row.name,
          ...(before ? { diff: diffJourneys(before.draft, row.draft) } : {}),
        });
        return journeyOut(ctx, row);
      },
    }),
    route({
      method: "post",
      path: "/api/journeys/:id/validate",
      access: VIEWER,
      tag: "journeys",
      summary: "Check the draft (or the given document) as publishing would; always 200",
      body: z.object({ doc: z.unknown().optional() }),
      bodyLimit: 2 * 1024 * 1024,
      response: z.object({ ok: z.boolean(), issues: z.array(issueSchema), warnings: z.array(issueSchema) }),
      handler: async ({ ctx, params, body }) => {
        const j = await getJourney(ctx, params.id!);
        const doc = body.doc ?? j.draft;
        const r = ctx.engine.validate(doc);
        const refused = ctx.channels.destinations
          ? webhookDestinationIssues(ctx.channels.destinations, doc)
          : [];
        const issues = [...(r.ok ? [] : r.issues), ...refused];
        return { ok: issues.length === 0, issues, warnings: r.warnings };
      },
    }),
    route({
      method: "post",
      path: "/api/journeys/:id/publish",
      access: MARKETER,
      tag: "journeys",
      summary:
        "Publish the draft as a new immutable version and make it live (409 with the issues if invalid)",
      status: 201,
      response: z.object({
        version: z.object({ id: z.number(), version: z.number(), publishedAt: z.string() }),
      }),
      handler: async ({ ctx, params, audit }) => {
        const j = await getJourney(ctx, params.id!);
        if (j.status === "archived") throw conflict("an archived journey cannot be published");
        const refused = ctx.channels.destinations
          ? webhookDestinationIssues(ctx.channels.destinations, j.draft)
          : [];
        if (refused.length) throw conflict("the journey is invalid", refused);
        const previous = (await ctx.store.listVersions(j.id)).reduce<{
          version: number;
          doc: unknown;
        } | null>((a, x) => (a === null || x.version > a.version ? x : a), null);
        const v = await ctx.engine.publish(j.id, undefined, templatePins(ctx, j.draft));
        await audit("journey.publish", j.id, {
          versionId: v.id,
          version: v.version,
          diff: diffJourneys(previous?.doc ?? {}, v.doc),
        });
        return { version: versionSummary(v) };
      },
    }),
    ...(["pause", "resume", "archive"] as const).map((op) =>
      route({
        method: "post",
        path: `/api/journeys/:id/${op}`,
        access: op === "archive" ? MARKETER : OPERATOR,
        tag: "journeys",
        summary:
          op === "pause"
            ? "Pause: freeze runs where they are"
            : op === "resume"
              ? "Resume a paused journey"
              : "Archive: stop the journey for good",
        response: journeyOutSchema,
        handler: async ({ ctx, params, audit }) => {
          const j = await getJourney(ctx, params.id!);
          await ctx.engine[op](j.id);
          await audit(`journey.${op}`, j.id);
          return journeyOut(ctx, await getJourney(ctx, j.id));
        },
      }),
    ),
    route({
      method: "get",
      path: "/api/journeys/:id/versions",
      access: VIEWER,
      tag: "journeys",
      summary: "Published versions",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        return (await ctx.store.listVersions(j.id)).map(versionSummary);
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id/versions/:version",
      access: VIEWER,
      tag: "journeys",
      summary: "One published version's document",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        const v = (await ctx.store.listVersions(j.id)).find((x) => String(x.version) === params.version);
        if (!v) throw notFound(`version ${params.version} of journey ${j.id}`);
        return { ...versionSummary(v), doc: v.doc, pins: v.pins };
      },
    }),
    route({
      method: "get",
      path: "/api/journeys/:id/versions/:a/diff/:b",
      access: VIEWER,
      tag: "journeys",
      summary: "What changed from version a to version b (`draft` names the current draft)",
      handler: async ({ ctx, params }) => {
        const j = await getJourney(ctx, params.id!);
        const versions = await ctx.store.listVersions(j.id);
        const docOf = (v: string): unknown => {
          if (v === "draft") return j.draft;
          const row = versions.find((x) => String(x.version) === v);
          if (!row) throw notFound(`version ${v} of journey ${j.id}`);
          return row.doc;
        };
        return diffJourneys(docOf(params.a!), docOf(params.b!));
      },
    }),
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
      method: "post",
      path: "/api/journeys/:id/audience/:nodeId/run",
      access: MARKETER,
      tag: "journeys",
      summary: "Run an audience trigger now instead of waiting for its schedule",
      handler: async ({ ctx, params, audit }) => {
        const j = await getJourney(ctx, params.id!);
        if (j.status !== "live")
          throw conflict(`journey ${j.id} is ${j.status}; only a live journey takes entries`);
        const entered = await ctx.engine.fireAudience(j.id, params.nodeId!);
        await audit("journey.audience_run", j.id, { nodeId: params.nodeId, entered });
        return { entered };
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
