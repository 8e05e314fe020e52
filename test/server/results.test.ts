import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultsReportSchema } from "../../engine/schema/results";
import { request, testServer } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
const doc = {
  schemaVersion: 1,
  name: "Holdout test",
  settings: { goal: { event: "order_completed", within: "7d" } },
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "churn_signal" } },
    { id: "h1", type: "split", position: { x: 0, y: 100 }, data: { kind: "holdout", percent: 50 } },
  ],
  edges: [{ id: "e1", source: "t1", target: "h1" }],
};

beforeAll(async () => {
  s = await testServer();
  await s.ctx.engine.createJourney(doc, "jr");
  await s.ctx.engine.publish("jr");
  const now = Date.now();
  const events = [];
  for (let i = 0; i < 10; i++)
    events.push({
      type: "track" as const,
      userId: `u${i}`,
      event: "churn_signal",
      properties: {},
      timestamp: new Date(now - 1000).toISOString(),
    });
  await s.ctx.engine.ingest(events.splice(0));
  await s.ctx.engine.tick(1000); // runs pass the split before anyone orders
  for (let i = 0; i < 4; i++)
    events.push({
      type: "track" as const,
      userId: `u${i}`,
      event: "order_completed",
      properties: { revenue: 10 },
      timestamp: new Date(now + 60_000).toISOString(), // after the entries, which happen at processing time
    });
  await s.ctx.engine.ingest(events);
});
afterAll(() => s.close());

describe("GET /api/journeys/:id/results", () => {
  it("serves the §4 report to a viewer", async () => {
    const r = await request(s.app)
      .get("/api/journeys/jr/results?asOf=" + new Date(Date.now() + 120_000).toISOString())
      .set("Authorization", `Bearer ${s.token("viewer")}`);
    expect(r.status).toBe(200);
    const report = resultsReportSchema.parse(r.body);
    expect(report.totals).toMatchObject({ entered: 10, converted: 4, revenue: 40 });
    expect(report.experiments[0]!.arms.reduce((n, a) => n + a.members, 0)).toBe(10);
  });
  it("exports CSV with a UTF-8 BOM", async () => {
    const r = await request(s.app)
      .get("/api/journeys/jr/results?format=csv&version=1")
      .set("Authorization", `Bearer ${s.token("viewer")}`);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/text\/csv/);
    expect(r.text.startsWith("\uFEFFrun_id,customer_id")).toBe(true);
    expect(r.text.trim().split("\r\n")).toHaveLength(11);
  });
  it("answers 404 for an unknown journey or version and 400 for a bad time", async () => {
    const get = (q: string) =>
      request(s.app)
        .get(q)
        .set("Authorization", `Bearer ${s.token("viewer")}`);
    expect((await get("/api/journeys/nope/results")).status).toBe(404);
    expect((await get("/api/journeys/jr/results?version=9")).status).toBe(404);
    expect((await get("/api/journeys/jr/results?asOf=yesterday")).status).toBe(400);
    expect(
      (
        await request(s.app).get(
          "/api/journeys/jr/results?asOf=" + new Date(Date.now() + 120_000).toISOString(),
        )
      ).status,
    ).toBe(401);
  });
});
