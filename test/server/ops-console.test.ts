/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- HTTP response bodies are untyped JSON */
/**
 * The ops console's API: deliveries filtered by status, journey and channel, retried one or many with a
 * per-delivery answer; a fire-and-forget delivery that failed counts in the run log and the live totals;
 * the audit log names its users and carries the change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins/index";
import type { DeliverFn } from "../../engine/actions/builtins/index";
import { request, testServer } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
let ops: string;
let marketer: string;
let viewer: string;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
/** The receiver refuses each customer's first webhook, then accepts. */
const refused = new Set<string>();
const deliver: DeliverFn = (d) => {
  if (refused.has(d.customerId)) return Promise.resolve({ status: "done" });
  refused.add(d.customerId);
  return Promise.resolve({ status: "fail", reason: "HTTP 400: bad payload" });
};
let journeyId = "";

const webhookJourney = {
  schemaVersion: 1,
  name: "Webhook fan-out",
  settings: { reentry: { mode: "always" } },
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
    {
      id: "a1",
      type: "action",
      position: { x: 0, y: 120 },
      data: { action: "webhook", params: { url: "https://crm.example.com/hook" } },
    },
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }],
};

beforeAll(async () => {
  s = await testServer({ registry: defaultRegistry({ deliver }) });
  ops = s.token("ops");
  marketer = s.token("marketer");
  viewer = s.token("viewer");
  const batch = ["c-1", "c-2", "c-3"].map((userId) => ({
    type: "identify",
    userId,
    traits: { name: userId },
  }));
  expect(
    (await request(s.app).post("/v1/batch").set("Authorization", s.basic()).send({ batch })).status,
  ).toBe(200);
  const created = await request(s.app)
    .post("/api/journeys")
    .set(auth(marketer))
    .send({ doc: webhookJourney });
  journeyId = created.body.id;
  expect((await request(s.app).post(`/api/journeys/${journeyId}/publish`).set(auth(marketer))).status).toBe(
    201,
  );
  const entered = await request(s.app)
    .post(`/api/journeys/${journeyId}/enter`)
    .set(auth(marketer))
    .send({ customerIds: ["c-1", "c-2", "c-3"] });
  expect(entered.status).toBe(200);
  await s.ctx.engine.tick();
  await s.ctx.engine.dispatch();
});
afterAll(async () => {
  await s.close();
});

describe("deliveries", () => {
  it("lists failed deliveries by status, journey and channel (a webhook by its action type)", async () => {
    const failed = await request(s.app)
      .get(`/api/outbox?status=failed&journeyId=${journeyId}&channel=webhook`)
      .set(auth(viewer));
    expect(failed.status).toBe(200);
    expect(failed.body.items).toHaveLength(3);
    expect(failed.body.items[0]).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "HTTP 400: bad payload",
    });
    const email = await request(s.app).get("/api/outbox?status=failed&channel=email").set(auth(viewer));
    expect(email.body.items).toEqual([]);
  });

  it("counts a failed fire-and-forget delivery in the run log's failed filter and the live totals", async () => {
    const steps = await request(s.app).get(`/api/steps?journeyId=${journeyId}&error=true`).set(auth(viewer));
    expect(steps.body.items).toHaveLength(3);
    expect(steps.body.items[0]).toMatchObject({
      nodeId: "a1",
      outcome: "failed",
      reason: "HTTP 400: bad payload",
    });
    const stats = await request(s.app).get(`/api/journeys/${journeyId}/stats`).set(auth(viewer));
    expect(stats.body.totals).toMatchObject({ failed: 0, failedDeliveries: 3 });
  });

  it("retries many at once, answering per delivery; a viewer may not", async () => {
    const list = await request(s.app).get(`/api/outbox?status=failed`).set(auth(viewer));
    const keys: string[] = list.body.items.map((d: { key: string }) => d.key);
    const body = { keys: [keys[0], keys[1], "no-such-delivery"] };
    expect((await request(s.app).post("/api/outbox/retry").set(auth(viewer)).send(body)).status).toBe(403);
    expect((await request(s.app).post("/api/outbox/retry").set(auth(ops)).send({ keys: [] })).status).toBe(
      400,
    );
    const r = await request(s.app).post("/api/outbox/retry").set(auth(ops)).send(body);
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { key: keys[0], ok: true, status: "pending" },
      { key: keys[1], ok: true, status: "pending" },
      { key: "no-such-delivery", ok: false, error: expect.stringMatching(/no-such-delivery/) as unknown },
    ]);
    await s.ctx.engine.dispatch();
    expect(
      (
        await request(s.app)
          .get(`/api/outbox/${encodeURIComponent(keys[0]!)}`)
          .set(auth(viewer))
      ).body,
    ).toMatchObject({ status: "sent" });
    expect((await request(s.app).get("/api/outbox/nope").set(auth(viewer))).status).toBe(404);
    const stats = await request(s.app).get(`/api/journeys/${journeyId}/stats`).set(auth(viewer));
    expect(stats.body.totals.failedDeliveries).toBe(1);
  });
});

describe("audit log", () => {
  it("names the user and carries the change: a journey's diff, a user's fields from and to", async () => {
    const doc = {
      ...webhookJourney,
      nodes: [...webhookJourney.nodes, { id: "x1", type: "exit", position: { x: 0, y: 240 }, data: {} }],
    };
    expect(
      (await request(s.app).put(`/api/journeys/${journeyId}/draft`).set(auth(marketer)).send({ doc })).status,
    ).toBe(200);
    const admin = s.token("admin");
    await request(s.app).patch(`/api/users/${s.users.viewer.id}`).set(auth(admin)).send({ role: "ops" });
    const a = await request(s.app).get("/api/audit?limit=100").set(auth(ops));
    expect(a.status).toBe(200);
    const draft = a.body.items.find((i: { action: string }) => i.action === "journey.draft");
    expect(draft).toMatchObject({ userName: "marketer", userEmail: "marketer@example.com" });
    expect(draft.detail.diff.nodes.added).toEqual(["x1"]);
    const publish = a.body.items.find((i: { action: string }) => i.action === "journey.publish");
    expect(publish.detail.diff.nodes.added).toEqual(["t1", "a1"]);
    const user = a.body.items.find((i: { action: string }) => i.action === "user.update");
    expect(user).toMatchObject({
      userName: "admin",
      detail: { changes: { role: { from: "viewer", to: "ops" } } },
    });
    const retry = a.body.items.find((i: { action: string }) => i.action === "delivery.retry_many");
    expect(retry.detail.keys).toHaveLength(2);
  });
});
