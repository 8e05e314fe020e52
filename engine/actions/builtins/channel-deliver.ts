import type {
  ChannelProvider,
  MessageContent,
  OutboundMessage,
  Recipient,
  SendResult,
} from "../../channels/types";
import type { ActionResult } from "../types";
import type { DeliverFn, Delivery } from "./deliver";

export interface ChannelDeliverOptions {
  /**
   * The unsubscribe link of a customer and channel (see `unsubscribeLinks` in engine/consent). Emails
   * need one for the `List-Unsubscribe` header; the SMTP provider refuses to send without it.
   */
  unsubscribeUrl?: (customerId: string, channel: string) => string;
}

/** Where each channel keeps its address on the recipient. */
const ADDRESS_FIELD: Readonly<Record<string, keyof Recipient>> = {
  email: "email",
  sms: "phone",
  push: "pushToken",
  wechat: "wechatOpenId",
};

/** `$.data.code`, `$data.code` and `data.code` all mean the dotted path `data.code`. */
export function responsePath(path: string): string {
  return path.replace(/^\$\.?/, "");
}

function recipientOf(d: Delivery): Recipient {
  const to: Recipient = { customerId: d.customerId };
  if (d.name) to.name = d.name;
  const field = ADDRESS_FIELD[d.channel];
  if (field && field !== "customerId" && field !== "name" && d.address) to[field] = d.address;
  return to;
}

function stringRecord(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

/** A Delivery as the channel layer's message. */
export function outboundMessage(d: Delivery, options: ChannelDeliverOptions = {}): OutboundMessage {
  const content = (d.rendered ?? { channel: d.channel, body: "" }) as unknown as MessageContent;
  const message: OutboundMessage = {
    channel: d.channel,
    to: recipientOf(d),
    content,
    ...(d.meta ? { meta: d.meta } : d.template ? { meta: { template: d.template } } : {}),
  };
  if (d.channel === "webhook") {
    const mapping = stringRecord(d.params.mapResponse);
    const headers = stringRecord(d.params.headers);
    message.webhook = {
      url: d.address,
      ...(headers ? { headers } : {}),
      ...(mapping
        ? {
            responseTraits: Object.fromEntries(
              Object.entries(mapping).map(([trait, path]) => [trait, responsePath(path)]),
            ),
          }
        : {}),
    };
  } else if (options.unsubscribeUrl) {
    message.unsubscribeUrl = options.unsubscribeUrl(d.customerId, d.channel);
  }
  return message;
}

/** A provider's answer as an action result: what the outbox records and how the run goes on. */
export function toActionResult(provider: ChannelProvider, r: SendResult): ActionResult {
  switch (r.status) {
    case "sent": {
      const response = {
        provider: provider.name,
        ...(r.providerId !== undefined ? { providerId: r.providerId } : {}),
        ...(r.response !== undefined ? { response: r.response } : {}),
        ...(r.attempts !== undefined ? { attempts: r.attempts } : {}),
        ...(r.warnings?.length ? { warnings: r.warnings } : {}),
      };
      const traits = r.traits && Object.keys(r.traits).length > 0 ? r.traits : undefined;
      // Mapped values land on the profile and on the run, so a later template can use `{{couponCode}}`.
      return { status: "done", response, ...(traits ? { traits, vars: traits } : {}) };
    }
    case "retry":
      return {
        status: "retry",
        afterMs: r.afterMs,
        reason: r.reason,
        response: { provider: provider.name, ...(r.response !== undefined ? { response: r.response } : {}) },
      };
    case "failed":
      return {
        status: "fail",
        reason: r.reason,
        response: { provider: provider.name, ...(r.response !== undefined ? { response: r.response } : {}) },
      };
  }
}

/**
 * Real delivery: sends each Delivery through the provider configured for its channel (SMTP email with
 * its unsubscribe link and header, signed webhooks with `mapResponse`, HTTP gateways for SMS, push and
 * WeChat, or the dev provider), passing the outbox's idempotency key, and maps the provider's answer to
 * the action result (`sent` → done, `retry` → retry after `afterMs`, `failed` → fail). Use `recordOnly`
 * for simulation.
 */
export function channelDeliver(
  providers: { get(channel: string): ChannelProvider | undefined },
  options: ChannelDeliverOptions = {},
): DeliverFn {
  return async (delivery, opts) => {
    const provider = providers.get(delivery.channel);
    if (!provider)
      return { status: "fail", reason: `no provider is configured for channel "${delivery.channel}"` };
    if (delivery.channel !== "webhook" && delivery.rendered === null) {
      return { status: "fail", reason: `a ${delivery.channel} message needs a rendered template` };
    }
    const result = await provider.send(outboundMessage(delivery, options), opts);
    return toActionResult(provider, result);
  };
}
