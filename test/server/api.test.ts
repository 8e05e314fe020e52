/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- HTTP response bodies are untyped JSON */
import { z } from "zod";
import { defaultRegistry } from "../../engine/actions/builtins/index";
import { defineAction } from "../../engine/actions/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, simpleJourney, snapshot, testServer, ts, PASSWORD } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
let admin: string;
let marketer: string;
let ops: string;
let viewer: string;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

const flaky = { fail: true };

beforeAll(async () => {
  s = await testServer({
    registry: defaultRegistry({}, [
      defineAction({
        type: "test/flaky",
        version: 1,
        title: { en: "Flaky", zh: "Flaky" },
        config: z.object({}),
        effect: "internal",
        execute: () => Promise.resolve(flaky.fail ? { status: "fail", reason: "flaky" } : { status: "done" }),
      }) as never,
    ]),
  });
  admin = s.token("admin");
  marketer = s.token("marketer");
  ops = s.token("ops");
  viewer = s.token("viewer");
  // A few customers with a purchase history.
  const batch = [];
  for (let i = 1; i <= 5; i++) {
    batch.push({
      type: "identify",
      userId: `c-${i}`,
      traits: { email: `c${i}@example.com`, name: `Customer ${i}` },
      timestamp: ts(Date.now() - 100 * 86_400_000),
    });
    batch.push({
      type: "track",
      userId: `c-${i}`,
      event: "order_completed",
      properties: { revenue: 100 * i },
      timestamp: ts(Date.now() - 90 * 86_400_000),
      messageId: `seed-${i}`,
    });
  }
  const r = await request(s.app).post("/v1/batch").set("Authorization", s.basic()).send({ batch });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await s.close();
});

describe("auth", () => {
  it("logs in, answers the user, logs out", async () => {
    const login = await request(s.app)
      .post("/api/auth/login")
      .send({ email: "Marketer@example.com", password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: "marketer@example.com", role: "marketer" });
    const me = await request(s.app).get("/api/me").set(auth(login.body.token));
    expect(me.body.role).toBe("marketer");
    expect((await request(s.app).post("/api/auth/logout").set(auth(login.body.token))).status).toBe(204);
    expect((await request(s.app).get("/api/me").set(auth(login.body.token))).status).toBe(401);
  });
  it("refuses a wrong password (401) and a bad body (400 with issues)", async () => {
    const wrong = await request(s.app)
      .post("/api/auth/login")
      .send({ email: "ops@example.com", password: "nope" });
    expect(wrong.status).toBe(401);
    const bad = await request(s.app).post("/api/auth/login").send({ email: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "email" }),
        expect.objectContaining({ path: "password" }),
      ]),
    );
  });
  it("rejects malformed JSON with 400", async () => {
    const r = await request(s.app)
      .post("/api/auth/login")
      .set("Content-Type", "application/json")
      .send("{nope");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("bad_request");
  });
});

