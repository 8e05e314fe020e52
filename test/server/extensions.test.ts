import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { testServer } from "./helpers";
import type { TestServer } from "./helpers";

const ROOT = join(import.meta.dirname, "..", "..");
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  delete process.env.REKINDLE_ACTIONS;
});

const journey = (nodes: unknown[], edges: unknown[]) => ({
  schemaVersion: 1,
  name: "Extension test",
  settings: {},
  nodes,
  edges,
});

describe("extension points", () => {
  it("serves a custom action listed only in REKINDLE_ACTIONS, and validates its config on publish", async () => {
    process.env.REKINDLE_ACTIONS = join(ROOT, "examples/actions/loyalty-points.ts");
    server = await testServer();
    const viewer = `Bearer ${server.token("viewer")}`;
    const types = await request(server.app).get("/api/node-types").set("Authorization", viewer);
    expect(types.status).toBe(200);
    const custom = (
      types.body as { actions: { type: string; ports: string[]; config: { properties?: object } }[] }
    ).actions.find((a) => a.type === "acme/loyalty-points");
    expect(custom).toBeDefined();
    expect(custom!.ports).toContain("tier_up");
    expect(custom!.config.properties).toHaveProperty("points");

    const marketer = `Bearer ${server.token("marketer")}`;
    const doc = journey(
      [
        { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
        {
          id: "a1",
          type: "action",
          position: { x: 0, y: 100 },
          data: { action: "acme/loyalty-points", params: { url: "not a url", points: -5 } },
        },
      ],
      [{ id: "e1", source: "t1", target: "a1" }],
    );
    const created = await request(server.app)
      .post("/api/journeys")
      .set("Authorization", marketer)
      .send({ doc });
    const id = (created.body as { id: string }).id;
    const bad = await request(server.app).post(`/api/journeys/${id}/publish`).set("Authorization", marketer);
    expect(bad.status).toBe(409);
    const issues = (bad.body as { error: { issues: { nodeId?: string; path: string }[] } }).error.issues;
    expect(issues.some((i) => i.nodeId === "a1" && i.path.includes("params.points"))).toBe(true);
    expect(issues.some((i) => i.nodeId === "a1" && i.path.includes("params.url"))).toBe(true);
  });

  it("fills a coupon pool through the API and issues its codes, each once, into the offer email", async () => {
    server = await testServer();
    const { app, ctx } = server;
    const marketer = `Bearer ${server.token("marketer")}`;
    const filled = await request(app)
      .post("/api/coupon-pools/winback15/codes")
      .set("Authorization", marketer)
      .send({ codes: ["WB-0001", "WB-0002"] });
    expect(filled.status).toBe(201);
    expect(filled.body).toMatchObject({ added: 2 });
    const badPattern = await request(app)
      .post("/api/coupon-pools/winback15/codes")
      .set("Authorization", marketer)
      .send({ pattern: "WB-#", count: 50 });
    expect(badPattern.status).toBe(400);

    const doc = journey(
      [
        {
          id: "t1",
          type: "trigger",
          position: { x: 0, y: 0 },
          data: { kind: "event", event: "churn_signal" },
        },
        {
          id: "c1",
          type: "action",
          position: { x: 0, y: 100 },
          data: { action: "issue_coupon", params: { offer: "winback15" } },
        },
        {
          id: "a1",
          type: "action",
          position: { x: 0, y: 200 },
          data: { action: "email", template: "winback-coupon" },
        },
      ],
      [
        { id: "e1", source: "t1", target: "c1" },
        { id: "e2", source: "c1", target: "a1" },
      ],
    );
    const created = await request(app).post("/api/journeys").set("Authorization", marketer).send({ doc });
    const id = (created.body as { id: string }).id;
    expect(
      (await request(app).post(`/api/journeys/${id}/publish`).set("Authorization", marketer)).status,
    ).toBe(201);
    const ts = new Date().toISOString();
    const batch = ["p1", "p2", "p3"].flatMap((u) => [
      { type: "identify", userId: u, traits: { email: `${u}@example.com` }, timestamp: ts },
      {
        type: "track",
        userId: u,
        event: "churn_signal",
        properties: {},
        timestamp: ts,
        messageId: `cs-${u}`,
      },
    ]);
    expect(
      (await request(app).post("/v1/batch").set("Authorization", server.basic()).send({ batch })).status,
    ).toBe(200);
    for (let i = 0; i < 5; i++) {
      await ctx.engine.tick();
      await ctx.engine.dispatch();
    }
    const sent = (await ctx.store.listOutbox({ journeyId: id })).map((o) =>
      String((o.payload.rendered as { body: string }).body),
    );
    expect(sent).toHaveLength(2);
    expect(sent.some((b) => b.includes("WB-0001"))).toBe(true);
    expect(sent.some((b) => b.includes("WB-0002"))).toBe(true);
    // The third customer found the pool empty: a clear failure in the run log, not a silent skip.
    const steps = await ctx.store.listSteps({ journeyId: id, nodeId: "c1" });
    expect(steps.filter((s) => s.reason === "coupon_pool_empty")).toHaveLength(1);
    const pools = await request(app)
      .get("/api/coupon-pools")
      .set("Authorization", `Bearer ${server.token("viewer")}`);
    expect(pools.body).toEqual([expect.objectContaining({ offer: "winback15", total: 2 })]);
  });
});
