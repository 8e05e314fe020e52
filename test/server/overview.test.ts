/** `GET /api/overview`: the viewer role reads the snapshots and KPIs through the front door. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeSnapshot } from "../../engine/index";
import type { OverviewResponse } from "../../engine/schema";
import { request, testServer } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
  const now = Date.now();
  await s.ctx.engine.ingest(
    [0, 1, 2].map((i) => ({
      type: "track" as const,
      userId: `u${i}`,
      event: "order_completed",
      properties: { revenue: 10 * (i + 1) },
      timestamp: new Date(now - 1000).toISOString(),
    })),
  );
  await takeSnapshot(s.ctx.store, s.ctx.model, s.ctx.engine.clock.now(), "UTC");
});
afterAll(() => s.close());

const auth = (t: string) => ["Authorization", `Bearer ${t}`] as const;

describe("GET /api/overview", () => {
  it("answers a viewer with today's snapshot and every KPI", async () => {
    const r = await request(s.app)
      .get("/api/overview?days=7")
      .set(...auth(s.token("viewer")));
    expect(r.status).toBe(200);
    const body = r.body as OverviewResponse;
    expect(body.days).toHaveLength(1);
    expect(body.days[0]!.stages.new).toBe(3);
    expect(body.latest.stage.find((b) => b.bucket === "new")).toMatchObject({ customers: 3, value: 60 });
    expect(body.kpis.map((k) => k.name)).toEqual([
      "wakeUp",
      "winBack72h",
      "signalsAnswered72h",
      "surveyResponse",
      "repurchase",
      "retention",
    ]);
    expect(body.kpis.find((k) => k.name === "repurchase")).toMatchObject({ numerator: 0, denominator: 3 });
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 86_400_000);
  });

  it("takes today's snapshot on demand for an operator, audited, and refuses a viewer", async () => {
    const denied = await request(s.app)
      .post("/api/overview/snapshot")
      .set(...auth(s.token("viewer")));
    expect(denied.status).toBe(403);
    await s.ctx.engine.ingest([
      {
        type: "track" as const,
        userId: "u9",
        event: "order_completed",
        properties: { revenue: 5 },
        timestamp: new Date().toISOString(),
      },
    ]);
    const r = await request(s.app)
      .post("/api/overview/snapshot")
      .set(...auth(s.token("ops")));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ customers: 4 });
    const audit = await request(s.app)
      .get("/api/audit")
      .set(...auth(s.token("ops")));
    expect(JSON.stringify(audit.body)).toContain("overview.snapshot");
  });

  it("refuses a signed-out caller and a bad period", async () => {
    expect((await request(s.app).get("/api/overview")).status).toBe(401);
    const bad = await request(s.app)
      .get("/api/overview?days=0")
      .set(...auth(s.token("viewer")));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/days/);
  });
});
