import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { destinationPolicy } from "./destination-policy";
import { DevOutbox } from "./dev";
import { createHttpProvider } from "./http-provider";
import type { RetryTiming } from "./retry";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "./signature";
import type { OutboundMessage } from "./types";
import { createWebhookProvider } from "./webhook";

// The receiver listens on loopback, which webhooks may only reach when it is allow-listed.
const receiverOnLoopback = destinationPolicy("127.0.0.1");

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Reply = (res: ServerResponse) => void;

const seen: Seen[] = [];
let replies: Reply[] = [];
let fallback: Reply = (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    (replies.shift() ?? fallback)(res);
  });
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  replies = [];
  fallback = (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
});

const status =
  (code: number, headers: Record<string, string> = {}, body = ""): Reply =>
  (res) =>
    res.writeHead(code, headers).end(body);
const hang: Reply = () => undefined; // never answers: the client must time out

/** A fixed instant and a fixed jitter: signatures and backoff delays are exact. */
function fakeClock(random = 0.5) {
  const clock: RetryTiming = { now: () => Date.parse("2026-03-05T10:30:00Z"), random: () => random };
  return { clock };
}

const SECRET = "whsec_test_0123456789abcdef";

function hook(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: "webhook",
    to: { customerId: "c-1001" },
    content: { channel: "webhook", body: "", json: { customerId: "c-1001", points: 200 } },
    webhook: { url: `${base}/hooks/points` },
    ...overrides,
  };
}
const opts = (key = "run-7:a2:1", signal = new AbortController().signal, attempt = 1) => ({
  idempotencyKey: key,
  signal,
  attempt,
});

