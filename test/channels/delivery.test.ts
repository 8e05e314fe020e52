import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelDeliver, defaultRegistry } from "../../engine/actions/builtins";
import { createChannelProviders, loadChannelConfig, verifyWebhookSignature } from "../../engine/channels";
import type { ChannelProviders } from "../../engine/channels";
import { unsubscribe, unsubscribeLinks, verifyUnsubscribeToken } from "../../engine/consent";
import { libraryRenderer } from "../../engine/templates/engine-renderer";
import { loadTemplateLibrary } from "../../engine/templates/load";
import { Harness, journey, trackEvent } from "../engine/harness";
import { json, startSink } from "./sink";

const SECRET = "unsubscribe-secret-0123456789";
const HOOK_SECRET = "whsec_test_0123456789abcdef";
const links = unsubscribeLinks(SECRET, "https://shop.example.com/");
const library = loadTemplateLibrary();

async function harness(env: Record<string, string>, deps: Parameters<typeof createChannelProviders>[1] = {}) {
  const providers = createChannelProviders(
    loadChannelConfig({
      REKINDLE_WEBHOOK_SECRET: HOOK_SECRET,
      REKINDLE_WEBHOOK_TIMEOUT_MS: "2000",
      REKINDLE_WEBHOOK_ALLOW: "127.0.0.1",
      ...env,
    }),
    deps,
  );
  const h = await Harness.open({
    registry: defaultRegistry({ deliver: channelDeliver(providers, { unsubscribeUrl: links }) }),
    templates: libraryRenderer(library, { unsubscribeUrl: links }),
  });
  return { h, providers };
}

const alex = { email: "alex@example.com", name: "Alex Morgan", locale: "en", timezone: "Europe/London" };

describe("email over SMTP from a journey", () => {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
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
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the rendered offer with a signed per-channel unsubscribe link in the footer and header", async () => {
    const { h, providers } = await harness({
      REKINDLE_EMAIL_PROVIDER: "smtp",
      REKINDLE_SMTP_HOST: "127.0.0.1",
      REKINDLE_SMTP_PORT: String(port),
      REKINDLE_EMAIL_FROM: '"Rekindle Shop" <hello@shop.example.com>',
    });
    await h.publish(
      journey(
        [
          ["t1", "trigger", { kind: "event", event: "churn_signal" }],
          ["a1", "action", { action: "email", template: "winback-coupon" }],
        ],
        [["t1", "a1"]],
      ),
      "j",
    );
    await h.identify("c-1001", alex);
    await h.track("c-1001", "churn_signal");
    const [row] = await h.outbox({ customerId: "c-1001" });
    expect(row).toMatchObject({ status: "sent", channel: "email" });
    expect(row?.response).toMatchObject({ provider: "smtp" });
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    const rendered = row!.payload.rendered as { subject: string; text: string };
    expect(mail.subject).toBe(rendered.subject);
    expect(mail.text?.trim()).toBe(rendered.text.trim());
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toContain("alex@example.com");
    const line = mail.headerLines.find((l) => l.key === "list-unsubscribe")?.line ?? "";
    const url = line.slice(line.indexOf(":") + 1).trim();
    expect(url).toMatch(/^<https:\/\/shop\.example\.com\/u\/[^>]+>$/);
    const token = /\/u\/([^>\s]+)/.exec(url)?.[1] ?? "";
    expect(verifyUnsubscribeToken(SECRET, token)).toMatchObject({ customerId: "c-1001", channel: "email" });
    expect(mail.html).toContain(`/u/${token}`);
    expect(mail.headerLines.find((l) => l.key === "list-unsubscribe-post")?.line).toContain(
      "List-Unsubscribe=One-Click",
    );
    await providers.close();
    await h.close();
  });
});

