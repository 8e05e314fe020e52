import { destinationPolicy, type DestinationPolicy } from "./destination-policy";
import { deliverHttp, type FetchLike } from "./http";
import { readPath } from "./paths";
import { pinnedFetch } from "./pinned-fetch";
import { DEFAULT_RETRY_POLICY, systemRetryTiming, type RetryTiming, type RetryPolicy } from "./retry";
import { SIGNATURE_HEADER, signWebhook } from "./signature";
import type { ChannelProvider, OutboundMessage, SendOptions, SendResult } from "./types";

export interface WebhookProviderOptions {
  /** HMAC-SHA256 secret; without one, requests are not signed. */
  secret?: string;
  policy?: Partial<RetryPolicy>;
  clock?: RetryTiming;
  fetch?: FetchLike;
  /** Headers on every request (per-message `webhook.headers` win). */
  headers?: Record<string, string>;
  /** Where webhooks may go (default: public addresses only; see `destination-policy.ts`). */
  destinations?: DestinationPolicy;
}

/**
 * The body sent: the rendered webhook template's JSON when the action used one, else an envelope with
 * the rendered message.
 */
export function webhookBody(message: OutboundMessage, idempotencyKey: string): string {
  if (message.content.json !== undefined) return JSON.stringify(message.content.json);
  return JSON.stringify({
    id: idempotencyKey,
    type: "rekindle.message",
    customerId: message.to.customerId,
    ...(message.meta ? { meta: message.meta } : {}),
    message: message.content,
  });
}

/**
 * Webhook channel: HTTP POST of JSON, signed (`Rekindle-Signature: t=…,v1=…`, HMAC-SHA256 over
 * `<t>.<body>`), with `Idempotency-Key`, per-attempt timeout and retries (see `deliverHttp`). A
 * `responseTraits` mapping copies values of the JSON response into `traits` of the result.
 */
export function createWebhookProvider(options: WebhookProviderOptions = {}): ChannelProvider {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const clock = options.clock ?? systemRetryTiming;
  const destinations = options.destinations ?? destinationPolicy();
  const fetchImpl = options.fetch ?? pinnedFetch(destinations);
  return {
    channel: "webhook",
    name: "webhook",
    async send(message: OutboundMessage, opts: SendOptions): Promise<SendResult> {
      const target = message.webhook;
      if (!target?.url) return { status: "failed", reason: "no_address: the webhook action has no url" };
      let url: URL;
      try {
        url = new URL(target.url);
      } catch {
        return { status: "failed", reason: `invalid webhook url "${target.url}"` };
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        return { status: "failed", reason: `webhook url must be http(s), got "${url.protocol}"` };
      }
      const refused = await destinations.checkResolved(url.toString());
      if (refused) return { status: "failed", reason: `destination_refused: ${refused}` };
      const body = webhookBody(message, opts.idempotencyKey);
      const secret = options.secret;
      const { result, response } = await deliverHttp(
        {
          url: url.toString(),
          body,
          headers: { ...options.headers, ...target.headers },
          ...(secret
            ? { perAttempt: (now: Date) => ({ [SIGNATURE_HEADER]: signWebhook(secret, body, now) }) }
            : {}),
        },
        opts,
        policy,
        clock,
        fetchImpl,
      );
      if (result.status !== "sent" || !target.responseTraits) return result;
      const traits: Record<string, unknown> = {};
      const warnings: string[] = [];
      for (const [trait, path] of Object.entries(target.responseTraits)) {
        const value = readPath(response?.body, path);
        if (value === undefined) warnings.push(`response has no "${path}" for trait "${trait}"`);
        else traits[trait] = value;
      }
      return { ...result, traits, ...(warnings.length ? { warnings } : {}) };
    },
  };
}