describe("journeys", () => {
  let id = "";
  it("creates from the library and from a document", async () => {
    const lib = await request(s.app).get("/api/journey-library").set(auth(viewer));
    expect(lib.body.map((j: { id: string }) => j.id)).toContain("winback-72h");
    const fromLib = await request(s.app)
      .post("/api/journeys")
      .set(auth(marketer))
      .send({ template: "winback-72h" });
    expect(fromLib.status).toBe(201);
    expect(fromLib.body).toMatchObject({
      name: "Win-back within 72 hours",
      status: "draft",
      liveVersion: null,
    });
    const r = await request(s.app)
      .post("/api/journeys")
      .set(auth(marketer))
      .send({ doc: simpleJourney({ name: "Manual" }) });
    expect(r.status).toBe(201);
    id = r.body.id;
    const one = await request(s.app).get(`/api/journeys/${id}`).set(auth(viewer));
    expect(one.body).toMatchObject({ id, name: "Manual", status: "draft", liveVersionId: null });
  });
  it("400 with zod issues for bad bodies, and nothing stored", async () => {
    const before = snapshot(s.ctx);
    const both = await request(s.app).post("/api/journeys").set(auth(marketer)).send({});
    expect(both.status).toBe(400);
    expect(both.body.error.issues[0]).toMatchObject({ path: "doc", message: "send either doc or template" });
    const unknown = await request(s.app).post("/api/journeys").set(auth(marketer)).send({ template: "nope" });
    expect(unknown.status).toBe(400);
    const draft = await request(s.app)
      .put(`/api/journeys/${id}/draft`)
      .set(auth(marketer))
      .send({ doc: "x" });
    expect(draft.status).toBe(400);
    expect(draft.body.error.issues[0].path).toBe("doc");
    expect(snapshot(s.ctx)).toEqual(before);
  });
  it("saves invalid drafts, validates them, and refuses to publish them (409 with issues, state unchanged)", async () => {
    const bad = simpleJourney({ name: "Manual", wait: "72 hours" });
    const put = await request(s.app).put(`/api/journeys/${id}/draft`).set(auth(marketer)).send({ doc: bad });
    expect(put.status).toBe(200);
    const v = await request(s.app).post(`/api/journeys/${id}/validate`).set(auth(viewer)).send({});
    expect(v.status).toBe(200);
    expect(v.body.ok).toBe(false);
    expect(v.body.issues[0]).toMatchObject({ nodeId: "w1" });
    expect(v.body.issues[0].message).toContain("72 hours");
    const before = snapshot(s.ctx);
    const pub = await request(s.app).post(`/api/journeys/${id}/publish`).set(auth(marketer));
    expect(pub.status).toBe(409);
    expect(pub.body.error.code).toBe("conflict");
    expect(pub.body.error.issues[0]).toMatchObject({ nodeId: "w1", path: "nodes[1].data.duration" });
    expect(snapshot(s.ctx)).toEqual(before);
    expect((await request(s.app).get(`/api/journeys/${id}`).set(auth(viewer))).body.status).toBe("draft");
  });
  it("publishes versions, lists and diffs them", async () => {
    await request(s.app)
      .put(`/api/journeys/${id}/draft`)
      .set(auth(marketer))
      .send({ doc: simpleJourney({ name: "Manual" }) });
    const p1 = await request(s.app).post(`/api/journeys/${id}/publish`).set(auth(marketer));
    expect(p1.status).toBe(201);
    expect(p1.body.version.version).toBe(1);
    const doc2 = simpleJourney({ name: "Manual v2", wait: "2h" });
    await request(s.app).put(`/api/journeys/${id}/draft`).set(auth(marketer)).send({ doc: doc2 });
    const p2 = await request(s.app).post(`/api/journeys/${id}/publish`).set(auth(marketer));
    expect(p2.body.version.version).toBe(2);
    const list = await request(s.app).get(`/api/journeys/${id}/versions`).set(auth(viewer));
    expect(list.body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await request(s.app).get(`/api/journeys/${id}/versions/1`).set(auth(viewer));
    expect(v1.body.doc.name).toBe("Manual");
    expect((await request(s.app).get(`/api/journeys/${id}/versions/9`).set(auth(viewer))).status).toBe(404);
    const diff = await request(s.app).get(`/api/journeys/${id}/versions/1/diff/2`).set(auth(viewer));
    expect(diff.body).toEqual({
      nodes: { added: [], removed: [], changed: ["w1"], moved: [] },
      edges: { added: [], removed: [] },
      settings: { changed: ["name"] },
    });
    const all = await request(s.app).get("/api/journeys").set(auth(viewer));
    expect(all.body.find((j: { id: string }) => j.id === id)).toMatchObject({
      status: "live",
      liveVersion: 2,
    });
  });
  it("enters customers by hand and counts them", async () => {
    const r = await request(s.app)
      .post(`/api/journeys/${id}/enter`)
      .set(auth(marketer))
      .send({ customerIds: ["c-1", "c-2", "nobody"] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { customerId: "c-1", runId: expect.any(Number), reason: null },
      { customerId: "c-2", runId: expect.any(Number), reason: null },
      { customerId: "nobody", runId: null, reason: "unknown_customer" },
    ]);
    await s.ctx.engine.tick();
    const stats = await request(s.app).get(`/api/journeys/${id}/stats`).set(auth(viewer));
    expect(stats.body.totals).toMatchObject({ entered: 2, active: 2 });
    expect(stats.body.nodes.w1.waiting).toBe(2);
    const bad = await request(s.app)
      .post(`/api/journeys/${id}/enter`)
      .set(auth(marketer))
      .send({ customerIds: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("customerIds");
  });
  it("pauses, resumes, archives (409 on a wrong transition)", async () => {
    expect((await request(s.app).post(`/api/journeys/${id}/pause`).set(auth(ops))).body.status).toBe(
      "paused",
    );
    const again = await request(s.app).post(`/api/journeys/${id}/pause`).set(auth(ops));
    expect(again.status).toBe(409);
    expect((await request(s.app).post(`/api/journeys/${id}/resume`).set(auth(ops))).body.status).toBe("live");
    const dry = await request(s.app)
      .post(`/api/journeys/${id}/dry-run`)
      .set(auth(marketer))
      .send({ from: ts(Date.now() - 200 * 86_400_000), to: ts(Date.now() + 1000) });
    expect(dry.status).toBe(200);
    expect(dry.body).toHaveProperty("journeys");
    expect(dry.body).toHaveProperty("runs");
    expect(dry.body.results[0]).toMatchObject({ journeyId: "j1", totals: { entered: expect.any(Number) } });
    const badDry = await request(s.app)
      .post(`/api/journeys/${id}/dry-run`)
      .set(auth(marketer))
      .send({ from: "yesterday" });
    expect(badDry.status).toBe(400);
    expect(badDry.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(["from", "to"]),
    );
    expect((await request(s.app).post(`/api/journeys/${id}/archive`).set(auth(marketer))).body.status).toBe(
      "archived",
    );
    expect((await request(s.app).post(`/api/journeys/${id}/publish`).set(auth(marketer))).status).toBe(409);
    expect(
      (await request(s.app).put(`/api/journeys/${id}/draft`).set(auth(marketer)).send({ doc: {} })).status,
    ).toBe(409);
  });
  it("404 for unknown journeys and routes", async () => {
    for (const p of [
      "/api/journeys/nope",
      "/api/journeys/nope/versions",
      "/api/journeys/nope/stats",
      "/api/nothing-here",
    ]) {
      const r = await request(s.app).get(p).set(auth(viewer));
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    expect((await request(s.app).post("/api/journeys/nope/publish").set(auth(marketer))).status).toBe(404);
  });
  it("writes every change to the audit log", async () => {
    const a = await request(s.app).get("/api/audit?limit=100").set(auth(ops));
    const actions = a.body.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "journey.create",
        "journey.draft",
        "journey.publish",
        "journey.enter",
        "journey.pause",
        "journey.resume",
        "journey.archive",
      ]),
    );
    expect(a.body.items[0]).toMatchObject({
      at: expect.any(String),
      userId: expect.any(String),
      target: expect.any(String),
    });
    const page = await request(s.app).get("/api/audit?limit=2").set(auth(ops));
    expect(page.body.items).toHaveLength(2);
    const next = await request(s.app).get(`/api/audit?limit=2&cursor=${page.body.nextCursor}`).set(auth(ops));
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
  });
});

describe("catalog and templates", () => {
  it("serves node types with JSON Schemas and ports", async () => {
    const r = await request(s.app).get("/api/node-types").set(auth(viewer));
    const types = r.body.control.map((c: { type: string }) => c.type);
    expect(types).toEqual(["trigger", "condition", "wait", "split", "action", "exit"]);
    const wait = r.body.control.find((c: { type: string }) => c.type === "wait");
    expect(wait.kinds.find((k: { kind: string }) => k.kind === "event").ports).toEqual([
      "matched",
      "timeout",
    ]);
    expect(r.body.actions.find((a: { type: string }) => a.type === "email")).toMatchObject({
      channel: "email",
      ports: ["next", "failed"],
    });
    expect(r.body.actions[0].config).toHaveProperty("type");
  });
  it("serves facts, templates and previews", async () => {
    const f = await request(s.app).get("/api/facts").set(auth(viewer));
    expect(f.body.find((x: { path: string }) => x.path === "$.stage")).toMatchObject({
      fact: "customer",
      type: "string",
    });
    const t = await request(s.app).get("/api/templates").set(auth(viewer));
    expect(t.body.find((x: { name: string }) => x.name === "winback-coupon")).toMatchObject({
      channel: "email",
      locales: ["en", "zh"],
    });
    expect((await request(s.app).get("/api/templates/winback-coupon").set(auth(viewer))).body.channel).toBe(
      "email",
    );
    expect((await request(s.app).get("/api/templates/nope").set(auth(viewer))).status).toBe(404);
    const sample = await request(s.app)
      .post("/api/templates/winback-coupon/preview")
      .set(auth(viewer))
      .send({ sample: true, locale: "en" });
    expect(sample.status).toBe(200);
    expect(sample.body.subject).toBeTruthy();
    const forCustomer = await request(s.app)
      .post("/api/templates/winback-coupon/preview")
      .set(auth(viewer))
      .send({ customerId: "c-1" });
    expect(forCustomer.status).toBe(200);
    expect(forCustomer.body.text).toContain("Customer 1");
    expect(
      (
        await request(s.app)
          .post("/api/templates/winback-coupon/preview")
          .set(auth(viewer))
          .send({ customerId: "nobody" })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(s.app)
          .post("/api/templates/winback-coupon/preview")
          .set(auth(viewer))
          .send({ locale: "fr" })
      ).status,
    ).toBe(400);
  });
});

describe("customers and run logs", () => {
  it("searches and pages customers", async () => {
    const p1 = await request(s.app).get("/api/customers?limit=2").set(auth(viewer));
    expect(p1.body.items.map((c: { id: string }) => c.id)).toEqual(["c-1", "c-2"]);
    const p2 = await request(s.app)
      .get(`/api/customers?limit=2&cursor=${p1.body.nextCursor}`)
      .set(auth(viewer));
    expect(p2.body.items.map((c: { id: string }) => c.id)).toEqual(["c-3", "c-4"]);
    const q = await request(s.app).get("/api/customers?q=c5@").set(auth(viewer));
    expect(q.body.items.map((c: { id: string }) => c.id)).toEqual(["c-5"]);
    expect((await request(s.app).get("/api/customers?limit=0").set(auth(viewer))).status).toBe(400);
  });
  it("answers one customer's profile, events and runs", async () => {
    const c = await request(s.app).get("/api/customers/c-1").set(auth(viewer));
    expect(c.body).toMatchObject({
      id: "c-1",
      traits: { email: "c1@example.com" },
      fact: { ordersCount: 1 },
    });
    const ev = await request(s.app).get("/api/customers/c-1/events").set(auth(viewer));
    expect(ev.body.map((e: { name: string }) => e.name)).toContain("order_completed");
    const runs = await request(s.app).get("/api/customers/c-1/runs").set(auth(viewer));
    expect(runs.body[0]).toMatchObject({ customerId: "c-1", steps: expect.any(Array), deliveries: [] });
    expect(runs.body[0].steps.length).toBeGreaterThan(0);
    for (const p of [
      "/api/customers/nobody",
      "/api/customers/nobody/events",
      "/api/customers/nobody/runs",
      "/api/runs/99999",
    ])
      expect((await request(s.app).get(p).set(auth(viewer))).status).toBe(404);
  });
  it("filters, pages and exports steps", async () => {
    const all = await request(s.app).get("/api/steps?limit=1").set(auth(viewer));
    expect(all.body.items).toHaveLength(1);
    expect(all.body.nextCursor).not.toBeNull();
    const next = await request(s.app)
      .get(`/api/steps?limit=1&cursor=${all.body.nextCursor}`)
      .set(auth(viewer));
    expect(next.body.items[0].id).toBeGreaterThan(all.body.items[0].id);
    const byNode = await request(s.app).get("/api/steps?nodeId=w1&customerId=c-1").set(auth(viewer));
    expect(
      byNode.body.items.every(
        (x: { nodeId: string; customerId: string }) => x.nodeId === "w1" && x.customerId === "c-1",
      ),
    ).toBe(true);
    const none = await request(s.app)
      .get(`/api/steps?from=${ts(Date.now() + 86_400_000)}`)
      .set(auth(viewer));
    expect(none.body.items).toEqual([]);
    const csv = await request(s.app).get("/api/steps?format=csv").set(auth(viewer));
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.text.split("\n")[0]).toBe(
      "\uFEFFid,at,journeyId,versionId,runId,customerId,nodeId,nodeType,visit,outcome,port,reason,dueAt,lateMs,detail",
    );
    expect((await request(s.app).get("/api/steps?from=soon").set(auth(viewer))).status).toBe(400);
  });
  it("retries only failed runs and deliveries; lists the outbox", async () => {
    const runs = await request(s.app).get("/api/customers/c-1/runs").set(auth(viewer));
    const r = await request(s.app).post(`/api/runs/${runs.body[0].id}/retry`).set(auth(ops));
    expect(r.status).toBe(409);
    expect((await request(s.app).post("/api/runs/99999/retry").set(auth(ops))).status).toBe(404);
    const out = await request(s.app).get("/api/outbox?status=sent").set(auth(viewer));
    expect(out.body).toEqual({ items: [], nextCursor: null });
    expect((await request(s.app).post("/api/outbox/nope/retry").set(auth(ops))).status).toBe(404);
    expect((await request(s.app).get("/api/outbox?status=lost").set(auth(viewer))).status).toBe(400);
  });
  it("ops retries a failed run on the node where it failed", async () => {
    const doc = {
      schemaVersion: 1,
      name: "Failing",
      settings: { reentry: { mode: "always" } },
      nodes: [
        { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
        { id: "a1", type: "action", position: { x: 0, y: 100 }, data: { action: "test/flaky" } },
      ],
      edges: [{ id: "e1", source: "t1", target: "a1" }],
    };
    const j = await request(s.app).post("/api/journeys").set(auth(marketer)).send({ doc });
    expect((await request(s.app).post(`/api/journeys/${j.body.id}/publish`).set(auth(marketer))).status).toBe(
      201,
    );
    flaky.fail = true;
    await request(s.app)
      .post(`/api/journeys/${j.body.id}/enter`)
      .set(auth(marketer))
      .send({ customerIds: ["c-3"] });
    await s.ctx.engine.tick();
    const failed = await request(s.app).get(`/api/steps?journeyId=${j.body.id}&error=true`).set(auth(viewer));
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]).toMatchObject({ nodeId: "a1", outcome: "failed", reason: "flaky" });
    const runId = failed.body.items[0].runId;
    expect((await request(s.app).get(`/api/runs/${runId}`).set(auth(viewer))).body.status).toBe("failed");
    flaky.fail = false;
    const retry = await request(s.app).post(`/api/runs/${runId}/retry`).set(auth(ops));
    expect(retry.status).toBe(200);
    await s.ctx.engine.tick();
    const run = await request(s.app).get(`/api/runs/${runId}`).set(auth(viewer));
    expect(run.body.status).toBe("completed");
    expect(run.body.steps.map((x: { outcome: string }) => x.outcome)).toContain("retried");
    const stats = await request(s.app).get(`/api/journeys/${j.body.id}/stats`).set(auth(viewer));
    expect(stats.body.nodes.a1.failed).toBe(1);
  });
});