describe("webhook provider against a real HTTP server", () => {
  it("POSTs the JSON body, signed, with the idempotency key", async () => {
    const { clock } = fakeClock();
    const provider = createWebhookProvider({ destinations: receiverOnLoopback, secret: SECRET, clock });
    const result = await provider.send(hook(), opts());
    expect(result).toMatchObject({ status: "sent", attempts: 1 });
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/hooks/points");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["idempotency-key"]).toBe("run-7:a2:1");
    expect(JSON.parse(req.body)).toEqual({ customerId: "c-1001", points: 200 });
    const header = req.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(header).toMatch(/^t=1772706600,v1=[0-9a-f]{64}$/);
    const now = new Date(clock.now());
    expect(verifyWebhookSignature({ secret: SECRET, header, body: req.body, now })).toBe(true);
    expect(
      verifyWebhookSignature({ secret: ["old-secret-xxxxxxxx", SECRET], header, body: req.body, now }),
    ).toBe(true);
    expect(verifyWebhookSignature({ secret: "wrong-secret-xxxxxxxx", header, body: req.body, now })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({ secret: SECRET, header, body: req.body.replace("200", "999"), now }),
    ).toBe(false);
    const late = new Date(now.getTime() + 301_000);
    expect(verifyWebhookSignature({ secret: SECRET, header, body: req.body, now: late })).toBe(false);
  });

  it("makes one attempt per send and hands a 503 back as retry, backing off by attempt number", async () => {
    fallback = status(503);
    const { clock } = fakeClock(0.5);
    const provider = createWebhookProvider({
      destinations: receiverOnLoopback,
      secret: SECRET,
      clock,
      policy: { maxAttempts: 5, baseDelayMs: 500 },
    });
    const results = [];
    for (const attempt of [1, 2, 3, 4])
      results.push(await provider.send(hook(), opts("run-8:a2:1", undefined, attempt)));
    expect(seen).toHaveLength(4); // one request per send: the wait between them is the outbox row's due time
    expect(results.map((r) => r.status === "retry" && r.afterMs)).toEqual([250, 500, 1000, 2000]); // 0.5 × 500·2^(n-1)
    expect(results.map((r) => r.attempts)).toEqual([1, 2, 3, 4]);
    expect(seen.map((s) => s.headers["idempotency-key"])).toEqual(Array(4).fill("run-8:a2:1"));
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
  });

  it("caps the backoff, and the attempt that reaches maxAttempts fails for good", async () => {
    fallback = status(502);
    const { clock } = fakeClock(0.999);
    const provider = createWebhookProvider({
      destinations: receiverOnLoopback,
      clock,
      policy: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 },
    });
    const third = await provider.send(hook(), opts("k", undefined, 3));
    expect(third).toMatchObject({ status: "retry", afterMs: 2997, reason: "HTTP 502", attempts: 3 });
    const last = await provider.send(hook(), opts("k", undefined, 4));
    expect(last).toMatchObject({
      status: "failed",
      reason: "gave up after 4 attempts: HTTP 502",
      attempts: 4,
    });
    expect(seen).toHaveLength(2);
  });

  it("does not retry a 400", async () => {
    replies = [status(400, { "content-type": "application/json" }, '{"error":"unknown customer"}')];
    const { clock } = fakeClock();
    const result = await createWebhookProvider({ destinations: receiverOnLoopback, clock }).send(
      hook(),
      opts(),
    );
    expect(seen).toHaveLength(1);
    expect(result).toMatchObject({ status: "failed", attempts: 1 });
    expect(result.status === "failed" && result.reason).toBe('HTTP 400: {"error":"unknown customer"}');
  });

  it("honours Retry-After on 429, short or long, as the wait before the next attempt", async () => {
    replies = [status(429, { "retry-after": "2" }), status(429, { "retry-after": "120" })];
    const { clock } = fakeClock();
    const provider = createWebhookProvider({ destinations: receiverOnLoopback, clock });
    expect(await provider.send(hook(), opts())).toMatchObject({
      status: "retry",
      afterMs: 2000,
      reason: "HTTP 429",
    });
    expect(await provider.send(hook(), opts("run-7:a2:1", undefined, 2))).toMatchObject({
      status: "retry",
      afterMs: 120_000,
      reason: "HTTP 429",
    });
    expect(seen).toHaveLength(2);
  });

  it("times out a silent receiver and hands it back as retry", async () => {
    fallback = hang;
    const { clock } = fakeClock();
    const started = Date.now();
    const result = await createWebhookProvider({
      destinations: receiverOnLoopback,
      clock,
      policy: { timeoutMs: 150 },
    }).send(hook(), opts());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen).toHaveLength(1);
    expect(result).toMatchObject({ status: "retry", reason: "timed out after 150 ms", attempts: 1 });
  });

  it("retries a refused connection", async () => {
    const { clock } = fakeClock();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await createWebhookProvider({
      destinations: receiverOnLoopback,
      clock,
    }).send(hook({ webhook: { url: `http://127.0.0.1:${port}/x` } }), opts());
    expect(result).toMatchObject({ status: "retry", reason: "network error: ECONNREFUSED" });
  });

  it("stops at once when the caller aborts", async () => {
    fallback = hang;
    const { clock } = fakeClock();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await createWebhookProvider({
      destinations: receiverOnLoopback,
      clock,
      policy: { timeoutMs: 10_000 },
    }).send(hook(), opts("k", controller.signal));
    expect(result).toMatchObject({
      status: "retry",
      afterMs: 0,
      reason: expect.stringMatching(/aborted/) as string,
    });
  });

  it("maps the JSON response into customer traits (e.g. a coupon)", async () => {
    replies = [
      status(201, { "content-type": "application/json" }, '{"data":{"code":"CP-42","expires":"2026-04-01"}}'),
    ];
    const { clock } = fakeClock();
    const result = await createWebhookProvider({ destinations: receiverOnLoopback, clock }).send(
      hook({
        webhook: {
          url: `${base}/coupons`,
          responseTraits: { coupon: "data.code", couponExpires: "data.expires", missing: "data.nope" },
        },
      }),
      opts(),
    );
    expect(result).toMatchObject({
      status: "sent",
      traits: { coupon: "CP-42", couponExpires: "2026-04-01" },
      warnings: ['response has no "data.nope" for trait "missing"'],
    });
  });

  it("sends an envelope when the action has no webhook template, and refuses bad URLs", async () => {
    const { clock } = fakeClock();
    const provider = createWebhookProvider({ destinations: receiverOnLoopback, clock });
    await provider.send(
      hook({ content: { channel: "email", subject: "S", body: "B" }, meta: { journey: "j", nodeId: "a1" } }),
      opts("env-1"),
    );
    expect(JSON.parse(seen[0]!.body)).toEqual({
      id: "env-1",
      type: "rekindle.message",
      customerId: "c-1001",
      meta: { journey: "j", nodeId: "a1" },
      message: { channel: "email", subject: "S", body: "B" },
    });
    expect(await provider.send(hook({ webhook: { url: "file:///etc/passwd" } }), opts())).toMatchObject({
      status: "failed",
    });
    expect(await provider.send(hook({ webhook: undefined }), opts())).toMatchObject({ status: "failed" });
  });
});

