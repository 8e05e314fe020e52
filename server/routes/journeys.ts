import { randomUUID } from "node:crypto";
import { z } from "zod";
import { webhookDestinationIssues } from "../../engine/index";
import { limitProblems } from "../../engine/schema/limits";
import type { ServerContext } from "../context";
import { badRequest, conflict } from "../errors";
import { JOURNEY_LIBRARY, libraryJourney } from "../journey-library";
import { DEMO_NOTE, demoJourneyIds } from "../demo";
import { MARKETER, OPERATOR, VIEWER, route } from "../route";
import type { RouteDef } from "../route";
import { diffJourneys } from "../../engine/schema/diff";
import { iso, versionSummary } from "../views";
import { getJourney, journeyOut, liveVersionNumber } from "./journey-lookup";

export const docSchema = z
  .record(z.string(), z.unknown())
  .superRefine((doc, ctx) => {
    // Drafts may be invalid, but never unbounded: every later reader of a draft walks it recursively.
    for (const p of limitProblems(doc))
      ctx.addIssue({ code: "custom", path: p.keys, message: `${p.path || "(document)"}: ${p.message}` });
  })
  .meta({
    description: "A journey document (spec §1); drafts may be invalid, within the size and depth limits",
  });

async function runCounts(ctx: ServerContext, journeyId: string) {
  return ctx.read.runTotals(journeyId);
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
  ];
}
