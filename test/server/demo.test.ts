import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_NOTE, finishDemo, wantsDemo } from "../../server/demo";
import { SEED_PLAYS } from "../../server/journey-library";
import { request, simpleJourney, testServer } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

const auth = (t: string) => ["Authorization", `Bearer ${t}`] as const;

describe("demo labels", () => {
  it("marks the demo's journeys in the API once the demo is loaded, and loads it only once", async () => {
    expect(await wantsDemo(s.ctx)).toBe(true);
    for (const p of SEED_PLAYS) {
      await s.ctx.engine.createJourney(p.doc, p.id);
      await s.ctx.engine.publish(p.id);
    }
    await s.ctx.engine.createJourney(simpleJourney({ name: "Mine" }), "mine");
    const demo = await finishDemo(s.ctx, {
      customers: 0,
      events: 0,
      responses: 0,
      deliveries: 0,
      from: Date.now() - 90 * 86_400_000,
      to: Date.now(),
    });
    expect(demo.journeys.map((j) => j.id)).toEqual(SEED_PLAYS.map((p) => p.id));
    expect(await wantsDemo(s.ctx)).toBe(false);

    const viewer = s.token("viewer");
    const list = await request(s.app)
      .get("/api/journeys")
      .set(...auth(viewer));
    expect(list.status).toBe(200);
    const byId = new Map((list.body as { id: string; demo?: unknown }[]).map((j) => [j.id, j]));
    for (const p of SEED_PLAYS) expect(byId.get(p.id)?.demo).toEqual(DEMO_NOTE);
    expect(byId.get("mine")?.demo).toBeUndefined();
    const one = await request(s.app)
      .get(`/api/journeys/${SEED_PLAYS[0]!.id}`)
      .set(...auth(viewer));
    expect((one.body as { demo?: unknown }).demo).toEqual(DEMO_NOTE);
  });

  it("serves each seed play's playbook band in the journey library", async () => {
    const lib = await request(s.app)
      .get("/api/journey-library")
      .set(...auth(s.token("viewer")));
    const byId = new Map((lib.body as { id: string; playbook?: unknown }[]).map((j) => [j.id, j]));
    expect(byId.get("dormant-wake-up")?.playbook).toMatchObject({
      band: { low: 0.2, high: 0.3 },
      withTesting: { low: 0.35, high: 0.45 },
    });
    expect(byId.get("winback-golden-72h")?.playbook).toMatchObject({
      goal: { event: "order_completed", within: "72h" },
      band: { low: 0.3, high: 0.4 },
    });
    expect(byId.get("satisfaction-survey")?.playbook).toMatchObject({ band: { low: 0.5, high: 0.6 } });
    expect(byId.get("winback-72h")?.playbook).toBeUndefined();
  });
});
