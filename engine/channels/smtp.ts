import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { ChannelProvider, OutboundMessage, SendOptions, SendResult } from "./types";

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when offered. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** `"Rekindle Shop" <hello@shop.example.com>` */
  from: string;
  replyTo?: string;
  /** Added to `List-Unsubscribe` beside the URL, e.g. `unsubscribe@shop.example.com`. */
  unsubscribeMailto?: string;
  /** Domain of generated Message-IDs; defaults to the From address's domain. */
  messageIdDomain?: string;
  /** Keep connections open between messages. */
  pool?: boolean;
  connectionTimeoutMs?: number;
  /** For test servers with self-signed certificates only. */
  tlsRejectUnauthorized?: boolean;
  /** Seconds before a transient failure (4xx, connection error) is retried by the outbox. Default 60. */
  retryAfterSec?: number;
}

const TRANSIENT_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "EPROTOCOL",
]);

function domainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? "rekindle.local";
}

/** A Message-ID derived from the idempotency key: every attempt of one delivery carries the same id. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  return `<${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}@${domain}>`;
}

export interface SmtpProvider extends ChannelProvider {
  /** Checks connection and credentials. */
  verify(): Promise<void>;
}

/**
 * Email over SMTP with nodemailer: subject, HTML and text parts; `List-Unsubscribe` (URL and optional
 * mailto) with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058); the idempotency key as
 * `X-Idempotency-Key` and as a stable Message-ID. A message without an unsubscribe URL is refused.
 * SMTP 4xx and connection errors → `retry`; 5xx and rejected recipients → `failed`.
 */
export function createSmtpProvider(
  config: SmtpConfig,
  deps: { transport?: Transporter<SMTPTransport.SentMessageInfo> } = {},
): SmtpProvider {
  const transport =
    deps.transport ??
    nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure ?? config.port === 465,
      ...(config.user ? { auth: { user: config.user, pass: config.pass ?? "" } } : {}),
      ...(config.pool ? { pool: true } : {}),
      connectionTimeout: config.connectionTimeoutMs ?? 10_000,
      greetingTimeout: config.connectionTimeoutMs ?? 10_000,
      socketTimeout: (config.connectionTimeoutMs ?? 10_000) * 3,
      ...(config.tlsRejectUnauthorized === false ? { tls: { rejectUnauthorized: false } } : {}),
    } satisfies SMTPTransport.Options);
  const domain = config.messageIdDomain ?? domainOf(config.from);
  const retryMs = (config.retryAfterSec ?? 60) * 1000;

  return {
    channel: "email",
    name: "smtp",
    async verify() {
      await transport.verify();
    },
    async close() {
      transport.close();
      return Promise.resolve();
    },
    async send(message: OutboundMessage, opts: SendOptions): Promise<SendResult> {
      const to = message.to.email;
      if (!to) return { status: "failed", reason: "no_address: the customer has no email" };
      if (!message.unsubscribeUrl) {
        return { status: "failed", reason: "an email needs an unsubscribe URL (List-Unsubscribe)" };
      }
      const c = message.content;
      if (!c.subject) return { status: "failed", reason: "an email needs a subject" };
      if (opts.signal.aborted) return { status: "retry", afterMs: 0, reason: "aborted before sending" };
      const unsubscribe = [`<${message.unsubscribeUrl}>`];
      if (config.unsubscribeMailto)
        unsubscribe.push(`<mailto:${config.unsubscribeMailto}?subject=unsubscribe>`);
      const messageId = messageIdFor(opts.idempotencyKey, domain);
      const sending = transport.sendMail({
        from: config.from,
        to: message.to.name ? { name: message.to.name, address: to } : to,
        ...(config.replyTo ? { replyTo: config.replyTo } : {}),
        subject: c.subject,
        text: c.text ?? c.body,
        ...(c.html ? { html: c.html } : {}),
        messageId,
        headers: {
          "X-Idempotency-Key": opts.idempotencyKey,
          "List-Unsubscribe": unsubscribe.join(", "),
          ...(/^https:/i.test(message.unsubscribeUrl)
            ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
            : {}),
        },
      });
      let abortListener: (() => void) | undefined;
      const aborted = new Promise<"aborted">((resolve) => {
        abortListener = () => resolve("aborted");
        opts.signal.addEventListener("abort", abortListener, { once: true });
      });
      try {
        const info = await Promise.race([sending, aborted]);
        if (info === "aborted") {
          sending.catch(() => undefined);
          return { status: "retry", afterMs: 0, reason: `aborted while sending (Message-ID ${messageId})` };
        }
        if (info.rejected.length > 0 && info.accepted.length === 0) {
          return {
            status: "failed",
            reason: `recipient rejected: ${info.response}`,
            response: info.response,
          };
        }
        return { status: "sent", providerId: info.messageId || messageId, response: info.response };
      } catch (err) {
        const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
        const reason = `${e.code ?? "SMTP"}${e.responseCode ? ` ${e.responseCode}` : ""}: ${e.response ?? e.message ?? String(err)}`;
        if (typeof e.responseCode === "number") {
          return e.responseCode >= 400 && e.responseCode < 500
            ? { status: "retry", afterMs: retryMs, reason, response: e.response }
            : { status: "failed", reason, response: e.response };
        }
        if (e.code && TRANSIENT_CODES.has(e.code)) return { status: "retry", afterMs: retryMs, reason };
        return { status: "failed", reason };
      } finally {
        if (abortListener) opts.signal.removeEventListener("abort", abortListener);
      }
    },
  };
}
