import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { testServer } from "./helpers";
import type { TestServer } from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const surveyJourney = {
  schemaVersion: 1,
  name: "Low satisfaction follow-up",
  settings: {},
  nodes: [
    {
      id: "t1",
      type: "trigger",
      position: { x: 0, y: 0 },
      data: { kind: "event", event: "order_completed" },
    },
    {
      id: "a1",
      type: "action",
      position: { x: 0, y: 100 },
      data: { action: "email", template: "satisfaction-survey" },
    },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
};

describe("satisfaction survey, end to end", () => {
  it("sends each customer a signed survey link, records the answer once, and reports the response rate", async () => {
    server = await testServer();
    const { app, ctx } = server;
    const marketer = `Bearer ${server.token("marketer")}`;
    const created = await request(app)
      .post("/api/journeys")
      .set("Authorization", marketer)
      .send({ doc: surveyJourney });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const published = await request(app).post(`/api/journeys/${id}/publish`).set("Authorization", marketer);
    expect(published.status, JSON.stringify(published.body)).toBe(201);

    const ts = new Date().toISOString();
    const batch = await request(app)
      .post("/v1/batch")
      .set("Authorization", server.basic())
      .send({
        batch: [
          {
            type: "identify",
            userId: "s-1",
            traits: { email: "s1@example.com", name: "Wang Fang" },
            timestamp: ts,
          },
          {
            type: "track",
            userId: "s-1",
            event: "order_completed",
            properties: { revenue: 88 },
            timestamp: ts,
            messageId: "o-s-1",
          },
        ],
      });
    expect(batch.status).toBe(200);
    for (let i = 0; i < 5; i++) {
      await ctx.engine.tick();
      await ctx.engine.dispatch();
    }
    const [delivery] = await ctx.store.listOutbox({ customerId: "s-1" });
    expect(delivery?.status).toBe("sent");
    const text = String((delivery!.payload.rendered as { body: string }).body);
    const link = /https?:\/\/\S+\/s\/([\w.-]+)/.exec(text);
    expect(link, text).not.toBeNull();
    const token = link![1]!;

    const page = await request(app).get(`/s/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="score"');
    const answer = await request(app)
      .post(`/s/${token}`)
      .type("form")
      .send({ score: "2", comment: "late delivery" });
    expect(answer.status).toBeLessThan(400);
    const again = await request(app).post(`/s/${token}`).type("form").send({ score: "5" });
    expect(again.status).toBeLessThan(500);

    const events = await ctx.store.listEvents("s-1", 50);
    const responses = events.filter((e) => e.name === "survey_response");
    expect(responses).toHaveLength(1);
    expect(responses[0]!.properties).toMatchObject({ score: 2 });

    const viewer = `Bearer ${server.token("viewer")}`;
    const rate = await request(app)
      .get(`/api/journeys/${id}/survey-response-rate`)
      .set("Authorization", viewer);
    expect(rate.status).toBe(200);
    expect(rate.body).toMatchObject({ invitations: 1, responses: 1, rate: 1 });
    const churn = await request(app).get("/api/metrics/churn-response").set("Authorization", viewer);
    expect(churn.status).toBe(200);
  });
});
