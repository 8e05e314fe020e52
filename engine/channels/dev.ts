import { systemClock, type Clock } from "../runtime/clock";
import { addressFor } from "./http-provider";
import type {
  ChannelProvider,
  MessageContent,
  OutboundMessage,
  Recipient,
  SendOptions,
  SendResult,
} from "./types";

export interface DevDelivery {
  channel: string;
  to: Recipient;
  content: MessageContent;
  unsubscribeUrl?: string;
  meta?: OutboundMessage["meta"];
  idempotencyKey: string;
  providerId: string;
  at: Date;
}

/**
 * The development provider: records every message in memory (and hands it to `sink`, e.g. to write the
 * demo's outbox view) instead of sending it. Like a well-behaved provider it honours the idempotency
 * key: a repeated key is acknowledged with the first message's id and not recorded twice.
 */
export class DevOutbox {
  readonly deliveries: DevDelivery[] = [];
  private readonly byKey = new Map<string, DevDelivery>();
  private seq = 0;

  /**
   * `limit` bounds what is kept in memory (default 10,000 deliveries, the newest): a server left running on
   * the dev provider must not grow without end. The outbox table keeps the full record either way.
   */
  constructor(
    private readonly options: {
      clock?: Clock;
      sink?: (delivery: DevDelivery) => void;
      limit?: number;
    } = {},
  ) {}

  /** A provider for one channel, recording into this outbox. */
  provider(channel: string): ChannelProvider {
    return {
      channel,
      name: "dev",
      send: (message: OutboundMessage, opts: SendOptions): Promise<SendResult> =>
        Promise.resolve(this.record(channel, message, opts)),
    };
  }

  forChannel(channel: string): DevDelivery[] {
    return this.deliveries.filter((d) => d.channel === channel);
  }

  clear(): void {
    this.deliveries.length = 0;
    this.byKey.clear();
  }

  private record(channel: string, message: OutboundMessage, opts: SendOptions): SendResult {
    if (opts.signal.aborted) return { status: "retry", afterMs: 0, reason: "aborted before sending" };
    if (["email", "sms", "push", "wechat"].includes(channel) && !addressFor(channel, message.to)) {
      return { status: "failed", reason: `no_address: the customer has no ${channel} address` };
    }
    const seen = this.byKey.get(opts.idempotencyKey);
    if (seen) return { status: "sent", providerId: seen.providerId, response: { duplicate: true } };
    const delivery: DevDelivery = {
      channel,
      to: message.to,
      content: message.content,
      ...(message.unsubscribeUrl ? { unsubscribeUrl: message.unsubscribeUrl } : {}),
      ...(message.meta ? { meta: message.meta } : {}),
      idempotencyKey: opts.idempotencyKey,
      providerId: `dev-${channel}-${++this.seq}`,
      at: new Date((this.options.clock ?? systemClock).now()),
    };
    this.byKey.set(opts.idempotencyKey, delivery);
    this.deliveries.push(delivery);
    const limit = this.options.limit ?? 10_000;
    if (this.deliveries.length > limit + Math.ceil(limit / 10)) {
      // Trimmed in chunks, so recording stays O(1) amortised.
      for (const old of this.deliveries.splice(0, this.deliveries.length - limit))
        this.byKey.delete(old.idempotencyKey);
    }
    this.options.sink?.(delivery);
    return { status: "sent", providerId: delivery.providerId, response: { recorded: true } };
  }
}
