import express from "express";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUnsubscribeToken } from "../../engine/consent/token";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { unsubscribeRouter } from "./unsubscribe";

const SECRET = "unsubscribe-secret-0123456789";
let store: SqliteStore;
let app: express.Express;
beforeEach(() => {
  store = SqliteStore.open(":memory:");
  app = express();
  app.use(unsubscribeRouter({ target: store, secret: SECRET, brandName: "Acme <Shop>" }));
});
afterEach(() => store.close());

const token = (channel = "email", customerId = "c-1") =>
  createUnsubscribeToken(SECRET, { customerId, channel });

describe("unsubscribeRouter", () => {
  it("GET shows a confirmation page and changes nothing", async () => {
    const res = await request(app).get(`/u/${token()}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/html");
    expect(res.text).toContain("Unsubscribe from emails from Acme &lt;Shop&gt;?");
    expect(res.text).toContain('<form method="post">');
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(await store.suppressedChannels("c-1")).toEqual(new Set());
  });

  it("POST from the page unsubscribes that channel only; undo resubscribes", async () => {
    const t = token("sms");
    const res = await request(app).post(`/u/${t}`).type("form").send({ action: "unsubscribe" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("You are unsubscribed from text messages.");
    expect(await store.suppressedChannels("c-1")).toEqual(new Set(["sms"]));
    expect((await store.listSuppressions("c-1"))[0]).toMatchObject({
      source: "link",
      reason: "unsubscribed",
    });
    // Twice is fine.
    expect((await request(app).post(`/u/${t}`).type("form").send({})).status).toBe(200);
    const undo = await request(app).post(`/u/${t}`).type("form").send({ action: "resubscribe" });
    expect(undo.text).toContain("subscribed to text messages again");
    expect(await store.suppressedChannels("c-1")).toEqual(new Set());
  });

  it("accepts RFC 8058 one-click POSTs from mail providers", async () => {
    const res = await request(app).post(`/u/${token()}`).type("form").send("List-Unsubscribe=One-Click");
    expect(res.status).toBe(200);
    expect((await store.listSuppressions("c-1"))[0]).toMatchObject({ channel: "email", source: "one-click" });
  });

  it("refuses altered, foreign and malformed tokens with a 400 page and no change", async () => {
    const t = token();
    const [, sig] = t.split(".");
    const forged = `${Buffer.from(JSON.stringify(["c-2", "*", 1])).toString("base64url")}.${sig}`;
    const foreign = createUnsubscribeToken("another-secret-0123456789", {
      customerId: "c-1",
      channel: "email",
    });
    for (const bad of [forged, foreign, "nonsense", `${t}x`]) {
      expect((await request(app).get(`/u/${bad}`)).status).toBe(400);
      const res = await request(app).post(`/u/${bad}`).type("form").send("List-Unsubscribe=One-Click");
      expect(res.status).toBe(400);
      expect(res.text).toContain("not valid");
    }
    expect(await store.suppressedChannels("c-1")).toEqual(new Set());
    expect(await store.suppressedChannels("c-2")).toEqual(new Set());
  });

  it("refuses expired links when a maximum age is set, and oversized bodies", async () => {
    const strict = express();
    strict.use(unsubscribeRouter({ target: store, secret: SECRET, maxAgeSec: 60 }));
    const old = createUnsubscribeToken(SECRET, { customerId: "c-1", channel: "email", issuedAt: 1_000 });
    expect((await request(strict).get(`/u/${old}`)).status).toBe(400);
    const big = await request(app)
      .post(`/u/${token()}`)
      .type("form")
      .send(`x=${"a".repeat(5000)}`);
    expect(big.status).toBe(413);
  });
});
