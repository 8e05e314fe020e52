import { randomUUID } from "node:crypto";
import {
  copySqliteStoreInto,
  libraryRenderer,
  lifecycleModel,
  openSqliteStore,
  replayDemo,
  surveyLink,
  unsubscribeLinks,
} from "../engine/index";
import type { DemoReplayResult } from "../engine/index";
import { newWriteKey, sha256 } from "./auth";
import type { ServerContext } from "./context";
import { SEED_PLAYS } from "./journey-library";

/** The srv_meta key that marks a database holding demo data (its value describes the demo, JSON). */
export const DEMO_META_KEY = "demo_loaded";
/** Days of the demo replayed with its journeys live. */
export const DEMO_DAYS = 90;
/** What the builder shows beside demo journeys and customers. */
export const DEMO_NOTE = {
  en: "Demo data: generated customers, and 90 days replayed in virtual time with these journeys live. Customers answered messages through a documented response model (docs/demo.md); nothing was sent.",
  zh: "演示数据：生成的客户，并在虚拟时间中重放了这些旅程上线后的 90 天。客户按文档化的响应模型（docs/demo.md）回应消息；没有真正发送任何消息。",
};

export interface DemoResult {
  customers: number;
  events: number;
  responses: number;
  deliveries: number;
  journeys: { id: string; name: string; status: string }[];
  writeKey: string;
}

/** Whether this database should get the demo: never loaded before, and no journey of its own yet. */
export async function wantsDemo(ctx: ServerContext): Promise<boolean> {
  return (
    (await ctx.srv.getMeta(DEMO_META_KEY)) === undefined && (await ctx.store.listJourneys()).length === 0
  );
}

/**
 * The first start's demo, part 1 (the server's own engine must be closed: one engine per database): a
 * generated customer base whose last 90 days are replayed through the engine in virtual time with the
 * seed plays live (engine/customer/demo/replay.ts). Messages render with the links the server would put
 * in them (signed survey and unsubscribe links) and are recorded, not sent.
 */
export async function replayDemoInto(
  dbFile: string,
  links: {
    templates: ServerContext["templates"];
    unsubscribeSecret: string;
    surveySecret: string;
    publicUrl: string;
  },
  opts: { customers: number; now: number; seed?: string | number },
): Promise<DemoReplayResult> {
  // The replay commits thousands of small transactions; in memory they cost no file writes and no WAL
  // checkpoints, and the result goes into the database file at once, in one transaction.
  const store = openSqliteStore(":memory:");
  try {
    const surveyTtlMs = 30 * 86_400_000;
    const result = await replayDemo({
      store,
      model: lifecycleModel(),
      templates: libraryRenderer(links.templates, {
        unsubscribeUrl: unsubscribeLinks(links.unsubscribeSecret, links.publicUrl),
        surveyUrl: (invite) =>
          surveyLink(`${links.publicUrl}/s`, links.surveySecret, {
            ...invite,
            expiresAt: opts.now + surveyTtlMs,
          }),
      }),
      journeys: SEED_PLAYS.map((p) => ({ id: p.id, doc: p.doc })),
      customers: opts.customers,
      seed: opts.seed ?? "rekindle",
      now: opts.now,
      days: DEMO_DAYS,
    });
    await copySqliteStoreInto(store, dbFile);
    return result;
  } finally {
    await store.close();
  }
}

/** Part 2, on the server's context: audit the demo journeys, mark the database, and make a demo write key. */
export async function finishDemo(ctx: ServerContext, replay: DemoReplayResult): Promise<DemoResult> {
  const journeys: DemoResult["journeys"] = [];
  for (const play of SEED_PLAYS) {
    const row = await ctx.store.getJourney(play.id);
    if (!row) continue;
    await ctx.srv.audit(Date.now(), null, "journey.publish", row.id, {
      name: row.name,
      template: play.id,
      versionId: row.liveVersionId,
      demo: true,
    });
    journeys.push({ id: row.id, name: row.name, status: row.status });
  }
  const secret = newWriteKey();
  const keyId = randomUUID();
  await ctx.srv.insertKey({
    id: keyId,
    name: "demo",
    secretHash: sha256(secret),
    prefix: secret.slice(0, 7),
    createdBy: null,
    createdAt: Date.now(),
    revokedAt: null,
  });
  ctx.keys.invalidate();
  await ctx.srv.audit(Date.now(), null, "key.create", keyId, { name: "demo", demo: true });
  await ctx.srv.setMeta(
    DEMO_META_KEY,
    JSON.stringify({
      loadedAt: new Date().toISOString(),
      from: new Date(replay.from).toISOString(),
      to: new Date(replay.to).toISOString(),
      customers: replay.customers,
      journeys: journeys.map((j) => j.id),
    }),
  );
  return {
    customers: replay.customers,
    events: replay.events,
    responses: replay.responses,
    deliveries: replay.deliveries,
    journeys,
    writeKey: secret,
  };
}

/** The demo's journey ids, when this database holds the demo (for the API's `demo` labels). */
export async function demoJourneyIds(ctx: ServerContext): Promise<ReadonlySet<string>> {
  const raw = await ctx.srv.getMeta(DEMO_META_KEY);
  if (raw === undefined) return new Set();
  try {
    const v = JSON.parse(raw) as { journeys?: unknown };
    return new Set(Array.isArray(v.journeys) ? v.journeys.filter((j) => typeof j === "string") : []);
  } catch {
    // Databases from before the replay stored a bare timestamp: their demo journeys were the first three.
    return new Set();
  }
}
