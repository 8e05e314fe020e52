/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JOURNEY_LIMITS } from "../../engine/schema/limits";
import { createApp } from "../../server/app";
import { createContext } from "../../server/context";
import { dbOf, request, simpleJourney, testServer } from "./helpers";
import type { TestServer } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "rekindle-deep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A condition nested `depth` groups deep, as a JSON string (too deep for JSON.stringify at 20,000). */
function deepConditionJson(depth: number): string {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    open += `{"${i % 2 ? "all" : "any"}":[`;
    close += "]}";
  }
  return `{"all":[${open}{"fact":"traits","path":"$.plan","operator":"equal","value":"pro"}${close}]}`;
}

/** simpleJourney with an event trigger whose `where` is nested `depth` groups deep. */
function deepJourneyJson(depth: number): string {
  const doc = simpleJourney({ name: "Deep", trigger: { kind: "event", event: "order", where: "@@WHERE@@" } });
  return JSON.stringify(doc).replace('"@@WHERE@@"', deepConditionJson(depth));
}

const headers = (s: TestServer) => ({
  Authorization: `Bearer ${s.token("marketer")}`,
  "Content-Type": "application/json",
});

/** Stores a journey straight in the database, as a version published before the limits existed. */
function storeLiveJourney(s: TestServer, id: string, docJson: string): void {
  const db = dbOf(s.ctx.store);
  const now = Date.now();
  db.prepare(
    "INSERT INTO journeys (id, name, status, draft, live_version_id, created_at, updated_at) VALUES (?, 'Deep', 'draft', ?, NULL, ?, ?)",
  ).run(id, docJson, now, now);
  const v = db
    .prepare<[string, string, number], { id: number }>(
      "INSERT INTO journey_versions (journey_id, version, doc, pins, published_at) VALUES (?, 1, ?, '{}', ?) RETURNING id",
    )
    .get(id, docJson, now)!;
  db.prepare("UPDATE journeys SET status = 'live', live_version_id = ? WHERE id = ?").run(v.id, id);
}

describe("a journey nested beyond the limits", () => {
  it("is refused at create and draft save with a 400 naming the path, and nothing is stored", async () => {
    const s = await testServer();
    try {
      const body = `{"doc":${deepJourneyJson(2000)}}`;
      const created = await request(s.app).post("/api/journeys").set(headers(s)).send(body);
      expect(created.status).toBe(400);
      const message = JSON.stringify(created.body.error.issues);
      expect(message).toContain("nodes[0].data.where.all[0].any[0].all[0]");
      expect(message).toContain(`more than ${JOURNEY_LIMITS.conditionDepth} groups deep`);
      expect(dbOf(s.ctx.store).prepare("SELECT count(*) AS n FROM journeys").get()).toEqual({ n: 0 });

      const ok = await request(s.app).post("/api/journeys").set(headers(s)).send({ doc: simpleJourney() });
      expect(ok.status).toBe(201);
      const saved = await request(s.app).put(`/api/journeys/${ok.body.id}/draft`).set(headers(s)).send(body);
      expect(saved.status).toBe(400);
    } finally {
      await s.close();
    }
  });

  it("stored as a draft, fails publishing with its path and leaves other publishes working", async () => {
    const s = await testServer();
    try {
      const now = Date.now();
      dbOf(s.ctx.store)
        .prepare(
          "INSERT INTO journeys (id, name, status, draft, live_version_id, created_at, updated_at) VALUES ('deep', 'Deep', 'draft', ?, NULL, ?, ?)",
        )
        .run(deepJourneyJson(2000), now, now);
      const published = await request(s.app).post("/api/journeys/deep/publish").set(headers(s));
      expect(published.status).toBe(409);
      expect(published.body.error.issues[0]).toMatchObject({
        nodeId: "t1",
        code: "limit.condition_depth",
        path: expect.stringMatching(/^nodes\[0\]\.data\.where\.all\[0\]\.any\[0\]\.all\[0\]/) as unknown,
      });
      const row = dbOf(s.ctx.store).prepare("SELECT status FROM journeys WHERE id = 'deep'").get();
      expect(row).toEqual({ status: "draft" });

      for (let i = 0; i < 2; i++) {
        const other = await request(s.app)
          .post("/api/journeys")
          .set(headers(s))
          .send({ doc: simpleJourney() });
        const ok = await request(s.app).post(`/api/journeys/${other.body.id}/publish`).set(headers(s));
        expect(ok.status).toBe(201);
      }
    } finally {
      await s.close();
    }
  });

  it("already live in the database, is skipped and reported at start-up while the rest runs", async () => {
    const dbFile = join(dir, "live.db");
    const first = await testServer({ dbFile });
    storeLiveJourney(first, "deep", deepJourneyJson(2000));
    const marketer = {
      Authorization: `Bearer ${first.token("marketer")}`,
      "Content-Type": "application/json",
    };
    await first.close();

    // Opening the same database again is the server's start-up (createContext opens the engine).
    const ctx = await createContext({ dbFile, logLevel: "silent", kdfCost: 1024 });
    const s = { ctx, app: createApp(ctx) };
    try {
      const health = await request(s.app).get("/healthz");
      expect(health.status).toBe(200);
      expect(health.body.unrunnableJourneys).toEqual([
        { journeyId: "deep", message: expect.any(String) as unknown },
      ]);
      const deep = await request(s.app).get("/api/journeys/deep").set(marketer);
      expect(deep.status, JSON.stringify(deep.body)).toBe(200);
      expect(deep.body.problem).toMatch(/^not running: /);
      const other = await request(s.app).post("/api/journeys").set(marketer).send({ doc: simpleJourney() });
      const ok = await request(s.app).post(`/api/journeys/${other.body.id}/publish`).set(marketer);
      expect(ok.status).toBe(201);
      expect(s.ctx.engine.live().map((j) => j.journeyId)).toEqual([other.body.id]);
    } finally {
      await ctx.close();
    }
  });
});
