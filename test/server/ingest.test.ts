/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- HTTP response bodies are untyped JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbOf, request, simpleJourney, snapshot, testServer, ts } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ ingestRate: { rate: 1, burst: 1000 } });
  const j = await s.ctx.engine.createJourney(
    simpleJourney({ name: "On signup", trigger: { kind: "event", event: "signed_up" } }),
    "j-signup",
  );
  await s.ctx.engine.publish(j.id);
});
afterAll(async () => {
  await s.close();
});

const count = (sql: string): number => dbOf(s.ctx.store).prepare<[], { n: number }>(sql).get()!.n;

describe("Segment ingestion", () => {
  it("identify and track land, trigger journeys, and dedupe by messageId", async () => {
    const id = await request(s.app)
      .post("/v1/identify")
      .set("Authorization", s.basic())
      .send({ userId: "u-1", traits: { email: "u1@example.com" }, messageId: "i-1" });
    expect(id.body).toEqual({ success: true, status: "accepted", messageId: "i-1" });
    const tr = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic())
      .send({ userId: "u-1", event: "signed_up", messageId: "t-1", timestamp: ts() });
    expect(tr.body.status).toBe("accepted");
    const dup = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic())
      .send({ userId: "u-1", event: "signed_up", messageId: "t-1", timestamp: ts() });
    expect(dup.body.status).toBe("duplicate");
    expect(count("SELECT count(*) AS n FROM events WHERE message_id = 't-1'")).toBe(1);
    expect(
      count("SELECT count(*) AS n FROM runs WHERE journey_id = 'j-signup' AND customer_id = 'u-1'"),
    ).toBe(1);
    const c = (await s.ctx.store.getCustomers(["u-1"])).get("u-1")!;
    expect(c.traits.email).toBe("u1@example.com");
  });
  it("400 with issues for a bad single call, nothing stored", async () => {
    const before = snapshot(s.ctx);
    const r = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic())
      .send({ userId: "u-2", timestamp: "2026-03-02 10:30" });
    expect(r.status).toBe(400);
    expect(r.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["event", "timestamp"]);
    const anon = await request(s.app)
      .post("/v1/identify")
      .set("Authorization", s.basic())
      .send({ anonymousId: "a-1" });
    expect(anon.status).toBe(400);
    expect(anon.body.error.message).toContain("userId");
    expect(snapshot(s.ctx)).toEqual(before);
  });
  it("a batch answers per item: bad items rejected with reasons, good ones stored", async () => {
    const r = await request(s.app)
      .post("/v1/batch")
      .set("Authorization", s.basic())
      .send({
        batch: [
          { type: "track", userId: "u-3", event: "viewed", messageId: "b-1" },
          { type: "page", userId: "u-3", name: "Home" },
          { type: "track", userId: "u-3", messageId: "b-2" },
          { type: "identify", userId: 42, traits: { plan: "pro" }, messageId: "b-3" },
          { type: "track", userId: "u-1", event: "signed_up", messageId: "t-1" },
          "garbage",
        ],
      });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([
      "accepted",
      "rejected",
      "rejected",
      "accepted",
      "duplicate",
      "rejected",
    ]);
    expect(r.body.results[1].reason).toContain('unsupported type "page"');
    expect(r.body.results[2].issues[0].path).toBe("event");
    expect(r.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 3 });
    expect(count("SELECT count(*) AS n FROM events WHERE message_id IN ('b-1','b-3')")).toBe(2);
    expect((await s.ctx.store.getCustomers(["42"])).get("42")?.traits.plan).toBe("pro");
  });
  it("400 for a batch that is not a list; 413 for too large bodies; state unchanged", async () => {
    const before = snapshot(s.ctx);
    const r = await request(s.app).post("/v1/batch").set("Authorization", s.basic()).send({ batch: "x" });
    expect(r.status).toBe(400);
    expect(r.body.error.issues[0].path).toBe("batch");
    const big = "x".repeat(40 * 1024);
    const t = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic())
      .send({ userId: "u-9", event: "e", properties: { big } });
    expect(t.status).toBe(413);
    expect(t.body.error.code).toBe("too_large");
    const bigBatch = await request(s.app)
      .post("/v1/batch")
      .set("Authorization", s.basic())
      .send({
        batch: Array.from({ length: 20 }, (_, i) => ({
          type: "track",
          userId: `u-${i}`,
          event: "e",
          properties: { big: "y".repeat(30 * 1024) },
        })),
      });
    expect(bigBatch.status).toBe(413);
    const login = await request(s.app)
      .post("/api/auth/login")
      .send({ email: "a@b.c", password: "p".repeat(20 * 1024) });
    expect(login.status).toBe(413);
    expect(snapshot(s.ctx)).toEqual(before);
  });
  it("rate-limits per write key with 429 and Retry-After", async () => {
    const keyId = (await s.ctx.keys.lookup(s.writeKey))!.id;
    while (s.ctx.ingestLimiter.take(keyId) === 0);
    const before = snapshot(s.ctx);
    const r = await request(s.app)
      .post("/v1/track")
      .set("Authorization", s.basic())
      .send({ userId: "u-1", event: "x" });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe("rate_limited");
    expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
    expect(snapshot(s.ctx)).toEqual(before);
  });
});
