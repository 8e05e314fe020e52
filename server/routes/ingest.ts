import { z } from "zod";
import type { IngestStatus } from "../../engine/index";
import type { InputEvent } from "../../engine/schema/events";
import { identifyEventSchema, inputEventSchema, trackEventSchema } from "../../engine/schema/events";
import { checkInputLimits, INPUT_LIMITS, shortPath } from "../../engine/schema/input-limits";
import type { ServerContext } from "../context";
import { HttpError, zodIssues } from "../errors";
import type { IssueOut } from "../errors";
import { WRITE_KEY, route } from "../route";
import type { Call, RouteDef } from "../route";

/** Segment's limits: 32 KB per call, 500 KB per batch. */
export const EVENT_LIMIT = 32 * 1024;
export const BATCH_LIMIT = 500 * 1024;
export const MAX_BATCH_ITEMS = 5000;

type Normalized = { ok: true; event: InputEvent } | { ok: false; reason: string; issues: IssueOut[] };

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A Segment call as an input event (spec §2): the endpoint gives the type; a missing timestamp is the time
 * the call was received (Segment's rule); `anonymousId`-only calls and other call types are refused.
 */
export function normalize(raw: unknown, receivedAt: string, forcedType?: "identify" | "track"): Normalized {
  if (!isObj(raw))
    return {
      ok: false,
      reason: "an event must be a JSON object",
      issues: [{ path: "", message: "an event must be a JSON object" }],
    };
  const type = forcedType ?? raw.type;
  if (type !== "identify" && type !== "track") {
    const message = `unsupported type ${JSON.stringify(type ?? null)}; Rekindle takes identify and track calls`;
    return { ok: false, reason: message, issues: [{ path: "type", message }] };
  }
  if (
    (raw.userId === undefined || raw.userId === null || raw.userId === "") &&
    raw.anonymousId !== undefined
  ) {
    const message = "anonymous calls are not supported: send a userId";
    return { ok: false, reason: message, issues: [{ path: "userId", message }] };
  }
  const candidate: Record<string, unknown> = {
    type,
    userId: raw.userId,
    timestamp: raw.timestamp ?? raw.originalTimestamp ?? receivedAt,
    ...(raw.messageId !== undefined ? { messageId: raw.messageId } : {}),
  };
  if (type === "identify") candidate.traits = raw.traits ?? {};
  else {
    candidate.event = raw.event;
    candidate.properties = raw.properties ?? {};
  }
  const r = inputEventSchema.safeParse(candidate);
  if (!r.success) {
    const issues = zodIssues(r.error);
    return {
      ok: false,
      reason: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "),
      issues,
    };
  }
  return { ok: true, event: r.data };
}

/** How far after its receipt an event may be timestamped (clock skew); later ones are typos. */
export const MAX_FUTURE_MS = 24 * 3_600_000;

/** Limits on the whole call before anything else reads it: traits sit two levels below the call. */
function callLimits(raw: unknown): Normalized | null {
  const issue = checkInputLimits(raw, { ...INPUT_LIMITS, maxDepth: INPUT_LIMITS.maxDepth + 2 });
  if (!issue) return null;
  const path = shortPath(issue.path);
  // The call is checked two levels deeper than an event's own limit: say the limit the sender knows.
  const message =
    issue.code === "too_deep" ? `nested deeper than ${INPUT_LIMITS.maxDepth} levels` : issue.message;
  return { ok: false, reason: `${path}: ${message}`, issues: [{ path, message }] };
}

function tooLate(event: InputEvent, receivedMs: number): Normalized | null {
  if (Date.parse(event.timestamp) <= receivedMs + MAX_FUTURE_MS) return null;
  const message = `timestamp ${event.timestamp} is more than 24 hours after the call was received`;
  return { ok: false, reason: `timestamp: ${message}`, issues: [{ path: "timestamp", message }] };
}

/**
 * A write key may give a customer an email, never replace one: otherwise anyone holding the (browser-
 * visible) key could redirect another customer's messages. Returns the indexes refused, with why.
 */
async function emailTakeovers(
  ctx: ServerContext,
  events: readonly { index: number; event: InputEvent }[],
): Promise<Map<number, Normalized & { ok: false }>> {
  const refused = new Map<number, Normalized & { ok: false }>();
  const setting = events.filter(
    (g) => g.event.type === "identify" && typeof g.event.traits.email === "string",
  );
  if (!setting.length) return refused;
  const customers = await ctx.store.getCustomers([...new Set(setting.map((g) => g.event.userId))]);
  for (const g of setting) {
    const current = customers.get(g.event.userId)?.traits.email;
    const next = String((g.event as { traits?: Record<string, unknown> }).traits?.email);
    if (
      typeof current === "string" &&
      current !== "" &&
      current.trim().toLowerCase() !== next.trim().toLowerCase()
    ) {
      const message =
        "this customer already has an email; a write key may set an email only where there is none";
      refused.set(g.index, {
        ok: false,
        reason: `traits.email: ${message}`,
        issues: [{ path: "traits.email", message }],
      });
    }
  }
  return refused;
}

/**
 * The write key's budget is counted in events (a 5,000-call batch costs 5,000), and a full ingestion
 * queue sheds load with 503 + Retry-After instead of letting calls wait behind it.
 */
function checkRate(ctx: ServerContext, call: Call<unknown, unknown>, events = 1): void {
  if (ctx.ingester.queuedEvents + events > ctx.ingester.maxQueuedEvents) {
    ctx.metrics.ingested.inc({ type: "any", status: "shed" });
    throw new HttpError("unavailable", "ingestion is busy; send again shortly", undefined, {
      "Retry-After": "1",
    });
  }
  const wait = ctx.ingestLimiter.take(call.key!.id, events);
  if (wait > 0) {
    ctx.metrics.ingested.inc({ type: "any", status: "rate_limited" });
    throw new HttpError("rate_limited", "too many requests for this write key", undefined, {
      "Retry-After": String(wait),
    });
  }
}

const singleResponse = z.object({
  success: z.literal(true),
  status: z.enum(["accepted", "duplicate"]),
  messageId: z.string().nullable(),
});
const batchResponse = z.object({
  success: z.literal(true),
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  results: z.array(
    z.object({
      index: z.number(),
      status: z.enum(["accepted", "duplicate", "rejected", "error"]),
      messageId: z.string().nullable(),
      reason: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});

export const batchBody = z.object({
  batch: z
    .array(z.unknown())
    .max(MAX_BATCH_ITEMS, { error: `a batch takes at most ${MAX_BATCH_ITEMS} calls` })
    .meta({ description: "identify and track calls; each is answered on its own" }),
  sentAt: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

function single(type: "identify" | "track"): RouteDef {
  const schema = type === "identify" ? identifyEventSchema : trackEventSchema;
  return route({
    method: "post",
    path: `/v1/${type}`,
    access: WRITE_KEY,
    tag: "ingestion",
    summary: `Segment ${type} call`,
    body: z.unknown(),
    docBody: schema,
    bodyLimit: EVENT_LIMIT,
    response: singleResponse,
    handler: async (call) => {
      const { ctx, body } = call;
      checkRate(ctx, call);
      const receivedMs = Date.now();
      let n = callLimits(body) ?? normalize(body, new Date(receivedMs).toISOString(), type);
      if (n.ok) n = tooLate(n.event, receivedMs) ?? n;
      if (n.ok) n = (await emailTakeovers(ctx, [{ index: 0, event: n.event }])).get(0) ?? n;
      if (!n.ok) {
        ctx.metrics.ingested.inc({ type, status: "rejected" });
        throw new HttpError("bad_request", n.reason, n.issues);
      }
      const [status] = await ctx.ingester.submit([n.event]);
      ctx.metrics.ingested.inc({ type, status: status! });
      return { success: true, status: status!, messageId: n.event.messageId ?? null };
    },
  });
}

export function ingestRoutes(): RouteDef[] {
  return [
    single("identify"),
    single("track"),
    route({
      method: "post",
      path: "/v1/batch",
      access: WRITE_KEY,
      tag: "ingestion",
      summary:
        "Segment batch: each call is answered on its own; bad calls are rejected with their reason and do not block the good ones",
      body: batchBody,
      bodyLimit: BATCH_LIMIT,
      response: batchResponse,
      handler: async (call) => {
        const { ctx, body } = call;
        checkRate(ctx, call, Math.max(1, body.batch.length));
        const receivedMs = Date.now();
        const receivedAt = new Date(receivedMs).toISOString();
        const results: z.output<typeof batchResponse>["results"] = [];
        const good: { index: number; event: InputEvent }[] = [];
        body.batch.forEach((item, index) => {
          const merged =
            isObj(item) && body.context && !isObj(item.context) ? { ...item, context: body.context } : item;
          const bounded = callLimits(merged);
          const size = bounded ? 0 : (JSON.stringify(merged)?.length ?? 0);
          let n: Normalized =
            bounded ??
            (size > EVENT_LIMIT
              ? { ok: false, reason: `the call is ${size} bytes; at most ${EVENT_LIMIT}`, issues: [] }
              : normalize(merged, receivedAt));
          if (n.ok) n = tooLate(n.event, receivedMs) ?? n;
          const messageId = isObj(item) && typeof item.messageId === "string" ? item.messageId : null;
          if (n.ok) {
            good.push({ index, event: n.event });
            results.push({ index, status: "accepted", messageId });
          } else {
            results.push({
              index,
              status: "rejected",
              messageId,
              reason: n.reason,
              ...(n.issues.length ? { issues: n.issues } : {}),
            });
            ctx.metrics.ingested.inc({
              type: isObj(item) && typeof item.type === "string" ? item.type.slice(0, 20) : "unknown",
              status: "rejected",
            });
          }
        });
        const takeovers = await emailTakeovers(ctx, good);
        for (const [index, n] of takeovers) {
          Object.assign(results[index]!, { status: "rejected", reason: n.reason, issues: n.issues });
          ctx.metrics.ingested.inc({ type: "identify", status: "rejected" });
        }
        if (takeovers.size) good.splice(0, good.length, ...good.filter((g) => !takeovers.has(g.index)));
        // Chunks keep the event loop responsive; each chunk is one transaction, and every call's answer says
        // whether it was committed. Retrying a batch with the same messageIds is safe.
        const size = ctx.ingester.chunkSize;
        for (let i = 0; i < good.length; i += size) {
          const chunk = good.slice(i, i + size);
          let statuses: IngestStatus[] | null = null;
          try {
            statuses = await ctx.ingester.submit(chunk.map((g) => g.event));
          } catch (e) {
            ctx.log.error({ err: e }, "batch chunk failed");
          }
          chunk.forEach((g, j) => {
            const r = results[g.index]!;
            const s = statuses?.[j];
            if (s === undefined) {
              r.status = "error";
              r.reason = "not stored (internal error); send it again";
            } else r.status = s;
            ctx.metrics.ingested.inc({ type: g.event.type, status: r.status });
          });
        }
        let accepted = 0;
        let duplicates = 0;
        let rejected = 0;
        for (const r of results) {
          if (r.status === "accepted") accepted++;
          else if (r.status === "duplicate") duplicates++;
          else rejected++;
        }
        return { success: true, accepted, duplicates, rejected, results };
      },
    }),
  ];
}
