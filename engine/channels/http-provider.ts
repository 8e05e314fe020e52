import { deliverHttp, type FetchLike } from "./http";
import { fillJson, readPath } from "./paths";
import { DEFAULT_RETRY_POLICY, systemRetryTiming, type RetryTiming, type RetryPolicy } from "./retry";
import { SIGNATURE_HEADER, signWebhook } from "./signature";
import type { ChannelProvider, OutboundMessage, Recipient, SendOptions, SendResult } from "./types";

export interface HttpProviderConfig {
  /** `sms`, `push`, `wechat` or a custom message channel. */
  channel: string;
  /** Shown in logs, e.g. `aliyun-sms`. Defaults to `http:<channel>`. */
  name?: string;
  url: string;
  method?: "POST" | "PUT";
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer …`. */
  bearerToken?: string;
  /** Signs requests like the webhook channel. */
  secret?: string;
  /**
   * The JSON body with `{{…}}` placeholders (see `fillJson`) over: `to`, `channel`, `customerId`,
   * `idempotencyKey`, `text`, `title`, `body`, `subject`, `url`, `templateId`, `fields`, `segments`,
   * `json`, `locale`, `template`. Without one, a body with all of them is sent.
   */
  body?: unknown;
  /** Dotted path of the provider's message id in its JSON response, e.g. `data.messageId`. */
  idPath?: string;
  policy?: Partial<RetryPolicy>;
}

/** The address each channel needs. */
export function addressFor(channel: string, to: Recipient): string | undefined {
  switch (channel) {
    case "sms":
      return to.phone;
    case "push":
      return to.pushToken;
    case "wechat":
      return to.wechatOpenId;
    case "email":
      return to.email;
    default:
      return to.phone ?? to.pushToken ?? to.wechatOpenId ?? to.email;
  }
}

/**
 * A configurable HTTP adapter for SMS, push and WeChat gateways: one JSON request per message, with
 * `Idempotency-Key`, optional bearer token and signature, and the webhook retry rules.
 */
export function createHttpProvider(
  config: HttpProviderConfig,
  deps: { clock?: RetryTiming; fetch?: FetchLike } = {},
): ChannelProvider {
  const policy = { ...DEFAULT_RETRY_POLICY, ...config.policy };
  const clock = deps.clock ?? systemRetryTiming;
  const name = config.name ?? `http:${config.channel}`;
  return {
    channel: config.channel,
    name,
    async send(message: OutboundMessage, opts: SendOptions): Promise<SendResult> {
      const to = addressFor(config.channel, message.to);
      if (!to)
        return { status: "failed", reason: `no_address: the customer has no ${config.channel} address` };
      const c = message.content;
      const vars: Record<string, unknown> = {
        to,
        channel: config.channel,
        customerId: message.to.customerId,
        idempotencyKey: opts.idempotencyKey,
        text: c.text ?? c.body,
        title: c.title,
        body: c.body,
        subject: c.subject,
        url: c.url,
        templateId: c.templateId,
        fields: c.fields,
        segments: c.segments,
        json: c.json,
        locale: c.locale,
        template: c.template ?? message.meta?.template,
      };
      const payload =
        config.body === undefined
          ? Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined))
          : fillJson(config.body, vars);
      const body = JSON.stringify(payload);
      const secret = config.secret;
      const { result, response } = await deliverHttp(
        {
          url: config.url,
          ...(config.method ? { method: config.method } : {}),
          body,
          headers: {
            ...config.headers,
            ...(config.bearerToken ? { authorization: `Bearer ${config.bearerToken}` } : {}),
          },
          ...(secret
            ? { perAttempt: (now: Date) => ({ [SIGNATURE_HEADER]: signWebhook(secret, body, now) }) }
            : {}),
        },
        opts,
        policy,
        clock,
        deps.fetch,
      );
      if (result.status === "sent" && config.idPath) {
        const id = readPath(response?.body, config.idPath);
        if (typeof id === "string" || typeof id === "number") return { ...result, providerId: String(id) };
      }
      return result;
    },
  };
}
