/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- HTTP response bodies are untyped JSON */
/**
 * Confidence before publishing, over HTTP: the publish check (audience now, next fires, overlaps, diff), "run
 * now" as a queued slot that the scheduler fires, and a test send that reaches a real local SMTP server. Only
 * those who may publish may call them.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import type { ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannelProviders, loadChannelConfig } from "../../engine/index";
import { AudienceSchedules, Driver } from "../../engine/index";
import { publishCheckSchema } from "../../engine/schema/publish-check";
import { request, testServer } from "./helpers";
import type { TestServer } from "./helpers";

const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  disabledCommands: ["STARTTLS"],
  authOptional: true,
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push(mail);
        callback();
      })
      .catch((err: Error) => callback(err));
  },
});

let s: TestServer;
let marketer = "";
let viewer = "";
let ops = "";
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

const gold = { all: [{ fact: "customer", path: "$.traits.plan", operator: "equal", value: "gold" }] };
const doc = (name: string, extra: { nodes?: unknown[]; edges?: unknown[] } = {}) => ({
  schemaVersion: 1,
  name,
  settings: { timezone: "Asia/Shanghai", reentry: { mode: "always" } },
  nodes: [
    {
      id: "t1",
      type: "trigger",
      position: { x: 0, y: 0 },
      data: { kind: "audience", schedule: "0 9 * * 1", conditions: gold },
    },
    {
      id: "a1",
      type: "action",
      position: { x: 0, y: 120 },
      data: { action: "email", template: "winback-coupon" },
    },
    ...(extra.nodes ?? []),
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }, ...(extra.edges ?? [])],
});

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  s = await testServer({
    channels: createChannelProviders(
      loadChannelConfig({
        REKINDLE_EMAIL_PROVIDER: "smtp",
        REKINDLE_SMTP_HOST: "127.0.0.1",
        REKINDLE_SMTP_PORT: String(port),
        REKINDLE_EMAIL_FROM: '"Rekindle Shop" <hello@shop.example.com>',
      }),
    ),
  });
  marketer = s.token("marketer");
  viewer = s.token("viewer");
  ops = s.token("ops");
  const batch = [
    { userId: "c-1", traits: { plan: "gold", email: "li@example.com", name: "Li Na", locale: "zh" } },
    { userId: "c-2", traits: { plan: "gold", email: "wang@example.com", name: "Wang" } },
    { userId: "c-3", traits: { plan: "silver", email: "zhao@example.com" } },
  ].map((c) => ({ type: "identify", ...c }));
  expect(
    (await request(s.app).post("/v1/batch").set("Authorization", s.basic()).send({ batch })).status,
  ).toBe(200);
});
afterAll(async () => {
  await s.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe("the publish check", () => {
  it("answers a marketer with the audience now, its next fires, overlapping live journeys and the diff", async () => {
    const other = await request(s.app)
      .post("/api/journeys")
      .set(auth(marketer))
      .send({ doc: doc("Gold weekly") });
    expect(
      (await request(s.app).post(`/api/journeys/${other.body.id}/publish`).set(auth(marketer))).status,
    ).toBe(201);
    const mine = await request(s.app)
      .post("/api/journeys")
      .set(auth(marketer))
      .send({ doc: doc("Gold offer") });
    const id: string = mine.body.id;
    expect((await request(s.app).get(`/api/journeys/${id}/publish-check`).set(auth(viewer))).status).toBe(
      403,
    );
    const r = await request(s.app).get(`/api/journeys/${id}/publish-check`).set(auth(marketer));
    expect(r.status).toBe(200);
    const check = publishCheckSchema.parse(r.body);
    expect(check.triggers[0]).toMatchObject({
      kind: "audience",
      customers: 2,
      total: 3,
      timezone: "Asia/Shanghai",
    });
    expect(check.triggers[0]!.nextFires).toHaveLength(5);
    expect(check.overlaps).toEqual([
      expect.objectContaining({ journeyId: other.body.id, journeyName: "Gold weekly", sharedCustomers: 2 }),
    ]);
    expect(check.diff).toBeNull();
    // Published, then edited: the diff is against the live version.
    await request(s.app).post(`/api/journeys/${id}/publish`).set(auth(marketer));
    const edited = doc("Gold offer", {
      nodes: [{ id: "x1", type: "exit", position: { x: 0, y: 240 }, data: {} }],
      edges: [{ id: "e2", source: "a1", target: "x1" }],
    });
    await request(s.app).put(`/api/journeys/${id}/draft`).set(auth(marketer)).send({ doc: edited });
    const again = publishCheckSchema.parse(
      (await request(s.app).get(`/api/journeys/${id}/publish-check`).set(auth(marketer))).body,
    );
    expect(again.liveVersion).toBe(1);
    expect(again.diff).toMatchObject({ nodes: { added: ["x1"] }, edges: { added: ["e2"] } });
  });
});

describe("run now", () => {
  it("queues a slot due now (202) that the scheduler fires once; refused to ops and for a draft", async () => {
    const created = await request(s.app)
      .post("/api/journeys")
      .set(auth(marketer))
      .send({ doc: doc("Run me now") });
    const id: string = created.body.id;
    const path = `/api/journeys/${id}/audience/t1/run`;
    expect((await request(s.app).post(path).set(auth(marketer))).status).toBe(409);
    await request(s.app).post(`/api/journeys/${id}/publish`).set(auth(marketer));
    expect((await request(s.app).post(path).set(auth(ops))).status).toBe(403);
    const audience = new AudienceSchedules(s.ctx.engine);
    await audience.ready();
    const r = await request(s.app).post(path).set(auth(marketer));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ nodeId: "t1" });
    expect(await s.ctx.store.listRuns({ journeyId: id })).toHaveLength(0);
    await new Driver(s.ctx.engine).fireTimers();
    expect((await s.ctx.store.listRuns({ journeyId: id })).map((x) => x.customerId).sort()).toEqual([
      "c-1",
      "c-2",
    ]);
    audience.stop();
    const log = await request(s.app)
      .get("/api/audit")
      .set(auth(s.token("admin")));
    expect(log.body.items[0]).toMatchObject({ action: "journey.audience_run", target: id });
  });
});

describe("a test send", () => {
  it("renders the draft's message step for a customer and delivers it to a real SMTP server", async () => {
    const created = await request(s.app)
      .post("/api/journeys")
      .set(auth(marketer))
      .send({ doc: doc("Test me") });
    const id: string = created.body.id;
    const path = `/api/journeys/${id}/test-send`;
    expect(
      (await request(s.app).post(path).set(auth(viewer)).send({ nodeId: "a1", customerId: "c-1" })).status,
    ).toBe(403);
    expect((await request(s.app).post(path).set(auth(marketer)).send({ nodeId: "a1" })).status).toBe(400);
    expect(
      (await request(s.app).post(path).set(auth(marketer)).send({ nodeId: "t1", customerId: "c-1" })).status,
    ).toBe(400);
    const before = received.length;
    const r = await request(s.app)
      .post(path)
      .set(auth(marketer))
      .send({ nodeId: "a1", customerId: "c-1", to: "qa@shop.example.com", requestId: "click-1" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "sent",
      channel: "email",
      to: "qa@shop.example.com",
      customerId: "c-1",
    });
    expect(received).toHaveLength(before + 1);
    const mail = received[received.length - 1]!;
    expect(mail.subject).toBe(r.body.subject);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toContain("qa@shop.example.com");
    // Nothing of it in the outbox: a test is not one of the journey's deliveries.
    expect(await s.ctx.store.listOutbox({ journeyId: id })).toHaveLength(0);
  });
});
