/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUnsubscribeToken } from "../../engine/consent/index";
import { request, testServer, ts } from "./helpers";
import type { TestServer } from "./helpers";

let s: TestServer;
const ui = mkdtempSync(join(tmpdir(), "rekindle-ui-"));

beforeAll(async () => {
  mkdirSync(join(ui, "assets"));
  writeFileSync(join(ui, "index.html"), "<!doctype html><title>Rekindle builder</title><div id=root></div>");
  writeFileSync(join(ui, "assets", "app.js"), "console.log('hi')");
  s = await testServer({ uiDir: ui });
  await request(s.app)
    .post("/v1/identify")
    .set("Authorization", s.basic())
    .send({ userId: "c-1", traits: { email: "c1@example.com" }, timestamp: ts() });
});
afterAll(async () => {
  await s.close();
  rmSync(ui, { recursive: true, force: true });
});

describe("unsubscribe links and consent", () => {
  it("a signed link shows a confirmation page; POST unsubscribes; a forged link is refused", async () => {
    const token = createUnsubscribeToken(s.ctx.unsubscribeSecret, { customerId: "c-1", channel: "email" });
    const page = await request(s.app).get(`/u/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post">');
    // Viewing the page does not unsubscribe (link scanners fetch it).
    const viewer = `Bearer ${s.token("viewer")}`;
    expect(
      (await request(s.app).get("/api/customers/c-1/consent").set("Authorization", viewer)).body.email,
    ).toBe(true);
    const post = await request(s.app).post(`/u/${token}`).type("form").send("List-Unsubscribe=One-Click");
    expect(post.status).toBe(200);
    expect(post.text).toContain("unsubscribed");
    const consent = await request(s.app).get("/api/customers/c-1/consent").set("Authorization", viewer);
    expect(consent.body).toEqual({ email: false, sms: true, push: true, wechat: true });
    const forged = createUnsubscribeToken("another-secret-of-16+chars", { customerId: "c-1", channel: "*" });
    expect((await request(s.app).post(`/u/${forged}`)).status).toBe(404);
    expect((await request(s.app).get("/u/garbage")).status).toBe(404);
  });
  it("marketers resubscribe through the API; the change is audited", async () => {
    const m = `Bearer ${s.token("marketer")}`;
    const r = await request(s.app)
      .put("/api/customers/c-1/consent")
      .set("Authorization", m)
      .send({ channel: "email", subscribed: true });
    expect(r.body.email).toBe(true);
    const bad = await request(s.app)
      .put("/api/customers/c-1/consent")
      .set("Authorization", m)
      .send({ channel: "fax", subscribed: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("channel");
    expect(
      (
        await request(s.app)
          .put("/api/customers/nobody/consent")
          .set("Authorization", m)
          .send({ channel: "email", subscribed: false })
      ).status,
    ).toBe(404);
    const audit = await request(s.app)
      .get("/api/audit")
      .set("Authorization", `Bearer ${s.token("ops")}`);
    const actions = (audit.body.items as { action: string }[]).map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(["consent.unsubscribe", "consent.resubscribe"]));
  });
});

describe("the built builder UI", () => {
  it("serves files, falls back to index.html for client routes, keeps API 404s as JSON", async () => {
    const root = await request(s.app).get("/");
    expect(root.text).toContain("Rekindle builder");
    expect(root.headers["content-security-policy"]).toContain("script-src 'self'");
    const deep = await request(s.app).get("/journeys/abc/edit");
    expect(deep.status).toBe(200);
    expect(deep.text).toContain("Rekindle builder");
    const js = await request(s.app).get("/assets/app.js");
    expect(js.headers["content-type"]).toContain("javascript");
    const api = await request(s.app)
      .get("/api/nope")
      .set("Authorization", `Bearer ${s.token("viewer")}`);
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe("not_found");
  });
});