describe("webhooks from a journey", () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(() => sink.close());

  const hookJourney = (url: string) =>
    journey(
      [
        ["t1", "trigger", { kind: "event", event: "churn_signal" }],
        ["w1", "action", { action: "webhook", params: { url, mapResponse: { couponCode: "$.data.code" } } }],
        ["a1", "action", { action: "email", template: "winback-coupon" }],
        ["x1", "exit", {}],
      ],
      [
        ["t1", "w1"],
        ["w1", "a1", "next"],
        ["w1", "x1", "failed"],
      ],
    );

  it("signs the request, maps the response into traits and run vars, and the next email uses the code", async () => {
    sink.seen.length = 0;
    sink.replies.push(json(200, { data: { code: "PARTNER-42" } }));
    const { h, providers } = await harness({});
    await h.publish(hookJourney(`${sink.url}/coupon`), "j");
    await h.identify("c-1", alex);
    await h.track("c-1", "churn_signal");
    expect(sink.seen).toHaveLength(1);
    const req = sink.seen[0]!;
    expect(
      verifyWebhookSignature({
        secret: HOOK_SECRET,
        header: req.headers["rekindle-signature"] as string,
        body: req.body,
      }),
    ).toBe(true);
    const [hook] = await h.outbox({ customerId: "c-1" });
    expect(req.headers["idempotency-key"]).toBe(hook!.idempotencyKey);
    expect(hook).toMatchObject({ status: "sent", action: "webhook" });
    expect((await h.store.getCustomers(["c-1"])).get("c-1")?.traits.couponCode).toBe("PARTNER-42");
    const run = await h.run("j", "c-1");
    expect(run.ctx.vars?.couponCode).toBe("PARTNER-42");
    const email = providers.dev.forChannel("email");
    expect(email).toHaveLength(1);
    expect(email[0]!.content.text).toContain("PARTNER-42");
    expect(email[0]!.unsubscribeUrl).toMatch(/^https:\/\/shop\.example\.com\/u\//);
    await h.close();
  });

  it("503 twice then 200: three attempts, each a send at the outbox row's due time, never a sleep", async () => {
    sink.seen.length = 0;
    const at: number[] = [];
    // Jitter pinned at one half: the backoff after attempt n is 0.5 × 500 ms·2^(n-1), i.e. 250 then 500 ms.
    let now = (): number => 0;
    const { h } = await harness({}, { clock: { now: () => now(), random: () => 0.5 } });
    now = () => h.now;
    const answer =
      (status: number) =>
      (res: Parameters<ReturnType<typeof json>>[0], req: Parameters<ReturnType<typeof json>>[1]) => {
        at.push(h.now);
        json(status, status === 200 ? { data: { code: "C-3" } } : { error: "busy" })(res, req);
      };
    sink.replies.push(answer(503), answer(503), answer(200));
    await h.publish(hookJourney(`${sink.url}/coupon`), "j");
    await h.identify("c-1", alex);
    const t0 = h.now;
    await h.track("c-1", "churn_signal");
    // One send per drain: the first answer left a row due 250 ms later, and nothing was sent in between.
    expect(at).toEqual([t0]);
    const [first] = await h.outbox({ customerId: "c-1" });
    expect(first).toMatchObject({ status: "retry", attempts: 1, error: "HTTP 503", nextAttemptAt: t0 + 250 });
    await h.advanceTo(t0 + 250);
    const [second] = await h.outbox({ customerId: "c-1" });
    expect(second).toMatchObject({ status: "retry", attempts: 2, nextAttemptAt: t0 + 750 });
    await h.advanceTo(t0 + 750);
    const [sent] = await h.outbox({ customerId: "c-1" });
    expect(sent).toMatchObject({ status: "sent", attempts: 3, deliveredAt: t0 + 750 });
    expect(at).toEqual([t0, t0 + 250, t0 + 750]);
    expect(new Set(sink.seen.map((r) => r.headers["idempotency-key"]))).toEqual(
      new Set([sent!.idempotencyKey]),
    );
    expect((await h.run("j", "c-1")).ctx.vars?.couponCode).toBe("C-3");
    await h.close();
  });

  it("a webhook that keeps answering 503 fails for good at REKINDLE_WEBHOOK_MAX_ATTEMPTS and leaves via failed", async () => {
    sink.seen.length = 0;
    sink.setFallback(json(503, { error: "busy" }));
    try {
      const { h } = await harness({ REKINDLE_WEBHOOK_MAX_ATTEMPTS: "2" });
      await h.publish(hookJourney(`${sink.url}/coupon`), "j");
      await h.identify("c-1", alex);
      await h.track("c-1", "churn_signal");
      const [retry] = await h.outbox({ customerId: "c-1" });
      await h.advanceTo(retry!.nextAttemptAt!);
      const [failed] = await h.outbox({ customerId: "c-1" });
      expect(failed).toMatchObject({
        status: "failed",
        attempts: 2,
        error: "gave up after 2 attempts: HTTP 503",
      });
      expect(sink.seen).toHaveLength(2);
      expect((await h.steps({ customerId: "c-1", nodeId: "w1" })).at(-1)).toMatchObject({ port: "failed" });
      await h.close();
    } finally {
      sink.setFallback(json(200, { ok: true }));
    }
  });

  it("a 503 leaves the delivery for retry with a delay; a 400 fails it and the run leaves via failed", async () => {
    sink.seen.length = 0;
    sink.replies.push(json(503, { error: "busy" }));
    const { h } = await harness({});
    await h.publish(hookJourney(`${sink.url}/coupon`), "j");
    await h.identify("c-1", alex);
    await h.track("c-1", "churn_signal");
    const [retry] = await h.outbox({ customerId: "c-1" });
    expect(retry).toMatchObject({ status: "retry", error: "HTTP 503" });
    expect(retry!.nextAttemptAt).toBeGreaterThan(h.now);
    // The retry carries the same key, and this time the receiver refuses for good.
    sink.replies.push(json(400, { error: "unknown customer" }));
    await h.advanceTo(retry!.nextAttemptAt!);
    const [failed] = await h.outbox({ customerId: "c-1" });
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.error).toMatch(/^HTTP 400/);
    expect(sink.seen.map((r) => r.headers["idempotency-key"])).toEqual([
      retry!.idempotencyKey,
      retry!.idempotencyKey,
    ]);
    const run = await h.run("j", "c-1");
    expect(run.outcome).toBe("completed");
    expect((await h.steps({ customerId: "c-1", nodeId: "w1" })).at(-1)).toMatchObject({ port: "failed" });
    await h.close();
  });
});

