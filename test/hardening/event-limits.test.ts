/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- HTTP response bodies are untyped JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInstant } from "../../engine/customer/import";
import { parseEventLines } from "../../engine/simulate/events-file";
import { request, snapshot, testServer, type TestServer } from "../server/helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}
/** The same value as JSON text: a client's JSON.stringify gives up long before a server's parser does. */
const deepJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
/** A JSON body with `"DEEP<n>"` placeholders replaced by values nested n deep, and `"INF"` by 1e309. */
const raw = (body: unknown): string =>
  JSON.stringify(body)
    .replace(/"DEEP(\d+)"/g, (_, n: string) => deepJson(Number(n)))
    .replace('"INF"', "1e309");
const now = () => new Date().toISOString();
const key = () => ({ authorization: s.basic() });

describe("event input limits", () => {
  it("rejects traits nested too deep with a 400 naming the path, storing nothing", async () => {
    for (const depth of [33, 1_001, 5_000]) {
      const before = snapshot(s.ctx);
      const r = await request(s.app)
        .post("/v1/identify")
        .set(key())
        .set("content-type", "application/json")
        .send(raw({ userId: "deep", timestamp: now(), traits: { x: `DEEP${depth}` } }));
      expect(r.status, String(depth)).toBe(400);
      expect(r.body.error.issues[0].path).toMatch(/^traits\.x\.a\.a/);
      expect(r.body.error.message).toContain("nested deeper than 32 levels");
      expect(snapshot(s.ctx)).toEqual(before);
    }
    const ok = await request(s.app)
      .post("/v1/identify")
      .set(key())
      .send({ userId: "shallow", timestamp: now(), traits: { x: nested(30) } });
    expect(ok.status).toBe(200);
  });

  it("in a batch, reports the bad calls and stores the good ones", async () => {
    // 1e309 is sent as written: JSON.parse reads it as Infinity (JSON.stringify would send null).
    const r = await request(s.app)
      .post("/v1/batch")
      .set(key())
      .set("content-type", "application/json")
      .send(
        raw({
          batch: [
            {
              type: "track",
              userId: "b1",
              event: "viewed",
              timestamp: now(),
              properties: { x: "DEEP4000" },
            },
            { type: "track", userId: "b1", event: "viewed", timestamp: now(), messageId: "good-1" },
            {
              type: "track",
              userId: "b1",
              event: "order_completed",
              timestamp: now(),
              properties: { revenue: "INF" },
            },
            {
              type: "track",
              userId: "b1",
              event: "viewed",
              timestamp: now(),
              properties: { s: "x".repeat(20_000) },
            },
            { type: "track", userId: "b1", event: "order_completed", timestamp: "9999-12-31T00:00:00Z" },
            { type: "track", userId: "b1", event: "order_completed", timestamp: "0000-01-01T00:00:00Z" },
            { type: "track", userId: "b1", event: "order_completed", timestamp: "1900-01-01T00:00:00Z" },
            {
              type: "track",
              userId: "b1",
              event: "viewed",
              timestamp: new Date(Date.now() + 7 * 86_400_000).toISOString(),
            },
          ],
        }),
      );
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([
      "rejected",
      "accepted",
      "rejected",
      "rejected",
      "rejected",
      "rejected",
      "rejected",
      "rejected",
    ]);
    expect(r.body.results[0].reason).toContain("nested deeper");
    expect(r.body.results[2].reason).toMatch(/properties\.revenue.*not finite/);
    expect(r.body.results[3].reason).toContain("20000 characters");
    expect(r.body.results[4].reason).toContain("9999");
  });

  it("lets a write key give a customer an email but never replace one", async () => {
    const first = await request(s.app)
      .post("/v1/identify")
      .set(key())
      .send({ userId: "mail-1", timestamp: now(), traits: { email: "a@example.com" } });
    expect(first.status).toBe(200);
    const same = await request(s.app)
      .post("/v1/identify")
      .set(key())
      .send({ userId: "mail-1", timestamp: now(), traits: { email: "A@example.com", plan: "pro" } });
    expect(same.status).toBe(200);
    const before = snapshot(s.ctx);
    const takeover = await request(s.app)
      .post("/v1/identify")
      .set(key())
      .send({ userId: "mail-1", timestamp: now(), traits: { email: "attacker@evil.example" } });
    expect(takeover.status).toBe(400);
    expect(takeover.body.error.issues[0].path).toBe("traits.email");
    expect(snapshot(s.ctx)).toEqual(before);
    const customer = await request(s.app)
      .get("/api/customers/mail-1")
      .set({ authorization: `Bearer ${s.token("viewer")}` });
    expect(customer.body.traits.email).toMatch(/^a@example\.com$/i);
  });

  it("simulate input and import dates get the same limits", () => {
    const line = raw({
      type: "identify",
      userId: "u",
      timestamp: now(),
      traits: { x: "DEEP20000" },
    });
    expect(() => parseEventLines(line)).toThrow(/line 1: traits\.x\.a.*nested deeper than 32 levels/);
    expect(parseInstant("2026-02-30T00:00:00Z")).toBeUndefined();
    expect(parseInstant("2026-02-30")).toBeUndefined();
    expect(parseInstant("9999-12-31T00:00:00Z")).toBeUndefined();
    expect(parseInstant("1900-01-01")).toBeUndefined();
    expect(parseInstant("2026-02-28T00:00:00Z")).toBe(Date.UTC(2026, 1, 28));
  });

  it("reads never fail because of a deep value stored before the limits", async () => {
    await s.ctx.ingester.submit([
      { type: "identify", userId: "legacy", timestamp: now(), traits: { x: nested(3_000) } },
      {
        type: "track",
        userId: "legacy",
        event: "survey_response",
        timestamp: now(),
        properties: { score: 3, x: nested(3_000) },
      },
    ] as never);
    const auth = { authorization: `Bearer ${s.token("viewer")}` };
    for (const path of [
      "/api/customers?q=legacy",
      "/api/customers/legacy",
      "/api/customers/legacy/events",
      "/api/metrics/churn-response",
    ]) {
      expect((await request(s.app).get(path).set(auth)).status, path).toBe(200);
    }
  });
});
