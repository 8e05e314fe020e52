import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTemplateLibrary } from "../templates/load";
import { createSmtpProvider, messageIdFor, type SmtpProvider } from "./smtp";
import type { OutboundMessage } from "./types";

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
}

async function startServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            mail,
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    server,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name)?.line;
  return line
    ?.slice(line.indexOf(":") + 1)
    .replace(/\r?\n\s+/g, " ")
    .trim();
}

const library = loadTemplateLibrary();
const rendered = library.render("winback-coupon", {
  customer: {
    id: "c-1001",
    traits: { name: "Alex", email: "alex@example.com", locale: "en", timezone: "Europe/London" },
  },
  coupon: "WB-7Q2M",
  journey: { name: "Win-back" },
  now: new Date("2026-03-05T10:30:00Z"),
  unsubscribeUrl: "https://rekindle.example.com/u/tok123",
});

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: "email",
    to: { customerId: "c-1001", email: "alex@example.com", name: "Alex" },
    content: rendered,
    unsubscribeUrl: "https://rekindle.example.com/u/tok123",
    ...overrides,
  };
}

const opts = (key = "run-1:a1:1") => ({ idempotencyKey: key, signal: new AbortController().signal });

describe("SMTP provider against a real SMTP server", () => {
  let smtp: Awaited<ReturnType<typeof startServer>>;
  let provider: SmtpProvider;

  beforeAll(async () => {
    smtp = await startServer();
    provider = createSmtpProvider({
      host: "127.0.0.1",
      port: smtp.port,
      secure: false,
      from: '"Rekindle Shop" <hello@shop.example.com>',
      replyTo: "care@shop.example.com",
      unsubscribeMailto: "unsubscribe@shop.example.com",
    });
  });
  afterAll(async () => {
    await provider.close?.();
    await smtp.close();
  });

  it("delivers subject, HTML and text with the unsubscribe headers and the rendered offer", async () => {
    const result = await provider.send(message(), opts());
    expect(result.status).toBe("sent");
    const got = smtp.received.at(-1);
    expect(got).toBeDefined();
    const mail = got!.mail;
    expect(got!.from).toBe("hello@shop.example.com");
    expect(got!.to).toEqual(["alex@example.com"]);
    expect(mail.subject).toBe("We miss you, Alex - here's 15% off");
    expect(mail.text).toContain("Your code: WB-7Q2M");
    expect(mail.text).toContain("before March 19, 2026");
    expect(mail.text).toContain("Unsubscribe: https://rekindle.example.com/u/tok123");
    expect(mail.html).toContain("WB-7Q2M");
    expect(mail.html).toContain('<a href="https://rekindle.example.com/u/tok123"');
    // mailparser folds List-* headers into `list`; read the raw lines as a mail client would.
    expect(rawHeader(mail, "list-unsubscribe")).toBe(
      "<https://rekindle.example.com/u/tok123>, <mailto:unsubscribe@shop.example.com?subject=unsubscribe>",
    );
    expect(rawHeader(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.headers.get("x-idempotency-key")).toBe("run-1:a1:1");
    expect(mail.messageId).toBe(messageIdFor("run-1:a1:1", "shop.example.com"));
    expect(mail.replyTo?.text).toBe("care@shop.example.com");
    if (result.status === "sent") expect(result.providerId).toBe(mail.messageId);
  });

  it("delivers Chinese copy intact", async () => {
    const zh = library.preview("last-chance-72h", "zh", { coupon: "LC-88" });
    const result = await provider.send(message({ content: zh }), opts("run-2:a1:1"));
    expect(result.status).toBe("sent");
    const mail = smtp.received.at(-1)!.mail;
    expect(mail.subject).toBe("最后 72 小时：您的优惠券即将过期");
    expect(mail.text).toContain("优惠码：LC-88");
  });

  it("keeps the Message-ID stable across attempts of one delivery", async () => {
    await provider.send(message(), opts("run-3:a1:1"));
    await provider.send(message(), opts("run-3:a1:1"));
    const ids = smtp.received.slice(-2).map((r) => r.mail.messageId);
    expect(ids[0]).toBe(ids[1]);
  });

  it("refuses an email without an address or an unsubscribe URL", async () => {
    const noAddress = await provider.send(message({ to: { customerId: "c" } }), opts());
    expect(noAddress).toMatchObject({
      status: "failed",
      reason: expect.stringMatching(/^no_address/) as string,
    });
    const { unsubscribeUrl: _, ...rest } = message();
    expect(await provider.send(rest, opts())).toMatchObject({ status: "failed" });
  });
});

describe("SMTP error classification", () => {
  it("retries a 4xx and fails a 5xx from the server", async () => {
    const smtp = await startServer({
      onRcptTo(address, _session, callback) {
        const err = new Error(
          address.address.startsWith("busy") ? "mailbox busy, try later" : "no such user",
        ) as Error & {
          responseCode: number;
        };
        err.responseCode = address.address.startsWith("busy") ? 451 : 550;
        callback(err);
      },
    });
    const provider = createSmtpProvider({
      host: "127.0.0.1",
      port: smtp.port,
      from: "hello@shop.example.com",
      retryAfterSec: 5,
    });
    try {
      const busy = await provider.send(
        message({ to: { customerId: "c", email: "busy@example.com" } }),
        opts(),
      );
      expect(busy).toMatchObject({ status: "retry", afterMs: 5000 });
      const gone = await provider.send(
        message({ to: { customerId: "c", email: "gone@example.com" } }),
        opts(),
      );
      expect(gone).toMatchObject({ status: "failed" });
      expect(gone.status === "failed" && gone.reason).toMatch(/550/);
    } finally {
      await provider.close?.();
      await smtp.close();
    }
  });

  it("retries when the server cannot be reached", async () => {
    const smtp = await startServer();
    const port = smtp.port;
    await smtp.close();
    const provider = createSmtpProvider({
      host: "127.0.0.1",
      port,
      from: "hello@shop.example.com",
      connectionTimeoutMs: 2000,
    });
    const result = await provider.send(message(), opts());
    expect(result).toMatchObject({ status: "retry" });
    await provider.close?.();
  });
});
