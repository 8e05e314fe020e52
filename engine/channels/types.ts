import type { RenderedMessage } from "../templates/types";

/** Where a message goes. Each channel reads its own address; a missing one is a `failed` result. */
export interface Recipient {
  customerId: string;
  email?: string;
  /** E.164, e.g. `+8613800138000`. */
  phone?: string;
  pushToken?: string;
  wechatOpenId?: string;
  name?: string;
}

/** The rendered content: what the template library produced (template, version and locale optional). */
export type MessageContent = Omit<RenderedMessage, "template" | "version" | "locale"> &
  Partial<Pick<RenderedMessage, "template" | "version" | "locale">>;

export interface WebhookTarget {
  url: string;
  /** Extra headers (e.g. an API key of the receiving system). */
  headers?: Record<string, string>;
  /**
   * Copies values of the JSON response into customer traits: trait name → dotted path in the response,
   * e.g. `{ "coupon": "data.code" }`. Returned as `traits` of the `sent` result; the caller stores them.
   */
  responseTraits?: Record<string, string>;
}

export interface OutboundMessage {
  channel: string;
  to: Recipient;
  content: MessageContent;
  /** One-click unsubscribe URL for this customer and channel (required for email). */
  unsubscribeUrl?: string;
  /** Webhook channel only. */
  webhook?: WebhookTarget;
  /** For logs and envelopes. */
  meta?: { journey?: string; runId?: string; nodeId?: string; template?: string };
}

export interface SendOptions {
  /**
   * Run + node + visit: the same for every attempt of one delivery, so a provider (or the receiver)
   * can drop a duplicate. HTTP providers send it as `Idempotency-Key`, SMTP as the Message-ID.
   */
  idempotencyKey: string;
  /** Aborts the send (shutdown, pause). An aborted send reports `retry`: it may or may not have arrived. */
  signal: AbortSignal;
  /**
   * Which attempt of this delivery this is, from 1 (the outbox row's attempt count). A send is one attempt;
   * an HTTP provider picks its backoff and gives up by it. Absent means 1.
   */
  attempt?: number;
}

export type SendResult =
  | {
      status: "sent";
      providerId?: string;
      response?: unknown;
      /** Traits mapped from the response (webhook `responseTraits`). */
      traits?: Record<string, unknown>;
      /** Non-fatal problems, e.g. a mapped trait missing from the response. */
      warnings?: string[];
      attempts?: number;
    }
  | { status: "retry"; afterMs: number; reason: string; response?: unknown; attempts?: number }
  | { status: "failed"; reason: string; response?: unknown; attempts?: number };

/**
 * A delivery channel. `send` never throws for delivery problems: it classifies them. `retry` means the
 * outbox should try again after `afterMs` with the same idempotency key (its row is due again then: a send
 * never sleeps; the outbox owns the attempt cap);
 * `failed` is final (bad address, rejected by the provider).
 */
export interface ChannelProvider {
  readonly channel: string;
  /** e.g. `smtp`, `webhook`, `http:sms`, `dev`. */
  readonly name: string;
  send(message: OutboundMessage, options: SendOptions): Promise<SendResult>;
  close?(): Promise<void>;
}