describe("users and keys", () => {
  it("creates users with a one-time password, changes roles, protects the last admin", async () => {
    const c = await request(s.app)
      .post("/api/users")
      .set(auth(admin))
      .send({ email: "New@Example.com", name: "New", role: "viewer" });
    expect(c.status).toBe(201);
    expect(c.body.password).toEqual(expect.any(String));
    expect(c.body).not.toHaveProperty("passwordHash");
    const login = await request(s.app)
      .post("/api/auth/login")
      .send({ email: "new@example.com", password: c.body.password });
    expect(login.status).toBe(200);
    const dup = await request(s.app)
      .post("/api/users")
      .set(auth(admin))
      .send({ email: "new@example.com", name: "X", role: "viewer" });
    expect(dup.status).toBe(409);
    const bad = await request(s.app)
      .post("/api/users")
      .set(auth(admin))
      .send({ email: "not-an-email", name: "", role: "boss" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "email",
      "name",
      "role",
    ]);
    const patched = await request(s.app)
      .patch(`/api/users/${c.body.id}`)
      .set(auth(admin))
      .send({ role: "ops" });
    expect(patched.body.role).toBe("ops");
    // Changing the role ends the user's sessions.
    expect((await request(s.app).get("/api/me").set(auth(login.body.token))).status).toBe(401);
    const last = await request(s.app)
      .patch(`/api/users/${s.users.admin.id}`)
      .set(auth(admin))
      .send({ role: "viewer" });
    expect(last.status).toBe(409);
    expect((await request(s.app).patch("/api/users/nope").set(auth(admin)).send({ name: "x" })).status).toBe(
      404,
    );
    const users = await request(s.app).get("/api/users").set(auth(admin));
    expect(users.body.length).toBeGreaterThanOrEqual(5);
  });
  it("creates write keys whose secret is shown once", async () => {
    const k = await request(s.app).post("/api/keys").set(auth(admin)).send({ name: "shop" });
    expect(k.body.secret).toMatch(/^wk_/);
    const list = await request(s.app).get("/api/keys").set(auth(admin));
    expect(JSON.stringify(list.body)).not.toContain(k.body.secret);
    expect((await request(s.app).delete("/api/keys/nope").set(auth(admin))).status).toBe(404);
    expect((await request(s.app).post("/api/keys").set(auth(admin)).send({})).status).toBe(400);
  });
});