describe("HTTP gateway provider (SMS, push, WeChat)", () => {
  it("fills the configured body, authenticates and reads the provider id", async () => {
    replies = [status(200, { "content-type": "application/json" }, '{"result":{"messageId":"SM-991"}}')];
    const { clock } = fakeClock();
    const sms = createHttpProvider(
      {
        channel: "sms",
        url: `${base}/sms/send`,
        bearerToken: "tok-123",
        headers: { "x-account": "acme" },
        body: { phone: "{{to}}", content: "{{text}}", parts: "{{segments}}", ref: "rk-{{idempotencyKey}}" },
        idPath: "result.messageId",
      },
      { clock },
    );
    const result = await sms.send(
      {
        channel: "sms",
        to: { customerId: "c-1", phone: "+8613800138000" },
        content: { channel: "sms", body: "您的验证码", text: "您的验证码", segments: 1 },
      },
      opts("run-9:s1:1"),
    );
    expect(result).toMatchObject({ status: "sent", providerId: "SM-991" });
    const req = seen[0]!;
    expect(req.headers.authorization).toBe("Bearer tok-123");
    expect(req.headers["x-account"]).toBe("acme");
    expect(req.headers["idempotency-key"]).toBe("run-9:s1:1");
    expect(JSON.parse(req.body)).toEqual({
      phone: "+8613800138000",
      content: "您的验证码",
      parts: 1,
      ref: "rk-run-9:s1:1",
    });
  });

  it("sends a default body for WeChat and fails without an address", async () => {
    const { clock } = fakeClock();
    const wechat = createHttpProvider({ channel: "wechat", url: `${base}/wx` }, { clock });
    const content = { channel: "wechat" as const, body: "x", templateId: "TM-1", fields: { first: "Hi" } };
    await wechat.send(
      { channel: "wechat", to: { customerId: "c", wechatOpenId: "oX1" }, content },
      opts("w-1"),
    );
    expect(JSON.parse(seen[0]!.body)).toMatchObject({
      to: "oX1",
      channel: "wechat",
      templateId: "TM-1",
      fields: { first: "Hi" },
    });
    const none = await wechat.send({ channel: "wechat", to: { customerId: "c" }, content }, opts());
    expect(none).toMatchObject({ status: "failed", reason: expect.stringMatching(/^no_address/) as string });
  });
});

describe("dev provider", () => {
  it("records to the outbox once per idempotency key", async () => {
    const sink: string[] = [];
    const outbox = new DevOutbox({
      clock: { now: () => Date.parse("2026-03-05T10:30:00Z") },
      sink: (d) => sink.push(d.idempotencyKey),
    });
    const email = outbox.provider("email");
    const msg: OutboundMessage = {
      channel: "email",
      to: { customerId: "c", email: "a@example.com" },
      content: { channel: "email", subject: "S", body: "B" },
    };
    const first = await email.send(msg, opts("k1"));
    const again = await email.send(msg, opts("k1"));
    expect(first).toMatchObject({ status: "sent", providerId: "dev-email-1" });
    expect(again).toMatchObject({ status: "sent", providerId: "dev-email-1", response: { duplicate: true } });
    expect(outbox.deliveries).toHaveLength(1);
    expect(sink).toEqual(["k1"]);
    expect(await outbox.provider("sms").send({ ...msg, channel: "sms" }, opts("k2"))).toMatchObject({
      status: "failed",
    });
  });
});