describe("consent", () => {
  const doc = journey(
    [
      ["t1", "trigger", { kind: "event", event: "churn_signal" }],
      ["a1", "action", { action: "email", template: "winback-coupon" }],
      ["a2", "action", { action: "sms", template: "winback-coupon-sms" }],
    ],
    [
      ["t1", "a1"],
      ["a1", "a2"],
    ],
  );
  const traits = { ...alex, phone: "+14155550100" };

  it("skips an unsubscribed channel with reason unsubscribed and goes on through next", async () => {
    const { h, providers } = await harness({});
    await h.publish(doc, "j");
    await h.identify("c-1", traits);
    expect(await unsubscribe(h.engine, "c-1", "email", { source: "link" })).toBe(true);
    expect(await unsubscribe(h.engine, "c-1", "email")).toBe(false);
    await h.track("c-1", "churn_signal");
    const [a1] = await h.steps({ customerId: "c-1", nodeId: "a1" });
    expect(a1).toMatchObject({ outcome: "skipped", reason: "unsubscribed", port: "next" });
    expect(providers.dev.forChannel("email")).toHaveLength(0);
    expect(providers.dev.forChannel("sms")).toHaveLength(1);
    expect((await h.run("j", "c-1")).outcome).toBe("completed");
    await h.close();
  });

  it("`*` suppresses every channel", async () => {
    const { h, providers } = await harness({});
    await h.publish(doc, "j");
    await h.identify("c-1", traits);
    await unsubscribe(h.store, "c-1", "*");
    await h.track("c-1", "churn_signal");
    const steps = await h.steps({ customerId: "c-1", outcome: "skipped" });
    expect(steps.map((s) => [s.nodeId, s.reason])).toEqual([
      ["a1", "unsubscribed"],
      ["a2", "unsubscribed"],
    ]);
    expect(providers.dev.deliveries).toHaveLength(0);
    await h.close();
  });

  it("an unsubscribe between queueing and sending wins: the queued email is not sent", async () => {
    const { h, providers } = await harness({});
    await h.publish(doc, "j");
    await h.identify("c-1", traits);
    await h.engine.ingest([trackEvent("c-1", "churn_signal", {}, h.now)]);
    await h.engine.tick(100);
    expect(await h.outbox({ customerId: "c-1", status: "pending" })).toHaveLength(2);
    await unsubscribe(h.engine, "c-1", "email");
    await h.drain();
    const email = (await h.outbox({ customerId: "c-1" })).find((o) => o.channel === "email");
    expect(email).toMatchObject({ status: "failed", error: "unsubscribed" });
    expect(providers.dev.forChannel("email")).toHaveLength(0);
    expect(providers.dev.forChannel("sms")).toHaveLength(1);
    await h.close();
  });
});

describe("unsubscribe tokens", () => {
  it("refuse tampering, other secrets and (optionally) old tokens; accept rotated secrets", async () => {
    const { createUnsubscribeToken } = await import("../../engine/consent");
    const t = createUnsubscribeToken(SECRET, { customerId: "c-1", channel: "sms", issuedAt: 1_000 });
    expect(verifyUnsubscribeToken(SECRET, t)).toEqual({ customerId: "c-1", channel: "sms", issuedAt: 1_000 });
    expect(verifyUnsubscribeToken(["another-secret-000000000", SECRET], t)).not.toBeNull();
    expect(verifyUnsubscribeToken("another-secret-000000000", t)).toBeNull();
    const [payload, sig] = t.split(".");
    const forged = Buffer.from(JSON.stringify(["c-2", "sms", 1_000])).toString("base64url");
    expect(verifyUnsubscribeToken(SECRET, `${forged}.${sig}`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, `${payload}.${sig}x`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, "garbage")).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, t, { maxAgeSec: 60, now: 2_000_000 })).toBeNull();
    // The footer (rendered at the step) and the header (at dispatch) must carry the same link.
    expect(links("c-1", "email")).toBe(links("c-1", "email"));
    expect(links("c-1", "email")).not.toBe(links("c-1", "sms"));
  });
});

export type { ChannelProviders };