describe("meta", () => {
  it("serves OpenAPI 3.1 generated from the routes", async () => {
    const r = await request(s.app).get("/api/openapi.json");
    expect(r.body.openapi).toBe("3.1.0");
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(["/api/journeys/{id}/publish", "/v1/batch", "/api/steps"]),
    );
    expect(
      r.body.paths["/api/journeys"].post.requestBody.content["application/json"].schema.properties,
    ).toHaveProperty("doc");
    expect(
      r.body.paths["/v1/track"].post.requestBody.content["application/json"].schema.properties,
    ).toHaveProperty("event");
    expect(r.body.paths["/api/steps"].get.parameters.map((p: { name: string }) => p.name)).toContain(
      "journeyId",
    );
  });
  it("health, metrics, security headers and CORS", async () => {
    const h = await request(s.app).get("/healthz");
    expect(h.body.ok).toBe(true);
    expect(h.headers["x-content-type-options"]).toBe("nosniff");
    expect(h.headers["x-frame-options"]).toBe("DENY");
    expect(h.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(h.headers["x-powered-by"]).toBeUndefined();
    expect((await request(s.app).get("/metrics")).status).toBe(401);
    const m = await request(s.app)
      .get("/metrics")
      .set(auth(s.token("admin")));
    expect(m.text).toContain("rekindle_ingested_events_total");
    expect(m.text).toContain("rekindle_steps_total");
    expect(m.text).toContain("rekindle_step_lateness_seconds");
    expect(m.text).toContain("rekindle_deliveries");
    const pre = await request(s.app)
      .options("/api/journeys")
      .set("Origin", "http://localhost:5173")
      .set("Access-Control-Request-Method", "POST");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    const evil = await request(s.app)
      .options("/api/journeys")
      .set("Origin", "https://evil.example")
      .set("Access-Control-Request-Method", "POST");
    expect(evil.status).toBe(403);
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
    const ingest = await request(s.app)
      .options("/v1/track")
      .set("Origin", "https://shop.example")
      .set("Access-Control-Request-Method", "POST");
    expect(ingest.headers["access-control-allow-origin"]).toBe("*");
  });
});
