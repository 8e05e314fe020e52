import { z } from "zod";
import { defineAction } from "../types";
import type { DeliverFn } from "./deliver";

export const webhookConfig = z.object({
  url: z.url({ error: (iss) => `webhook needs an http(s) URL; got ${JSON.stringify(iss.input)}` }),
  /** Response JSON paths to copy into traits, e.g. `{ "couponCode": "$.code" }`. */
  mapResponse: z.record(z.string(), z.string()).optional(),
});

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
        },
        { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal },
      ),
  });
}
