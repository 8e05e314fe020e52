import { z } from "zod";
import { defineAction } from "../types";
import { deliveryMeta } from "./deliver";
import type { DeliverFn } from "./deliver";

export const webhookConfig = z
  .object({
    url: z.url({ error: (iss) => `webhook needs an http(s) URL; got ${JSON.stringify(iss.input)}` }),
    /**
     * Values of the JSON response to copy into customer traits (and run vars, for later templates):
     * trait → path, `{ "couponCode": "$.data.code" }` (`$.` optional, dotted, own properties only).
     */
    mapResponse: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: "a trait name is letters, digits and _" }),
        z.string().regex(/^(\$\.?)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
          error: (iss) => `a response path looks like "$.data.code"; got ${JSON.stringify(iss.input)}`,
        }),
      )
      .optional(),
    /** Extra request headers (e.g. the receiver's API key). */
    headers: z.record(z.string(), z.string()).optional(),
  })
  // Other params (e.g. `points`) are kept: the node's webhook template reads them, as message templates do.
  .loose();

export function webhookAction(deliver: DeliverFn) {
  return defineAction({
    type: "webhook",
    version: 1,
    title: { en: "Webhook", zh: "Webhook 调用" },
    description: { en: "POSTs a signed JSON body to a URL.", zh: "向指定 URL 发送带签名的 JSON 请求。" },
    config: webhookConfig,
    template: { channel: "webhook", required: false },
    effect: "external",
    execute: (ctx) =>
      deliver(
        {
          channel: "webhook",
          address: ctx.config.url,
          rendered: ctx.rendered,
          template: ctx.template,
          customerId: ctx.customer.id,
          params: ctx.config,
          meta: deliveryMeta(ctx),
        },
        { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, attempt: ctx.attempt },
      ),
  });
}
